/**
 * Standalone mode's sink connector offsets endpoints (GET/PATCH/DELETE /connectors/{c}/offsets)
 * reach the connector's consumer group with the worker's security settings, as distributed mode's
 * do (sink-offsets-security.test.ts): top-level TLS/SASL, overridden by `admin.*`, as Kafka
 * Connect's Worker.adminConfigs. `GET /`'s cluster id lookup uses the top-level settings too.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../src/api/errors.js';
import { sinkOffsetsAdminFactory } from '../../../src/cluster/connector-offsets.js';
import { inWorkerFile, memoizedWorkerInfo } from '../../../src/cli/standalone.js';
import { StandaloneConfig } from '../../../src/config/worker-config.js';
import { KafkaConnection } from '../../../src/kafka/protocol/connection.js';
import { createLogger } from '../../../src/util/logger.js';

const base = {
  'bootstrap.servers': 'k1:9093,k2:9093',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'offset.storage.file.filename': '/tmp/sluice-offsets-security-test.dat',
};
/** No broker answers: give up after the first round of connection attempts. */
const FAST = { timeoutMs: 50 };
const jaas = (user: string, password: string): string =>
  `org.apache.kafka.common.security.plain.PlainLoginModule required username="${user}" password="${password}";`;

afterEach(() => {
  vi.restoreAllMocks();
});

/** The security options each broker connection of `run` was opened with (no broker answers). */
async function connectionsOf(run: () => Promise<unknown>): Promise<{ host: string; security: unknown }[]> {
  const connect = vi.spyOn(KafkaConnection, 'connect').mockRejectedValue(new Error('no broker here'));
  await run().catch(() => undefined);
  expect(connect).toHaveBeenCalled();
  return connect.mock.calls.map(([address, options]) => ({ host: address.host, security: options.security }));
}

describe('standalone sink offsets admin security', () => {
  it('connects with the worker\'s SASL settings, admin.* overriding them', async () => {
    const config = new StandaloneConfig({
      ...base,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': jaas('worker', 'w-secret'),
      'admin.sasl.jaas.config': jaas('admin', 'a-secret'),
      'producer.sasl.jaas.config': jaas('producer', 'p'),
    });
    const admin = sinkOffsetsAdminFactory(config, FAST)('connect-sink');
    const connections = await connectionsOf(() => admin.listOffsets());
    for (const c of connections) {
      expect(['k1', 'k2']).toContain(c.host);
      expect(c.security).toEqual({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'admin', password: 'a-secret' } });
    }
  });

  it('uses the top-level settings when admin.* sets none, and admin.bootstrap.servers when set', async () => {
    const config = new StandaloneConfig({
      ...base,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': jaas('worker', 'w-secret'),
      'admin.bootstrap.servers': 'a1:9093',
    });
    const connections = await connectionsOf(() => sinkOffsetsAdminFactory(config, FAST)('connect-sink').listOffsets());
    for (const c of connections) {
      expect(c.host).toBe('a1');
      expect(c.security).toEqual({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'SCRAM-SHA-512', username: 'worker', password: 'w-secret' } });
    }
  });

  it('connects in plain text to an unsecured cluster', async () => {
    const connections = await connectionsOf(() => sinkOffsetsAdminFactory(new StandaloneConfig(base), FAST)('connect-sink').deleteGroup());
    for (const c of connections) expect(c.security).toEqual({ protocol: 'PLAINTEXT' });
  });

  it('refuses settings it cannot use, naming the key as the file has it (the standalone CLI then warns: records still flow)', () => {
    const gssapi = { ...base, 'security.protocol': 'SASL_PLAINTEXT', 'sasl.jaas.config': jaas('u', 'p') };
    const topLevel = (() => {
      try {
        sinkOffsetsAdminFactory(new StandaloneConfig(gssapi));
      } catch (err) {
        return err;
      }
    })();
    expect(topLevel).toBeInstanceOf(ConfigError);
    expect((topLevel as ConfigError).key).toBe('sasl.mechanism');
    const adminOverride = new StandaloneConfig({ ...gssapi, 'sasl.mechanism': 'PLAIN', 'admin.sasl.mechanism': 'OAUTHBEARER' });
    expect(() => sinkOffsetsAdminFactory(adminOverride)).toThrow(/admin\.sasl\.mechanism/);
    // The CLI puts the worker file and the key's line in front, as for the config's own errors.
    expect(() => inWorkerFile('worker.properties', { 'admin.sasl.mechanism': 7 }, () => sinkOffsetsAdminFactory(adminOverride))).toThrow(
      /^worker\.properties:7: Unsupported value OAUTHBEARER for configuration admin\.sasl\.mechanism/,
    );
  });

  it('looks the cluster id up for GET / with the top-level settings', async () => {
    const config = new StandaloneConfig({
      ...base,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': jaas('worker', 'w-secret'),
    });
    const info = memoizedWorkerInfo(config, createLogger({ level: 'silent' }));
    const connections = await connectionsOf(info);
    for (const c of connections) {
      expect(c.security).toEqual({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'worker', password: 'w-secret' } });
    }
  });
});

/**
 * The sink connector offsets endpoints (GET/PATCH/DELETE /connectors/{c}/offsets) talk to the
 * connector's consumer group through GroupOffsetsAdmin: on a secured cluster they must connect with
 * the worker's security settings (top-level, overridden by `admin.*`, as Worker.adminConfigs).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DistributedConfig } from '../../../src/config/distributed-config.js';
import { KafkaConnection } from '../../../src/kafka/protocol/connection.js';
import { GroupOffsetsAdmin } from '../../../src/kafka/protocol/group-offsets.js';
import { securityFromConfig } from '../../../src/kafka/protocol/security.js';

const base = {
  'bootstrap.servers': 'k1:9093',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'group.id': 'connect-cluster',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('sink offsets admin security', () => {
  it('takes the worker\'s security settings, with admin.* overriding them', () => {
    const config = new DistributedConfig({
      ...base,
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="worker" password="w-secret";',
      'admin.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="admin" password="a-secret";',
      'producer.sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="producer" password="p";',
    });
    const admin = config.adminClientConfig();
    expect(admin['bootstrap.servers']).toBe('k1:9093');
    expect(admin['security.protocol']).toBe('SASL_PLAINTEXT');
    expect(securityFromConfig(admin, 'admin.')).toEqual({
      protocol: 'SASL_PLAINTEXT',
      sasl: { mechanism: 'PLAIN', username: 'admin', password: 'a-secret' },
    });
    // Without admin.* the worker's own settings apply.
    const plain = new DistributedConfig({ ...base, 'security.protocol': 'SSL', 'ssl.endpoint.identification.algorithm': '' });
    expect(securityFromConfig(plain.adminClientConfig()).protocol).toBe('SSL');
  });

  it('connects to the brokers with those settings, for finding the coordinator and for the request', async () => {
    const security = securityFromConfig({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";',
    });
    const connect = vi.spyOn(KafkaConnection, 'connect').mockRejectedValue(new Error('no broker here'));
    const admin = new GroupOffsetsAdmin('connect-sink', { bootstrap: 'k1:9093,k2:9093', clientId: 'sluice-offsets-admin', security, timeoutMs: 50 });
    await expect(admin.listOffsets()).rejects.toThrow('no broker here');
    expect(connect).toHaveBeenCalled();
    for (const [address, options] of connect.mock.calls) {
      expect(['k1', 'k2']).toContain(address.host);
      expect(options.security).toBe(security);
    }
  });
});

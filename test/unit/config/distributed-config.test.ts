/** The distributed worker config: Kafka Connect's keys, defaults and messages (DistributedConfig). */
import { describe, expect, it } from 'vitest';
import { DistributedConfig } from '../../../src/config/distributed-config.js';

const base = {
  'bootstrap.servers': 'k1:9092,k2:9092',
  'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
  'group.id': 'connect-cluster',
  'config.storage.topic': 'connect-configs',
  'offset.storage.topic': 'connect-offsets',
  'status.storage.topic': 'connect-status',
};

describe('DistributedConfig', () => {
  it("has Kafka Connect's defaults", () => {
    const c = new DistributedConfig(base);
    expect(c.groupId()).toBe('connect-cluster');
    expect([c.configTopic(), c.offsetsTopic(), c.statusTopic()]).toEqual(['connect-configs', 'connect-offsets', 'connect-status']);
    expect(c.getInt('offset.storage.partitions')).toBe(25);
    expect(c.getInt('status.storage.partitions')).toBe(5);
    for (const k of ['config', 'offset', 'status']) expect(c.getShort(`${k}.storage.replication.factor`)).toBe(3);
    expect(c.getInt('session.timeout.ms')).toBe(10000);
    expect(c.getInt('heartbeat.interval.ms')).toBe(3000);
    expect(c.getInt('rebalance.timeout.ms')).toBe(60000);
    expect(c.getInt('scheduled.rebalance.max.delay.ms')).toBe(300000);
    expect(c.getInt('worker.sync.timeout.ms')).toBe(3000);
    expect(c.getInt('worker.unsync.backoff.ms')).toBe(300000);
    expect(c.connectProtocol()).toBe('sessioned');
  });

  it('requires the group and the three topics, naming each missing key', () => {
    expect(() => new DistributedConfig({ 'key.converter': 'x', 'value.converter': 'y' })).toThrow(
      /Missing required configuration "group.id" which has no default value\.[\s\S]*"offset.storage.topic"[\s\S]*"config.storage.topic"[\s\S]*"status.storage.topic"/,
    );
  });

  it('accepts -1 (broker default) and rejects 0 for partitions and replication factors', () => {
    const c = new DistributedConfig({ ...base, 'offset.storage.partitions': '-1', 'config.storage.replication.factor': '-1' });
    expect(c.getInt('offset.storage.partitions')).toBe(-1);
    expect(() => new DistributedConfig({ ...base, 'status.storage.partitions': '0' })).toThrow(
      "Invalid value 0 for configuration status.storage.partitions: Number of partitions must be positive, or -1 to use the broker's default",
    );
    expect(() => new DistributedConfig({ ...base, 'offset.storage.replication.factor': '0' })).toThrow(
      'Invalid value 0 for configuration offset.storage.replication.factor: Replication factor must be positive',
    );
  });

  it('takes connect.protocol case-insensitively and rejects unknown modes', () => {
    expect(new DistributedConfig({ ...base, 'connect.protocol': 'EAGER' }).connectProtocol()).toBe('eager');
    expect(() => new DistributedConfig({ ...base, 'connect.protocol': 'cooperative' })).toThrow(
      'Invalid value cooperative for configuration connect.protocol: Invalid Connect protocol compatibility',
    );
  });

  it('gives the internal topics their extra settings, without the ones the stores always set', () => {
    const c = new DistributedConfig({
      ...base, 'offset.storage.segment.bytes': '1048576', 'offset.storage.cleanup.policy': 'delete', 'offset.storage.partitions': '3',
    });
    expect(c.topicSettings('offset.storage.')).toEqual({ 'segment.bytes': '1048576' });
  });

  it('configures the internal clients with the top-level client settings only', () => {
    const c = new DistributedConfig({ ...base, 'security.protocol': 'SSL', 'ssl.ca.location': '/ca.pem', 'producer.linger.ms': '5' });
    expect(c.internalClientConfig()).toEqual({ 'bootstrap.servers': 'k1:9092,k2:9092', 'security.protocol': 'SSL', 'ssl.ca.location': '/ca.pem' });
  });

  it('requires the signature algorithm among the verification algorithms', () => {
    expect(() => new DistributedConfig({ ...base, 'inter.worker.signature.algorithm': 'HmacSHA512' })).toThrow(
      'Invalid value HmacSHA512 for configuration inter.worker.signature.algorithm: Signature algorithm must be present in inter.worker.verification.algorithms list',
    );
  });
});

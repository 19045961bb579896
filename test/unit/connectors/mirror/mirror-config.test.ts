import { describe, expect, it } from 'vitest';
import {
  decodeTopicPartition, encodeTopicPartition, MirrorSourceConfig, TopicFilter, TOPICS_EXCLUDE_DEFAULT, unwrapOffset,
  wrapPartition,
} from '../../../../src/connectors/mirror/config.js';
import { DefaultReplicationPolicy, IdentityReplicationPolicy } from '../../../../src/connectors/mirror/replication-policy.js';

const base = { 'source.cluster.alias': 'east', 'source.cluster.bootstrap.servers': 'east:9092' };

describe('MirrorSourceConnector config', () => {
  it('filters topics as DefaultTopicFilter does: includes and excludes are regexes that match whole names', () => {
    const filter = new TopicFilter(['orders.*', 'payments'], TOPICS_EXCLUDE_DEFAULT.split(/\s*,\s*/));
    expect(filter.shouldReplicateTopic('orders')).toBe(true);
    expect(filter.shouldReplicateTopic('orders-eu')).toBe(true);
    expect(filter.shouldReplicateTopic('payments')).toBe(true);
    expect(filter.shouldReplicateTopic('payments2')).toBe(false); // whole-name match
    expect(filter.shouldReplicateTopic('orders.internal')).toBe(false);
    expect(filter.shouldReplicateTopic('orders-internal')).toBe(false);
    expect(filter.shouldReplicateTopic('orders.replica')).toBe(false);
    expect(new TopicFilter(['.*'], ['__.*']).shouldReplicateTopic('__consumer_offsets')).toBe(false);
  });

  it('names remote topics and recognizes MirrorMaker internal topics like the replication policies', () => {
    const policy = new MirrorSourceConfig(base).replicationPolicy();
    expect(policy.formatRemoteTopic('east', 'orders')).toBe('east.orders');
    expect(policy.topicSource('east.orders')).toBe('east');
    expect(policy.topicSource('orders')).toBeNull();
    expect(policy.isInternalTopic('heartbeats')).toBe(true);
    expect(policy.isInternalTopic('mm2-offset-syncs.west.internal')).toBe(true);
    expect(policy.isInternalTopic('east.checkpoints.internal')).toBe(true);
    expect(policy.isInternalTopic('orders')).toBe(false);
    expect(new DefaultReplicationPolicy('_').formatRemoteTopic('east', 'orders')).toBe('east_orders');
    const identity = new MirrorSourceConfig({ ...base, 'replication.policy.class': 'org.apache.kafka.connect.mirror.IdentityReplicationPolicy' }).replicationPolicy();
    expect(identity).toBeInstanceOf(IdentityReplicationPolicy);
    expect(identity.formatRemoteTopic('east', 'orders')).toBe('orders');
    expect(() => new MirrorSourceConfig({ ...base, 'replication.policy.class': 'com.example.Custom' }).replicationPolicy())
      .toThrow(/replication.policy.class/);
  });

  it('builds the source consumer from source.cluster.* with role-specific settings on top', () => {
    const config = new MirrorSourceConfig({
      ...base,
      'source.cluster.security.protocol': 'SASL_SSL',
      'source.cluster.producer.acks': '1',
      'source.cluster.consumer.fetch.min.bytes': '1000',
      'source.consumer.max.partition.fetch.bytes': '2097152',
      'target.cluster.bootstrap.servers': 'west:9092',
    });
    expect(config.sourceClientConfig('consumer')).toEqual({
      'bootstrap.servers': 'east:9092',
      'security.protocol': 'SASL_SSL',
      'fetch.min.bytes': '1000',
      'fetch.message.max.bytes': '2097152',
    });
    expect(config.targetClientConfig()).toEqual({ 'bootstrap.servers': 'west:9092' });
  });

  it('requires the source alias and bootstrap servers, naming the key', () => {
    expect(() => new MirrorSourceConfig({ 'source.cluster.bootstrap.servers': 'x:1' })).toThrow(/source.cluster.alias/);
    expect(() => new MirrorSourceConfig({ 'source.cluster.alias': 'east' })).toThrow(/source.cluster.bootstrap.servers/);
  });

  it('encodes partitions and offsets as MirrorUtils does', () => {
    expect(encodeTopicPartition('my-topic', 12)).toBe('my-topic-12');
    expect(decodeTopicPartition('my-topic-12')).toEqual({ topic: 'my-topic', partition: 12 });
    expect(() => decodeTopicPartition('nopartition')).toThrow(/task.assigned.partitions/);
    expect(wrapPartition('t', 3, 'east')).toEqual({ cluster: 'east', partition: 3, topic: 't' });
    expect(unwrapOffset({ offset: 41 })).toBe(41);
    expect(unwrapOffset(null)).toBeNull();
  });
});

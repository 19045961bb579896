import { describe, expect, it } from 'vitest';
import { explainClientError, toLibrdkafkaConfig } from '../../../src/kafka/client-config.js';

describe('toLibrdkafkaConfig', () => {
  it('renames Java client keys, drops Java-only ones and passes the rest through', () => {
    expect(
      toLibrdkafkaConfig({
        'bootstrap.servers': 'b:9092',
        'fetch.max.wait.ms': '100',
        'key.serializer': 'org.apache.kafka.common.serialization.ByteArraySerializer',
        'buffer.memory': '33554432',
        'linger.ms': '50',
      }),
    ).toEqual({ 'bootstrap.servers': 'b:9092', 'fetch.wait.max.ms': '100', 'queue.buffering.max.kbytes': 32768, 'linger.ms': '50' });
  });

  it('reads SASL credentials from sasl.jaas.config', () => {
    const cfg = toLibrdkafkaConfig({
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="alice" password="s3cret";',
    });
    expect(cfg).toEqual({ 'sasl.mechanism': 'SCRAM-SHA-256', 'sasl.username': 'alice', 'sasl.password': 's3cret' });
  });

  it('names the Connect key when librdkafka rejects a property', () => {
    const err = explainClientError(new Error('No such configuration property: "bogus.key"'), 'producer.');
    expect(err.message).toBe('Invalid client configuration producer.bogus.key: No such configuration property: "bogus.key"');
  });
});

// Smoke test of the local Kafka machinery: the broker from the global setup really serves clients,
// and the helpers round-trip messages in order and read committed offsets back.
import Kafka from 'node-rdkafka';
import { describe, expect, it } from 'vitest';
import { bootstrap, committedOffsets, consumeAll, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';

describe('local Kafka broker', () => {
  it('is shared with child processes through SLUICE_TEST_BOOTSTRAP', () => {
    expect(bootstrap()).toMatch(/^[^,\s]+:\d+(,[^,\s]+:\d+)*$/);
    expect(process.env.SLUICE_TEST_BOOTSTRAP).toBe(bootstrap());
  });

  it('round-trips 1000 messages in order', async () => {
    const topic = uniqueTopic('smoke');
    await createTopic(topic);

    const sent = Array.from({ length: 1000 }, (_, i) => ({ key: `k${i}`, value: `value-${i}` }));
    const reports = await produce(topic, sent);
    expect(reports.map((r) => r.offset)).toEqual(sent.map((_, i) => i));

    const received = await consumeAll(topic, 1000);
    expect(received.map((m) => m.offset)).toEqual(sent.map((_, i) => i));
    expect(received.map((m) => m.key?.toString())).toEqual(sent.map((m) => m.key));
    expect(received.map((m) => m.value?.toString())).toEqual(sent.map((m) => m.value));
    expect(received.every((m) => m.partition === 0)).toBe(true);
  });

  it('writes to chosen partitions and reads committed offsets by partition', async () => {
    const topic = uniqueTopic('smoke-partitioned');
    await createTopic(topic, 3);
    await produce(topic, [0, 1, 2].map((p) => ({ value: `to-${p}`, partition: p })));

    const received = await consumeAll(topic, 3);
    expect(received.map((m) => [m.partition, m.value?.toString()]).sort()).toEqual([
      [0, 'to-0'],
      [1, 'to-1'],
      [2, 'to-2'],
    ]);

    const group = uniqueTopic('smoke-group');
    expect(await committedOffsets(group, topic)).toEqual({});
    const consumer = new Kafka.KafkaConsumer({ 'metadata.broker.list': bootstrap(), 'group.id': group }, {});
    await new Promise((ok, fail) => consumer.connect({}, (err) => (err ? fail(new Error(err.message)) : ok(undefined))));
    consumer.commitSync([{ topic, partition: 1, offset: 1 }]);
    await new Promise((ok) => consumer.disconnect(ok));
    expect(await committedOffsets(group, topic)).toEqual({ 1: 1 });
  });
});

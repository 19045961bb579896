// Small node-rdkafka helpers for integration tests: topics, producing, reading back, offsets.
// Every helper opens its own short-lived clients and disconnects them, so tests stay independent.
import { randomBytes } from 'node:crypto';
// node-rdkafka is CommonJS and Node only detects some of its named exports: use the default export.
import Kafka from 'node-rdkafka';
import type { Client, LibrdKafkaError, Message, MessageHeader, Metadata, PartitionMetadata } from 'node-rdkafka';
import { inject } from 'vitest';

export interface TestMessage {
  key?: string | Buffer | null;
  value: string | Buffer | null;
  partition?: number;
  headers?: MessageHeader[];
}

export interface ConsumedMessage {
  key: Buffer | null;
  value: Buffer | null;
  partition: number;
  offset: number;
  timestamp?: number;
  headers?: MessageHeader[];
}

const OFFSET_BEGINNING = -2; // librdkafka's RD_KAFKA_OFFSET_BEGINNING
const NO_OFFSET = -1001; // RD_KAFKA_OFFSET_INVALID: the group has no committed offset there

/** The broker the integration project runs against ("host:port"). */
export function bootstrap(): string {
  return process.env.SLUICE_TEST_BOOTSTRAP ?? inject('kafkaBootstrap');
}

/** A topic name no other test (or earlier run against the same broker) uses. */
export function uniqueTopic(prefix = 'test'): string {
  const safe = prefix.replace(/[^a-zA-Z0-9._-]/g, '-');
  return `${safe}-${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
}

/** Creates a topic (broker-default replication factor) and waits until every partition has a leader. */
export async function createTopic(name: string, partitions = 1, config: Record<string, string> = {}): Promise<void> {
  const admin = Kafka.AdminClient.create({ 'metadata.broker.list': bootstrap(), 'client.id': 'sluice-test-admin' });
  try {
    await new Promise<void>((ok, fail) =>
      // -1: the broker's default.replication.factor (1 on the test broker, 3 on a test cluster).
      admin.createTopic({ topic: name, num_partitions: partitions, replication_factor: -1, config }, 30_000, (err) =>
        err ? fail(kafkaError(`create topic ${name}`, err)) : ok(),
      ),
    );
  } finally {
    admin.disconnect();
  }

  const producer = new Kafka.Producer({ 'metadata.broker.list': bootstrap() });
  await connect(producer);
  try {
    const deadline = Date.now() + 30_000;
    for (;;) {
      const found = await partitionsOf(producer, name).catch(() => []);
      if (found.length === partitions && found.every((p) => p.leader >= 0)) return;
      if (Date.now() > deadline) throw new Error(`topic ${name} has no leader for all ${partitions} partitions after 30 s`);
      await sleep(100);
    }
  } finally {
    await disconnect(producer);
  }
}

/**
 * Produces the messages (in order, `partition` or the default partitioner) and resolves with their
 * delivery reports once the broker acknowledged every one of them.
 */
export async function produce(topic: string, messages: TestMessage[]): Promise<{ partition: number; offset: number }[]> {
  const producer = new Kafka.Producer({ 'metadata.broker.list': bootstrap(), dr_cb: true, 'linger.ms': 5 });
  await connect(producer);
  try {
    const reports: { partition: number; offset: number }[] = new Array(messages.length);
    const delivered = new Promise<void>((ok, fail) => {
      let left = messages.length;
      if (left === 0) ok();
      producer.on('delivery-report', (err, report) => {
        if (err) return fail(kafkaError(`deliver to ${topic}`, err));
        reports[report.opaque as number] = { partition: report.partition, offset: report.offset };
        if (--left === 0) ok();
      });
    });
    producer.setPollInterval(10);

    for (const [i, m] of messages.entries()) {
      const value = typeof m.value === 'string' ? Buffer.from(m.value) : m.value;
      for (;;) {
        try {
          producer.produce(topic, m.partition ?? null, value, m.key ?? undefined, undefined, i, m.headers);
          break;
        } catch (err) {
          // A full local queue only means the broker is behind: let deliveries drain, then retry.
          if ((err as LibrdKafkaError).code !== Kafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err;
          await sleep(10);
        }
      }
    }
    await Promise.race([delivered, sleep(60_000).then(() => Promise.reject(new Error(`delivery to ${topic} timed out`)))]);
    return reports;
  } finally {
    await disconnect(producer);
  }
}

/**
 * Reads `topic` from the beginning of every partition (no consumer group join, so it is quick)
 * until at least `count` messages arrived; fails with what was found after `timeoutMs`.
 * Messages of one partition are in offset order.
 */
export async function consumeAll(topic: string, count: number, timeoutMs = 30_000): Promise<ConsumedMessage[]> {
  const consumer = new Kafka.KafkaConsumer(
    { 'metadata.broker.list': bootstrap(), 'group.id': uniqueTopic('sluice-test-reader'), 'enable.auto.commit': false },
    { 'auto.offset.reset': 'earliest' },
  );
  await connect(consumer);
  try {
    const partitions = await partitionsOf(consumer, topic);
    consumer.assign(partitions.map((p) => ({ topic, partition: p.id, offset: OFFSET_BEGINNING })));
    consumer.setDefaultConsumeTimeout(100);

    const received: ConsumedMessage[] = [];
    const deadline = Date.now() + timeoutMs;
    while (received.length < count) {
      if (Date.now() > deadline) throw new Error(`consumed ${received.length} of ${count} messages from ${topic} within ${timeoutMs} ms`);
      const batch = await new Promise<Message[]>((ok, fail) =>
        consumer.consume(Math.min(10_000, count - received.length), (err, msgs) => (err ? fail(kafkaError(`consume ${topic}`, err)) : ok(msgs))),
      );
      for (const m of batch) {
        received.push({
          key: typeof m.key === 'string' ? Buffer.from(m.key) : (m.key ?? null),
          value: m.value,
          partition: m.partition,
          offset: m.offset,
          timestamp: m.timestamp,
          headers: m.headers,
        });
      }
    }
    return received;
  } finally {
    await disconnect(consumer);
  }
}

/** The offsets `groupId` committed for `topic`, by partition; partitions without a commit are absent. */
export async function committedOffsets(groupId: string, topic: string): Promise<Record<number, number>> {
  // A consumer that never subscribes does not join the group, so this does not disturb it.
  const consumer = new Kafka.KafkaConsumer({ 'metadata.broker.list': bootstrap(), 'group.id': groupId, 'enable.auto.commit': false }, {});
  await connect(consumer);
  try {
    const partitions = await partitionsOf(consumer, topic);
    const offsets = await new Promise<{ partition: number; offset: number }[]>((ok, fail) =>
      consumer.committed(
        partitions.map((p) => ({ topic, partition: p.id })),
        10_000,
        (err, tps) => (err ? fail(kafkaError(`committed offsets of ${groupId}`, err)) : ok(tps)),
      ),
    );
    const result: Record<number, number> = {};
    for (const { partition, offset } of offsets) if (offset !== NO_OFFSET && offset >= 0) result[partition] = offset;
    return result;
  } finally {
    await disconnect(consumer);
  }
}

function connect<C extends Client<string>>(client: C): Promise<C> {
  return new Promise((ok, fail) =>
    client.connect({ timeout: 30_000 }, (err) => (err ? fail(kafkaError(`connect to ${bootstrap()}`, err)) : ok(client))),
  );
}

function disconnect(client: Client<string>): Promise<void> {
  return new Promise((ok) => client.disconnect(() => ok()));
}

async function partitionsOf(client: Client<string>, topic: string): Promise<PartitionMetadata[]> {
  const metadata = await new Promise<Metadata>((ok, fail) =>
    client.getMetadata({ topic, timeout: 10_000 }, (err, data) => (err ? fail(kafkaError(`metadata of ${topic}`, err)) : ok(data))),
  );
  const found = metadata.topics.find((t) => t.name === topic);
  if (!found || found.partitions.length === 0) throw new Error(`topic ${topic} does not exist`);
  return found.partitions;
}

// librdkafka errors are plain objects: turn them into Errors with a stack and a readable message.
function kafkaError(action: string, err: LibrdKafkaError | Error): Error {
  const code = 'code' in err ? ` (code ${err.code})` : '';
  return new Error(`Kafka: could not ${action}: ${err.message}${code}`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((ok) => setTimeout(ok, ms));
}

/**
 * The cluster calls MirrorSourceConnector makes: list the topics and partition counts of a
 * cluster (librdkafka metadata), and create the remote topics on the target with as many
 * partitions as their sources (MirrorSourceConnector.createNewTopics / createNewPartitions).
 */
import type { LibrdKafkaError } from '../../kafka/rdkafka.js';
import { explainClientError, type ClientConfig } from '../../kafka/client-config.js';

/**
 * node-rdkafka loaded on first use: the plugin registry (and so this module) is also loaded in
 * task threads, where node-rdkafka's addon, which is not context-aware, must never be loaded.
 */
const rdkafka = (): Promise<typeof import('../../kafka/rdkafka.js')> => import('../../kafka/rdkafka.js');

/** topic → partition count, for every topic the cluster reports. */
export async function listTopicPartitions(config: ClientConfig, origin: string, timeoutMs = 30_000): Promise<Map<string, number>> {
  const { Producer } = await rdkafka();
  let producer: InstanceType<typeof Producer>;
  try {
    producer = new Producer({ ...config, 'client.id': 'sluice-mirror-metadata' } as never, {});
  } catch (err) {
    throw explainClientError(err, origin);
  }
  try {
    await new Promise<void>((resolve, reject) =>
      producer.connect({ timeout: timeoutMs }, (err) => (err ? reject(err) : resolve())),
    );
    const metadata = await new Promise<{ topics: { name: string; partitions: unknown[] }[] }>((resolve, reject) =>
      producer.getMetadata({ timeout: timeoutMs }, (err, md) => (err ? reject(err) : resolve(md as never))),
    );
    return new Map(metadata.topics.map((t) => [t.name, t.partitions.length]));
  } finally {
    await new Promise<void>((resolve) => producer.disconnect(() => resolve()));
  }
}

export interface TopicCreation {
  created: string[];
  grown: string[];
  /** Topics that could not be created or grown, with librdkafka's reason. */
  failed: { topic: string; reason: string }[];
}

/**
 * Makes each topic exist with at least `partitions` partitions; `existing` is the target's
 * current topic → partition count.
 */
export async function ensureTopics(
  config: ClientConfig,
  wanted: ReadonlyMap<string, number>,
  existing: ReadonlyMap<string, number>,
  replicationFactor: number,
  timeoutMs = 30_000,
): Promise<TopicCreation> {
  const result: TopicCreation = { created: [], grown: [], failed: [] };
  const toCreate = [...wanted].filter(([t]) => !existing.has(t));
  const toGrow = [...wanted].filter(([t, n]) => (existing.get(t) ?? n) < n);
  if (toCreate.length === 0 && toGrow.length === 0) return result;
  const { AdminClient, CODES } = await rdkafka();
  const admin = AdminClient.create({ ...config, 'client.id': 'sluice-mirror-admin' } as never);
  try {
    for (const [topic, partitions] of toCreate) {
      const err = await new Promise<LibrdKafkaError | null | undefined>((resolve) =>
        admin.createTopic({ topic, num_partitions: partitions, replication_factor: replicationFactor }, timeoutMs, resolve),
      );
      if (!err || err.code === CODES.ERRORS.ERR_TOPIC_ALREADY_EXISTS) result.created.push(topic);
      else result.failed.push({ topic, reason: err.message });
    }
    for (const [topic, partitions] of toGrow) {
      const err = await new Promise<LibrdKafkaError | null | undefined>((resolve) =>
        admin.createPartitions(topic, partitions, timeoutMs, resolve),
      );
      if (!err) result.grown.push(topic);
      else result.failed.push({ topic, reason: err.message });
    }
  } finally {
    admin.disconnect();
  }
  return result;
}

/**
 * Source offsets in the offsets topic (Kafka Connect's KafkaOffsetBackingStore with the internal
 * JsonConverter): key `["<connector>",{<source partition>}]`, value `{<source offset>}`, a null
 * value deleting the partition's offset. The bytes are Kafka Connect's, and records are
 * partitioned as Kafka's Java producer partitions them (murmur2 of the key bytes), so a sluice
 * worker and a Kafka Connect worker read, compact and overwrite each other's offsets.
 *
 * Map entries are written in the order a java.util.HashMap would iterate them (what most Java
 * source tasks hand Kafka Connect), so a partition written by either side has the same key bytes.
 * Read back, integers become numbers (bigint beyond 2^53), as the file store gives them.
 */
import type { SourceMap } from '../../data/record.js';
import { ConfigError } from '../../api/errors.js';
import type { Logger } from '../../util/logger.js';
import type { ClientConfig } from '../../kafka/client-config.js';
import type { ConnectionSecurity } from '../../kafka/protocol/security.js';
import { MemoryOffsetStore } from '../memory-offset-store.js';
import type { OffsetEntry } from '../offset-store.js';
import { KafkaBasedLog, type LogRecord } from './kafka-based-log.js';
import { TopicAdmin } from './topic-admin.js';
import { InternalJson, asObject, javaHashMapOrder, type InternalValue } from './internal-json.js';

export const OFFSET_STORAGE_TOPIC_CONFIG = 'offset.storage.topic';

export interface KafkaOffsetStoreOptions {
  topic: string;
  /** offset.storage.partitions (-1: broker default) */
  partitions: number;
  /** offset.storage.replication.factor (-1: broker default) */
  replicationFactor: number;
  topicSettings?: Record<string, string>;
  clientConfig: ClientConfig;
  clientIdBase?: string;
  log?: Logger;
  /** How topic-admin's protocol connection is secured (from the worker's security settings). */
  security?: ConnectionSecurity;
  /** How long set() waits for its writes and their read-back (offset.flush.timeout.ms is the caller's). */
  timeoutMs?: number;
}

export class KafkaOffsetStore extends MemoryOffsetStore {
  private readonly json: InternalJson;
  private readonly kafkaLog: KafkaBasedLog | null;
  private readonly log?: Logger;

  /** With `options` null the store only applies records given to applyRecord (tests of the format). */
  constructor(private readonly options: KafkaOffsetStoreOptions | null) {
    super();
    if (options && options.topic.trim() === '') throw new ConfigError('Offset storage topic must be specified', OFFSET_STORAGE_TOPIC_CONFIG);
    this.json = new InternalJson(options?.topic ?? 'offsets');
    this.log = options?.log;
    this.kafkaLog = options
      ? new KafkaBasedLog({
          topic: options.topic,
          clientConfig: options.clientConfig,
          clientId: `${options.clientIdBase ?? 'sluice-'}offsets`,
          // librdkafka's murmur2_random is the Java producer's default partitioner for keyed records.
          producerConfig: { partitioner: 'murmur2_random' },
          onRecord: (r) => this.onRecord(r),
          initializer: async () => {
            await new TopicAdmin(options.clientConfig, options.log, options.security).createOrVerify({
              name: options.topic,
              partitions: options.partitions,
              replicationFactor: options.replicationFactor,
              configs: options.topicSettings,
              workerTopicConfig: OFFSET_STORAGE_TOPIC_CONFIG,
              purpose: 'source connector offsets',
            });
          },
        })
      : null;
  }

  override async start(): Promise<void> {
    await this.kafkaLog?.start();
  }

  /**
   * Write the offsets and resolve once Kafka acknowledged them and they were read back, so get()
   * and list() see them (and any newer write by another worker).
   */
  override async set(entries: OffsetEntry[]): Promise<void> {
    const log = this.kafkaLog;
    if (!log) {
      this.apply(entries);
      return;
    }
    if (entries.length === 0) return;
    await Promise.all(entries.map((e) => log.send(this.serializeKey(e.connector, e.partition), e.offset === null ? null : this.serializeValue(e.offset))));
    await log.readToEnd(this.options?.timeoutMs ?? 30000);
  }

  /** Read the topic to its current end: offsets written by other workers become visible. */
  async refresh(timeoutMs = 30000): Promise<void> {
    await this.kafkaLog?.readToEnd(timeoutMs);
  }

  override async stop(): Promise<void> {
    await this.kafkaLog?.stop();
  }

  serializeKey(connector: string, partition: SourceMap): Buffer {
    return this.json.writeSchemaless([connector, javaOrderedMap(partition)]);
  }

  serializeValue(offset: SourceMap): Buffer {
    return this.json.writeSchemaless(javaOrderedMap(offset));
  }

  private onRecord(record: LogRecord): void {
    this.applyRecord(record.key, record.value, `${this.kafkaLog?.topic}-${record.partition}@${record.offset}`);
  }

  /** Apply one record of the offsets topic; records that are not Connect offsets are skipped. */
  applyRecord(key: Buffer | null, value: Buffer | null, where = 'record'): void {
    let parsedKey: InternalValue;
    let parsedValue: InternalValue;
    try {
      parsedKey = this.json.read(key);
      parsedValue = this.json.read(value);
    } catch (err) {
      this.log?.warn(`Ignoring offset record ${where} that is not JSON: ${(err as Error).message}`);
      return;
    }
    // OffsetUtils.processPartitionKey: a list of the connector name and the partition map.
    if (!Array.isArray(parsedKey) || parsedKey.length !== 2 || typeof parsedKey[0] !== 'string' || !asObject(parsedKey[1] ?? null)) {
      this.log?.warn(`Ignoring offset record ${where}: its key is not ["<connector>", {<partition>}]`);
      return;
    }
    const offset = parsedValue === null ? null : asObject(parsedValue);
    if (parsedValue !== null && offset === null) {
      this.log?.warn(`Ignoring offset record ${where}: its value is not a JSON object`);
      return;
    }
    this.apply([{ connector: parsedKey[0], partition: toSourceMap(asObject(parsedKey[1]!)!), offset: offset && toSourceMap(offset) }]);
  }
}

function javaOrderedMap(map: SourceMap): Map<string, unknown> {
  return new Map(javaHashMapOrder(Object.keys(map)).map((k) => [k, map[k]]));
}

function toSourceMap(map: { [key: string]: InternalValue }): SourceMap {
  const out: SourceMap = {};
  for (const [k, v] of Object.entries(map)) {
    if (typeof v === 'bigint') out[k] = v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
    else if (v === null || typeof v !== 'object') out[k] = v;
    // Kafka Connect only allows primitive offset values; anything else is kept as its JSON text.
    else out[k] = JSON.stringify(v, (_key, x: unknown) => (typeof x === 'bigint' ? x.toString() : x));
  }
  return out;
}

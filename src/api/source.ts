/** What source task authors implement (org.apache.kafka.connect.source.SourceTask). */
import type { SourceMap, SourceRecord } from '../data/record.js';

export interface OffsetStorageReader {
  /** The last committed offset of one source partition, or null. */
  offset(partition: SourceMap): Promise<SourceMap | null>;
  offsets(partitions: SourceMap[]): Promise<Map<SourceMap, SourceMap | null>>;
}

export interface SourceTaskContext {
  readonly configs: Readonly<Record<string, string>>;
  offsetStorageReader(): OffsetStorageReader;
}

/** Where a record went, handed to commitRecord (org.apache.kafka.clients.producer.RecordMetadata). */
export interface RecordMetadata {
  topic: string;
  partition: number;
  offset: bigint;
  timestamp: number | null;
}

export abstract class SourceTask {
  protected context!: SourceTaskContext;

  initialize(context: SourceTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Record<string, string>): void | Promise<void>;
  /**
   * The next records, or null (or []) when there are none now. May wait briefly for data but
   * should return within about a second so stop() is not held up.
   */
  abstract poll(): Promise<SourceRecord[] | null> | SourceRecord[] | null;
  /** Called from another point in the event loop than poll(); must make poll() return soon. */
  abstract stop(): void | Promise<void>;

  /** Offsets up to the last acknowledged record have been committed. */
  commit(): void | Promise<void> {}

  /** One record was acknowledged by Kafka (metadata null: filtered out or tolerated failure). */
  commitRecord(_record: SourceRecord, _metadata: RecordMetadata | null): void | Promise<void> {}
}

/**
 * What a source task that reads Kafka itself (MirrorMaker's MirrorSourceTask) hands the runtime
 * instead of polling: the runtime consumes the partitions on its native consumer and produces
 * every record to `targetTopic(topic)`, same partition, key, value, headers and timestamp, with
 * `sourcePartition`/`sourceOffset` as its Connect source offset. With pass-through converters
 * (ByteArrayConverter) and no transforms, whole frames move from consumer to producer without a
 * record object; otherwise each record becomes a SourceRecord with OPTIONAL_BYTES key and value
 * and goes through the connector's transforms and converters like any other.
 */
export interface KafkaInput {
  /** librdkafka settings of the consumer (bootstrap.servers, group.id, security, ...). */
  consumerConfig: Record<string, string | number | boolean>;
  /** The partitions to read, each from `offset` (the next offset to read) or, when null, from auto.offset.reset. */
  partitions: { topic: string; partition: number; offset: number | null }[];
  /** The topic a record of `sourceTopic` is written to. */
  targetTopic(sourceTopic: string): string;
  /** The Connect source partition of a consumed topic-partition. */
  sourcePartition(topic: string, partition: number): SourceMap;
  /** The Connect source offset of a consumed record. */
  sourceOffset(offset: number): SourceMap;
}

/** A SourceTask whose records come from Kafka: the runtime calls kafkaInput() after start() and never poll(). */
export interface KafkaInputTask {
  kafkaInput(): KafkaInput | Promise<KafkaInput>;
}

export function isKafkaInputTask(task: SourceTask): task is SourceTask & KafkaInputTask {
  return typeof (task as Partial<KafkaInputTask>).kafkaInput === 'function';
}

/**
 * Where a RawSourceTask puts its records: values as the bytes the value converter would have
 * made, written straight into a batch frame.
 */
export interface RawRecordSink {
  /**
   * Adds a record with a null key, no headers, partition chosen by the producer, and the value
   * `bytes[start, end)` (copied now). Returns false, adding nothing, when the frame is full:
   * the task keeps that record for its next pollRaw().
   */
  add(topic: string, bytes: Uint8Array, start: number, end: number, timestamp: number | null): boolean;
  /** The source offset of `partition` after the records added so far (the last call per partition wins). */
  offset(partition: SourceMap, offset: SourceMap): void;
  /** Records added so far. */
  readonly count: number;
}

/**
 * A source task that can skip SourceRecord objects: pollRaw() writes what poll() would have
 * returned, as bytes, into the sink. The runtime calls it instead of poll() only when the result
 * is the same to the byte: no transforms, no commitRecord override, a key converter that writes
 * null for a null key, and a value converter that writes exactly the format `rawValueFormat`
 * names ('utf8': a STRING value's UTF-8 bytes, as StringConverter with UTF-8 writes it).
 */
export interface RawSourceTask {
  readonly rawValueFormat: 'utf8';
  /** Like poll(): adds the next records (0 when there are none now, after a short wait). */
  pollRaw(sink: RawRecordSink): Promise<number>;
}

export function isRawSourceTask(task: SourceTask): task is SourceTask & RawSourceTask {
  return typeof (task as Partial<RawSourceTask>).pollRaw === 'function';
}

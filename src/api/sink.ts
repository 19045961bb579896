/** What sink task authors implement (org.apache.kafka.connect.sink.SinkTask). */
import type { RecordBatch } from '../data/batch.js';
import type { SinkRecord } from '../data/record.js';

export interface TopicPartition {
  topic: string;
  partition: number;
}

/** Offsets to commit: "topic/partition" keys as made by topicPartitionKey(). */
export type OffsetMap = Map<string, { topic: string; partition: number; offset: bigint }>;

export function topicPartitionKey(topic: string, partition: number): string {
  return `${topic}/${partition}`;
}

export interface SinkTaskContext {
  readonly configs: Readonly<Record<string, string>>;
  /** Rewind (or skip) consumption of a partition to this offset. */
  offset(tp: TopicPartition, offset: bigint): void;
  /** Back-off before the next put() after a RetriableError. */
  timeout(ms: number): void;
  assignment(): TopicPartition[];
  pause(...partitions: TopicPartition[]): void;
  resume(...partitions: TopicPartition[]): void;
  /** Commit offsets as soon as possible instead of waiting for offset.flush.interval.ms. */
  requestCommit(): void;
}

export abstract class SinkTask {
  protected context!: SinkTaskContext;

  initialize(context: SinkTaskContext): void {
    this.context = context;
  }

  abstract version(): string;
  abstract start(props: Record<string, string>): void | Promise<void>;
  /** Records in order within each partition. The task may buffer them until flush(). */
  abstract put(records: SinkRecord[]): void | Promise<void>;

  /**
   * Batch-aware sinks implement this instead of relying on put(): they get the batch's raw key
   * and value bytes (typed views over shared memory, valid until the call returns: copy what you
   * keep) and no record is ever materialized. Only records whose `selection` bit is set count.
   * When a task has putBatch, the runtime calls it and not put().
   */
  putBatch?(batch: RecordBatch): void | Promise<void>;
  /**
   * Optional, for sinks whose put() does nothing but write each record's value as Java's
   * String.valueOf prints it, one line each (FileStreamSink). The runtime may then print the lines
   * itself, straight from the value bytes where the converter can (Converter.printJavaText), and
   * call this instead of put() with the same records: `lines` is UTF-8, `records` lines each
   * ending in '\n', valid only until the call returns or first awaits (copy what you keep).
   */
  putValueLines?(lines: Uint8Array, records: number): void | Promise<void>;
  abstract stop(): void | Promise<void>;

  /** Make everything put() so far durable. */
  flush(_offsets: OffsetMap): void | Promise<void> {}

  /** Offsets safe to commit; the default flushes and commits what it was given. */
  async preCommit(offsets: OffsetMap): Promise<OffsetMap> {
    await this.flush(offsets);
    return offsets;
  }

  open(_partitions: TopicPartition[]): void | Promise<void> {}
  close(_partitions: TopicPartition[]): void | Promise<void> {}
}

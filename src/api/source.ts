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

/**
 * The one mutable record the compiled chain (compiled-chain.ts) works on: the runtime fills it
 * from a batch frame through the task's converters, every stage changes it in place, and a
 * SinkRecord is made from it only for a record that survives the chain. One instance serves
 * every record of a batch, so a stage costs no record, no Headers copy and, for field
 * transforms on schemaless data, no Map copy.
 *
 * Ownership: a stage may change the key's or value's top-level Map in place only while this
 * record owns it (`keyOwned`/`valueOwned`): the converter made it for this record alone
 * (Converter.returnsNewValues), or an earlier stage made it. Anything handed to a plugin's own
 * apply()/test() (a stage without a kernel) may be kept by that plugin, so it stops being owned
 * and the next change copies it first. The same holds for `headers` (`headersOwned`).
 *
 * Headers may wait in the frame (deferHeaders) when converting them cannot fail: they are
 * converted when something reads them, or when the record survives, and a record the chain
 * drops on its header keys alone (HasHeaderKey reads the frame's keys) never converts them.
 */
import type { RecordBatch } from '../../data/batch.js';
import { Headers } from '../../data/headers.js';
import { SinkRecord, type TimestampType } from '../../data/record.js';
import type { Schema } from '../../data/schema.js';
import type { RecordPart } from '../util/record-part.js';
import type { LazyJsonMap } from '../../converters/json-text/lazy-map.js';

export class WorkingRecord {
  topic = '';
  kafkaPartition = 0;
  kafkaOffset = 0n;
  keySchema: Schema | null = null;
  key: unknown = null;
  valueSchema: Schema | null = null;
  value: unknown = null;
  timestamp: number | null = null;
  timestampType: TimestampType = 'NoTimestampType';
  keyOwned = false;
  valueOwned = false;
  headersOwned = false;
  /** Where the record was read from, before any stage (SinkRecord's original* fields, KIP-793). */
  originalTopic = '';
  originalKafkaPartition = 0;
  originalKafkaOffset = 0n;

  /**
   * The LazyJsonMap the value converter returned for this record, wherever stages have put it
   * since (HoistField may nest it): toSinkRecord materializes it.
   */
  lazyValue: LazyJsonMap | null = null;

  private converted: Headers = new Headers();
  private frame: RecordBatch | null = null;
  private frameIndex = -1;
  private convertHeaders: ((batch: RecordBatch, i: number) => Headers) | null = null;

  get headers(): Headers {
    if (this.frame !== null) {
      this.converted = this.convertHeaders!(this.frame, this.frameIndex);
      this.frame = null;
    }
    return this.converted;
  }

  set headers(headers: Headers) {
    this.frame = null;
    this.converted = headers;
  }

  /**
   * Leaves record `i`'s headers in `batch` until they are read; `convert` must not fail (the
   * header converter says so), since a record dropped on its keys never runs it. The headers it
   * returns are this record's own.
   */
  deferHeaders(batch: RecordBatch, i: number, convert: (batch: RecordBatch, i: number) => Headers): void {
    this.frame = batch;
    this.frameIndex = i;
    this.convertHeaders = convert;
    this.headersOwned = true;
  }

  /** The frame and index holding this record's headers while they are not converted yet, else null. */
  get headerFrame(): RecordBatch | null {
    return this.frame;
  }

  get headerFrameIndex(): number {
    return this.frameIndex;
  }

  /** Starts a record as read from Kafka (the original topic and partition are these). */
  reset(topic: string, partition: number, offset: bigint, timestamp: number | null, timestampType: TimestampType): void {
    this.frame = null;
    this.lazyValue = null;
    this.topic = this.originalTopic = topic;
    this.kafkaPartition = this.originalKafkaPartition = partition;
    this.kafkaOffset = this.originalKafkaOffset = offset;
    this.timestamp = timestamp;
    this.timestampType = timestampType;
  }

  /** How the chain's errors name this record (as describeRecord names a SinkRecord). */
  describe(): string {
    return `topic '${this.topic}', partition ${this.kafkaPartition}, offset ${this.kafkaOffset}`;
  }

  schemaOf(part: RecordPart): Schema | null {
    return part === 'key' ? this.keySchema : this.valueSchema;
  }

  valueOf(part: RecordPart): unknown {
    return part === 'key' ? this.key : this.value;
  }

  /** Replaces the key or value and its schema with something this record owns (made by the stage). */
  set(part: RecordPart, schema: Schema | null, value: unknown): void {
    if (part === 'key') {
      this.keySchema = schema;
      this.key = value;
      this.keyOwned = true;
    } else {
      this.valueSchema = schema;
      this.value = value;
      this.valueOwned = true;
    }
  }

  /**
   * `map` (the current key or value) ready to change in place: itself when this record owns it,
   * else a copy that takes its place. Changing the result equals changing `new Map(map)`.
   */
  mutableMap(part: RecordPart, map: Map<string, unknown>): Map<string, unknown> {
    if (part === 'key') {
      if (this.keyOwned) return map;
      const copy = new Map(map);
      this.key = copy;
      this.keyOwned = true;
      return copy;
    }
    if (this.valueOwned) return map;
    const copy = new Map(map);
    this.value = copy;
    this.valueOwned = true;
    return copy;
  }

  /** The headers ready to change in place (a copy-on-write duplicate when not owned). */
  mutableHeaders(): Headers {
    if (!this.headersOwned) {
      this.headers = this.headers.duplicate();
      this.headersOwned = true;
    }
    return this.headers;
  }

  /**
   * The record as a plugin's apply() or test() takes it. The plugin may keep what it is given,
   * so nothing of it is owned afterwards.
   */
  toPluginRecord(): SinkRecord {
    const record = this.toSinkRecord();
    this.keyOwned = this.valueOwned = this.headersOwned = false;
    return record;
  }

  /** Takes what a plugin's apply() returned (none of it owned: the plugin may share it). */
  takeFrom(record: SinkRecord): void {
    this.topic = record.topic;
    this.kafkaPartition = record.kafkaPartition;
    this.kafkaOffset = record.kafkaOffset;
    this.originalTopic = record.originalTopic;
    this.originalKafkaPartition = record.originalKafkaPartition;
    this.originalKafkaOffset = record.originalKafkaOffset;
    this.keySchema = record.keySchema;
    this.key = record.key;
    this.valueSchema = record.valueSchema;
    this.value = record.value;
    this.timestamp = record.timestamp;
    this.timestampType = record.timestampType;
    this.headers = record.headers;
    this.keyOwned = this.valueOwned = this.headersOwned = false;
  }

  /**
   * The SinkRecord of the current state, with the original topic, partition and offset. Headers a
   * plugin may hold are duplicated (copy on write), as each record's newRecord() would have.
   */
  toSinkRecord(): SinkRecord {
    // A value read lazily from the frame becomes an ordinary Map before anything can keep it.
    if (this.lazyValue !== null) {
      this.lazyValue.materialize();
      this.lazyValue = null;
    }
    const headers = this.headersOwned ? this.headers : this.headers.duplicate();
    return new SinkRecord(
      this.topic, this.kafkaPartition, this.keySchema, this.key, this.valueSchema, this.value, this.kafkaOffset,
      this.timestamp, this.timestampType, headers,
      this.topic === this.originalTopic && this.kafkaPartition === this.originalKafkaPartition && this.kafkaOffset === this.originalKafkaOffset
        ? undefined
        : { topic: this.originalTopic, partition: this.originalKafkaPartition, offset: this.originalKafkaOffset },
    );
  }
}

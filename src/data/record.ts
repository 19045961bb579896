/**
 * Records as plugins see them (org.apache.kafka.connect.connector.ConnectRecord, SinkRecord,
 * SourceRecord). The batch path (RecordBatch) avoids building these; they are materialized only
 * for plugins written in Kafka Connect's per-record style.
 */
import { Headers } from './headers.js';
import type { Schema } from './schema.js';

export type TimestampType = 'NoTimestampType' | 'CreateTime' | 'LogAppendTime';

/** A source partition or offset: a flat map of primitive values, as in Kafka Connect. */
export type SourceMap = Record<string, string | number | boolean | bigint | null>;

export abstract class ConnectRecord<R extends ConnectRecord<R>> {
  constructor(
    readonly topic: string,
    readonly kafkaPartition: number | null,
    readonly keySchema: Schema | null,
    readonly key: unknown,
    readonly valueSchema: Schema | null,
    readonly value: unknown,
    readonly timestamp: number | null,
    readonly headers: Headers = new Headers(),
  ) {}

  /** A copy with other routing and data (ConnectRecord.newRecord); headers are copied. */
  abstract newRecord(
    topic: string,
    kafkaPartition: number | null,
    keySchema: Schema | null,
    key: unknown,
    valueSchema: Schema | null,
    value: unknown,
    timestamp: number | null,
    headers?: Headers,
  ): R;
}

export class SinkRecord extends ConnectRecord<SinkRecord> {
  readonly originalTopic: string;
  readonly originalKafkaPartition: number;
  readonly originalKafkaOffset: bigint;

  constructor(
    topic: string,
    partition: number,
    keySchema: Schema | null,
    key: unknown,
    valueSchema: Schema | null,
    value: unknown,
    readonly kafkaOffset: bigint,
    timestamp: number | null = null,
    readonly timestampType: TimestampType = 'NoTimestampType',
    headers: Headers = new Headers(),
    original?: { topic: string; partition: number; offset: bigint },
  ) {
    super(topic, partition, keySchema, key, valueSchema, value, timestamp, headers);
    this.originalTopic = original?.topic ?? topic;
    this.originalKafkaPartition = original?.partition ?? partition;
    this.originalKafkaOffset = original?.offset ?? kafkaOffset;
  }

  /** Always set for a record read from Kafka. */
  declare readonly kafkaPartition: number;

  newRecord(
    topic: string,
    kafkaPartition: number | null,
    keySchema: Schema | null,
    key: unknown,
    valueSchema: Schema | null,
    value: unknown,
    timestamp: number | null,
    headers: Headers = this.headers.duplicate(),
  ): SinkRecord {
    return new SinkRecord(
      topic, kafkaPartition ?? this.kafkaPartition, keySchema, key, valueSchema, value,
      this.kafkaOffset, timestamp, this.timestampType, headers,
      { topic: this.originalTopic, partition: this.originalKafkaPartition, offset: this.originalKafkaOffset },
    );
  }
}

export class SourceRecord extends ConnectRecord<SourceRecord> {
  constructor(
    readonly sourcePartition: SourceMap | null,
    readonly sourceOffset: SourceMap | null,
    topic: string,
    kafkaPartition: number | null,
    keySchema: Schema | null,
    key: unknown,
    valueSchema: Schema | null,
    value: unknown,
    timestamp: number | null = null,
    headers: Headers = new Headers(),
  ) {
    super(topic, kafkaPartition, keySchema, key, valueSchema, value, timestamp, headers);
  }

  newRecord(
    topic: string,
    kafkaPartition: number | null,
    keySchema: Schema | null,
    key: unknown,
    valueSchema: Schema | null,
    value: unknown,
    timestamp: number | null,
    headers: Headers = this.headers.duplicate(),
  ): SourceRecord {
    return new SourceRecord(
      this.sourcePartition, this.sourceOffset, topic, kafkaPartition, keySchema, key, valueSchema, value,
      timestamp, headers,
    );
  }
}

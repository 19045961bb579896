/**
 * The Key and Value variants of a transform (Kafka's nested `X$Key` and `X$Value` classes): which
 * half of the record it reads and how it builds the result. Topic, partition, timestamp and the
 * other half are kept; headers are copied, as ConnectRecord.newRecord does.
 */
import type { ConnectRecord } from '../../data/record.js';
import type { Schema } from '../../data/schema.js';

export type RecordPart = 'key' | 'value';

export function operatingSchema<R extends ConnectRecord<R>>(record: R, part: RecordPart): Schema | null {
  return part === 'key' ? record.keySchema : record.valueSchema;
}

export function operatingValue<R extends ConnectRecord<R>>(record: R, part: RecordPart): unknown {
  return part === 'key' ? record.key : record.value;
}

/** The record with its key (or value) and that schema replaced. */
export function newRecordWith<R extends ConnectRecord<R>>(record: R, part: RecordPart, schema: Schema | null, value: unknown): R {
  return part === 'key'
    ? record.newRecord(record.topic, record.kafkaPartition, schema, value, record.valueSchema, record.value, record.timestamp)
    : record.newRecord(record.topic, record.kafkaPartition, record.keySchema, record.key, schema, value, record.timestamp);
}

/** `org.apache.kafka.connect.transforms.Cast` + `$Key` / `$Value`. */
export function variantClassName(baseClassName: string, part: RecordPart): string {
  return `${baseClassName}$${part === 'key' ? 'Key' : 'Value'}`;
}

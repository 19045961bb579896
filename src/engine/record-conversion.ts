/**
 * Between Kafka record bytes and Connect records, through the task's converters: sink records
 * from raw bytes (errors name topic, partition and offset), and a source record's headers to the
 * batch frame's header entries.
 */
import type { HeaderConverter } from '../api/converter.js';
import type { BatchHeaderEntry } from '../data/batch-writer.js';
import { SinkRecord, type ConnectRecord, type TimestampType } from '../data/record.js';
import { Headers } from '../data/headers.js';
import { DataError } from '../api/errors.js';
import type { TaskConverters } from './task-converters.js';

/** A record as Kafka delivered it, before conversion. */
export interface RawSinkRecord {
  topic: string;
  partition: number;
  offset: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: Iterable<readonly [string, Uint8Array | null]>;
  timestamp: number | null;
  timestampType: TimestampType;
}

/** Converts key, value and headers through the task's converters; errors name topic, partition and offset. */
export function convertSinkRecord(raw: RawSinkRecord, converters: TaskConverters): SinkRecord {
  const { topic, partition, offset } = raw;
  try {
    const key = converters.key.toConnectData(topic, null, raw.key);
    const value = converters.value.toConnectData(topic, null, raw.value);
    const headers = new Headers();
    for (const [name, bytes] of raw.headers) {
      const sv = converters.header.toConnectHeader(topic, name, bytes);
      headers.add(name, sv.value, sv.schema);
    }
    return new SinkRecord(
      topic, partition, key.schema, key.value, value.schema, value.value, BigInt(offset),
      raw.timestamp, raw.timestampType, headers,
    );
  } catch (err) {
    throw conversionError(topic, partition, offset, err);
  }
}

/** The error for a record whose key, value or headers a converter could not read. */
export function conversionError(topic: string, partition: number, offset: number, err: unknown): DataError {
  return new DataError(`Failed to convert the record at ${topic}-${partition} offset ${offset}: ${(err as Error).message}`, { cause: err });
}

/** A record's headers as batch-frame entries, each through the header converter; null when it has none. */
export function toBatchHeaders<R extends ConnectRecord<R>>(record: R, converter: HeaderConverter): BatchHeaderEntry[] | null {
  if (record.headers.size === 0) return null;
  const out: BatchHeaderEntry[] = [];
  for (const h of record.headers) out.push([h.key, converter.fromConnectHeader(record.topic, h.key, h.schema, h.value)]);
  return out;
}

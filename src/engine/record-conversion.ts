/**
 * From a Kafka record's bytes to a SinkRecord, through the task's converters. Errors name the
 * record's topic, partition and offset.
 */
import { SinkRecord, type TimestampType } from '../data/record.js';
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
    throw new DataError(
      `Failed to convert the record at ${topic}-${partition} offset ${offset}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

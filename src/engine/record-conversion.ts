/**
 * Between Kafka messages (node-rdkafka's shape) and Connect records, through the task's
 * converters. Errors name the record's topic, partition and offset.
 */
import { SinkRecord, type ConnectRecord, type TimestampType } from '../data/record.js';
import { Headers } from '../data/headers.js';
import type { HeaderConverter } from '../api/converter.js';
import { DataError } from '../api/errors.js';
import type { Message, MessageHeader } from '../kafka/rdkafka.js';
import type { TaskConverters } from './task-converters.js';

export function toKafkaHeaders<R extends ConnectRecord<R>>(record: R, converter: HeaderConverter): MessageHeader[] | undefined {
  if (record.headers.size === 0) return undefined;
  const out: MessageHeader[] = [];
  for (const h of record.headers) {
    const bytes = converter.fromConnectHeader(record.topic, h.key, h.schema, h.value);
    out.push({ [h.key]: bytes ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength) : (null as unknown as Buffer) });
  }
  return out;
}

/** A record as Kafka delivered it, before conversion; both consume paths build one. */
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

/** node-rdkafka's message shape (the classic, main-thread consume path). */
export function toSinkRecord(message: Message, converters: TaskConverters): SinkRecord {
  const headers: [string, Uint8Array | null][] = [];
  for (const header of message.headers ?? []) {
    for (const [name, raw] of Object.entries(header)) headers.push([name, raw == null ? null : asBytes(raw)]);
  }
  return convertSinkRecord(
    {
      topic: message.topic,
      partition: message.partition,
      offset: message.offset,
      key: message.key == null ? null : asBytes(message.key),
      value: message.value,
      headers,
      timestamp: message.timestamp ?? null,
      timestampType: message.timestamp != null ? 'CreateTime' : 'NoTimestampType',
    },
    converters,
  );
}

function asBytes(v: Buffer | string): Uint8Array {
  return typeof v === 'string' ? Buffer.from(v) : v;
}

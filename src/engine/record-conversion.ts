/**
 * Between Kafka messages (node-rdkafka's shape) and Connect records, through the task's
 * converters. Errors name the record's topic, partition and offset.
 */
import { SinkRecord, type ConnectRecord } from '../data/record.js';
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

export function toSinkRecord(message: Message, converters: TaskConverters): SinkRecord {
  const { topic, partition, offset } = message;
  try {
    const key = converters.key.toConnectData(topic, null, message.key == null ? null : asBytes(message.key));
    const value = converters.value.toConnectData(topic, null, message.value);
    const headers = new Headers();
    if (message.headers) {
      for (const header of message.headers) {
        for (const [name, raw] of Object.entries(header)) {
          const sv = converters.header.toConnectHeader(topic, name, raw == null ? null : asBytes(raw));
          headers.add(name, sv.value, sv.schema);
        }
      }
    }
    return new SinkRecord(
      topic, partition, key.schema, key.value, value.schema, value.value, BigInt(offset),
      message.timestamp ?? null, message.timestamp != null ? 'CreateTime' : 'NoTimestampType', headers,
    );
  } catch (err) {
    throw new DataError(
      `Failed to convert the record at ${topic}-${partition} offset ${offset}: ${(err as Error).message}`,
      { cause: err },
    );
  }
}

function asBytes(v: Buffer | string): Uint8Array {
  return typeof v === 'string' ? Buffer.from(v) : v;
}

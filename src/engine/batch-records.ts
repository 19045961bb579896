/**
 * SinkRecords for plugins written in Kafka Connect's per-record style, built from a batch frame
 * through the task's converters. Key and value bytes are handed to converters as views over the
 * frame: a converter that keeps bytes (ByteArrayConverter) gets a copy, since the frame is reused.
 */
import { DataError } from '../api/errors.js';
import type { RecordBatch } from '../data/batch.js';
import { Headers } from '../data/headers.js';
import { SinkRecord, type TimestampType } from '../data/record.js';
import type { TaskConverters } from './task-converters.js';

const TIMESTAMP_TYPES: readonly TimestampType[] = ['NoTimestampType', 'CreateTime', 'LogAppendTime'];

export function sinkRecordsOf(batch: RecordBatch, converters: TaskConverters): SinkRecord[] {
  const out: SinkRecord[] = [];
  for (let i = batch.nextSelected(0); i >= 0 && i < batch.count; i = batch.nextSelected(i + 1)) {
    out.push(sinkRecordAt(batch, i, converters));
  }
  return out;
}

function sinkRecordAt(batch: RecordBatch, i: number, converters: TaskConverters): SinkRecord {
  const topic = batch.topic(i);
  const partition = batch.partition(i);
  const offset = batch.offset(i);
  try {
    const keyView = batch.keyView(i);
    const valueView = batch.valueView(i);
    const key = converters.key.toConnectData(topic, null, keyView && keyView.slice());
    const value = converters.value.toConnectData(topic, null, valueView && valueView.slice());
    const headers = new Headers();
    if (batch.headerCount(i) > 0) {
      const cursor = batch.headers(i);
      while (cursor.next()) {
        const name = cursor.key();
        const raw = cursor.valueView();
        const sv = converters.header.toConnectHeader(topic, name, raw && raw.slice());
        headers.add(name, sv.value, sv.schema);
      }
    }
    const ts = batch.timestamp(i);
    const tsType = TIMESTAMP_TYPES[batch.timestampType(i)] ?? 'NoTimestampType';
    return new SinkRecord(
      topic, partition, key.schema, key.value, value.schema, value.value, BigInt(offset),
      tsType === 'NoTimestampType' || ts < 0 ? null : ts, tsType, headers,
    );
  } catch (err) {
    throw new DataError(`Failed to convert the record at ${topic}-${partition} offset ${offset}: ${(err as Error).message}`, {
      cause: err,
    });
  }
}

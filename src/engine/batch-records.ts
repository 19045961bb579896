/**
 * SinkRecords for plugins written in Kafka Connect's per-record style, built from a batch frame
 * through the task's converters. Key and value bytes are handed to converters as views over the
 * frame: a converter that keeps bytes (ByteArrayConverter, and any plugin converter that does not
 * say otherwise through `keepsInputBytes`) gets a copy, since the frame is reused.
 */
import type { RecordBatch } from '../data/batch.js';
import type { SinkRecord, TimestampType } from '../data/record.js';
import { convertSinkRecord } from './record-conversion.js';
import type { TaskConverters } from './task-converters.js';

const TIMESTAMP_TYPES: readonly TimestampType[] = ['NoTimestampType', 'CreateTime', 'LogAppendTime'];

/** The selected records of [from, to) (the whole batch by default) as SinkRecords. */
export function sinkRecordsOf(batch: RecordBatch, converters: TaskConverters, from = 0, to = batch.count): SinkRecord[] {
  const out: SinkRecord[] = [];
  for (let i = batch.nextSelected(from); i >= 0 && i < to; i = batch.nextSelected(i + 1)) {
    out.push(sinkRecordAt(batch, i, converters));
  }
  return out;
}

function sinkRecordAt(batch: RecordBatch, i: number, converters: TaskConverters): SinkRecord {
  const headers: [string, Uint8Array | null][] = [];
  if (batch.headerCount(i) > 0) {
    const cursor = batch.headers(i);
    while (cursor.next()) {
      const raw = cursor.valueView();
      headers.push([cursor.key(), raw && raw.slice()]);
    }
  }
  const keyView = batch.keyView(i);
  const valueView = batch.valueView(i);
  const copyKey = converters.key.keepsInputBytes !== false;
  const copyValue = converters.value.keepsInputBytes !== false;
  const ts = batch.timestamp(i);
  const timestampType = TIMESTAMP_TYPES[batch.timestampType(i)] ?? 'NoTimestampType';
  return convertSinkRecord(
    {
      topic: batch.topic(i),
      partition: batch.partition(i),
      offset: batch.offset(i),
      key: keyView && (copyKey ? keyView.slice() : keyView),
      value: valueView && (copyValue ? valueView.slice() : valueView),
      headers,
      timestamp: timestampType === 'NoTimestampType' || ts < 0 ? null : ts,
      timestampType,
    },
    converters,
  );
}

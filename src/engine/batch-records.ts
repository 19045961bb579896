/**
 * SinkRecords for plugins written in Kafka Connect's per-record style, built from a batch frame
 * through the task's converters, and optionally through the connector's compiled transformation
 * chain. Key and value bytes are handed to converters as views over the frame: a converter that
 * keeps bytes (ByteArrayConverter, and any plugin converter that does not say otherwise through
 * `keepsInputBytes`) gets a copy, since the frame is reused.
 *
 * Every record is converted as Kafka Connect's WorkerSinkTask converts it (key, value, then
 * headers), before any transformation, so a record a Filter drops still fails on bytes its
 * converters cannot read, as it does in Kafka Connect.
 */
import type { Converter, HeaderConverter } from '../api/converter.js';
import type { Schema } from '../data/schema.js';
import type { RecordBatch } from '../data/batch.js';
import { Headers } from '../data/headers.js';
import type { SinkRecord, TimestampType } from '../data/record.js';
import type { CompiledChain } from '../transforms/batch/compiled-chain.js';
import { WorkingRecord } from '../transforms/batch/working-record.js';
import { conversionError } from './record-conversion.js';
import type { TaskConverters } from './task-converters.js';

const TIMESTAMP_TYPES: readonly TimestampType[] = ['NoTimestampType', 'CreateTime', 'LogAppendTime'];

/** Task threads run one record at a time, so one working record serves every call. */
const scratch = new WorkingRecord();

/** The selected records of [from, to) (the whole batch by default) as SinkRecords. */
export function sinkRecordsOf(batch: RecordBatch, converters: TaskConverters, from = 0, to = batch.count): SinkRecord[] {
  const out: SinkRecord[] = [];
  const selection = batch.selection;
  for (let i = from; i < to; i++) {
    if (selection[i] === 0) continue;
    convertRecord(batch, i, converters, scratch);
    out.push(scratch.toSinkRecord());
  }
  return out;
}

/**
 * The selected records of [from, to) after `chain`, as SinkRecords: each is converted, runs
 * through every stage in place, and becomes a SinkRecord only if no stage dropped it; a dropped
 * record has its selection bit cleared.
 * @throws DataError when a converter fails, TransformationError when a stage does.
 */
export function transformedSinkRecordsOf(
  batch: RecordBatch, converters: TaskConverters, chain: CompiledChain, from = 0, to = batch.count,
): SinkRecord[] {
  const out: SinkRecord[] = [];
  const w = scratch;
  const header = converters.header;
  const deferredHeaders = header.neverFails === true ? (b: RecordBatch, j: number) => convertHeaders(b, j, header) : null;
  const selection = batch.selection;
  for (let i = from; i < to; i++) {
    if (selection[i] === 0) continue;
    convertRecord(batch, i, converters, w, deferredHeaders);
    if (chain.run(w)) out.push(w.toSinkRecord());
    else selection[i] = 0;
  }
  return out;
}

/**
 * Record i of the frame into `w`, through the converters; conversion errors name topic, partition
 * and offset. With `deferredHeaders` (only for a header converter that cannot fail), headers wait
 * in the frame until something reads them: converting them has no other effect than the result.
 */
export function convertRecord(
  batch: RecordBatch, i: number, converters: TaskConverters, w: WorkingRecord,
  deferredHeaders: ((batch: RecordBatch, i: number) => Headers) | null = null,
  readValue: ValueReader | null = null,
): void {
  startRecord(batch, i, w);
  const topic = w.topic;
  const partition = w.kafkaPartition;
  const offset = batch.offset(i);
  const keyView = batch.keyView(i);
  const valueView = batch.valueView(i);
  const { key: keyConverter, value: valueConverter, header: headerConverter } = converters;
  try {
    const key = keyConverter.toConnectData(topic, null, converterInput(keyConverter, keyView));
    const value = readValue !== null ? readValue(topic, valueView) : valueConverter.toConnectData(topic, null, converterInput(valueConverter, valueView));
    if (deferredHeaders !== null && batch.headerLengths[i]! > 0) {
      w.deferHeaders(batch, i, deferredHeaders);
    } else {
      w.headers = convertHeaders(batch, i, headerConverter);
    }
    w.keySchema = key.schema;
    w.key = key.value;
    w.valueSchema = value.schema;
    w.value = value.value;
    w.keyOwned = keyConverter.returnsNewValues === true;
    w.valueOwned = valueConverter.returnsNewValues === true;
    w.headersOwned = true;
  } catch (err) {
    throw conversionError(topic, partition, offset, err);
  }
}

/** Starts `w` as record i of the frame: topic, partition, offset and timestamp, nothing converted. */
export function startRecord(batch: RecordBatch, i: number, w: WorkingRecord): void {
  const ts = batch.timestamp(i);
  const timestampType = TIMESTAMP_TYPES[batch.timestampType(i)] ?? 'NoTimestampType';
  w.reset(batch.topic(i), batch.partition(i), BigInt(batch.offset(i)), timestampType === 'NoTimestampType' || ts < 0 ? null : ts, timestampType);
}

/** What a converter is given of a frame's bytes: a copy when it may keep them (the frame is reused), else the view. */
export function converterInput(converter: Converter, view: Uint8Array | null): Uint8Array | null {
  return view && (converter.keepsInputBytes !== false ? view.slice() : view);
}

/**
 * Reads a value for convertRecord in place of toConnectData: it is given the frame's bytes and
 * may keep them only until the frame is released (value-lines.ts).
 */
export type ValueReader = (topic: string, bytes: Uint8Array | null) => { schema: Schema | null; value: unknown };

export function convertHeaders(batch: RecordBatch, i: number, converter: HeaderConverter): Headers {
  const headers = new Headers();
  if (batch.headerCount(i) > 0) {
    const topic = batch.topic(i);
    const cursor = batch.headers(i);
    while (cursor.next()) {
      const raw = cursor.valueView();
      const name = cursor.key();
      const sv = converter.toConnectHeader(topic, name, raw && raw.slice());
      headers.add(name, sv.value, sv.schema);
    }
  }
  return headers;
}

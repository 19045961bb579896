/**
 * The lines a printing sink (SinkTask.putValueLines, FileStreamSink) writes for a slice of a
 * batch frame, made by the runtime: each selected record's value as Java's String.valueOf prints
 * it, then '\n', UTF-8, in one buffer.
 *
 * Without transformations each value prints straight from its bytes where the value converter
 * can (Converter.printJavaText: schemaless JSON, UTF-8 strings): no record, no value, no string.
 * With transformations, a schemaless JSON value is read as a LazyJsonMap, so the chain decodes
 * only the fields it touches and the rest prints from the bytes. Anything else goes the usual way
 * (convert, transform, javaToString), record by record.
 *
 * Conversion is checked as Kafka Connect's WorkerSinkTask does it, key then value then headers,
 * so bad bytes fail the task with the same error (naming topic, partition and offset) whichever
 * way a record goes: a key or header converter that cannot fail (Converter.neverFails) is skipped
 * when nothing reads its result.
 */
import type { Converter } from '../api/converter.js';
import type { RecordBatch } from '../data/batch.js';
import type { Headers } from '../data/headers.js';
import { javaToString } from '../data/java-string.js';
import { utf8Write } from '../data/utf8-write.js';
import { LazyJsonMap, READ_LAZILY } from '../converters/json-text/lazy-map.js';
import type { CompiledChain } from '../transforms/batch/compiled-chain.js';
import { WorkingRecord } from '../transforms/batch/working-record.js';
import { converterInput, convertHeaders, convertRecord, type ValueReader } from './batch-records.js';
import { conversionError } from './record-conversion.js';
import type { TaskConverters } from './task-converters.js';

const INITIAL_BYTES = 1 << 20;


export class ValueLinePrinter {
  private out = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;
  private readonly w = new WorkingRecord();
  private readonly printFromBytes: ((bytes: Uint8Array, out: Uint8Array, pos: number) => number) | null;
  private readonly readLazily: ValueReader | null;
  /** Headers wait in the frame until read when converting them cannot fail (as transformedSinkRecordsOf does). */
  private readonly deferredHeaders: ((batch: RecordBatch, i: number) => Headers) | null;

  constructor(private readonly converters: TaskConverters, private readonly chain: CompiledChain) {
    const value = converters.value as Converter & { [READ_LAZILY]?: ValueReader };
    this.printFromBytes = typeof value.printJavaText === 'function' ? value.printJavaText.bind(value) : null;
    const lazy = value[READ_LAZILY];
    this.readLazily = typeof lazy === 'function' ? lazy.bind(value) : null;
    const header = converters.header;
    this.deferredHeaders = header.neverFails === true ? (b, j) => convertHeaders(b, j, header) : null;
  }

  /**
   * The lines of the selected records of [from, to) after the chain (records it drops get their
   * selection bit cleared and no line); valid until the next call.
   * @throws DataError when a converter fails, TransformationError when a stage does.
   */
  print(batch: RecordBatch, from: number, to: number): { lines: Uint8Array; records: number } {
    this.used = 0;
    let records = 0;
    const selection = batch.selection;
    for (let i = from; i < to; i++) {
      if (selection[i] === 0) continue;
      const kept = this.chain.isEmpty ? this.printUntransformed(batch, i) : this.printTransformed(batch, i);
      if (!kept) {
        selection[i] = 0;
        continue;
      }
      this.reserve(1);
      this.out[this.used++] = 0x0a;
      records++;
    }
    return { lines: this.out.subarray(0, this.used), records };
  }

  private printUntransformed(batch: RecordBatch, i: number): boolean {
    const value = batch.valueView(i);
    const print = this.printFromBytes;
    if (value === null || print === null) return this.printTransformed(batch, i);
    const { key: keyConverter, header: headerConverter } = this.converters;
    // Headers a converter may fail on: the whole record the usual way (key, value, headers).
    if (batch.headerCount(i) > 0 && headerConverter.neverFails !== true) return this.printTransformed(batch, i);
    if (keyConverter.neverFails !== true && batch.keyLengths[i]! >= 0) {
      // The key is converted for its errors only: nothing prints it.
      const topic = batch.topic(i);
      try {
        keyConverter.toConnectData(topic, null, converterInput(keyConverter, batch.keyView(i)));
      } catch (err) {
        throw conversionError(topic, batch.partition(i), batch.offset(i), err);
      }
    }
    this.reserve(2 * value.length + 64);
    const end = print(value, this.out, this.used);
    if (end < 0) return this.printTransformed(batch, i);
    this.used = end;
    return true;
  }

  /** Through the converters (and the chain, if any), then printed: false when the chain drops it. */
  private printTransformed(batch: RecordBatch, i: number): boolean {
    const w = this.w;
    convertRecord(batch, i, this.converters, w, this.deferredHeaders, this.readLazily);
    if (w.value instanceof LazyJsonMap) w.lazyValue = w.value;
    if (!this.chain.isEmpty && !this.chain.run(w)) return false;
    const value = w.value;
    if (value instanceof LazyJsonMap && value.isLazy) {
      this.reserve(64);
      let end = value.printJavaText(this.out, this.used);
      if (end < 0) {
        this.reserve(this.out.length);
        end = value.printJavaText(this.out, this.used);
      }
      if (end >= 0) {
        this.used = end;
        return true;
      }
    }
    // A LazyJsonMap nested in another value (HoistField) prints through its Map methods; nothing
    // keeps it past this record, so it needs no materializing.
    const text = javaToString(value, w.valueSchema);
    this.reserve(3 * text.length);
    this.used += utf8Write.call(this.out, text, this.used, this.out.length - this.used);
    return true;
  }

  private reserve(bytes: number): void {
    if (this.used + bytes <= this.out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(this.out.length * 2, this.used + bytes));
    this.out.copy(grown, 0, 0, this.used);
    this.out = grown;
  }
}

/**
 * The lines a printing sink (SinkTask.putValueLines, FileStreamSink) writes for a slice of a
 * batch frame, made by the runtime: each selected record's value as Java's String.valueOf prints
 * it, then '\n', UTF-8, in one buffer.
 *
 * Without transformations each value prints straight from its bytes where the value converter
 * can (Converter.printJavaText: schemaless JSON, UTF-8 strings): no record, no value, no string.
 * With transformations that all say what they do to named fields of a schemaless value (field
 * steps: InsertField, ReplaceField without renames, MaskField, TimestampConverter on a field,
 * Filter, under predicates on topic or header keys), a schemaless JSON object runs through them
 * as ScannedFields: the members the steps name are bound once, read and changed by slot, and
 * everything else is copied from the bytes; no Map, no record. With other transformations, the
 * value is read as a LazyJsonMap, so the chain decodes only the fields it touches and the rest
 * prints from the bytes. Anything else goes the usual way (convert, transform, javaToString),
 * record by record; so does any record a field step throws on, which then fails as it would.
 *
 * With the native addon, schemaless JSON prints in two passes per slice: the values are scanned
 * in one native call (FrameScan), each record runs through converters and transforms and leaves
 * a script of what its line holds (LineScript: members to copy from the frame, text printed here),
 * and one native call prints the slice. Lines are the same either way.
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
import { SCHEMALESS_JSON_FIELDS, ScannedFields } from '../converters/json-text/scanned-fields.js';
import { FrameScan } from '../converters/json-text/frame-scan.js';
import { LineScript } from '../converters/json-text/line-script.js';
import { CELLS, MemberTable } from '../converters/json-text/scan.js';
import type { DecodeSpan } from '../converters/json-text/lazy-map.js';
import type { CompiledChain, FieldPlanStage } from '../transforms/batch/compiled-chain.js';
import { WorkingRecord } from '../transforms/batch/working-record.js';
import { converterInput, convertHeaders, convertRecord, startRecord, type ValueReader } from './batch-records.js';
import { conversionError } from './record-conversion.js';
import type { TaskConverters } from './task-converters.js';

const INITIAL_BYTES = 1 << 20;

/** What running a field plan on a record came to. */
const KEPT = 0;
const DROPPED = 1;
const FALLBACK = 2;
type PlanOutcome = typeof KEPT | typeof DROPPED | typeof FALLBACK;


export class ValueLinePrinter {
  /** The lines (one pass), or the scratch the first of two passes prints its text into. */
  private out = Buffer.allocUnsafe(INITIAL_BYTES);
  private used = 0;
  private readonly w = new WorkingRecord();
  private readonly printFromBytes: ((bytes: Uint8Array, out: Uint8Array, pos: number) => number) | null;
  private readonly readLazily: ValueReader | null;
  /** Headers wait in the frame until read when converting them cannot fail (as transformedSinkRecordsOf does). */
  private readonly deferredHeaders: ((batch: RecordBatch, i: number) => Headers) | null;
  /** The chain as field steps over a schemaless JSON value's scanned fields, when it can run so. */
  private readonly fieldPlan: readonly FieldPlanStage[] | null = null;
  private readonly fields: ScannedFields | null = null;
  private readonly planReadsRecord: boolean = false;
  /**
   * Two passes (schemaless JSON, no chain or a field plan, the addon loaded): the slice's scan,
   * the view of one record's members into it, the script, and the lines the second pass prints.
   */
  private readonly frameScan: FrameScan | null = null;
  private readonly frameTable = new MemberTable();
  private readonly script: LineScript | null = null;
  private readonly lines = { buffer: Buffer.allocUnsafe(INITIAL_BYTES) as Uint8Array };

  /**
   * `options.native` false keeps to one pass in JavaScript even where the addon could print: what
   * runs without the addon, so that tests cover it where the addon is loaded.
   */
  constructor(private readonly converters: TaskConverters, private readonly chain: CompiledChain, options: { native?: boolean } = {}) {
    const value = converters.value as Converter & { [READ_LAZILY]?: ValueReader };
    this.printFromBytes = typeof value.printJavaText === 'function' ? value.printJavaText.bind(value) : null;
    const lazy = value[READ_LAZILY];
    this.readLazily = typeof lazy === 'function' ? lazy.bind(value) : null;
    const header = converters.header;
    this.deferredHeaders = header.neverFails === true ? (b, j) => convertHeaders(b, j, header) : null;
    const decodeField = (value as Converter & { [SCHEMALESS_JSON_FIELDS]?: () => DecodeSpan | null })[SCHEMALESS_JSON_FIELDS]?.call(value) ?? null;
    let plan = decodeField === null ? null : chain.fieldPlan();
    const names = new Set(plan?.flatMap((stage) => stage.step.names));
    if (names.size > ScannedFields.MAX_FIELDS) plan = null;
    if (plan !== null) {
      this.fieldPlan = plan;
      this.fields = new ScannedFields(names, decodeField!);
      this.planReadsRecord = plan.some((stage) => stage.step.readsRecord);
    }
    if (options.native !== false && decodeField !== null && (plan !== null || chain.isEmpty)) {
      const frameScan = new FrameScan();
      const script = new LineScript();
      if (frameScan.available && script.available) {
        this.frameScan = frameScan;
        this.script = script;
      }
    }
  }

  /**
   * The lines of the selected records of [from, to) after the chain (records it drops get their
   * selection bit cleared and no line); valid until the next call.
   * @throws DataError when a converter fails, TransformationError when a stage does.
   */
  print(batch: RecordBatch, from: number, to: number): { lines: Uint8Array; records: number } {
    if (this.script !== null && this.frameScan!.scan(batch, from, to)) return this.printInTwoPasses(batch, from, to);
    this.used = 0;
    let records = 0;
    const selection = batch.selection;
    for (let i = from; i < to; i++) {
      if (selection[i] === 0) continue;
      const kept = this.chain.isEmpty
        ? this.printUntransformed(batch, i)
        : this.fields !== null ? this.printFields(batch, i, this.fields) : this.printTransformed(batch, i);
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

  /**
   * First pass: each record's line as a script (scriptOf), text printed here going to the
   * scratch (`out`); second pass: the script printed natively into `lines`.
   */
  private printInTwoPasses(batch: RecordBatch, from: number, to: number): { lines: Uint8Array; records: number } {
    const script = this.script!;
    script.clear();
    this.used = 0;
    let records = 0;
    const selection = batch.selection;
    for (let i = from; i < to; i++) {
      if (selection[i] === 0) continue;
      if (!this.scriptOf(batch, i, script)) {
        selection[i] = 0;
        continue;
      }
      records++;
    }
    const frameScan = this.frameScan!;
    const end = script.render(frameScan.payload, frameScan.cells, this.out, this.lines, 0);
    return { lines: this.lines.buffer.subarray(0, end), records };
  }

  /** Record i's line into the script: false when the chain drops it. */
  private scriptOf(batch: RecordBatch, i: number, script: LineScript): boolean {
    const fields = this.fields;
    const oneLine = (): boolean => {
      const start = this.used;
      const kept = this.chain.isEmpty ? this.printUntransformed(batch, i) : this.printTransformed(batch, i);
      if (kept) script.line(start, this.used);
      return kept;
    };
    if (batch.valueLengths[i]! < 0 || (batch.headerCount(i) > 0 && this.converters.header.neverFails !== true)) return oneLine();
    if (!this.frameScan!.tableOf(i, this.frameTable)) return oneLine();
    if (this.chain.isEmpty) {
      this.checkKey(batch, i);
      const table = this.frameTable;
      script.recordStart();
      for (let m = 0, c = table.base; m < table.count; m++, c += CELLS) script.member(c);
      script.recordEnd();
      return true;
    }
    if (fields === null) return oneLine();
    fields.bind(this.frameScan!.payload, this.frameTable);
    const outcome = this.runPlan(batch, i, fields);
    if (outcome !== KEPT) return outcome === DROPPED ? false : oneLine();
    const mark = script.length;
    let end = fields.scriptLine(script, this.out, this.used);
    while (end < 0) {
      script.length = mark;
      this.reserve(this.out.length);
      end = fields.scriptLine(script, this.out, this.used);
    }
    this.used = end;
    return true;
  }

  private printUntransformed(batch: RecordBatch, i: number): boolean {
    const value = batch.valueView(i);
    const print = this.printFromBytes;
    if (value === null || print === null) return this.printTransformed(batch, i);
    // Headers a converter may fail on: the whole record the usual way (key, value, headers).
    if (batch.headerCount(i) > 0 && this.converters.header.neverFails !== true) return this.printTransformed(batch, i);
    this.checkKey(batch, i);
    this.reserve(2 * value.length + 64);
    const end = print(value, this.out, this.used);
    if (end < 0) return this.printTransformed(batch, i);
    this.used = end;
    return true;
  }

  /**
   * Through the field plan over the value's scanned fields: false when a stage drops it. Anything
   * the plan does not take (not an object, headers whose converter may fail, a step that throws)
   * goes through printTransformed, which also raises the errors Kafka Connect would.
   */
  private printFields(batch: RecordBatch, i: number, fields: ScannedFields): boolean {
    const value = batch.valueView(i);
    if (value === null || (batch.headerCount(i) > 0 && this.converters.header.neverFails !== true)) return this.printTransformed(batch, i);
    if (!fields.bind(value)) return this.printTransformed(batch, i);
    const outcome = this.runPlan(batch, i, fields);
    if (outcome !== KEPT) return outcome === DROPPED ? false : this.printTransformed(batch, i);
    this.reserve(2 * value.length + 64);
    let end = fields.printJavaText(this.out, this.used);
    while (end < 0) {
      this.reserve(this.out.length);
      end = fields.printJavaText(this.out, this.used);
    }
    this.used = end;
    return true;
  }

  /**
   * The plan's steps on the bound fields. Key first, as WorkerSinkTask converts it; the value's
   * scan stands for its conversion (the scan takes only what the parser reads without error) and
   * headers cannot fail here. A step that throws: FALLBACK (the usual way raises the error).
   */
  private runPlan(batch: RecordBatch, i: number, fields: ScannedFields): PlanOutcome {
    this.checkKey(batch, i);
    const w = this.w;
    const plan = this.fieldPlan!;
    try {
      if (this.planReadsRecord) startRecord(batch, i, w);
      for (let k = 0; k < plan.length; k++) {
        const stage = plan[k]!;
        if (stage.predicate !== null && stage.predicate.testFrame!(batch, i) === stage.negate) continue;
        if (!stage.step.apply(fields, w)) return DROPPED;
      }
    } catch {
      return FALLBACK;
    }
    return KEPT;
  }

  /** Converts the key for its errors only (nothing prints it), unless its converter cannot fail. */
  private checkKey(batch: RecordBatch, i: number): void {
    const keyConverter = this.converters.key;
    if (keyConverter.neverFails === true || batch.keyLengths[i]! < 0) return;
    const topic = batch.topic(i);
    try {
      keyConverter.toConnectData(topic, null, converterInput(keyConverter, batch.keyView(i)));
    } catch (err) {
      throw conversionError(topic, batch.partition(i), batch.offset(i), err);
    }
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

/**
 * A schemaless JSON object as a Map whose values stay bytes until something reads them: what
 * JsonConverter reads for the batch path when the record is only transformed and then printed
 * (FileStreamSink). A transformation chain that touches a few fields (InsertField, ReplaceField,
 * MaskField, TimestampConverter, ...) then decodes those fields alone, and the record prints
 * straight from the bytes for the rest (print.ts).
 *
 * It is a real Map to every transformation: the same order rules (a new name goes last, a set
 * keeps an existing name's place, a deleted name set again goes last), and every value read is
 * exactly what JsonConverter would have put there, decoded from its own bytes by the same parser.
 *
 * The bytes are a view over a batch frame, valid only while the frame is: materialize() turns the
 * map into an ordinary Map (the Map's own storage, every value decoded) before anything can keep
 * it: the working record does so whenever it hands the record out (working-record.ts).
 */
import { CELLS, Kind, KIND, NAME_END, NAME_HASH, NAME_START, VALUE_END, VALUE_START, type MemberTable } from './scan.js';
import { cachedName } from './names.js';
import { NOT_PRINTED, printBytes, printText, printValue } from './print.js';
import { javaToString } from '../../data/java-string.js';

/**
 * A converter method (topic, bytes) => SchemaAndValue that may return LazyJsonMaps: only for the
 * runtime's print path, which materializes or prints them before the frame is released.
 */
export const READ_LAZILY = Symbol('sluice.converter.readLazily');

/** A member's value while it is still bytes, and a deleted member's (Connect values are never symbols). */
const RAW = Symbol('raw');
const DELETED = Symbol('deleted');

/** Decodes one scanned value's bytes into the Connect value JsonConverter makes of it (schemaless). */
export type DecodeSpan = (bytes: Uint8Array) => unknown;


export class LazyJsonMap extends Map<string, unknown> {
  private bytes: Uint8Array | null;
  /** The scanned members' cells (scan.ts CELLS per member): the first `originals` members. */
  private cells: number[];
  private originals: number;
  /**
   * Per member, scanned ones first, then those set since: the name. Made when first needed, and
   * for scanned members only when iterated (lookups compare bytes).
   */
  private names: (string | undefined)[] | null = null;
  /** Per member: its value, RAW while it is bytes, DELETED once deleted. */
  private held: unknown[];
  private live: number;

  /**
   * The members of `table` (scanned from `bytes`), or null when a name is not a short ASCII one
   * (the caller decodes as usual then).
   */
  static of(bytes: Uint8Array, table: MemberTable, decode: DecodeSpan): LazyJsonMap | null {
    return table.shortAsciiNames ? new LazyJsonMap(bytes, table, decode) : null;
  }

  private constructor(bytes: Uint8Array, table: MemberTable, private readonly decode: DecodeSpan) {
    super();
    const n = table.count;
    this.bytes = bytes;
    // A plain array: a small typed array costs microseconds to allocate (an ArrayBuffer each).
    const cells = new Array<number>(n * CELLS);
    for (let k = 0; k < n * CELLS; k++) cells[k] = table.cells[table.base + k]!;
    this.cells = cells;
    this.originals = n;
    this.held = new Array<unknown>(n).fill(RAW);
    this.live = n;
  }

  /** True while values may still be bytes of the frame. */
  get isLazy(): boolean {
    return this.bytes !== null;
  }

  /** Makes this an ordinary Map: every member decoded, in order, into the Map's own storage. */
  materialize(): void {
    if (this.bytes === null) return;
    const entries: [string, unknown][] = [];
    for (let m = 0; m < this.held.length; m++) if (this.held[m] !== DELETED) entries.push([this.nameAt(m), this.valueAt(m)]);
    this.bytes = null;
    this.cells = [];
    this.names = null;
    this.held = [];
    for (const [k, v] of entries) super.set(k, v);
  }

  /**
   * Writes the Java text of this map ("{k=v, …}") at out[pos]; returns the end, or NOT_PRINTED
   * when out has no room. Members still raw print from their bytes.
   */
  printJavaText(out: Uint8Array, pos: number): number {
    if (this.bytes === null) return printText(javaToString(this), out, pos);
    const b = this.bytes;
    const cells = this.cells;
    if (pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x7b;
    let first = true;
    for (let m = 0; m < this.held.length; m++) {
      const v = this.held[m];
      if (v === DELETED) continue;
      if (!first) pos = printText(', ', out, pos);
      first = false;
      const c = m * CELLS;
      pos = m < this.originals ? printBytes(b, cells[c + NAME_START]!, cells[c + NAME_END]!, out, pos) : printText(this.names![m]!, out, pos);
      if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
      out[pos++] = 0x3d;
      if (v === RAW) {
        pos = printValue(b, cells[c + VALUE_START]!, cells[c + VALUE_END]!, cells[c + KIND] as Kind, out, pos);
      } else {
        pos = printText(typeof v === 'string' ? v : javaToString(v), out, pos);
      }
      if (pos === NOT_PRINTED) return NOT_PRINTED;
    }
    if (pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x7d;
    return pos;
  }

  private indexOf(key: unknown): number {
    if (typeof key !== 'string') return -1;
    const held = this.held;
    for (let m = 0; m < held.length; m++) if (held[m] !== DELETED && this.nameIs(m, key)) return m;
    return -1;
  }

  /** Whether member m is named `key`, without making the name of a scanned member (names are ASCII). */
  private nameIs(m: number, key: string): boolean {
    const name = this.names?.[m];
    if (name !== undefined) return name === key;
    const start = this.cells[m * CELLS + NAME_START]!;
    if (this.cells[m * CELLS + NAME_END]! - start !== key.length) return false;
    const b = this.bytes!;
    for (let k = 0; k < key.length; k++) if (b[start + k] !== key.charCodeAt(k)) return false;
    return true;
  }

  private nameAt(m: number): string {
    const names = (this.names ??= []);
    let name = names[m];
    if (name === undefined) {
      const c = m * CELLS;
      name = cachedName(this.bytes!, this.cells[c + NAME_START]!, this.cells[c + NAME_END]!, this.cells[c + NAME_HASH]!);
      names[m] = name;
    }
    return name;
  }

  private valueAt(m: number): unknown {
    let v = this.held[m];
    if (v === RAW) {
      const c = m * CELLS;
      v = this.decode(this.bytes!.subarray(this.cells[c + VALUE_START], this.cells[c + VALUE_END]));
      this.held[m] = v;
    }
    return v;
  }

  override get size(): number {
    return this.bytes === null ? super.size : this.live;
  }

  override get(key: string): unknown {
    if (this.bytes === null) return super.get(key);
    const m = this.indexOf(key);
    return m < 0 ? undefined : this.valueAt(m);
  }

  override has(key: string): boolean {
    return this.bytes === null ? super.has(key) : this.indexOf(key) >= 0;
  }

  override set(key: string, value: unknown): this {
    if (this.bytes === null) return super.set(key, value);
    const m = this.indexOf(key);
    if (m >= 0) {
      this.held[m] = value;
    } else {
      const names = (this.names ??= []);
      names[this.held.length] = key;
      this.held.push(value);
      this.live++;
    }
    return this;
  }

  override delete(key: string): boolean {
    if (this.bytes === null) return super.delete(key);
    const m = this.indexOf(key);
    if (m < 0) return false;
    this.held[m] = DELETED;
    this.live--;
    return true;
  }

  override clear(): void {
    if (this.bytes !== null) {
      this.held.fill(DELETED);
      this.live = 0;
      return;
    }
    super.clear();
  }

  override forEach(fn: (value: unknown, key: string, map: Map<string, unknown>) => void, thisArg?: unknown): void {
    for (const [k, v] of this.entries()) fn.call(thisArg, v, k, this);
  }

  override *entries(): MapIterator<[string, unknown]> {
    if (this.bytes === null) {
      yield* super.entries();
      return;
    }
    // Members set or deleted while iterating are seen as a Map's iterator would see them:
    // the walk goes by position, and names added go last.
    let yielded = 0;
    for (let m = 0; m < this.held.length; m++) {
      if (this.bytes === null) {
        // Materialized mid-walk: the rest from the Map itself, past what was already yielded.
        let k = 0;
        for (const entry of super.entries()) if (k++ >= yielded) yield entry;
        return;
      }
      if (this.held[m] !== DELETED) {
        yielded++;
        yield [this.nameAt(m), this.valueAt(m)];
      }
    }
  }

  override *keys(): MapIterator<string> {
    for (const [k] of this.entries()) yield k;
  }

  override *values(): MapIterator<unknown> {
    for (const [, v] of this.entries()) yield v;
  }

  override [Symbol.iterator](): MapIterator<[string, unknown]> {
    return this.entries();
  }
}

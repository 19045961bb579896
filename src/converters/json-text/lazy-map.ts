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
import { Kind, type MemberTable } from './scan.js';
import { cachedName, MAX_CACHED_NAME } from './names.js';
import { NOT_PRINTED, printValue } from './print.js';
import { javaToString } from '../../data/java-string.js';

/**
 * A converter method (topic, bytes) => SchemaAndValue that may return LazyJsonMaps: only for the
 * runtime's print path, which materializes or prints them before the frame is released.
 */
export const READ_LAZILY = Symbol('sluice.converter.readLazily');

/** A member's state. */
const RAW = 0;
const SET = 1;
const DELETED = 2;

/** Decodes one scanned value's bytes into the Connect value JsonConverter makes of it (schemaless). */
export type DecodeSpan = (bytes: Uint8Array) => unknown;

/** Utf8 encoder of Buffer, without Buffer.write's argument handling. */
const utf8Write = (Buffer.prototype as unknown as { utf8Write(this: Uint8Array, text: string, offset: number, length: number): number }).utf8Write;

export class LazyJsonMap extends Map<string, unknown> {
  private bytes: Uint8Array | null;
  private names: string[] = [];
  private starts: number[] = [];
  private ends: number[] = [];
  private kinds: Kind[] = [];
  private states: number[] = [];
  private held: unknown[] = [];
  private live = 0;

  /**
   * The members of `table` (scanned from `bytes`), or null when a name is not a short ASCII one
   * (the caller decodes as usual then).
   */
  static of(bytes: Uint8Array, table: MemberTable, decode: DecodeSpan): LazyJsonMap | null {
    const n = table.count;
    for (let m = 0; m < n; m++) {
      if (table.nameAscii[m] === 0 || table.nameEnd[m]! - table.nameStart[m]! > MAX_CACHED_NAME) return null;
    }
    const map = new LazyJsonMap(bytes, decode);
    for (let m = 0; m < n; m++) {
      map.names.push(cachedName(bytes, table.nameStart[m]!, table.nameEnd[m]!, table.nameHash[m]!));
      map.starts.push(table.valueStart[m]!);
      map.ends.push(table.valueEnd[m]!);
      map.kinds.push(table.kind[m] as Kind);
      map.states.push(RAW);
      map.held.push(undefined);
    }
    map.live = n;
    return map;
  }

  private constructor(bytes: Uint8Array, private readonly decode: DecodeSpan) {
    super();
    this.bytes = bytes;
  }

  /** True while values may still be bytes of the frame. */
  get isLazy(): boolean {
    return this.bytes !== null;
  }

  /** Makes this an ordinary Map: every member decoded, in order, into the Map's own storage. */
  materialize(): void {
    if (this.bytes === null) return;
    const entries: [string, unknown][] = [];
    for (let m = 0; m < this.names.length; m++) if (this.states[m] !== DELETED) entries.push([this.names[m]!, this.valueAt(m)]);
    this.bytes = null;
    this.names = [];
    this.starts = this.ends = this.states = [];
    this.kinds = [];
    this.held = [];
    for (const [k, v] of entries) super.set(k, v);
  }

  /**
   * Writes the Java text of this map ("{k=v, …}") at out[pos]; returns the end, or NOT_PRINTED
   * when out has no room. Members still raw print from their bytes.
   */
  printJavaText(out: Uint8Array, pos: number): number {
    if (this.bytes === null) return writeText(javaToString(this), out, pos);
    const b = this.bytes;
    if (pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x7b;
    let first = true;
    for (let m = 0; m < this.names.length; m++) {
      const state = this.states[m];
      if (state === DELETED) continue;
      if (!first) pos = writeText(', ', out, pos);
      first = false;
      pos = writeText(this.names[m]!, out, pos);
      if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
      out[pos++] = 0x3d;
      if (state === RAW) {
        pos = printValue(b, this.starts[m]!, this.ends[m]!, this.kinds[m]!, out, pos);
      } else {
        const v = this.held[m];
        pos = writeText(typeof v === 'string' ? v : javaToString(v), out, pos);
      }
      if (pos === NOT_PRINTED) return NOT_PRINTED;
    }
    if (pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x7d;
    return pos;
  }

  private indexOf(key: unknown): number {
    const names = this.names;
    for (let m = 0; m < names.length; m++) if (names[m] === key && this.states[m] !== DELETED) return m;
    return -1;
  }

  private valueAt(m: number): unknown {
    if (this.states[m] === RAW) {
      this.held[m] = this.decode(this.bytes!.subarray(this.starts[m], this.ends[m]));
      this.states[m] = SET;
    }
    return this.held[m];
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
      this.states[m] = SET;
    } else {
      this.names.push(key);
      this.starts.push(0);
      this.ends.push(0);
      this.kinds.push(Kind.NULL);
      this.states.push(SET);
      this.held.push(value);
      this.live++;
    }
    return this;
  }

  override delete(key: string): boolean {
    if (this.bytes === null) return super.delete(key);
    const m = this.indexOf(key);
    if (m < 0) return false;
    this.states[m] = DELETED;
    this.held[m] = undefined;
    this.live--;
    return true;
  }

  override clear(): void {
    if (this.bytes !== null) {
      for (let m = 0; m < this.states.length; m++) this.states[m] = DELETED;
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
    for (let m = 0; m < this.names.length; m++) {
      if (this.bytes === null) {
        // Materialized mid-walk: the rest from the Map itself, past what was already yielded.
        let k = 0;
        for (const entry of super.entries()) if (k++ >= yielded) yield entry;
        return;
      }
      if (this.states[m] !== DELETED) {
        yielded++;
        yield [this.names[m]!, this.valueAt(m)];
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

function writeText(text: string, out: Uint8Array, pos: number): number {
  if (pos === NOT_PRINTED) return NOT_PRINTED;
  // Short ASCII text (names, separators, small values) by a loop: cheaper than the native call.
  if (text.length <= 32 && pos + text.length <= out.length) {
    let k = 0;
    for (; k < text.length; k++) {
      const c = text.charCodeAt(k);
      if (c >= 0x80) break;
      out[pos + k] = c;
    }
    if (k === text.length) return pos + k;
  }
  // 3 bytes per UTF-16 unit is the most UTF-8 needs.
  if (pos + 3 * text.length > out.length && pos + Buffer.byteLength(text) > out.length) return NOT_PRINTED;
  return pos + utf8Write.call(out, text, pos, out.length - pos);
}

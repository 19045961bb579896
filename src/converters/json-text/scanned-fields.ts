/**
 * The top-level fields of a schemaless JSON object, still bytes in a batch frame, as the field
 * steps of a transformation chain see them (transforms/batch/field-step.ts), then printed as
 * Java text: what JsonConverter + the chain + String.valueOf would give, without the Map.
 *
 * The steps' field names are known when the chain is compiled; each becomes a slot. Per record,
 * the scan's member table is bound to the slots once (by name hash, then bytes), so a step's
 * get/set/delete is a lookup among a few slot names, and the members no step names (most of
 * them) are never looked at again until they are copied out.
 *
 * Map order is kept as a Map keeps it: a member stays in its place while it is set, a new name
 * goes last, a deleted name set again goes last. Values a step reads are decoded from their own
 * bytes by JsonConverter's parser, so they are what the Map would hold; a value read as a list
 * or map prints from that object afterwards (a step might have changed it), others from bytes.
 *
 * One instance serves every record of a task (reset by bind()); nothing it holds outlives the
 * record, since steps keep no field values.
 */
import { javaToString } from '../../data/java-string.js';
import type { StepFields } from '../../transforms/batch/field-step.js';
import type { LineScript } from './line-script.js';
import type { DecodeSpan } from './lazy-map.js';
import { comma, NOT_PRINTED, printBytes, printText, printValue } from './print.js';
import { asciiString, cachedName, MAX_CACHED_NAME } from './names.js';
import { CELLS, Kind, KIND, MemberTable, NAME_END, NAME_HASH, NAME_START, scanRootObject, VALUE_END, VALUE_START } from './scan.js';

/**
 * A converter method () => DecodeSpan | null: the decoder of one member's bytes when the converter
 * reads values as schemaless JSON (JsonConverter with schemas.enable=false), else null.
 */
export const SCHEMALESS_JSON_FIELDS = Symbol('sluice.converter.schemalessJsonFields');

/** A slot's value while it is the member's bytes. */
const RAW = Symbol('raw');
/** A slot's decoded value before it is decoded. */
const UNREAD = Symbol('unread');

/** The slots' hash table has 64 entries: at most half of them used keeps probes short. */
const SLOT_HASH_MASK = 63;

/** A step named a field it did not declare: the record goes the usual way. */
export class UndeclaredField extends Error {}

export class ScannedFields implements StepFields {
  /** The most distinct field names a plan may have (a chain naming more runs over Maps). */
  static readonly MAX_FIELDS = (SLOT_HASH_MASK + 1) / 2;

  private readonly ownTable = new MemberTable();
  /** The table bound: ownTable, or a view into a frame's scan (bind's `scanned`). */
  private table = this.ownTable;
  private bytes: Uint8Array = new Uint8Array(0);
  private count = 0;

  private readonly names: readonly string[];
  private readonly nameBytes: readonly Uint8Array[];
  private readonly nameHashes: readonly number[];
  /** Open addressing by name hash: slot + 1, 0 for empty (linear probing). */
  private readonly slotByHash: number[];
  /** Per slot: the member it was bound to (-1: absent from the object). */
  private readonly member: number[];
  /** Per slot: its place in Map order (a member index, or count + k for the k-th name added), -1 while absent. */
  private readonly place: number[];
  /** Per slot: RAW (print the member's bytes) or the value set. */
  private readonly value: unknown[];
  /** Per slot: the member's value decoded, UNREAD until a step reads it. */
  private readonly decoded: unknown[];
  /** Per member: its slot, or -1 when no step names it. */
  private memberSlot: number[] = [];
  /** The slots added past the members, in the order they were added (place count + k): the first addedCount. */
  private readonly added: number[] = [];
  private addedCount = 0;
  /** True once retain() dropped the members no step names. */
  private othersDropped = false;

  constructor(names: Iterable<string>, private readonly decode: DecodeSpan) {
    this.names = [...new Set(names)];
    this.nameBytes = this.names.map((n) => Buffer.from(n, 'utf8'));
    this.nameHashes = this.nameBytes.map((b) => {
      let h = 0;
      for (const c of b) h = (Math.imul(h, 31) + c) | 0;
      return h;
    });
    const n = this.names.length;
    if (n > ScannedFields.MAX_FIELDS) throw new RangeError(`a field plan may name at most ${ScannedFields.MAX_FIELDS} fields, not ${n}`);
    this.slotByHash = new Array<number>(SLOT_HASH_MASK + 1).fill(0);
    this.nameHashes.forEach((h, s) => {
      let t = h & SLOT_HASH_MASK;
      while (this.slotByHash[t] !== 0) t = (t + 1) & SLOT_HASH_MASK;
      this.slotByHash[t] = s + 1;
    });
    this.member = new Array<number>(n).fill(-1);
    this.place = new Array<number>(n).fill(-1);
    this.value = new Array<unknown>(n).fill(RAW);
    this.decoded = new Array<unknown>(n).fill(UNREAD);
  }

  /**
   * Binds the members of the object in `bytes` to the slots: those of `scanned` (its scan, from
   * the frame's, whose positions are in `bytes`: then `bytes` may be the whole payload) or else
   * scanned now. False when the scan does not take it (not an object, or anything scan.ts leaves
   * to the parser), and the record goes the usual way.
   */
  bind(bytes: Uint8Array, scanned: MemberTable | null = null): boolean {
    const table = scanned ?? this.ownTable;
    this.table = table;
    if (scanned === null && !scanRootObject(bytes, table)) return false;
    this.bytes = bytes;
    const count = (this.count = table.count);
    const slots = this.names.length;
    for (let s = 0; s < slots; s++) {
      this.member[s] = -1;
      this.place[s] = -1;
      this.value[s] = RAW;
      this.decoded[s] = UNREAD;
    }
    this.addedCount = 0;
    this.othersDropped = false;
    // Entries past `count` are stale and never read: no length change per record.
    const memberSlot = this.memberSlot;
    const cells = table.cells;
    const bySlotHash = this.slotByHash;
    const nameHashes = this.nameHashes;
    for (let m = 0, c = table.base; m < count; m++, c += CELLS) {
      memberSlot[m] = -1;
      const hash = cells[c + NAME_HASH]!;
      // Most members are no step's: one probe of the slots' hash table finds that out.
      for (let t = hash & SLOT_HASH_MASK; bySlotHash[t] !== 0; t = (t + 1) & SLOT_HASH_MASK) {
        const s = bySlotHash[t]! - 1;
        if (nameHashes[s] !== hash || !this.nameIs(s, cells[c + NAME_START]!, cells[c + NAME_END]!)) continue;
        memberSlot[m] = s;
        this.member[s] = m;
        this.place[s] = m;
        break;
      }
    }
    return true;
  }

  get(name: string): unknown {
    const s = this.slotOf(name);
    if (this.place[s]! < 0) return undefined;
    const v = this.value[s];
    if (v !== RAW) return v;
    let d = this.decoded[s];
    if (d === UNREAD) {
      const c = this.table.base + this.member[s]! * CELLS;
      const cells = this.table.cells;
      const start = cells[c + VALUE_START]!;
      const end = cells[c + VALUE_END]!;
      d = scalarValue(this.bytes, start, end, cells[c + KIND] as Kind);
      if (d === UNREAD) d = this.decode(this.bytes.subarray(start, end));
      this.decoded[s] = d;
      // A list or map handed out may be changed by whoever holds it: print it from the object.
      if (typeof d === 'object' && d !== null) this.value[s] = d;
    }
    return d;
  }

  set(name: string, value: unknown): this {
    const s = this.slotOf(name);
    if (this.place[s]! < 0) {
      this.place[s] = this.count + this.addedCount;
      this.added[this.addedCount++] = s;
    }
    this.value[s] = value;
    return this;
  }

  delete(name: string): boolean {
    const s = this.slotOf(name);
    if (this.place[s]! < 0) return false;
    this.place[s] = -1;
    return true;
  }

  retain(keep: ReadonlySet<string>): void {
    this.othersDropped = true;
    for (let s = 0; s < this.names.length; s++) if (!keep.has(this.names[s]!)) this.place[s] = -1;
  }

  /** Writes "{name=value, …}" at out[pos]; returns the end, or NOT_PRINTED when out has no room. */
  printJavaText(out: Uint8Array, pos: number): number {
    const b = this.bytes;
    const cells = this.table.cells;
    const count = this.count;
    if (pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x7b;
    let first = true;
    for (let m = 0, c = this.table.base; m < count; m++, c += CELLS) {
      const s = this.memberSlot[m]!;
      if (s < 0 ? this.othersDropped : this.place[s] !== m) continue;
      if (!first) pos = comma(out, pos);
      first = false;
      pos = printBytes(b, cells[c + NAME_START]!, cells[c + NAME_END]!, out, pos);
      if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
      out[pos++] = 0x3d;
      const v = s < 0 ? RAW : this.value[s];
      pos = v === RAW ? printValue(b, cells[c + VALUE_START]!, cells[c + VALUE_END]!, cells[c + KIND] as Kind, out, pos) : printJava(v, out, pos);
      if (pos === NOT_PRINTED) return NOT_PRINTED;
    }
    for (let k = 0; k < this.addedCount; k++) {
      const s = this.added[k]!;
      if (this.place[s] !== count + k) continue;
      if (!first) pos = comma(out, pos);
      first = false;
      pos = printText(this.names[s]!, out, pos);
      if (pos === NOT_PRINTED || pos >= out.length) return NOT_PRINTED;
      out[pos++] = 0x3d;
      pos = printJava(this.value[s], out, pos);
      if (pos === NOT_PRINTED) return NOT_PRINTED;
    }
    if (pos >= out.length) return NOT_PRINTED;
    out[pos++] = 0x7d;
    return pos;
  }

  /**
   * The record's line into `script` (line-script.ts), for a table from a frame's scan: members
   * left as they were become MEMBER ops (printed from the frame), the others are printed here
   * into `scratch` at pos as TEXT ops. Returns the scratch's end, or NOT_PRINTED when it has no
   * room (the caller rolls the script back, grows the scratch and asks again).
   */
  scriptLine(script: LineScript, scratch: Uint8Array, pos: number): number {
    const cells = this.table.cells;
    const count = this.count;
    script.recordStart();
    for (let m = 0, c = this.table.base; m < count; m++, c += CELLS) {
      const s = this.memberSlot[m]!;
      if (s < 0) {
        if (!this.othersDropped) script.member(c);
        continue;
      }
      if (this.place[s] !== m) continue;
      const v = this.value[s];
      if (v === RAW) {
        script.member(c);
        continue;
      }
      const start = pos;
      pos = printBytes(this.bytes, cells[c + NAME_START]!, cells[c + NAME_END]!, scratch, pos);
      if (pos === NOT_PRINTED || pos >= scratch.length) return NOT_PRINTED;
      scratch[pos++] = 0x3d;
      pos = printJava(v, scratch, pos);
      if (pos === NOT_PRINTED) return NOT_PRINTED;
      script.text(start, pos);
    }
    for (let k = 0; k < this.addedCount; k++) {
      const s = this.added[k]!;
      if (this.place[s] !== count + k) continue;
      const start = pos;
      pos = printText(this.names[s]!, scratch, pos);
      if (pos === NOT_PRINTED || pos >= scratch.length) return NOT_PRINTED;
      scratch[pos++] = 0x3d;
      pos = printJava(this.value[s], scratch, pos);
      if (pos === NOT_PRINTED) return NOT_PRINTED;
      script.text(start, pos);
    }
    script.recordEnd();
    return pos;
  }

  private slotOf(name: string): number {
    const names = this.names;
    for (let s = 0; s < names.length; s++) if (names[s] === name) return s;
    throw new UndeclaredField(`a field step used the undeclared field "${name}"`);
  }

  private nameIs(s: number, start: number, end: number): boolean {
    const name = this.nameBytes[s]!;
    if (name.length !== end - start) return false;
    const b = this.bytes;
    for (let k = 0; k < name.length; k++) if (b[start + k] !== name[k]) return false;
    return true;
  }
}

/**
 * The value JsonConverter (schemaless) reads from a scanned scalar, for the common cases: an
 * ASCII string without escapes, an integer of at most 15 digits (INT64, so a bigint, summed as
 * the parser sums it), true, false, null. UNREAD for anything else: the parser decodes it.
 */
function scalarValue(b: Uint8Array, start: number, end: number, kind: Kind): unknown {
  switch (kind) {
    case Kind.STRING: {
      // Short strings repeat from record to record (user names, actions): from the name cache.
      let h = 0;
      for (let k = start + 1; k < end - 1; k++) {
        const c = b[k]!;
        if (c >= 0x80) return UNREAD;
        h = (Math.imul(h, 31) + c) | 0;
      }
      return end - start - 2 <= MAX_CACHED_NAME ? cachedName(b, start + 1, end - 1, h) : asciiString(b, start + 1, end - 1);
    }
    case Kind.INT: {
      const negative = b[start] === 0x2d;
      const digits = negative ? start + 1 : start;
      if (end - digits > 15) return UNREAD;
      let n = 0;
      for (let k = digits; k < end; k++) n = n * 10 + (b[k]! - 0x30);
      return BigInt(negative && n !== 0 ? -n : n);
    }
    case Kind.TRUE:
      return true;
    case Kind.FALSE:
      return false;
    case Kind.NULL:
      return null;
    default:
      return UNREAD;
  }
}

function printJava(v: unknown, out: Uint8Array, pos: number): number {
  return printText(typeof v === 'string' ? v : javaToString(v), out, pos);
}


/**
 * Avro binary -> Connect values in one pass: a reader compiled once per (writer schema, Connect
 * schema) pair, that reads the bytes straight into Structs, arrays, Maps, bigints and Dates.
 *
 * It produces exactly what the generic path (avsc decode with the codec of avro-codec.ts, then
 * to-connect.ts toConnectData over avsc's objects) produces, without the intermediate objects:
 * no avsc record object per value, no {branch: value} wrapper per union, no 8-byte Buffer per
 * long, no Struct.put validation of values the reader made of the right carrier itself (INT8 and
 * INT16 fields, whose Avro int may be out of range, are still validated as put() would).
 * Data errors read like avsc's ("truncated buffer", "trailing data", "invalid union index"),
 * wrapped as AvroCodec.decode wraps them; schema mismatches throw the generic path's messages.
 *
 * Struct slots are filled directly (see `slotsOf`): Struct keeps its values in a private array in
 * field order, and a decoded record would otherwise pay for put()'s validation per field.
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP } from '../../data/logical.js';
import { DataError, type Field, type Schema, Type } from '../../data/schema.js';
import { SchemaBuilder } from '../../data/schema-builder.js';
import { Schemas } from '../../data/schemas.js';
import { Struct } from '../../data/struct.js';
import { validateValue } from '../../data/validate.js';
import { type AvroDataOptions, AVRO_TYPE_UNION, KEY_FIELD, VALUE_FIELD } from './avro-constants.js';
import { type AvroRecord, type AvroSchema, fullName } from './avro-schema.js';
import { unionMemberFieldName } from './to-connect.js';

/** Where a reader is in the bytes. One per converter, reused for every record. */
export class Tap {
  buf: Buffer = EMPTY;
  pos = 0;
  end = 0;
}

const EMPTY = Buffer.alloc(0);

type Read = (t: Tap) => unknown;

/**
 * Reads one whole value from `buf` between `start` and `end` (the payload after the wire format's
 * header); throws a DataError when the bytes do not fit the schema.
 */
export type AvroReader = (t: Tap, buf: Buffer, start: number, end: number) => unknown;

/** Buffer's UTF-8 decoder without toString's argument handling (avsc uses it too). */
interface BufferSlices {
  utf8Slice(start: number, end: number): string;
}

/**
 * Compiles the reader of values written with `avro` into Connect values of `schema` (the schema
 * toConnectSchema made of `avro`). Returns null when the pair is outside what the reader covers
 * (the caller then uses the generic path).
 */
export function compileReader(schema: Schema, avro: AvroSchema, options: AvroDataOptions): AvroReader | null {
  if (!SLOTS_AVAILABLE) return null;
  let read: Read;
  try {
    read = compile(schema, avro, options);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
  return (t, buf, start, end) => {
    t.buf = buf;
    t.pos = start;
    t.end = end;
    let value: unknown;
    try {
      value = read(t);
    } catch (e) {
      if (e instanceof RangeError) throw truncated(); // a read past the end of the buffer
      throw e;
    }
    if (t.pos !== t.end) throw t.pos > t.end ? truncated() : new DataError('Cannot read Avro data: trailing data');
    return value;
  };
}

class Unsupported extends Error {}

function truncated(): DataError {
  return new DataError('Cannot read Avro data: truncated buffer');
}

// ---------------------------------------------------------------------------------------------
// Struct slots
// ---------------------------------------------------------------------------------------------

/** Struct's private slot array (one per field, in field order), checked once at load. */
function slotsOf(struct: Struct): unknown[] {
  return (struct as unknown as { values: unknown[] }).values;
}

const SLOTS_AVAILABLE: boolean = (() => {
  try {
    const probe = new Struct(SchemaBuilder.struct().field('a', Schemas.OPTIONAL_STRING_SCHEMA).build());
    const slots = slotsOf(probe);
    if (!Array.isArray(slots) || slots.length !== 1) return false;
    slots[0] = 'x';
    return probe.get('a') === 'x';
  } catch {
    return false;
  }
})();

// ---------------------------------------------------------------------------------------------
// Primitive reads (Avro's binary encoding)
// ---------------------------------------------------------------------------------------------

/** A zig-zag varint of at most 32 bits. */
function readInt(t: Tap): number {
  const buf = t.buf;
  let pos = t.pos;
  let b = buf[pos++]!;
  let n = b & 0x7f;
  if (b & 0x80) {
    b = buf[pos++]!;
    n |= (b & 0x7f) << 7;
    if (b & 0x80) {
      b = buf[pos++]!;
      n |= (b & 0x7f) << 14;
      if (b & 0x80) {
        b = buf[pos++]!;
        n |= (b & 0x7f) << 21;
        if (b & 0x80) {
          b = buf[pos++]!;
          n |= (b & 0x7f) << 28;
        }
      }
    }
  }
  if (pos > t.end) throw truncated();
  t.pos = pos;
  return (n >>> 1) ^ -(n & 1);
}

/**
 * A zig-zag varint long as a number when it fits in 49 bits (7 bytes: every count, length and
 * millisecond timestamp), else NaN with the position unchanged (the caller re-reads it as a bigint).
 */
function readLongNumber(t: Tap): number {
  const buf = t.buf;
  let pos = t.pos;
  let b = buf[pos++]!;
  let n = b & 0x7f;
  if (b & 0x80) {
    let mul = 128;
    let k = 1;
    do {
      if (k === 7) return Number.NaN;
      b = buf[pos++]!;
      n += (b & 0x7f) * mul;
      mul *= 128;
      k++;
    } while (b & 0x80);
  }
  if (pos > t.end) throw truncated();
  t.pos = pos;
  return n % 2 === 0 ? n / 2 : -(n + 1) / 2;
}

/** Any zig-zag varint long (up to 10 bytes), as a bigint. */
function readLongBig(t: Tap): bigint {
  const buf = t.buf;
  let pos = t.pos;
  let n = 0n;
  let shift = 0n;
  let b: number;
  do {
    if (shift > 63n) throw new DataError('Cannot read Avro data: invalid long');
    b = buf[pos++]!;
    n |= BigInt(b & 0x7f) << shift;
    shift += 7n;
  } while (b & 0x80);
  if (pos > t.end) throw truncated();
  t.pos = pos;
  n = BigInt.asUintN(64, n);
  return BigInt.asIntN(64, (n >> 1n) ^ -(n & 1n));
}

/** A long that must be a count or a length. */
function readCount(t: Tap): number {
  const n = readLongNumber(t);
  if (Number.isNaN(n)) throw new DataError('Cannot read Avro data: invalid length');
  return n;
}

function readLong(t: Tap): bigint {
  const n = readLongNumber(t);
  return Number.isNaN(n) ? readLongBig(t) : BigInt(n);
}

/** A long as epoch millis for a Timestamp: a number, or a bigint beyond 49 bits (dateFromMillis checks it). */
function readMillis(t: Tap): number | bigint {
  const n = readLongNumber(t);
  return Number.isNaN(n) ? readLongBig(t) : n;
}

function readLength(t: Tap): number {
  const len = readCount(t);
  if (len < 0) throw truncated(); // avsc's word for it too
  if (t.pos + len > t.end) throw truncated();
  return len;
}

function readString(t: Tap): string {
  const b = t.buf;
  let s = t.pos;
  let len: number;
  const first = b[s]!;
  if (first < 0x80 && s < t.end) {
    // A one-byte length, as every string under 64 bytes has.
    if (first & 1) throw truncated(); // negative
    len = first >>> 1;
    s++;
  } else {
    len = readLength(t);
    s = t.pos;
  }
  if (s + len > t.end) throw truncated();
  t.pos = s + len;
  // Short ASCII strings (names, codes, ids) are built here, each byte read once: a call into
  // Buffer's decoder costs more than such a string. Anything longer or not ASCII goes to it.
  switch (len) {
    case 0:
      return '';
    case 1: {
      const c0 = b[s]!;
      if (c0 < 0x80) return fcc(c0);
      break;
    }
    case 2: {
      const c0 = b[s]!, c1 = b[s + 1]!;
      if ((c0 | c1) < 0x80) return fcc(c0, c1);
      break;
    }
    case 3: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!;
      if ((c0 | c1 | c2) < 0x80) return fcc(c0, c1, c2);
      break;
    }
    case 4: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!;
      if ((c0 | c1 | c2 | c3) < 0x80) return fcc(c0, c1, c2, c3);
      break;
    }
    case 5: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!;
      if ((c0 | c1 | c2 | c3 | c4) < 0x80) return fcc(c0, c1, c2, c3, c4);
      break;
    }
    case 6: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!;
      if ((c0 | c1 | c2 | c3 | c4 | c5) < 0x80) return fcc(c0, c1, c2, c3, c4, c5);
      break;
    }
    case 7: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!;
      if ((c0 | c1 | c2 | c3 | c4 | c5 | c6) < 0x80) return fcc(c0, c1, c2, c3, c4, c5, c6);
      break;
    }
    case 8: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!;
      if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7) < 0x80) return fcc(c0, c1, c2, c3, c4, c5, c6, c7);
      break;
    }
    case 9: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!;
      if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8) < 0x80) return fcc(c0, c1, c2, c3, c4, c5, c6, c7, c8);
      break;
    }
    case 10: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!;
      if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9) < 0x80) return fcc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9);
      break;
    }
    case 11: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!;
      if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10) < 0x80) return fcc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10);
      break;
    }
    case 12: {
      const c0 = b[s]!, c1 = b[s + 1]!, c2 = b[s + 2]!, c3 = b[s + 3]!, c4 = b[s + 4]!, c5 = b[s + 5]!, c6 = b[s + 6]!, c7 = b[s + 7]!, c8 = b[s + 8]!, c9 = b[s + 9]!, c10 = b[s + 10]!, c11 = b[s + 11]!;
      if ((c0 | c1 | c2 | c3 | c4 | c5 | c6 | c7 | c8 | c9 | c10 | c11) < 0x80) return fcc(c0, c1, c2, c3, c4, c5, c6, c7, c8, c9, c10, c11);
      break;
    }
  }
  return (b as unknown as BufferSlices).utf8Slice(s, s + len);
}

const fcc = String.fromCharCode;

/** A copy of `len` bytes: the message's bytes are reused once the record is converted. */
function copyBytes(t: Tap, len: number): Uint8Array {
  const start = t.pos;
  if (start + len > t.end) throw truncated();
  t.pos = start + len;
  const out = new Uint8Array(len);
  out.set(t.buf.subarray(start, start + len));
  return out;
}

function readBytes(t: Tap): Uint8Array {
  return copyBytes(t, readLength(t));
}

function readBoolean(t: Tap): boolean {
  if (t.pos >= t.end) throw truncated();
  return t.buf[t.pos++] !== 0;
}

function readFloat(t: Tap): number {
  if (t.pos + 4 > t.end) throw truncated();
  const v = t.buf.readFloatLE(t.pos);
  t.pos += 4;
  return v;
}

function readDouble(t: Tap): number {
  if (t.pos + 8 > t.end) throw truncated();
  const v = t.buf.readDoubleLE(t.pos);
  t.pos += 8;
  return v;
}

// ---------------------------------------------------------------------------------------------
// Compiling
// ---------------------------------------------------------------------------------------------

function compile(schema: Schema, avro: AvroSchema, options: AvroDataOptions): Read {
  if (avro.type === 'union') return compileUnion(schema, avro.branches, options);
  if (avro.type === 'null') throw new Unsupported();
  const read = compileValue(schema, avro, options);
  return withLogical(schema, read);
}

/** The generic path's union rule: a Connect Union struct gets the branch's field, else the branch's value. */
function compileUnion(schema: Schema, branches: readonly AvroSchema[], options: AvroDataOptions): Read {
  const unionStruct = schema.name === AVRO_TYPE_UNION && schema.type === Type.STRUCT;
  const readers: Read[] = branches.map((branch): Read => {
    if (branch.type === 'null') {
      if (!schema.optional) return () => { throw new DataError('Found null value for non-optional schema'); };
      return () => null;
    }
    if (!unionStruct) return compile(schema, branch, options);
    const fieldName = unionMemberFieldName(branch, options);
    const field = schema.field(fieldName);
    if (!field) return () => { throw new DataError(`Did not find matching union field for data: ${fieldName}`); };
    const member = compile(field.schema, branch, options);
    const check = needsValidation(field.schema);
    return (t) => {
      const struct = new Struct(schema);
      const value = member(t);
      if (check) validateValue(field.schema, value, field.name);
      slotsOf(struct)[field.index] = value ?? null;
      return struct;
    };
  });
  const any: Read = (t) => {
    const index = readLongNumber(t);
    const read = readers[index];
    if (read === undefined) throw new DataError('Cannot read Avro data: invalid union index');
    return read(t);
  };
  if (readers.length !== 2) return any;
  // Two branches (an optional value): the index is one byte, 0 or 2 (zig-zag 0 or 1).
  const [first, second] = readers as [Read, Read];
  return (t) => {
    const b = t.pos < t.end ? t.buf[t.pos] : -1;
    if (b === 0) {
      t.pos++;
      return first(t);
    }
    if (b === 2) {
      t.pos++;
      return second(t);
    }
    return any(t);
  };
}

/** The largest |epoch millis| a JavaScript Date holds. */
const MAX_DATE_MILLIS = 8.64e15;

/** toConnectLogical, applied once the underlying value is read. */
function withLogical(schema: Schema, read: Read): Read {
  switch (schema.name) {
    case LOGICAL_DECIMAL:
      return (t) => {
        const v = read(t);
        if (!(v instanceof Uint8Array)) throw new DataError('Invalid type for Decimal, underlying representation should be bytes');
        return Decimal.toLogical(schema, v);
      };
    case LOGICAL_DATE:
      return (t) => {
        const v = read(t);
        if (typeof v !== 'number') throw new DataError('Invalid type for Date, underlying representation should be int32');
        return ConnectDate.toLogical(schema, v);
      };
    case LOGICAL_TIME:
      return (t) => {
        const v = read(t);
        if (typeof v !== 'number') throw new DataError('Invalid type for Time, underlying representation should be int32');
        return ConnectTime.toLogical(schema, v);
      };
    case LOGICAL_TIMESTAMP:
      // The long is read as millis directly (no bigint in between): the same Date; anything a
      // Date cannot hold goes to toLogical for its error.
      if (read === readLong) {
        return (t) => {
          const ms = readMillis(t);
          return typeof ms === 'number' && ms >= -MAX_DATE_MILLIS && ms <= MAX_DATE_MILLIS ? new Date(ms) : ConnectTimestamp.toLogical(schema, ms);
        };
      }
      return (t) => {
        const v = read(t);
        if (typeof v !== 'bigint' && typeof v !== 'number') throw new DataError('Invalid type for Timestamp, underlying representation should be int64');
        return ConnectTimestamp.toLogical(schema, v);
      };
    default:
      return read;
  }
}

/** The value of a non-union Avro type as the Connect type wants it (before logical conversion). */
function compileValue(schema: Schema, avro: Exclude<AvroSchema, { type: 'union' }>, options: AvroDataOptions): Read {
  switch (schema.type) {
    case Type.INT8:
    case Type.INT16:
    case Type.INT32:
      if (avro.type === 'int') return readInt;
      break;
    case Type.INT64:
      if (avro.type === 'long') return readLong;
      break;
    case Type.FLOAT32:
      if (avro.type === 'float') return readFloat;
      break;
    case Type.FLOAT64:
      if (avro.type === 'double') return readDouble;
      break;
    case Type.BOOLEAN:
      if (avro.type === 'boolean') return readBoolean;
      break;
    case Type.STRING:
      if (avro.type === 'string') return readString;
      if (avro.type === 'enum') {
        const symbols = avro.symbols;
        return (t) => {
          const symbol = symbols[readLongNumber(t)];
          if (symbol === undefined) throw new DataError('Cannot read Avro data: invalid enum index');
          return symbol;
        };
      }
      break;
    case Type.BYTES:
      if (avro.type === 'bytes') return readBytes;
      if (avro.type === 'fixed') {
        const size = avro.size;
        return (t) => copyBytes(t, size);
      }
      break;
    case Type.ARRAY: {
      if (avro.type !== 'array') break;
      const item = compile(schema.valueSchema!, avro.items, options);
      return (t) => {
        const out: unknown[] = [];
        for (let n = readCount(t); n !== 0; n = readCount(t)) {
          if (n < 0) {
            n = -n;
            readCount(t); // the block's size in bytes
          }
          for (let i = 0; i < n; i++) out.push(item(t));
        }
        return out;
      };
    }
    case Type.MAP: {
      if (avro.type === 'map') {
        const value = compile(schema.valueSchema!, avro.values, options);
        return (t) => {
          const out = new Map<unknown, unknown>();
          for (let n = readCount(t); n !== 0; n = readCount(t)) {
            if (n < 0) {
              n = -n;
              readCount(t);
            }
            for (let i = 0; i < n; i++) {
              const k = readString(t);
              out.set(k, value(t));
            }
          }
          return out;
        };
      }
      if (avro.type === 'array' && avro.items.type === 'record') {
        const entry = avro.items;
        const keyIndex = entry.fields.findIndex((f) => f.name === KEY_FIELD);
        const valueIndex = entry.fields.findIndex((f) => f.name === VALUE_FIELD);
        if (keyIndex < 0 || valueIndex < 0) throw new Unsupported();
        const fieldReads = entry.fields.map((f, i) =>
          i === keyIndex ? compile(schema.keySchema!, f.type, options) : i === valueIndex ? compile(schema.valueSchema!, f.type, options) : null,
        );
        if (fieldReads.some((r) => r === null)) throw new Unsupported();
        return (t) => {
          const out = new Map<unknown, unknown>();
          for (let n = readCount(t); n !== 0; n = readCount(t)) {
            if (n < 0) {
              n = -n;
              readCount(t);
            }
            for (let i = 0; i < n; i++) {
              let k: unknown;
              let v: unknown;
              for (let f = 0; f < fieldReads.length; f++) {
                const x = fieldReads[f]!(t);
                if (f === keyIndex) k = x;
                else v = x;
              }
              out.set(k, v);
            }
          }
          return out;
        };
      }
      break;
    }
    case Type.STRUCT:
      if (avro.type === 'record') return compileRecord(schema, avro, options);
      break;
  }
  throw new Unsupported();
}

function compileRecord(schema: Schema, avro: AvroRecord, options: AvroDataOptions): Read {
  const fields = schema.fields();
  // Every Connect field must have its Avro field (the generic path fails per record otherwise).
  const missing = fields.find((f) => !avro.fields.some((a) => a.name === f.name));
  if (missing) {
    const message = `Avro record ${fullName(avro)} has no field ${missing.name}`;
    return () => { throw new DataError(message); };
  }
  const count = avro.fields.length;
  const reads: Read[] = [];
  const slots: number[] = [];
  const checked: (Field | null)[] = [];
  for (const a of avro.fields) {
    const field = schema.field(a.name);
    if (!field) throw new Unsupported(); // an Avro field the Connect schema lacks: not made by toConnectSchema
    reads.push(compile(field.schema, a.type, options));
    slots.push(field.index);
    checked.push(needsValidation(field.schema) ? field : null);
  }
  const anyChecked = checked.some((f) => f !== null);
  const inOrder = slots.every((s, i) => s === i) && count === fields.length;
  if (inOrder && !anyChecked) {
    return (t) => {
      const struct = new Struct(schema);
      const values = slotsOf(struct);
      for (let i = 0; i < count; i++) values[i] = reads[i]!(t); // a reader returns null, never undefined
      return struct;
    };
  }
  return (t) => {
    const struct = new Struct(schema);
    const values = slotsOf(struct);
    for (let i = 0; i < count; i++) {
      const value = reads[i]!(t);
      const f = checked[i];
      if (f) validateValue(f.schema, value, f.name);
      values[slots[i]!] = value ?? null;
    }
    return struct;
  };
}

/**
 * Whether a value the reader made for `schema` could still fail Struct.put's validation: only an
 * INT8 or INT16 (an Avro int out of their range) can, anywhere inside the value.
 */
function needsValidation(schema: Schema, seen = new Set<Schema>()): boolean {
  if (seen.has(schema)) return false;
  seen.add(schema);
  switch (schema.type) {
    case Type.INT8:
    case Type.INT16:
      return true;
    case Type.ARRAY:
      return needsValidation(schema.valueSchema!, seen);
    case Type.MAP:
      return needsValidation(schema.keySchema!, seen) || needsValidation(schema.valueSchema!, seen);
    case Type.STRUCT:
      return schema.fields().some((f) => needsValidation(f.schema, seen));
    default:
      return false;
  }
}

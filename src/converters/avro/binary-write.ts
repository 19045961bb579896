/**
 * Connect values -> Avro binary in one pass: a writer compiled once per (Connect schema, Avro
 * schema made of it by fromConnectSchema), that writes a Struct's fields straight into a reused
 * buffer.
 *
 * It writes the bytes the generic path writes (from-connect.ts fromConnectData into avsc's value
 * shapes, then avsc's toBuffer with the codec of avro-codec.ts) and applies the same checks with
 * the same messages (carriers, nulls for required schemas, struct schemas, logical types, enum
 * symbols), without the intermediate object per record, the {branch: value} wrapper per union and
 * the 8-byte Buffer per long. Two differences, both on purpose: a map with string keys is written
 * in the Map's order, where the generic path goes through a plain object (which lists integer-like
 * keys first), and both are the same Avro map; a string holding a lone UTF-16 surrogate is written
 * as valid UTF-8 (U+FFFD, as Buffer encodes it), where avsc writes the surrogate's 3-byte form,
 * which is not UTF-8 and which Java's Avro would not read back as the same string either.
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP } from '../../data/logical.js';
import { DataError, type Schema, Type } from '../../data/schema.js';
import { Struct } from '../../data/struct.js';
import { isCarrierFor, javaClassOf } from '../../data/validate.js';
import { AVRO_TYPE_UNION, KEY_FIELD, VALUE_FIELD } from './avro-constants.js';
import type { AvroSchema } from './avro-schema.js';

/**
 * Where records are written: a slab that records are cut from in turn, as Buffer's own pool does.
 * A record is written at the end of the slab (`begin`), and `take` hands out a view of it without
 * copying; the bytes of a record handed out are never written again (a full slab is replaced, not
 * reused), so the view stays valid for as long as its holder keeps it.
 */
export class Sink {
  buf: Buffer = EMPTY;
  /** Where the next byte goes. */
  pos = 0;
  /** Where the record being written starts. */
  start = 0;

  /** Starts a record (reserving `header` bytes before its body) in the room left, or in a new slab. */
  begin(header = 0): void {
    if (this.buf.length - this.pos < MIN_ROOM) {
      this.buf = Buffer.allocUnsafeSlow(SLAB_BYTES);
      this.pos = 0;
    }
    this.start = this.pos;
    this.pos += header;
  }

  /** Makes room for `n` more bytes; a record outgrowing the slab moves, alone, to a larger one. */
  ensure(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    const used = this.pos - this.start;
    const bigger = Buffer.allocUnsafeSlow(Math.max(SLAB_BYTES, 2 * (used + n)));
    this.buf.copy(bigger, 0, this.start, this.pos);
    this.buf = bigger;
    this.start = 0;
    this.pos = used;
  }

  /** The record written since begin(), as a view; the slab moves on past it. */
  take(): Buffer {
    const out = this.buf.subarray(this.start, this.pos);
    this.start = this.pos;
    return out;
  }

  /** Drops a record that failed half-way: its bytes will be written over. */
  abandon(): void {
    this.pos = this.start;
  }
}

const EMPTY = Buffer.alloc(0);
const SLAB_BYTES = 64 * 1024;
/** A record starts in a new slab when less than this is left (so that few records have to move). */
const MIN_ROOM = 2048;

type Write = (s: Sink, value: unknown) => void;

/** Writes a non-null top-level value (whose Avro type is not a union) at `s.pos`. */
export type AvroWriter = (s: Sink, value: unknown) => void;

interface BufferWrites {
  utf8Write(text: string, offset: number, length: number): number;
}

/**
 * Compiles the writer of Connect values of `schema` under `avro` (what fromConnectSchema made of
 * `schema`). Returns null when the pair is outside what the writer covers (top-level unions,
 * whose null would be a tombstone, among them): the caller then uses the generic path.
 */
export function compileWriter(schema: Schema, avro: AvroSchema): AvroWriter | null {
  if (avro.type === 'union') return null;
  try {
    return compileNonNull(schema, avro);
  } catch (e) {
    if (e instanceof Unsupported) return null;
    throw e;
  }
}

class Unsupported extends Error {}

// ---------------------------------------------------------------------------------------------
// Primitive writes (Avro's binary encoding)
// ---------------------------------------------------------------------------------------------

/** A zig-zag varint of a 32-bit int. */
function writeInt(s: Sink, n: number): void {
  s.ensure(5);
  let z = ((n << 1) ^ (n >> 31)) >>> 0;
  const buf = s.buf;
  let pos = s.pos;
  while (z > 0x7f) {
    buf[pos++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[pos++] = z;
  s.pos = pos;
}

const TWO_52 = 2 ** 52;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** A zig-zag varint long from a number (exact for |n| < 2^52) or a bigint. */
function writeLong(s: Sink, n: number | bigint): void {
  if (typeof n === 'bigint') {
    if (n > -TWO_52_BIG && n < TWO_52_BIG) n = Number(n);
    else return writeLongBig(s, n);
  }
  if (!(n > -TWO_52 && n < TWO_52)) return writeLongBig(s, BigInt(n));
  s.ensure(10);
  let z = n >= 0 ? n * 2 : -n * 2 - 1;
  const buf = s.buf;
  let pos = s.pos;
  while (z > 0x7fffffff) {
    buf[pos++] = (z % 128) | 0x80;
    z = Math.floor(z / 128);
  }
  while (z > 0x7f) {
    buf[pos++] = (z & 0x7f) | 0x80;
    z >>>= 7;
  }
  buf[pos++] = z;
  s.pos = pos;
}

const TWO_52_BIG = 2n ** 52n;

function writeLongBig(s: Sink, n: bigint): void {
  s.ensure(10);
  let z = BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
  const buf = s.buf;
  let pos = s.pos;
  while (z > 0x7fn) {
    buf[pos++] = Number(z & 0x7fn) | 0x80;
    z >>= 7n;
  }
  buf[pos++] = Number(z);
  s.pos = pos;
}

function writeString(s: Sink, text: string): void {
  const len = text.length;
  // Short ASCII strings are copied here; anything else is measured and written by Buffer.
  if (len < 64) {
    s.ensure(1 + len);
    const buf = s.buf;
    const start = s.pos + 1;
    let i = 0;
    for (; i < len; i++) {
      const c = text.charCodeAt(i);
      if (c > 0x7f) break;
      buf[start + i] = c;
    }
    if (i === len) {
      buf[s.pos] = len << 1;
      s.pos = start + len;
      return;
    }
  }
  // UTF-8 takes len to 3 × len bytes. When that range needs one varint size for the length (two
  // bytes from 64 to 8191), the text is encoded once, straight after a length written last.
  const most = 3 * len;
  const prefix = len >= 64 && most < 8192 ? 2 : most < 64 ? 1 : 0;
  if (prefix !== 0) {
    s.ensure(prefix + most);
    const at = s.pos;
    const bytes = (s.buf as unknown as BufferWrites).utf8Write(text, at + prefix, most);
    const z = bytes << 1;
    if (prefix === 1) s.buf[at] = z;
    else {
      s.buf[at] = (z & 0x7f) | 0x80;
      s.buf[at + 1] = z >>> 7;
    }
    s.pos = at + prefix + bytes;
    return;
  }
  const bytes = Buffer.byteLength(text);
  writeLong(s, bytes);
  s.ensure(bytes);
  (s.buf as unknown as BufferWrites).utf8Write(text, s.pos, bytes);
  s.pos += bytes;
}

function writeBytes(s: Sink, bytes: Uint8Array): void {
  writeLong(s, bytes.length);
  s.ensure(bytes.length);
  s.buf.set(bytes, s.pos);
  s.pos += bytes.length;
}

// ---------------------------------------------------------------------------------------------
// Compiling (the rules of from-connect.ts fromConnectData / nonNullFromConnectData)
// ---------------------------------------------------------------------------------------------

function invalidType(schema: Schema, value: unknown): DataError {
  return new DataError(`Invalid type for ${schema.type}: ${javaClassOf(value)}`);
}

function nullForRequired(): DataError {
  return new DataError('Found null value for non-optional schema');
}

/** fromConnectData: a possibly-null value under `avro`, which is a union when the schema is optional. */
function compileField(schema: Schema, avro: AvroSchema): Write {
  if (avro.type === 'union' && schema.name !== AVRO_TYPE_UNION) {
    const branchIndex = avro.branches.findIndex((b) => b.type !== 'null');
    if (branchIndex < 0) throw new Unsupported();
    const nullIndex = avro.branches.findIndex((b) => b.type === 'null');
    const write = compileNonNull(schema, avro.branches[branchIndex]!);
    return (s, value) => {
      if (value == null) {
        if (!schema.optional) throw nullForRequired();
        if (nullIndex < 0) throw new DataError('Cannot write the value as Avro: null is not in the union');
        writeInt(s, nullIndex);
        return;
      }
      writeInt(s, branchIndex);
      write(s, value);
    };
  }
  if (avro.type === 'union') {
    // A Connect Union struct: null (when optional) is branch 0.
    const write = compileNonNull(schema, avro);
    const nullIndex = avro.branches.findIndex((b) => b.type === 'null');
    return (s, value) => {
      if (value == null) {
        if (!schema.optional) throw nullForRequired();
        writeInt(s, nullIndex);
        return;
      }
      write(s, value);
    };
  }
  const write = compileNonNull(schema, avro);
  return (s, value) => {
    if (value == null) {
      if (!schema.optional) throw nullForRequired();
      // avsc refuses a null outside a union; so does this writer.
      throw new DataError(`Cannot write the value as Avro: invalid "${avro.type}": null`);
    }
    write(s, value);
  };
}

/** nonNullFromConnectData: a value that is not null, checked against its carrier, then written. */
function compileNonNull(schema: Schema, avro: AvroSchema): Write {
  switch (schema.name) {
    case LOGICAL_DECIMAL:
      if (schema.type !== Type.BYTES || avro.type !== 'bytes') throw new Unsupported();
      return (s, value) => {
        if (!(value instanceof DecimalValue)) throw invalidType(schema, value);
        writeBytes(s, Decimal.fromLogical(schema, value));
      };
    case LOGICAL_DATE:
    case LOGICAL_TIME:
    case LOGICAL_TIMESTAMP: {
      const expected = schema.name === LOGICAL_TIMESTAMP ? 'long' : 'int';
      if (avro.type !== expected) throw new Unsupported();
      const toNumber =
        schema.name === LOGICAL_DATE ? (d: Date) => ConnectDate.fromLogical(schema, d)
        : schema.name === LOGICAL_TIME ? (d: Date) => ConnectTime.fromLogical(schema, d)
        : (d: Date) => ConnectTimestamp.fromLogical(schema, d);
      return expected === 'long'
        ? (s, value) => {
          if (!(value instanceof Date)) throw invalidType(schema, value);
          writeLong(s, toNumber(value));
        }
        : (s, value) => {
          if (!(value instanceof Date)) throw invalidType(schema, value);
          writeInt(s, toNumber(value));
        };
    }
  }
  switch (schema.type) {
    case Type.INT8:
    case Type.INT16:
    case Type.INT32:
      if (avro.type !== 'int') break;
      return (s, value) => {
        if (!isCarrierFor(schema, value)) throw invalidType(schema, value);
        writeInt(s, value as number);
      };
    case Type.INT64:
      if (avro.type !== 'long') break;
      return (s, value) => {
        if (typeof value === 'bigint') {
          if (value < INT64_MIN || value > INT64_MAX) throw invalidType(schema, value);
        } else if (!isCarrierFor(schema, value)) throw invalidType(schema, value);
        writeLong(s, value as number | bigint);
      };
    case Type.FLOAT32:
      if (avro.type !== 'float') break;
      return (s, value) => {
        if (typeof value !== 'number') throw invalidType(schema, value);
        s.ensure(4);
        s.buf.writeFloatLE(value, s.pos);
        s.pos += 4;
      };
    case Type.FLOAT64:
      if (avro.type !== 'double') break;
      return (s, value) => {
        if (typeof value !== 'number') throw invalidType(schema, value);
        s.ensure(8);
        s.buf.writeDoubleLE(value, s.pos);
        s.pos += 8;
      };
    case Type.BOOLEAN:
      if (avro.type !== 'boolean') break;
      return (s, value) => {
        if (typeof value !== 'boolean') throw invalidType(schema, value);
        s.ensure(1);
        s.buf[s.pos++] = value ? 1 : 0;
      };
    case Type.STRING:
      if (avro.type === 'string') {
        return (s, value) => {
          if (typeof value !== 'string') throw invalidType(schema, value);
          writeString(s, value);
        };
      }
      if (avro.type === 'enum') {
        const index = new Map(avro.symbols.map((sym, i) => [sym, i]));
        return (s, value) => {
          if (typeof value !== 'string') throw invalidType(schema, value);
          const i = index.get(value);
          if (i === undefined) throw new DataError(`Cannot write the value as Avro: invalid "enum": ${JSON.stringify(value)}`);
          writeInt(s, i);
        };
      }
      break;
    case Type.BYTES:
      if (avro.type !== 'bytes') break;
      return (s, value) => {
        if (!(value instanceof Uint8Array)) throw invalidType(schema, value);
        writeBytes(s, value);
      };
    case Type.ARRAY: {
      if (avro.type !== 'array') break;
      const item = compileField(schema.valueSchema!, avro.items);
      return (s, value) => {
        if (!Array.isArray(value)) throw invalidType(schema, value);
        const n = value.length;
        if (n > 0) {
          writeLong(s, n);
          for (let i = 0; i < n; i++) item(s, value[i]);
        }
        writeInt(s, 0);
      };
    }
    case Type.MAP: {
      if (avro.type === 'map') {
        const item = compileField(schema.valueSchema!, avro.values);
        return (s, value) => {
          if (!(value instanceof Map)) throw invalidType(schema, value);
          if (value.size > 0) {
            writeLong(s, value.size);
            for (const [k, v] of value) {
              writeString(s, typeof k === 'string' ? k : String(k));
              item(s, v);
            }
          }
          writeInt(s, 0);
        };
      }
      if (avro.type === 'array' && avro.items.type === 'record' && avro.items.fields.length === 2) {
        const entry = avro.items.fields;
        if (entry[0]!.name !== KEY_FIELD || entry[1]!.name !== VALUE_FIELD) throw new Unsupported();
        const key = compileField(schema.keySchema!, entry[0]!.type);
        const val = compileField(schema.valueSchema!, entry[1]!.type);
        return (s, value) => {
          if (!(value instanceof Map)) throw invalidType(schema, value);
          if (value.size > 0) {
            writeLong(s, value.size);
            for (const [k, v] of value) {
              key(s, k);
              val(s, v);
            }
          }
          writeInt(s, 0);
        };
      }
      break;
    }
    case Type.STRUCT: {
      if (schema.name === AVRO_TYPE_UNION) {
        if (avro.type !== 'union') break;
        const offset = schema.optional ? 1 : 0;
        const fields = schema.fields();
        const members = fields.map((f) => {
          const branch = avro.branches[f.index + offset];
          if (!branch) throw new Unsupported();
          return compileNonNull(f.schema, branch);
        });
        return (s, value) => {
          if (!(value instanceof Struct)) throw invalidType(schema, value);
          if (value.schema !== schema && !value.schema.equals(schema)) throw new DataError('Mismatching struct schema');
          for (let i = 0; i < fields.length; i++) {
            const member = value.get(fields[i]!);
            if (member != null) {
              writeInt(s, i + offset);
              members[i]!(s, member);
              return;
            }
          }
          if (!schema.optional) throw nullForRequired();
          writeInt(s, 0);
        };
      }
      if (avro.type !== 'record') break;
      const fields = schema.fields();
      if (avro.fields.length !== fields.length) throw new Unsupported();
      const writes = fields.map((f, i) => compileField(f.schema, avro.fields[i]!.type));
      const count = fields.length;
      return (s, value) => {
        if (!(value instanceof Struct)) throw invalidType(schema, value);
        if (value.schema !== schema && !value.schema.equals(schema)) throw new DataError('Mismatching struct schema');
        for (let i = 0; i < count; i++) writes[i]!(s, value.get(fields[i]!));
      };
    }
  }
  throw new Unsupported();
}

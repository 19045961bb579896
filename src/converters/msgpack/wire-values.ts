/**
 * Between Connect values and the JavaScript values msgpackr packs and unpacks.
 *
 * Writing (toWire) follows the schema when there is one, else the value's carrier:
 *   INT8/INT16/INT32       -> MessagePack int (smallest encoding)
 *   INT64                  -> int: the smallest encoding when it fits 32 bits, else int 64. A
 *                             schemaless bigint is always int 64 (so it reads back as a bigint), and
 *                             a schemaless integral number beyond 32 bits becomes int 64, not float.
 *   FLOAT32/FLOAT64        -> float 64, or int when the value is integral (msgpackr's choice, which
 *                             also writes -0.0 as 0): with schemas.enable=true the schema restores
 *                             the type, so 1.0 reads back as the FLOAT64 1 (and -0.0 as 0.0).
 *   BOOLEAN, STRING        -> bool, str;  BYTES -> bin
 *   ARRAY                  -> array;  MAP -> map (keys of any type)
 *   STRUCT                 -> map of field name to value, in field order (a msgpackr record when
 *                             msgpack.shared.structures=true)
 *   Decimal                -> bin: the unscaled value, two's complement big-endian (Connect's own
 *                             physical form; the scale is in the schema)
 *   Date, Time             -> int: days since the epoch, milliseconds since midnight
 *   Timestamp              -> int: milliseconds since the epoch
 *   schemaless Date        -> the MessagePack timestamp extension (-1)
 *   schemaless DecimalValue-> str (BigDecimal.toString), since nothing else would carry the scale
 *
 * Reading (fromWire) with a schema converts back to the Connect carrier and checks the wire type;
 * schemaless reading (fromWireSchemaless) keeps what msgpackr decoded, with maps (and records) as
 * Maps, ints of up to 32 bits as numbers, int 64 as bigints, bin as Uint8Array.
 */
import {
  ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue,
  LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP,
} from '../../data/logical.js';
import { DataError, type Schema, Type } from '../../data/schema.js';
import { Struct } from '../../data/struct.js';
import { isCarrierFor, javaClassOf } from '../../data/validate.js';

const INT32_MIN = -2147483648;
const UINT32_MAX = 4294967295;
const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

// ---------------------------------------------------------------------------------------------
// Connect -> wire
// ---------------------------------------------------------------------------------------------

export function toWire(schema: Schema | null, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (schema === null || schema.optional) return null;
    if (schema.defaultValue != null) return toWire(schema, schema.defaultValue);
    throw new DataError(`Conversion error: null value for field that is required and has no default value (schema ${schema.type})`);
  }
  if (schema === null) return toWireSchemaless(value);
  if (!isCarrierFor(schema, value)) {
    throw new DataError(`Invalid type for ${schema.name ?? schema.type}: ${javaClassOf(value)}`);
  }
  switch (schema.name) {
    case LOGICAL_DECIMAL:
      return Decimal.fromLogical(schema, value as DecimalValue);
    case LOGICAL_DATE:
      return ConnectDate.fromLogical(schema, value as Date);
    case LOGICAL_TIME:
      return ConnectTime.fromLogical(schema, value as Date);
    case LOGICAL_TIMESTAMP:
      return int64(ConnectTimestamp.fromLogical(schema, value as Date));
  }
  switch (schema.type) {
    case Type.INT64:
      return int64(value as number | bigint);
    case Type.ARRAY: {
      const items = schema.valueSchema;
      return (value as unknown[]).map((v) => toWire(items, v));
    }
    case Type.MAP: {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of value as Map<unknown, unknown>) out.set(toWire(schema.keySchema, k), toWire(schema.valueSchema, v));
      return out;
    }
    case Type.STRUCT:
      return structToWire(value as Struct);
    default:
      return value;
  }
}

function toWireSchemaless(value: unknown): unknown {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      // msgpackr writes integers beyond 32 bits as float 64; an integer stays an integer here.
      return Number.isSafeInteger(value) && (value < INT32_MIN || value > UINT32_MAX) ? BigInt(value) : value;
    case 'bigint':
      if (value < INT64_MIN || value > INT64_MAX) throw new DataError(`Integer ${value} does not fit in a 64-bit integer`);
      return value;
    case 'object':
      if (value instanceof Uint8Array || value instanceof Date) return value;
      if (Array.isArray(value)) return arrayToWireSchemaless(value);
      if (value instanceof Map) return mapToWireSchemaless(value);
      if (value instanceof Struct) return structToWire(value);
      if (value instanceof DecimalValue) return value.toString();
  }
  throw new DataError(`MessagePack cannot carry a value of ${javaClassOf(value)} without a schema`);
}

// Arrays and maps are copied only when an element changes on the way (most hold strings and
// small numbers that msgpackr writes as they are): a copy per record costs as much as packing it.

function arrayToWireSchemaless(array: unknown[]): unknown[] {
  let out: unknown[] | null = null;
  for (let i = 0; i < array.length; i++) {
    const v = array[i];
    const w = toWireSchemaless(v);
    if (out === null && w !== v) out = array.slice(0, i);
    if (out !== null) out.push(w);
  }
  return out ?? array;
}

function mapToWireSchemaless(map: Map<unknown, unknown>): Map<unknown, unknown> {
  let out: Map<unknown, unknown> | null = null;
  let index = 0;
  for (const [k, v] of map) {
    const wk = toWireSchemaless(k);
    const wv = toWireSchemaless(v);
    if (out === null && (wk !== k || wv !== v)) {
      out = new Map();
      let copied = 0;
      for (const [k0, v0] of map) {
        if (copied++ === index) break;
        out.set(k0, v0);
      }
    }
    if (out !== null) out.set(wk, wv);
    index++;
  }
  return out ?? map;
}

/** A struct as a plain object in field order: msgpackr writes it as a map, or as a record. */
function structToWire(struct: Struct): Record<string, unknown> {
  struct.validate();
  const out: Record<string, unknown> = {};
  for (const field of struct.schema.fields()) {
    const v = toWire(field.schema, struct.get(field));
    // A field named __proto__ must become an own property, not the object's prototype.
    if (field.name === '__proto__') Object.defineProperty(out, field.name, { value: v, enumerable: true, writable: true, configurable: true });
    else out[field.name] = v;
  }
  return out;
}

/** An INT64 in its smallest MessagePack int: a number up to 32 bits, else a bigint (int 64). */
function int64(value: number | bigint): number | bigint {
  if (typeof value === 'number') return value >= INT32_MIN && value <= UINT32_MAX ? value : BigInt(value);
  return value >= INT32_MIN && value <= UINT32_MAX ? Number(value) : value;
}

// ---------------------------------------------------------------------------------------------
// wire -> Connect
// ---------------------------------------------------------------------------------------------

/** A decoded MessagePack value as the Connect value of `schema`. */
export function fromWire(schema: Schema, wire: unknown): unknown {
  if (wire === null || wire === undefined) {
    if (schema.defaultValue != null) return schema.defaultValue;
    if (schema.optional) return null;
    throw new DataError(`Invalid null value for required ${schema.type} field`);
  }
  switch (schema.name) {
    case LOGICAL_DECIMAL:
      return Decimal.toLogical(schema, expectBytes(schema, wire));
    case LOGICAL_DATE:
      return ConnectDate.toLogical(schema, expectInt(schema, wire, -(2 ** 31), 2 ** 31 - 1));
    case LOGICAL_TIME:
      return ConnectTime.toLogical(schema, expectInt(schema, wire, -(2 ** 31), 2 ** 31 - 1));
    case LOGICAL_TIMESTAMP:
      return ConnectTimestamp.toLogical(schema, expectLong(schema, wire));
  }
  switch (schema.type) {
    case Type.INT8:
      return expectInt(schema, wire, -128, 127);
    case Type.INT16:
      return expectInt(schema, wire, -32768, 32767);
    case Type.INT32:
      return expectInt(schema, wire, -(2 ** 31), 2 ** 31 - 1);
    case Type.INT64:
      return expectLong(schema, wire);
    case Type.FLOAT32:
      return Math.fround(expectNumber(schema, wire));
    case Type.FLOAT64:
      return expectNumber(schema, wire);
    case Type.BOOLEAN:
      if (typeof wire !== 'boolean') throw mismatch(schema, wire);
      return wire;
    case Type.STRING:
      if (typeof wire !== 'string') throw mismatch(schema, wire);
      return wire;
    case Type.BYTES:
      return expectBytes(schema, wire);
    case Type.ARRAY: {
      if (!Array.isArray(wire)) throw mismatch(schema, wire);
      const items = schema.valueSchema!;
      return wire.map((v) => fromWire(items, v));
    }
    case Type.MAP: {
      const out = new Map<unknown, unknown>();
      for (const [k, v] of entriesOf(schema, wire)) out.set(fromWire(schema.keySchema!, k), fromWire(schema.valueSchema!, v));
      return out;
    }
    case Type.STRUCT: {
      const fields = new Map(entriesOf(schema, wire));
      const struct = new Struct(schema);
      for (const field of schema.fields()) struct.put(field.name, fromWire(field.schema, fields.get(field.name)));
      return struct;
    }
  }
}

/**
 * A freshly decoded MessagePack value with no schema: records (objects) become Maps, all the way
 * down. msgpackr already gives Maps for maps; those and arrays are fixed up in place, since the
 * decoded value belongs to this call alone.
 */
export function fromWireSchemaless(wire: unknown): unknown {
  if (wire === null || typeof wire !== 'object' || wire instanceof Uint8Array || wire instanceof Date) return wire ?? null;
  if (Array.isArray(wire)) {
    for (let i = 0; i < wire.length; i++) {
      const v: unknown = wire[i];
      if (v !== null && typeof v === 'object') wire[i] = fromWireSchemaless(v);
    }
    return wire;
  }
  if (wire instanceof Map) {
    for (const [k, v] of wire) {
      // Keys that are maps or arrays are rare: rebuilding the Map keeps their order simple.
      if (k !== null && typeof k === 'object') return new Map([...wire].map(([k2, v2]) => [fromWireSchemaless(k2), fromWireSchemaless(v2)]));
      if (v !== null && typeof v === 'object') wire.set(k, fromWireSchemaless(v));
    }
    return wire;
  }
  const out = new Map<unknown, unknown>();
  for (const [k, v] of entriesOf(null, wire)) out.set(k, fromWireSchemaless(v));
  return out;
}

/** The entries of a decoded map: a Map, or an object when it was a msgpackr record. */
function entriesOf(schema: Schema | null, wire: unknown): Iterable<[unknown, unknown]> {
  if (wire instanceof Map) return wire;
  if (wire !== null && typeof wire === 'object' && !Array.isArray(wire) && !(wire instanceof Uint8Array)) {
    return Object.entries(wire as Record<string, unknown>);
  }
  if (schema === null) throw new DataError(`Unexpected MessagePack value: ${describe(wire)}`);
  throw mismatch(schema, wire);
}

function expectInt(schema: Schema, wire: unknown, min: number, max: number): number {
  const n = typeof wire === 'bigint' ? Number(wire) : wire;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < min || n > max) throw mismatch(schema, wire);
  return n;
}

function expectLong(schema: Schema, wire: unknown): bigint {
  if (typeof wire === 'bigint' && wire >= INT64_MIN && wire <= INT64_MAX) return wire;
  if (typeof wire === 'number' && Number.isSafeInteger(wire)) return BigInt(wire);
  throw mismatch(schema, wire);
}

function expectNumber(schema: Schema, wire: unknown): number {
  if (typeof wire === 'number') return wire;
  if (typeof wire === 'bigint') return Number(wire);
  throw mismatch(schema, wire);
}

function expectBytes(schema: Schema, wire: unknown): Uint8Array {
  if (!(wire instanceof Uint8Array)) throw mismatch(schema, wire);
  return wire;
}

function mismatch(schema: Schema, wire: unknown): DataError {
  return new DataError(`Expected ${schema.name ?? schema.type} but the MessagePack data holds ${describe(wire)}`);
}

function describe(wire: unknown): string {
  if (wire instanceof Uint8Array) return `bin of ${wire.byteLength} bytes`;
  if (Array.isArray(wire)) return `an array of ${wire.length}`;
  if (wire instanceof Map) return 'a map';
  if (typeof wire === 'string') return `the string ${JSON.stringify(wire.length > 40 ? `${wire.slice(0, 40)}…` : wire)}`;
  if (typeof wire === 'object' && wire !== null) return 'a map';
  return `the ${typeof wire} ${String(wire)}`;
}

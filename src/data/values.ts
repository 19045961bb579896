/**
 * Values as text, the way Kafka Connect writes and reads them (org.apache.kafka.connect.data.Values):
 * convertToString() renders any Connect value, parseString() reads text back and infers its schema
 * (SimpleHeaderConverter is built on the two). Also here: how Java prints numbers (Double.toString,
 * Float.toString) and reads a decimal into a float, which JsonConverter shares.
 *
 * Dates are formatted and parsed in UTC. Java's Values uses the JVM's default time zone; Connect
 * workers normally run in UTC, and sluice does not let the host's zone change record contents.
 */
import {
  ConnectDate,
  ConnectTime,
  ConnectTimestamp,
  Decimal,
  DecimalValue,
  LOGICAL_DATE,
  LOGICAL_DECIMAL,
  LOGICAL_TIME,
  LOGICAL_TIMESTAMP,
} from './logical.js';
import { DataError, Schema, type SchemaAndValue, Type } from './schema.js';
import { SchemaBuilder } from './schema-builder.js';
import { Schemas } from './schemas.js';
import { Struct } from './struct.js';
import { javaClassOf } from './validate.js';

// =============================================================================================
// Java number formatting
// =============================================================================================

/**
 * Double.toString(v) as Java 19+ prints it: the shortest decimal that reads back as v (between two
 * of the same length, the nearer; when one digit would do, the nearest of one or two digits), as
 * plain notation for 1e-3 <= |v| < 1e7 and "1.0E10" style otherwise. Java 17's older algorithm
 * sometimes printed one more digit (2.82879384806159008E17).
 */
export function javaDoubleToString(v: number): string {
  // Whole numbers below 10^7 print plainly with ".0" in Java: the common case, without the search below.
  if (Number.isInteger(v) && v < 1e7 && v > -1e7 && !Object.is(v, -0)) return `${v}.0`;
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  let [digits, exp] = splitExponential(abs.toExponential());
  if (digits.length === 1) [digits, exp] = nearestTwoDigits(abs, (s) => Number(s) === abs);
  return (v < 0 ? '-' : '') + formatJavaDecimal(digits, exp);
}

/** Float.toString(v) (Java 19+) of v rounded to 32 bits: the same rules as javaDoubleToString. */
export function javaFloatToString(value: number): string {
  const v = Math.fround(value);
  if (Number.isNaN(v)) return 'NaN';
  if (v === Infinity) return 'Infinity';
  if (v === -Infinity) return '-Infinity';
  if (v === 0) return Object.is(v, -0) ? '-0.0' : '0.0';
  const abs = Math.abs(v);
  const roundsToAbs = (s: string): boolean => decimalToFloat32(s) === abs;
  // JavaScript has no shortest float formatter: try 2, 3, ... 9 significant digits.
  for (let precision = 2; precision <= 9; precision++) {
    const found = nearestCandidate(abs, precision, roundsToAbs);
    if (found) return (v < 0 ? '-' : '') + formatJavaDecimal(found[0], found[1]);
  }
  throw new Error(`unreachable: no 9-digit decimal reads back as float ${v}`);
}

/** "1.2345e+21" -> ["12345", 21] (digits without trailing zeros, exponent of the first digit). */
function splitExponential(s: string): [string, number] {
  const e = s.indexOf('e');
  const digits = s.slice(0, e).replace('.', '').replace(/0+$/, '') || '0';
  return [digits, Number(s.slice(e + 1))];
}

/** Java's rule when one digit suffices: the nearest decimal of at most two digits wins. */
function nearestTwoDigits(abs: number, roundsTo: (s: string) => boolean): [string, number] {
  return nearestCandidate(abs, 2, roundsTo)!;
}

/**
 * Of the two decimals with `precision` digits around `abs`, the nearer one that reads back as
 * `abs`, or null. toExponential gives the nearer (correctly rounded); the other one is one unit
 * away on the far side.
 */
function nearestCandidate(abs: number, precision: number, roundsTo: (s: string) => boolean): [string, number] | null {
  const nearest = abs.toExponential(precision - 1);
  if (roundsTo(nearest)) return splitExponential(nearest);
  const e = nearest.indexOf('e');
  const unscaled = BigInt(nearest.slice(0, e).replace('.', ''));
  const exp10 = Number(nearest.slice(e + 1)) - (precision - 1);
  const other = (Number(nearest) > abs ? unscaled - 1n : unscaled + 1n).toString();
  if (!roundsTo(`${other}e${exp10}`)) return null;
  return [other.replace(/0+$/, '') || '0', exp10 + other.length - 1];
}

/** Digits d1d2d3... with value d1.d2d3... × 10^exp, printed as Java's Double/Float.toString do. */
function formatJavaDecimal(digits: string, exp: number): string {
  if (exp >= -3 && exp < 7) {
    if (exp < 0) return `0.${'0'.repeat(-exp - 1)}${digits}`;
    const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, '0');
    return `${intPart}.${digits.slice(exp + 1) || '0'}`;
  }
  return `${digits[0]}.${digits.slice(1) || '0'}E${exp}`;
}

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);
const MAX_FLOAT = 3.4028234663852886e38;
/** Where floats would continue past MAX_FLOAT: the overflow boundary lies halfway to it. */
const FLOAT_OVERFLOW = 2 ** 128;

/** The float next to a positive float `f`, one step up (or down); Infinity steps down to MAX_FLOAT. */
function adjacentFloat(f: number, up: boolean): number {
  if (f === Infinity) return up ? Infinity : MAX_FLOAT;
  if (f === MAX_FLOAT && up) return FLOAT_OVERFLOW;
  f32[0] = f;
  u32[0] = u32[0]! + (up ? 1 : -1);
  return f32[0]!;
}

/**
 * A decimal string read as a 32-bit float with one rounding, as Java's Float.parseFloat and
 * BigDecimal.floatValue do. Math.fround(Number(s)) rounds twice and is wrong when the double lands
 * exactly between two floats; that case is settled with exact integer arithmetic.
 */
export function decimalToFloat32(text: string): number {
  const d = Number(text);
  const f = Math.fround(d);
  if (f === d || !Number.isFinite(d)) return f;
  const a = Math.abs(d);
  const fa = Math.abs(f);
  const lo = fa < a ? fa : adjacentFloat(fa, false);
  const hi = fa < a ? adjacentFloat(fa, true) : fa === Infinity ? FLOAT_OVERFLOW : fa;
  const mid = (lo + hi) / 2; // exact: floats have 24 significant bits, doubles 53
  if (a !== mid) return f;
  const cmp = compareDecimalToDouble(text.replace(/^[+-]/, ''), mid);
  if (cmp === 0) return f; // a true tie: fround chose the even one, as Java does
  const chosen = cmp < 0 ? lo : hi;
  return (d < 0 ? -1 : 1) * (chosen === FLOAT_OVERFLOW ? Infinity : chosen);
}

/** BigDecimal.valueOf(double): the decimal that Java's Double.toString names. */
export function decimalFromNumber(value: number): DecimalValue {
  if (!Number.isFinite(value)) throw new DataError(`Cannot make a decimal of ${value}`);
  return DecimalValue.parse(javaDoubleToString(value));
}

/** Exact comparison of a non-negative decimal string with a finite non-negative double: -1, 0 or 1. */
function compareDecimalToDouble(text: string, d: number): number {
  const dec = DecimalValue.parse(text);
  const [mantissa, exp2] = decomposeDouble(d);
  // dec = U / 10^S and d = M × 2^E; compare U × 2^max(0,-E) × 10^max(0,-S) with M × 2^max(0,E) × 10^max(0,S).
  let left = dec.unscaled;
  let right = mantissa;
  if (exp2 < 0) left <<= BigInt(-exp2);
  else right <<= BigInt(exp2);
  if (dec.scale < 0) left *= 10n ** BigInt(-dec.scale);
  else right *= 10n ** BigInt(dec.scale);
  return left === right ? 0 : left < right ? -1 : 1;
}

const f64 = new Float64Array(1);
const u64 = new BigUint64Array(f64.buffer);

/** A finite non-negative double as [M, E] with d = M × 2^E exactly. */
function decomposeDouble(d: number): [bigint, number] {
  f64[0] = d;
  const bits = u64[0]!;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fraction = bits & 0xfffffffffffffn;
  if (biased === 0) return [fraction, -1074];
  return [fraction | (1n << 52n), biased - 1075];
}

// =============================================================================================
// Values.convertToString and friends
// =============================================================================================

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000;
const NULL_VALUE = 'null';

/**
 * The text form of a value (Values.convertToString): strings as they are, numbers as Java prints
 * them, bytes in base64, lists as [a,b], maps as {k:v}, structs as {"field":value}, dates in ISO-8601
 * (time, date or timestamp form chosen by the value, as Java does). Null stays null.
 *
 * The schema tells how to print a number (Java knows from the value's class: Float, Double,
 * Integer...). Without one, an integral number prints as an integer and any other as a double.
 */
export function convertToString(schema: Schema | null, value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return append(value, false, schema);
}

function append(value: unknown, embedded: boolean, schema: Schema | null): string {
  if (value === null || value === undefined) return NULL_VALUE;
  if (typeof value === 'number') return numberToString(value, schema);
  if (typeof value === 'bigint' || typeof value === 'boolean') return String(value);
  if (value instanceof DecimalValue) return value.toString();
  if (typeof value === 'string') return embedded ? `"${escape(value)}"` : value;
  if (value instanceof Uint8Array) {
    const encoded = Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
    return embedded ? `"${encoded}"` : encoded;
  }
  if (Array.isArray(value)) {
    const elementSchema = schema?.type === Type.ARRAY ? schema.valueSchema : null;
    return `[${value.map((v) => append(v, true, elementSchema)).join(',')}]`;
  }
  if (value instanceof Map) {
    const isMap = schema?.type === Type.MAP;
    const parts: string[] = [];
    for (const [k, v] of value) {
      parts.push(`${append(k, true, isMap ? schema.keySchema : null)}:${append(v, true, isMap ? schema.valueSchema : null)}`);
    }
    return `{${parts.join(',')}}`;
  }
  if (value instanceof Struct) {
    const parts = value.schema.fields().map((f) => `${append(f.name, true, null)}:${append(value.get(f), true, f.schema)}`);
    return `{${parts.join(',')}}`;
  }
  if (value instanceof Date) return formatDate(value);
  throw new DataError(`Failed to serialize unexpected value type ${javaClassOf(value).replace(/^class /, '')}: ${String(value)}`);
}

function numberToString(value: number, schema: Schema | null): string {
  switch (schema?.type) {
    case Type.FLOAT32:
      return javaFloatToString(value);
    case Type.FLOAT64:
      return javaDoubleToString(value);
    case Type.INT8:
    case Type.INT16:
    case Type.INT32:
    case Type.INT64:
      return String(value);
    default:
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? String(value) : javaDoubleToString(value);
  }
}

/** Only backslashes and double quotes are escaped, as in Java. */
function escape(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"');
}

const pad = (n: number, width: number): string => String(n).padStart(width, '0');

function formatTime(d: Date): string {
  return `${pad(d.getUTCHours(), 2)}:${pad(d.getUTCMinutes(), 2)}:${pad(d.getUTCSeconds(), 2)}.${pad(d.getUTCMilliseconds(), 3)}Z`;
}

function formatDay(d: Date): string {
  const year = d.getUTCFullYear();
  // SimpleDateFormat's yyyy is the year of era: 1 BC prints as 0001.
  return `${pad(year > 0 ? year : 1 - year, 4)}-${pad(d.getUTCMonth() + 1, 2)}-${pad(d.getUTCDate(), 2)}`;
}

/** Values.dateFormatFor: a time below one day, a date at midnight, a timestamp otherwise. */
function formatDate(d: Date): string {
  const ms = d.getTime();
  if (ms < MILLIS_PER_DAY) return formatTime(d);
  if (ms % MILLIS_PER_DAY === 0) return formatDay(d);
  return `${formatDay(d)}T${formatTime(d)}`;
}

/**
 * The schema Java infers for a value (Values.inferSchema), or null. A number counts as the class
 * javaClassOf names (INT32, INT64 or FLOAT64); lists and maps need one element type throughout.
 */
export function inferSchema(value: unknown): Schema | null {
  if (typeof value === 'string') return Schemas.STRING_SCHEMA;
  if (typeof value === 'boolean') return Schemas.BOOLEAN_SCHEMA;
  if (typeof value === 'bigint') return Schemas.INT64_SCHEMA;
  if (typeof value === 'number') {
    const cls = javaClassOf(value);
    if (cls.endsWith('Integer')) return Schemas.INT32_SCHEMA;
    if (cls.endsWith('Long')) return Schemas.INT64_SCHEMA;
    return Schemas.FLOAT64_SCHEMA;
  }
  if (value instanceof Uint8Array) return Schemas.BYTES_SCHEMA;
  if (Array.isArray(value)) {
    if (value.length === 0) return null;
    const detector = new SchemaDetector();
    for (const element of value) if (!detector.canDetect(element)) return null;
    return SchemaBuilder.array(detector.schema()).build();
  }
  if (value instanceof Map) {
    if (value.size === 0) return null;
    const keys = new SchemaDetector();
    const values = new SchemaDetector();
    for (const [k, v] of value) if (!keys.canDetect(k) || !values.canDetect(v)) return null;
    return SchemaBuilder.map(keys.schema(), values.schema()).build();
  }
  if (value instanceof Struct) return value.schema;
  return null;
}

class SchemaDetector {
  private knownType: Type | null = null;
  private optional = false;

  canDetect(value: unknown): boolean {
    if (value === null || value === undefined) {
      this.optional = true;
      return true;
    }
    const schema = inferSchema(value);
    if (schema === null) return false;
    this.knownType ??= schema.type;
    return this.knownType === schema.type;
  }

  schema(): Schema {
    // Java's SchemaBuilder.type(null) throws here when every element was null; so does this.
    const builder = new SchemaBuilder(this.knownType as Type);
    if (this.optional) builder.optional();
    return builder.build();
  }
}

// =============================================================================================
// Values.parseString
// =============================================================================================

const ARRAY_OF_NULL = new Schema({ type: Type.ARRAY });
const MAP_OF_NULL = new Schema({ type: Type.MAP });
const TRUE_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN_SCHEMA, value: true });
const FALSE_SCHEMA_AND_VALUE: SchemaAndValue = Object.freeze({ schema: Schemas.BOOLEAN_SCHEMA, value: false });
const ISO_8601_DATE_LENGTH = 'yyyy-MM-dd'.length;
const ISO_8601_TIME_LENGTH = 'HH:mm:ss.SSSZ'.length;
const ISO_8601_TIMESTAMP_LENGTH = 'yyyy-MM-ddTHH:mm:ss.SSSZ'.length;

/**
 * Reads text back into a value and infers its schema (Values.parseString): "true" is a BOOLEAN,
 * "12" an INT8, "1.5" a FLOAT32, "[1,2]" an ARRAY, "{a:1}" a MAP, "2024-01-31" a Date, anything
 * else the STRING itself. Returns null for the literal "null", `{ schema: null, value: null }` for
 * null, and the STRING schema for "".
 */
export function parseString(value: string | null): SchemaAndValue | null {
  if (value === null || value === undefined) return { schema: null, value: null };
  if (value === '') return { schema: Schemas.STRING_SCHEMA, value };
  return new ValueParser(new Parser(value)).parse(false);
}

/** Java's String.trim(): strips chars up to U+0020, not Unicode whitespace. */
function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

const isBlank = (s: string | null): boolean => s === null || javaTrim(s) === '';

/** The tokenizer of Values: splits at unescaped : , { } [ ] and double quotes. */
class Parser {
  private pos = 0;
  private nextToken: string | null = null;
  private previousToken: string | null = null;

  constructor(readonly original: string) {}

  position(): number {
    return this.pos;
  }

  mark(): number {
    return this.pos - (this.nextToken !== null ? this.nextToken.length : 0);
  }

  rewindTo(position: number): void {
    this.pos = position;
    this.nextToken = null;
    this.previousToken = null;
  }

  hasNext(): boolean {
    return this.nextToken !== null || this.canConsumeNextToken();
  }

  private canConsumeNextToken(): boolean {
    return this.original.length > this.pos;
  }

  next(): string {
    if (this.nextToken !== null) {
      this.previousToken = this.nextToken;
      this.nextToken = null;
    } else {
      this.previousToken = this.consumeNextToken();
    }
    return this.previousToken;
  }

  /** The text of the next n tokens, or null (and no tokens consumed) if there are fewer. */
  nextTokens(n: number): string | null {
    const start = this.mark();
    for (let i = 0; i !== n; ++i) {
      if (!this.hasNext()) {
        this.rewindTo(start);
        return null;
      }
      this.next();
    }
    return this.original.substring(start, this.position());
  }

  private consumeNextToken(): string {
    let escaped = false;
    const start = this.pos;
    const s = this.original;
    while (this.pos < s.length) {
      const c = s[this.pos];
      switch (c) {
        case '\\':
          escaped = !escaped;
          break;
        case ':':
        case ',':
        case '{':
        case '}':
        case '[':
        case ']':
        case '"':
          if (!escaped) {
            if (start < this.pos) return s.substring(start, this.pos);
            this.pos++;
            return s.substring(start, start + 1);
          }
          escaped = false;
          break;
        default:
          escaped = false;
      }
      this.pos++;
    }
    return s.substring(start, this.pos);
  }

  previous(): string | null {
    return this.previousToken;
  }

  /** Consumes the next non-blank token if it is `expected` (ignoring surrounding whitespace). */
  canConsume(expected: string): boolean {
    if (this.nextToken === null) {
      if (!this.hasNext()) return false;
      this.nextToken = this.consumeNextToken();
    }
    while (isBlank(this.nextToken) && this.canConsumeNextToken()) this.nextToken = this.consumeNextToken();
    if (javaTrim(this.nextToken!) === expected) {
      this.nextToken = null;
      return true;
    }
    return false;
  }
}

class ValueParser {
  constructor(private readonly parser: Parser) {}

  private canParseSingleTokenLiteral(embedded: boolean, literal: string): boolean {
    const start = this.parser.mark();
    // A top-level "true}" is the string "true}", not the boolean followed by junk.
    if (this.parser.canConsume(literal) && (embedded || !this.parser.hasNext())) return true;
    this.parser.rewindTo(start);
    return false;
  }

  parse(embedded: boolean): SchemaAndValue | null {
    const parser = this.parser;
    if (!parser.hasNext()) return null;
    if (embedded && parser.canConsume('"')) return this.parseQuotedString();
    if (this.canParseSingleTokenLiteral(embedded, NULL_VALUE)) return null;
    if (this.canParseSingleTokenLiteral(embedded, 'true')) return TRUE_SCHEMA_AND_VALUE;
    if (this.canParseSingleTokenLiteral(embedded, 'false')) return FALSE_SCHEMA_AND_VALUE;

    const startPosition = parser.mark();
    try {
      if (parser.canConsume('[')) return this.parseArray();
      if (parser.canConsume('{')) return this.parseMap();
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
      // Not a well-formed array or map: read it as a string instead.
      parser.rewindTo(startPosition);
    }

    const token = parser.next();
    if (isBlank(token)) return { schema: Schemas.STRING_SCHEMA, value: token };
    return this.parseNextToken(embedded, javaTrim(token));
  }

  private parseNextToken(embedded: boolean, token: string): SchemaAndValue {
    const firstCharIsDigit = /^\p{Nd}/u.test(token);
    // Temporal types are more restrictive, so they are tried first.
    if (firstCharIsDigit) {
      const temporal = this.parseMultipleTokensAsTemporal(token);
      if (temporal) return temporal;
    }
    if (firstCharIsDigit || token[0] === '+' || token[0] === '-') {
      const number = parseAsNumber(token);
      if (number) return number;
    }
    if (embedded) throw new DataError('Failed to parse embedded value');
    return { schema: Schemas.STRING_SCHEMA, value: this.parser.original };
  }

  private parseQuotedString(): SchemaAndValue {
    let content = '';
    while (this.parser.hasNext()) {
      if (this.parser.canConsume('"')) break;
      content += this.parser.next();
    }
    // Escapes stay as they are, as in Java.
    return parseAsTemporal(content) ?? { schema: Schemas.STRING_SCHEMA, value: content };
  }

  private parseArray(): SchemaAndValue {
    const parser = this.parser;
    let result: unknown[] = [];
    const elementSchema = new SchemaMerger();
    while (parser.hasNext()) {
      if (parser.canConsume(']')) {
        if (!elementSchema.hasCommonSchema()) return { schema: ARRAY_OF_NULL, value: result };
        const listSchema = SchemaBuilder.array(elementSchema.schema()!).build();
        result = result.map((v) => convertTo(listSchema.valueSchema!, null, v));
        return { schema: listSchema, value: result };
      }
      if (parser.canConsume(',')) throw new DataError(`Unable to parse an empty array element: ${parser.original}`);
      const element = this.parse(true);
      elementSchema.merge(element);
      result.push(element ? element.value : null);

      const currentPosition = parser.mark();
      if (parser.canConsume(']')) parser.rewindTo(currentPosition);
      else if (!parser.canConsume(',')) throw new DataError("Array elements missing ',' delimiter");
    }
    if (parser.previous() === ',') throw new DataError(`Array is missing element after ',': ${parser.original}`);
    throw new DataError(`Array is missing terminating ']': ${parser.original}`);
  }

  private parseMap(): SchemaAndValue {
    const parser = this.parser;
    const result = new Map<unknown, unknown>();
    const keySchema = new SchemaMerger();
    const valueSchema = new SchemaMerger();
    while (parser.hasNext()) {
      if (parser.canConsume('}')) {
        if (keySchema.hasCommonSchema() && valueSchema.hasCommonSchema()) {
          const mapSchema = SchemaBuilder.map(keySchema.schema()!, valueSchema.schema()!).build();
          const aligned = new Map<unknown, unknown>();
          for (const [k, v] of result) {
            aligned.set(convertTo(mapSchema.keySchema!, null, k), convertTo(mapSchema.valueSchema!, null, v));
          }
          return { schema: mapSchema, value: aligned };
        }
        if (keySchema.hasCommonSchema()) {
          const mapSchema = new Schema({ type: Type.MAP, keySchema: keySchema.schema() });
          const aligned = new Map<unknown, unknown>();
          for (const [k, v] of result) aligned.set(convertTo(mapSchema.keySchema!, null, k), v);
          return { schema: mapSchema, value: aligned };
        }
        return { schema: MAP_OF_NULL, value: result };
      }

      if (parser.canConsume(',')) throw new DataError(`Unable to parse a map entry with no key or value: ${parser.original}`);
      const key = this.parse(true);
      if (key === null || key.value === null) throw new DataError(`Map entry may not have a null key: ${parser.original}`);
      if (!parser.canConsume(':')) {
        throw new DataError(`Map entry is missing ':' at ${parser.position()} in ${parser.original}`);
      }
      const value = this.parse(true);
      result.set(key.value, value ? value.value : null);

      parser.canConsume(',');
      keySchema.merge(key);
      valueSchema.merge(value);
    }
    if (parser.previous() === ',') throw new DataError(`Map is missing element after ',': ${parser.original}`);
    throw new DataError(`Map is missing terminating '}': ${parser.original}`);
  }

  /** A time or timestamp is split into tokens at its colons: try the token with the next four. */
  private parseMultipleTokensAsTemporal(token: string): SchemaAndValue | null {
    const position = this.parser.mark();
    const remainder = this.parser.nextTokens(4);
    if (remainder !== null) {
      const temporal = parseAsTemporal(token + remainder);
      if (temporal) return temporal;
    }
    this.parser.rewindTo(position);
    return parseAsTemporal(token);
  }
}

class SchemaMerger {
  private common: Schema | null = null;
  private compatible = true;

  merge(latest: SchemaAndValue | null): void {
    if (latest && latest.schema && this.compatible) {
      if (this.common === null) {
        this.common = latest.schema;
      } else {
        this.common = mergeSchemas(this.common, latest.schema);
        this.compatible = this.common !== null;
      }
    }
  }

  hasCommonSchema(): boolean {
    return this.common !== null;
  }

  schema(): Schema | null {
    return this.common;
  }
}

const NUMERIC_ORDER = [Type.INT8, Type.INT16, Type.INT32, Type.INT64, Type.FLOAT32, Type.FLOAT64];

/** The wider of two numeric schemas (Values.mergeSchemas), the schema if both agree, else null. */
function mergeSchemas(previous: Schema, newSchema: Schema): Schema | null {
  if (previous.type !== newSchema.type) {
    const a = NUMERIC_ORDER.indexOf(previous.type);
    const b = NUMERIC_ORDER.indexOf(newSchema.type);
    if (a < 0 || b < 0) return null;
    return b > a ? newSchema : previous;
  }
  if (previous.optional === newSchema.optional) return previous.optional ? previous : newSchema;
  return previous.equals(newSchema) ? previous : null;
}

function parseAsNumber(token: string): SchemaAndValue | null {
  let decimal: DecimalValue;
  try {
    decimal = DecimalValue.parse(token);
  } catch {
    return null;
  }
  const exact = parseAsExactDecimal(decimal);
  if (exact) return exact;
  const text = decimal.toString();
  const fValue = decimalToFloat32(text);
  if (Number.isFinite(fValue) && decimal.scale !== 0) return { schema: Schemas.FLOAT32_SCHEMA, value: fValue };
  const dValue = Number(text);
  if (Number.isFinite(dValue) && decimal.scale !== 0) return { schema: Schemas.FLOAT64_SCHEMA, value: dValue };
  return { schema: Decimal.schema(decimal.scale), value: decimal };
}

/** Whole numbers up to 1e19 in magnitude become the narrowest of INT8..INT64 that holds them. */
function parseAsExactDecimal(decimal: DecimalValue): SchemaAndValue | null {
  const abs = decimal.unscaled < 0n ? new DecimalValue(-decimal.unscaled, decimal.scale) : decimal;
  if (abs.compareTo(new DecimalValue(10n ** 19n, 0)) > 0 || (abs.compareTo(new DecimalValue(1n, 0)) < 0 && abs.signum() !== 0)) {
    return null;
  }
  const integral = decimal.toBigInt();
  if (new DecimalValue(integral, 0).compareTo(decimal) !== 0) return null;
  if (integral < -(2n ** 63n) || integral > 2n ** 63n - 1n) return null;
  if (integral >= -128n && integral <= 127n) return { schema: Schemas.INT8_SCHEMA, value: Number(integral) };
  if (integral >= -32768n && integral <= 32767n) return { schema: Schemas.INT16_SCHEMA, value: Number(integral) };
  if (integral >= -2147483648n && integral <= 2147483647n) return { schema: Schemas.INT32_SCHEMA, value: Number(integral) };
  return { schema: Schemas.INT64_SCHEMA, value: integral };
}

const TIME_PATTERN = /^(-?\d+):(-?\d+):(-?\d+)\.(-?\d+)Z/;
const DATE_PATTERN = /^(-?\d+)-(-?\d+)-(-?\d+)/;
const TIMESTAMP_PATTERN = /^(-?\d+)-(-?\d+)-(-?\d+)T(-?\d+):(-?\d+):(-?\d+)\.(-?\d+)Z/;

/**
 * Time (13 chars), timestamp (24) or date (10) text, parsed leniently like SimpleDateFormat:
 * out-of-range fields roll over ("2024-13-01" is 2025-01-01) and text after the pattern is ignored.
 */
function parseAsTemporal(text: string | null): SchemaAndValue | null {
  if (text === null) return null;
  const token = text.replaceAll('\\:', ':');
  let m: RegExpExecArray | null;
  switch (token.length) {
    case ISO_8601_TIME_LENGTH:
      m = TIME_PATTERN.exec(token);
      return m ? { schema: ConnectTime.SCHEMA, value: utc(1970, 1, 1, m[1], m[2], m[3], m[4]) } : null;
    case ISO_8601_TIMESTAMP_LENGTH:
      m = TIMESTAMP_PATTERN.exec(token);
      return m ? { schema: ConnectTimestamp.SCHEMA, value: utc(m[1], m[2], m[3], m[4], m[5], m[6], m[7]) } : null;
    case ISO_8601_DATE_LENGTH:
      m = DATE_PATTERN.exec(token);
      return m ? { schema: ConnectDate.SCHEMA, value: utc(m[1], m[2], m[3], 0, 0, 0, 0) } : null;
    default:
      return null;
  }
}

function utc(...fields: (string | number | undefined)[]): Date {
  const [y, mo, d, h, mi, s, ms] = fields.map(Number) as [number, number, number, number, number, number, number];
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: years 0..99 are literal years, as with SimpleDateFormat's yyyy.
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, ms);
  return date;
}

// ---- Values.convertTo: used to align parsed list and map elements with their common schema ----

function convertTo(toSchema: Schema, fromSchema: Schema | null, value: unknown): unknown {
  if (value === null || value === undefined) {
    if (toSchema.optional) return null;
    throw new DataError('Unable to convert a null value to a schema that requires a value');
  }
  switch (toSchema.type) {
    case Type.BYTES:
      return toSchema.name === LOGICAL_DECIMAL ? convertToDecimal(toSchema, value) : convertToBytes(toSchema, value);
    case Type.STRING:
      return convertToString(fromSchema, value);
    case Type.BOOLEAN:
      if (typeof value === 'boolean') return value;
      if (typeof value === 'string') {
        const parsed = parseString(value);
        if (typeof parsed?.value === 'boolean') return parsed.value;
      }
      return asLong(value, fromSchema) !== 0n;
    case Type.INT8:
      return Number(BigInt.asIntN(8, asLong(value, fromSchema)));
    case Type.INT16:
      return Number(BigInt.asIntN(16, asLong(value, fromSchema)));
    case Type.INT32:
      if (toSchema.name === LOGICAL_DATE) return convertToTemporal(toSchema, fromSchema, value);
      if (toSchema.name === LOGICAL_TIME) return convertToTemporal(toSchema, fromSchema, value);
      return Number(BigInt.asIntN(32, asLong(value, fromSchema)));
    case Type.INT64:
      if (toSchema.name === LOGICAL_TIMESTAMP) return convertToTemporal(toSchema, fromSchema, value);
      return asLong(value, fromSchema);
    case Type.FLOAT32:
      return Math.fround(asDouble(value, fromSchema));
    case Type.FLOAT64:
      return asDouble(value, fromSchema);
    case Type.ARRAY:
      if (Array.isArray(value)) return value;
      throw unableToConvert(value, toSchema);
    case Type.MAP:
      if (value instanceof Map) return value;
      throw unableToConvert(value, toSchema);
    case Type.STRUCT:
      if (value instanceof Struct) return value;
      throw unableToConvert(value, toSchema);
  }
}

function unableToConvert(value: unknown, to: Schema | string): DataError {
  return new DataError(`Unable to convert ${String(value)} (${javaClassOf(value)}) to ${String(to)}`);
}

function convertToDecimal(toSchema: Schema, value: unknown): DecimalValue {
  if (value instanceof Uint8Array) return Decimal.toLogical(toSchema, value);
  if (value instanceof DecimalValue) return value;
  if (typeof value === 'number') return decimalFromNumber(value);
  if (typeof value === 'bigint') return new DecimalValue(value, 0);
  if (typeof value === 'string') return DecimalValue.parse(value);
  throw unableToConvert(value, toSchema);
}

function convertToBytes(toSchema: Schema, value: unknown): Uint8Array {
  if (value instanceof Uint8Array) return value;
  if (value instanceof DecimalValue) return Decimal.fromLogical(toSchema, value);
  throw unableToConvert(value, toSchema);
}

/** Date, Time or Timestamp from another temporal value, a number, or text (Values.convertToDate etc.). */
function convertToTemporal(toSchema: Schema, fromSchema: Schema | null, input: unknown): Date {
  let value = input;
  if (typeof value === 'string') value = parseString(value)?.value ?? null;
  if (value instanceof Date) {
    if (fromSchema === null || fromSchema.name === toSchema.name) return value;
    const ms = value.getTime();
    if (toSchema.name === LOGICAL_DATE && fromSchema.name === LOGICAL_TIMESTAMP) {
      return ConnectDate.toLogical(toSchema, Math.trunc(ms / MILLIS_PER_DAY));
    }
    if (toSchema.name === LOGICAL_TIME && fromSchema.name === LOGICAL_TIMESTAMP) {
      return ConnectTime.toLogical(toSchema, ((ms % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
    }
    if (toSchema.name === LOGICAL_TIMESTAMP && fromSchema.name === LOGICAL_DATE) {
      return ConnectTimestamp.toLogical(toSchema, ConnectDate.fromLogical(fromSchema, value) * MILLIS_PER_DAY);
    }
    if (toSchema.name === LOGICAL_TIMESTAMP && fromSchema.name === LOGICAL_TIME) {
      return ConnectTimestamp.toLogical(toSchema, ConnectTime.fromLogical(fromSchema, value));
    }
  }
  const numeric = asLong(value, fromSchema);
  if (toSchema.name === LOGICAL_TIMESTAMP) return ConnectTimestamp.toLogical(toSchema, numeric);
  const int = Number(BigInt.asIntN(32, numeric));
  return toSchema.name === LOGICAL_DATE ? ConnectDate.toLogical(toSchema, int) : ConnectTime.toLogical(toSchema, int);
}

const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

/** Number.longValue() of a carrier, or of text read as a BigDecimal (Values.asLong). */
function asLong(value: unknown, fromSchema: Schema | null, cause?: unknown): bigint {
  try {
    if (typeof value === 'bigint') return BigInt.asIntN(64, value);
    if (typeof value === 'number') {
      // (long) of a double: truncation, saturating at the long range, NaN is 0.
      if (Number.isNaN(value)) return 0n;
      if (value >= 2 ** 63) return LONG_MAX;
      if (value <= -(2 ** 63)) return LONG_MIN;
      return BigInt(Math.trunc(value));
    }
    if (value instanceof DecimalValue) return BigInt.asIntN(64, value.toBigInt());
    if (typeof value === 'string') return BigInt.asIntN(64, DecimalValue.parse(value).toBigInt());
  } catch (e) {
    cause = e;
  }
  if (fromSchema !== null) {
    if (value instanceof Date) {
      if (fromSchema.name === LOGICAL_DATE) return BigInt(ConnectDate.fromLogical(fromSchema, value));
      if (fromSchema.name === LOGICAL_TIME) return BigInt(ConnectTime.fromLogical(fromSchema, value));
      if (fromSchema.name === LOGICAL_TIMESTAMP) return BigInt(ConnectTimestamp.fromLogical(fromSchema, value));
    }
    throw new DataError(`Unable to convert ${String(value)} (${javaClassOf(value)}) to ${fromSchema}`, { cause });
  }
  throw new DataError(`Unable to convert ${String(value)} (${javaClassOf(value)}) to a number`, { cause });
}

function asDouble(value: unknown, fromSchema: Schema | null): number {
  let cause: unknown;
  try {
    if (typeof value === 'number') return value;
    if (typeof value === 'bigint') return Number(value);
    if (value instanceof DecimalValue) return value.toNumber();
    if (typeof value === 'string') return DecimalValue.parse(value).toNumber();
  } catch (e) {
    cause = e;
  }
  return Number(asLong(value, fromSchema, cause));
}

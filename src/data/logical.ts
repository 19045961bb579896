/**
 * Connect's logical types (org.apache.kafka.connect.data.Decimal, Date, Time, Timestamp) and the
 * DecimalValue that carries a Decimal (Java's BigDecimal).
 *
 * The Java classes are named Date, Time and Timestamp; here they are ConnectDate, ConnectTime and
 * ConnectTimestamp so they never shadow JavaScript's global Date. Their values are JavaScript Dates.
 */
import { DataError, Schema, Type } from './schema.js';
import { SchemaBuilder } from './schema-builder.js';

export const LOGICAL_DECIMAL = 'org.apache.kafka.connect.data.Decimal';
export const LOGICAL_DATE = 'org.apache.kafka.connect.data.Date';
export const LOGICAL_TIME = 'org.apache.kafka.connect.data.Time';
export const LOGICAL_TIMESTAMP = 'org.apache.kafka.connect.data.Timestamp';

const MILLIS_PER_DAY = 24 * 60 * 60 * 1000;
/** The largest |epoch millis| a JavaScript Date holds (java.util.Date holds any long). */
const MAX_JS_DATE_MILLIS = 8.64e15;

const INT32_MIN = -2147483648;
const INT32_MAX = 2147483647;

/**
 * An arbitrary-precision decimal: unscaled × 10^-scale, as Java's BigDecimal. Equality is Java's too:
 * 1.5 and 1.50 differ (use compareTo for numeric order).
 */
export class DecimalValue {
  constructor(
    readonly unscaled: bigint,
    readonly scale: number,
  ) {
    if (!Number.isInteger(scale) || scale < INT32_MIN || scale > INT32_MAX) {
      throw new RangeError(`Decimal scale must be a 32-bit integer: ${scale}`);
    }
  }

  /** Parses like `new BigDecimal(String)`: "12.34", "-1E+3", "1.5e-7". Throws a NumberFormatException. */
  static parse(text: string): DecimalValue {
    const m = /^([+-]?)(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/.exec(text);
    if (!m || (m[2]!.length === 0 && (m[3] ?? '').length === 0)) throw numberFormat(`Character array is missing "exponent" mark 'e' or 'E'.`, text);
    const fraction = m[3] ?? '';
    const exponent = m[4] === undefined ? 0 : Number(m[4]);
    const scale = fraction.length - exponent;
    if (!Number.isSafeInteger(exponent) || scale < INT32_MIN || scale > INT32_MAX) throw numberFormat('Exponent overflow.', text);
    const unscaled = BigInt(`${m[1] === '-' ? '-' : ''}${m[2]}${fraction}` || '0');
    return new DecimalValue(unscaled, scale);
  }

  signum(): number {
    return this.unscaled === 0n ? 0 : this.unscaled < 0n ? -1 : 1;
  }

  equals(other: unknown): boolean {
    return other instanceof DecimalValue && other.unscaled === this.unscaled && other.scale === this.scale;
  }

  /** Numeric comparison ignoring scale: -1, 0 or 1. */
  compareTo(other: DecimalValue): number {
    const scale = Math.max(this.scale, other.scale);
    const a = this.unscaled * 10n ** BigInt(scale - this.scale);
    const b = other.unscaled * 10n ** BigInt(scale - other.scale);
    return a === b ? 0 : a < b ? -1 : 1;
  }

  /** BigDecimal.toString(): plain unless the exponent is positive or below -6, then "1.5E+7". */
  toString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const sign = negative ? '-' : '';
    const adjusted = -this.scale + (digits.length - 1);
    if (this.scale >= 0 && adjusted >= -6) return sign + placePoint(digits, this.scale);
    const mantissa = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
    return `${sign}${mantissa}E${adjusted > 0 ? '+' : ''}${adjusted}`;
  }

  /** BigDecimal.toPlainString(): never an exponent. */
  toPlainString(): string {
    const negative = this.unscaled < 0n;
    const digits = (negative ? -this.unscaled : this.unscaled).toString();
    const sign = negative ? '-' : '';
    if (this.scale <= 0) return sign + digits + (this.unscaled === 0n ? '' : '0'.repeat(-this.scale));
    return sign + placePoint(digits, this.scale);
  }

  /** BigDecimal.doubleValue(): the nearest double. */
  toNumber(): number {
    return Number(this.toString());
  }

  /** The integer part (truncated toward zero), as BigDecimal.toBigInteger(). */
  toBigInt(): bigint {
    if (this.scale <= 0) return this.unscaled * 10n ** BigInt(-this.scale);
    return this.unscaled / 10n ** BigInt(this.scale);
  }
}

function placePoint(digits: string, scale: number): string {
  if (scale === 0) return digits;
  if (digits.length > scale) return `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  return `0.${'0'.repeat(scale - digits.length)}${digits}`;
}

function numberFormat(reason: string, text: string): Error {
  const error = new Error(`${reason} (${text})`);
  error.name = 'NumberFormatException';
  return error;
}

/** BigInteger.toByteArray(): minimal big-endian two's complement (zero is one 0x00 byte). */
export function bigIntToTwosComplement(value: bigint): Uint8Array {
  let length = 1;
  while (value < -(1n << BigInt(8 * length - 1)) || value >= 1n << BigInt(8 * length - 1)) length++;
  let v = value < 0n ? (1n << BigInt(8 * length)) + value : value;
  const out = new Uint8Array(length);
  for (let i = length - 1; i >= 0; i--) {
    out[i] = Number(v & 0xffn);
    v >>= 8n;
  }
  return out;
}

/** new BigInteger(byte[]): big-endian two's complement. Throws on an empty array, as Java does. */
export function twosComplementToBigInt(bytes: Uint8Array): bigint {
  if (bytes.length === 0) throw numberFormat('Zero length BigInteger', '');
  let v = 0n;
  for (const b of bytes) v = (v << 8n) | BigInt(b);
  if (bytes[0]! & 0x80) v -= 1n << BigInt(8 * bytes.length);
  return v;
}

/** A JavaScript Date for epoch millis, or a DataError where java.util.Date would go but JS cannot. */
export function dateFromMillis(millis: number | bigint, what: string): Date {
  return new Date(millisInDateRange(millis, what));
}

/** Epoch millis as a number, with dateFromMillis's check: the DataError where a JavaScript Date cannot hold them. */
export function millisInDateRange(millis: number | bigint, what: string): number {
  const ms = Number(millis);
  if (!(Math.abs(ms) <= MAX_JS_DATE_MILLIS)) {
    throw new DataError(`${what} value ${millis} ms is outside the range of a JavaScript Date (±8.64e15 ms)`);
  }
  return ms;
}

function checkDate(value: Date, what: string): number {
  const ms = value.getTime();
  if (Number.isNaN(ms)) throw new DataError(`Invalid ${what}: the JavaScript Date is not a valid date`);
  return ms;
}

/** Decimal: BYTES holding the unscaled value in two's complement; the `scale` parameter is fixed. */
export class Decimal {
  static readonly LOGICAL_NAME = LOGICAL_DECIMAL;
  static readonly SCALE_FIELD = 'scale';

  static builder(scale: number): SchemaBuilder {
    return SchemaBuilder.bytes().name(LOGICAL_DECIMAL).parameter(Decimal.SCALE_FIELD, String(scale)).version(1);
  }

  static schema(scale: number): Schema {
    return Decimal.builder(scale).build();
  }

  static fromLogical(schema: Schema, value: DecimalValue): Uint8Array {
    const schemaScale = Decimal.scale(schema);
    if (value.scale !== schemaScale) {
      throw new DataError(
        `Decimal value has mismatching scale for given Decimal schema. Schema has scale ${schemaScale}, value has scale ${value.scale}.`,
      );
    }
    return bigIntToTwosComplement(value.unscaled);
  }

  static toLogical(schema: Schema, value: Uint8Array): DecimalValue {
    return new DecimalValue(twosComplementToBigInt(value), Decimal.scale(schema));
  }

  /**
   * The schema's scale. Java throws a NullPointerException for a schema with no parameters at all;
   * sluice reports it as the missing scale it is.
   */
  static scale(schema: { parameters: Readonly<Record<string, string>> | null }): number {
    const scaleString = schema.parameters?.[Decimal.SCALE_FIELD];
    if (scaleString == null) throw new DataError('Invalid Decimal schema: scale parameter not found.');
    const scale = /^[+-]?\d+$/.test(scaleString) ? Number(scaleString) : Number.NaN;
    if (!Number.isInteger(scale) || scale < INT32_MIN || scale > INT32_MAX) {
      throw new DataError('Invalid scale parameter found in Decimal schema: ', {
        cause: numberFormat(`For input string: "${scaleString}"`, scaleString),
      });
    }
    return scale;
  }
}

/** Date: INT32 days since the epoch; the JavaScript Date must be midnight UTC. */
export class ConnectDate {
  static readonly LOGICAL_NAME = LOGICAL_DATE;
  static readonly SCHEMA: Schema = new Schema({ type: Type.INT32, name: LOGICAL_DATE, version: 1 });

  static builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LOGICAL_DATE).version(1);
  }

  static fromLogical(schema: { name: string | null }, value: Date): number {
    if (schema.name !== LOGICAL_DATE) throw new DataError('Requested conversion of Date object but the schema does not match.');
    const ms = checkDate(value, 'Date');
    if (ms % MILLIS_PER_DAY !== 0) {
      throw new DataError('Kafka Connect Date type should not have any time fields set to non-zero values.');
    }
    return ms / MILLIS_PER_DAY;
  }

  static toLogical(schema: { name: string | null }, value: number): Date {
    if (schema.name !== LOGICAL_DATE) throw new DataError('Requested conversion of Date object but the schema does not match.');
    return dateFromMillis(value * MILLIS_PER_DAY, 'Date');
  }
}

/** Time: INT32 milliseconds since midnight; the JavaScript Date must lie on 1970-01-01 UTC. */
export class ConnectTime {
  static readonly LOGICAL_NAME = LOGICAL_TIME;
  static readonly SCHEMA: Schema = new Schema({ type: Type.INT32, name: LOGICAL_TIME, version: 1 });

  static builder(): SchemaBuilder {
    return SchemaBuilder.int32().name(LOGICAL_TIME).version(1);
  }

  static fromLogical(schema: { name: string | null }, value: Date): number {
    if (schema.name !== LOGICAL_TIME) throw new DataError('Requested conversion of Time object but the schema does not match.');
    const ms = checkDate(value, 'Time');
    // Java lets 86400000 (midnight at the end of the day) through; so does sluice.
    if (ms < 0 || ms > MILLIS_PER_DAY) {
      throw new DataError('Kafka Connect Time type should not have any date fields set to non-zero values.');
    }
    return ms;
  }

  static toLogical(schema: { name: string | null }, value: number): Date {
    // Java's message says "Date" here too.
    if (schema.name !== LOGICAL_TIME) throw new DataError('Requested conversion of Date object but the schema does not match.');
    if (value < 0 || value > MILLIS_PER_DAY) {
      throw new DataError('Time values must use number of milliseconds greater than 0 and less than 86400000');
    }
    return new Date(value);
  }
}

/** Timestamp: INT64 milliseconds since the epoch. */
export class ConnectTimestamp {
  static readonly LOGICAL_NAME = LOGICAL_TIMESTAMP;
  static readonly SCHEMA: Schema = new Schema({ type: Type.INT64, name: LOGICAL_TIMESTAMP, version: 1 });

  static builder(): SchemaBuilder {
    return SchemaBuilder.int64().name(LOGICAL_TIMESTAMP).version(1);
  }

  static fromLogical(schema: { name: string | null }, value: Date): number {
    if (schema.name !== LOGICAL_TIMESTAMP) {
      throw new DataError('Requested conversion of Timestamp object but the schema does not match.');
    }
    return checkDate(value, 'Timestamp');
  }

  static toLogical(schema: { name: string | null }, value: number | bigint): Date {
    if (schema.name !== LOGICAL_TIMESTAMP) {
      throw new DataError('Requested conversion of Timestamp object but the schema does not match.');
    }
    return dateFromMillis(value, 'Timestamp');
  }
}

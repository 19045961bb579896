/**
 * IntegerConverter, LongConverter, ShortConverter, FloatConverter and DoubleConverter
 * (org.apache.kafka.connect.converters): Kafka's IntegerSerializer, LongSerializer, ... as
 * converters. Reads give OPTIONAL_INT32, OPTIONAL_INT64 (a bigint), OPTIONAL_INT16, OPTIONAL_FLOAT32
 * and OPTIONAL_FLOAT64; the schema passed to fromConnectData is ignored, as in Java.
 *
 * Which values each accepts. Java requires the exact boxed class (an Integer for IntegerConverter,
 * a Long for LongConverter, ...) and reports any other as "Failed to serialize to integer (was class
 * java.lang.String): ". JavaScript has one number type, so sluice accepts any number that the
 * target type holds exactly: an integral number in range for Short/Integer/Long (and a bigint for
 * Long), any number for Double, any number within float range for Float (rounded to the nearest
 * float, as Java's (float) cast does). Deliberate difference: where Java would reject an Integer
 * given to ShortConverter or LongConverter, sluice writes it when it fits. Everything else — strings,
 * booleans, fractions for the integer types, a bigint for anything but Long, numbers out of range —
 * fails with Java's message and the class Java would have seen (javaClassOf).
 */
import { DecimalValue } from '../../data/logical.js';
import { DataError, type Schema } from '../../data/schema.js';
import { Schemas } from '../../data/schemas.js';
import { javaClassOf } from '../../data/validate.js';
import { classCastError, PrimitiveConverter } from './primitive-converter.js';
import {
  DOUBLE_SERDE,
  FLOAT_SERDE,
  INTEGER_SERDE,
  LONG_SERDE,
  SHORT_SERDE,
  type PrimitiveSerde,
} from './serializers.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/** NumberConverter: the value's JavaScript carrier decides whether it fits. */
abstract class NumberConverter<T> extends PrimitiveConverter<T> {
  protected constructor(
    typeName: string,
    schema: Schema,
    serde: PrimitiveSerde<T>,
    /** The Java class the serializer casts to, for the ClassCastException cause. */
    private readonly javaClass: string,
    /** The value as the serializer wants it, or undefined when it does not fit. */
    private readonly cast: (value: unknown) => T | undefined,
  ) {
    super(typeName, schema, serde);
  }

  protected prepare(_schema: unknown, value: unknown): T {
    const cast = this.cast(value);
    if (cast !== undefined) return cast;
    const valueClass = javaClassOf(value);
    // NumberConverter<T extends Number> casts to Number first: only a number gets as far as the
    // serializer's cast to its own class.
    const isJavaNumber = typeof value === 'number' || typeof value === 'bigint' || value instanceof DecimalValue;
    const cause = classCastError(valueClass, isJavaNumber ? this.javaClass : 'java.lang.Number');
    throw new DataError(`Failed to serialize to ${this.typeName} (was ${valueClass}): ${cause.message}`, { cause });
  }
}

function integerIn(min: number, max: number): (value: unknown) => number | undefined {
  return (value) => (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : undefined);
}

/** A long as LONG_SERDE writes it: a bigint, or a number when it is exact (no bigint per record). */
function toLong(value: unknown): bigint | number | undefined {
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX ? value : undefined;
  if (typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63) {
    return Number.isSafeInteger(value) ? value : BigInt(value);
  }
  return undefined;
}

function toFloat(value: unknown): number | undefined {
  if (typeof value !== 'number') return undefined;
  // A finite double that rounds to an infinite float is beyond float range: no Float in Java.
  return Number.isFinite(value) && !Number.isFinite(Math.fround(value)) ? undefined : value;
}

function toDouble(value: unknown): number | undefined {
  return typeof value === 'number' ? value : undefined;
}

export class ShortConverter extends NumberConverter<number> {
  constructor() {
    super('short', Schemas.OPTIONAL_INT16_SCHEMA, SHORT_SERDE, 'java.lang.Short', integerIn(-32768, 32767));
  }
}

export class IntegerConverter extends NumberConverter<number> {
  constructor() {
    super('integer', Schemas.OPTIONAL_INT32_SCHEMA, INTEGER_SERDE, 'java.lang.Integer', integerIn(-2147483648, 2147483647));
  }
}

export class LongConverter extends NumberConverter<bigint | number> {
  constructor() {
    super('long', Schemas.OPTIONAL_INT64_SCHEMA, LONG_SERDE, 'java.lang.Long', toLong);
  }
}

export class FloatConverter extends NumberConverter<number> {
  constructor() {
    super('float', Schemas.OPTIONAL_FLOAT32_SCHEMA, FLOAT_SERDE, 'java.lang.Float', toFloat);
  }
}

export class DoubleConverter extends NumberConverter<number> {
  constructor() {
    super('double', Schemas.OPTIONAL_FLOAT64_SCHEMA, DOUBLE_SERDE, 'java.lang.Double', toDouble);
  }
}

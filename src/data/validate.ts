/**
 * ConnectSchema.validateValue: does a JavaScript value fit a schema? Same rules and same messages as
 * Java, applied to sluice's value carriers (see schema.ts). Where Java names a value's class in a
 * message, javaClassOf() gives the class Java would have seen for that carrier.
 */
import { DecimalValue, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP } from './logical.js';
import { DataError, type Schema, Type } from './schema.js';
import { Struct } from './struct.js';

const INT64_MIN = -(2n ** 63n);
const INT64_MAX = 2n ** 63n - 1n;

/**
 * Throws a DataError when `value` does not fit `schema`. With `fieldName` the message names the field
 * (`field: "x"`), as Java's validateValue(String, Schema, Object) does; without it, "value".
 */
export function validateValue(schema: Schema, value: unknown, fieldName?: string | null): void {
  validateAt(schema, value, fieldName == null ? 'value' : `field: "${fieldName}"`);
}

function validateAt(schema: Schema, value: unknown, location: string): void {
  if (value === null || value === undefined) {
    if (!schema.optional) {
      throw new DataError(`Invalid value: null used for required ${location}, schema type: ${schema.type}`);
    }
    return;
  }

  if (!isCarrierFor(schema, value)) {
    let message = 'Invalid Java object for schema';
    if (schema.name !== null) message += ` "${schema.name}"`;
    message += ` with type ${schema.type}: ${javaClassOf(value)} for ${location}`;
    throw new DataError(message);
  }

  switch (schema.type) {
    case Type.STRUCT: {
      const struct = value as Struct;
      if (!struct.schema.equals(schema)) throw new DataError('Struct schemas do not match.');
      struct.validate();
      break;
    }
    case Type.ARRAY: {
      const entryLocation = `element of array ${location}`;
      const elementSchema = schemaOrThrow(schema.valueSchema, entryLocation);
      for (const element of value as unknown[]) validateAt(elementSchema, element, entryLocation);
      break;
    }
    case Type.MAP: {
      const keyLocation = `key of map ${location}`;
      const valueLocation = `value of map ${location}`;
      const keySchema = schemaOrThrow(schema.keySchema, keyLocation);
      const valueSchema = schemaOrThrow(schema.valueSchema, valueLocation);
      for (const [k, v] of value as Map<unknown, unknown>) {
        validateAt(keySchema, k, keyLocation);
        validateAt(valueSchema, v, valueLocation);
      }
      break;
    }
    default:
      break;
  }
}

function schemaOrThrow(schema: Schema | null, location: string): Schema {
  if (schema === null) throw new DataError(`No schema defined for ${location}`);
  return schema;
}

/**
 * Is `value` the JavaScript carrier for `schema` (Java's expectedClassesFor)? Logical types are
 * recognised by name first: a Decimal wants a DecimalValue, Date/Time/Timestamp want a JS Date.
 */
export function isCarrierFor(schema: Schema, value: unknown): boolean {
  switch (schema.name) {
    case LOGICAL_DECIMAL:
      return value instanceof DecimalValue;
    case LOGICAL_DATE:
    case LOGICAL_TIME:
    case LOGICAL_TIMESTAMP:
      return value instanceof Date;
    default:
      return isCarrierForType(schema.type, value);
  }
}

/** The carrier check for a plain (non-logical) type. */
export function isCarrierForType(type: Type, value: unknown): boolean {
  switch (type) {
    case Type.INT8:
      return isIntegerIn(value, -128, 127);
    case Type.INT16:
      return isIntegerIn(value, -32768, 32767);
    case Type.INT32:
      return isIntegerIn(value, -2147483648, 2147483647);
    case Type.INT64:
      return isInt64(value);
    case Type.FLOAT32:
    case Type.FLOAT64:
      return typeof value === 'number';
    case Type.BOOLEAN:
      return typeof value === 'boolean';
    case Type.STRING:
      return typeof value === 'string';
    case Type.BYTES:
      return value instanceof Uint8Array;
    case Type.ARRAY:
      return Array.isArray(value);
    case Type.MAP:
      return value instanceof Map;
    case Type.STRUCT:
      return value instanceof Struct;
  }
}

function isIntegerIn(value: unknown, min: number, max: number): boolean {
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max;
}

/** An INT64 is a bigint in range, or an integral number (accepted for convenience). */
export function isInt64(value: unknown): boolean {
  if (typeof value === 'bigint') return value >= INT64_MIN && value <= INT64_MAX;
  return typeof value === 'number' && Number.isInteger(value) && value >= -(2 ** 63) && value < 2 ** 63;
}

/**
 * The Java class a value's carrier stands for, as Class.toString() prints it ("class java.lang.String"),
 * for error messages that must read like Kafka Connect's. A number is an Integer when it is an int,
 * a Long when it is a larger integer and a Double otherwise; a Map is a LinkedHashMap because both
 * keep insertion order.
 */
export function javaClassOf(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return 'class java.lang.String';
    case 'boolean':
      return 'class java.lang.Boolean';
    case 'bigint':
      return value >= INT64_MIN && value <= INT64_MAX ? 'class java.lang.Long' : 'class java.math.BigInteger';
    case 'number':
      if (Number.isInteger(value) && !Object.is(value, -0)) {
        if (value >= -2147483648 && value <= 2147483647) return 'class java.lang.Integer';
        if (value >= -(2 ** 63) && value < 2 ** 63) return 'class java.lang.Long';
      }
      return 'class java.lang.Double';
    case 'object':
      if (value === null) return 'null';
      if (value instanceof Uint8Array) return 'class [B';
      if (Array.isArray(value)) return 'class java.util.ArrayList';
      if (value instanceof Map) return 'class java.util.LinkedHashMap';
      if (value instanceof Struct) return 'class org.apache.kafka.connect.data.Struct';
      if (value instanceof DecimalValue) return 'class java.math.BigDecimal';
      if (value instanceof Date) return 'class java.util.Date';
      return `class ${value.constructor?.name ?? 'Object'}`;
    default:
      return `class ${typeof value}`;
  }
}

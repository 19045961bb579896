/**
 * Cast (org.apache.kafka.connect.transforms.Cast$Key / $Value): casts top-level fields, or the whole
 * key or value, to another primitive type: `spec=f1:int32,f2:string` or `spec=int64`.
 *
 * The casts follow Java's rules exactly, since users see their results: integers narrow by
 * wrapping (300 as int8 is 44), floats to integers truncate and saturate, anything numeric is
 * `true` when its long value is not 0 (so 0.5 is false), strings parse with Byte.parseByte /
 * Float.parseFloat / Boolean.parseBoolean, bytes become base64 strings, dates become ISO-8601
 * strings, and Date/Time/Timestamp cast to numbers through their Connect encoding.
 *
 * Schemaless numbers: sluice's converters give a bigint (Java's Long) for an integral number and a
 * number (Java's Double) otherwise. A number that is integral is taken as an integer, so a
 * schemaless 1.0 cast to string is "1" where Java, holding a Double, writes "1.0".
 */
import { ConfigDef, ConfigType, Importance, LambdaValidator, AbstractConfig, invalidValue } from '../api/config-def.js';
import { ConfigError, DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, DecimalValue, LOGICAL_DATE, LOGICAL_TIME, LOGICAL_TIMESTAMP } from '../data/logical.js';
import type { ConnectRecord } from '../data/record.js';
import { type Field, type Schema, Type } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { javaClassOf } from '../data/validate.js';
import { convertToString, decimalToFloat32, javaDoubleToString, javaFloatToString } from '../data/values.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMap, requireStruct } from './util/requirements.js';
import { SchemaCache } from './util/schema-cache.js';
import { copySchemaBasics } from './util/schema-util.js';

export const CAST_CLASS = 'org.apache.kafka.connect.transforms.Cast';

const SPEC_CONFIG = 'spec';
const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
const PURPOSE = 'cast types';

const SUPPORTED_CAST_INPUT_TYPES: readonly Type[] = [
  Type.INT8, Type.INT16, Type.INT32, Type.INT64, Type.FLOAT32, Type.FLOAT64, Type.BOOLEAN, Type.STRING, Type.BYTES,
];
const SUPPORTED_CAST_OUTPUT_TYPES: readonly Type[] = [
  Type.INT8, Type.INT16, Type.INT32, Type.INT64, Type.FLOAT32, Type.FLOAT64, Type.BOOLEAN, Type.STRING,
];
const ALL_TYPES = new Set<string>(Object.values(Type));

export const OVERVIEW_DOC =
  'Cast fields or the entire key or value to a specific type, e.g. to force an integer field to a smaller ' +
  'width. Cast from integers, floats, boolean and string to any other type, ' +
  'and cast binary to string (base64 encoded).' +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.Cast$Key</code>) ' +
  'or value (<code>org.apache.kafka.connect.transforms.Cast$Value</code>).';

/** The spec: field name to target type; the key null stands for the whole key or value (Java's WHOLE_VALUE_CAST). */
type CastSpec = Map<string | null, Type>;

export const CAST_CONFIG_DEF = new ConfigDef()
  .define({
    name: SPEC_CONFIG,
    type: ConfigType.LIST,
    validator: LambdaValidator.with(
      (_name, value) => {
        const list = value as string[] | null;
        if (list == null || list.length === 0) throw new ConfigError('Must specify at least one field to cast.');
        parseFieldTypes(list);
      },
      'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>',
    ),
    importance: Importance.HIGH,
    documentation:
      'List of fields and the type to cast them to of the form field1:type,field2:type to cast fields of ' +
      'Maps or Structs. A single type to cast the entire value. Valid types are int8, int16, int32, ' +
      'int64, float32, float64, boolean, and string. Note that binary fields can only be cast to string.',
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  });

export class Cast<R extends ConnectRecord<R>> implements Transformation<R> {
  private casts: CastSpec = new Map();
  private wholeValueCastType: Type | null = null;
  private replaceNullWithDefault = true;
  private readonly schemaUpdateCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(CAST_CONFIG_DEF, configs);
    this.casts = parseFieldTypes(config.getList(SPEC_CONFIG));
    this.wholeValueCastType = this.casts.get(null) ?? null;
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.schemaUpdateCache.clear();
  }

  apply(record: R): R {
    const value = operatingValue(record, this.part);
    if (value == null) return record;
    const schema = operatingSchema(record, this.part);
    return schema == null ? this.applySchemaless(record, value) : this.applyWithSchema(record, schema, value);
  }

  config(): ConfigDef {
    return CAST_CONFIG_DEF;
  }

  close(): void {}

  private applySchemaless(record: R, value: unknown): R {
    if (this.wholeValueCastType !== null) {
      return newRecordWith(record, this.part, null, castValueToType(null, value, this.wholeValueCastType));
    }
    const map = requireMap(value, PURPOSE);
    const updated = new Map(map);
    // Like Java, a field named in the spec but absent from the map is added as null.
    for (const [field, type] of this.casts) updated.set(field!, castValueToType(null, map.get(field!) ?? null, type));
    return newRecordWith(record, this.part, null, updated);
  }

  private applyWithSchema(record: R, schema: Schema, value: unknown): R {
    const updatedSchema = this.getOrBuildSchema(schema);
    if (this.wholeValueCastType !== null) {
      return newRecordWith(record, this.part, updatedSchema, castValueToType(schema, value, this.wholeValueCastType));
    }
    const struct = requireStruct(value, PURPOSE);
    const updated = new Struct(updatedSchema);
    for (const field of struct.schema.fields()) {
      const original = this.fieldValue(struct, field);
      const target = this.casts.get(field.name);
      updated.put(updatedSchema.field(field.name)!, target !== undefined ? castValueToType(field.schema, original, target) : original);
    }
    return newRecordWith(record, this.part, updatedSchema, updated);
  }

  private fieldValue(struct: Struct, field: Field): unknown {
    return this.replaceNullWithDefault ? struct.get(field) : struct.getWithoutDefault(field.name);
  }

  private getOrBuildSchema(schema: Schema): Schema {
    const cached = this.schemaUpdateCache.get(schema);
    if (cached) return cached;

    let builder: SchemaBuilder;
    if (this.wholeValueCastType !== null) {
      // Java copies the name, version, doc and parameters onto the new type, logical names included.
      builder = copySchemaBasics(schema, convertFieldType(this.wholeValueCastType));
    } else {
      builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields()) {
        const target = this.casts.get(field.name);
        if (target === undefined) {
          builder.field(field.name, field.schema);
          continue;
        }
        const fieldBuilder = convertFieldType(target);
        if (field.schema.optional) fieldBuilder.optional();
        if (field.schema.defaultValue != null) {
          fieldBuilder.defaultValue(castValueToType(field.schema, field.schema.defaultValue, fieldBuilder.type));
        }
        builder.field(field.name, fieldBuilder.build());
      }
    }
    if (schema.optional) builder.optional();
    if (schema.defaultValue != null) builder.defaultValue(castValueToType(schema, schema.defaultValue, builder.type));

    const updated = builder.build();
    this.schemaUpdateCache.put(schema, updated);
    return updated;
  }
}

// ---- the spec ----

function parseFieldTypes(mappings: readonly string[]): CastSpec {
  const casts: CastSpec = new Map();
  let isWholeValueCast = false;
  for (const mapping of mappings) {
    const parts = javaSplit(mapping, ':');
    if (parts.length > 2) {
      // Java reports this under ReplaceField's key; kept for the same words.
      throw invalidValue('renames', mappings, `Invalid rename mapping: ${mapping}`);
    }
    if (parts.length === 1) {
      casts.set(null, validOutputType(parseType(parts[0]!)));
      isWholeValueCast = true;
    } else {
      // "::" splits into nothing in Java too; there it fails on parts[1], here on the missing type.
      casts.set((parts[0] ?? '').trim(), validOutputType(parseType(parts[1] ?? '')));
    }
  }
  if (isWholeValueCast && mappings.length > 1) {
    throw new ConfigError(
      'Cast transformations that specify a type to cast the entire value to may only specify a single cast in their spec',
    );
  }
  return casts;
}

function parseType(text: string): Type {
  const upper = text.trim().toUpperCase();
  if (!ALL_TYPES.has(upper)) {
    // Java calls ConfigException(name, value) with the message as the name and the enum lookup's
    // error as the value; the words come out in that order, and users see them so.
    throw new ConfigError(
      `Invalid value java.lang.IllegalArgumentException: No enum constant org.apache.kafka.connect.data.Schema.Type.${upper} ` +
        `for configuration Invalid type found in casting spec: ${text.trim()}`,
    );
  }
  return upper as Type;
}

function validOutputType(type: Type): Type {
  if (!SUPPORTED_CAST_OUTPUT_TYPES.includes(type)) {
    throw new ConfigError(`Cast transformation does not support casting to ${type}; supported types are [${SUPPORTED_CAST_OUTPUT_TYPES.join(', ')}]`);
  }
  return type;
}

/** Java's String.split(regex) with a literal separator: trailing empty strings are dropped. */
function javaSplit(s: string, separator: string): string[] {
  const parts = s.split(separator);
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

function convertFieldType(type: Type): SchemaBuilder {
  switch (type) {
    case Type.INT8:
    case Type.INT16:
    case Type.INT32:
    case Type.INT64:
    case Type.FLOAT32:
    case Type.FLOAT64:
    case Type.BOOLEAN:
    case Type.STRING:
      return SchemaBuilder.type(type);
    default:
      throw new DataError(`Unexpected type in Cast transformation: ${type}`);
  }
}

// ---- casting one value ----

/** How Java would see a value: the Number subclass decides how it narrows and prints. */
type NumberKind = 'integer' | 'float32' | 'float64' | 'decimal';

function castValueToType(schema: Schema | null, value: unknown, targetType: Type): unknown {
  if (value == null) return null;
  const inferredType = schema == null ? schemalessType(value) : schema.type;
  if (inferredType === null) {
    throw new DataError(`Cast transformation was passed a value of type ${javaClassOf(value)} which is not supported by Connect's data API`);
  }
  if (!SUPPORTED_CAST_INPUT_TYPES.includes(inferredType)) {
    throw new DataError(
      `Cast transformation does not support casting from ${inferredType}; supported types are [${SUPPORTED_CAST_INPUT_TYPES.join(', ')}]`,
    );
  }
  let v: unknown = value;
  let kind = numberKind(inferredType, value);
  if (schema != null && schema.name != null && targetType !== Type.STRING) {
    // Date/Time/Timestamp cast through their Connect encoding (days, millis of day, epoch millis).
    const encoded = encodeLogicalType(schema, v);
    if (encoded !== v) {
      v = encoded;
      kind = 'integer';
    }
  }
  try {
    switch (targetType) {
      case Type.INT8:
        return castToInteger(v, kind, 8);
      case Type.INT16:
        return castToInteger(v, kind, 16);
      case Type.INT32:
        return castToInteger(v, kind, 32);
      case Type.INT64:
        return castToInt64(v, kind);
      case Type.FLOAT32:
        return castToFloat32(v);
      case Type.FLOAT64:
        return castToFloat64(v);
      case Type.BOOLEAN:
        return castToBoolean(v, kind);
      case Type.STRING:
        return castToString(v, kind);
      default:
        throw new DataError(`${targetType} is not supported in the Cast transformation.`);
    }
  } catch (e) {
    if (e instanceof NumberFormatError) {
      throw new DataError(`Value (${String(v)}) was out of range for requested data type`, { cause: e });
    }
    throw e;
  }
}

/** ConnectSchema.schemaType(value.getClass()): null for a class Connect has no type for. */
function schemalessType(value: unknown): Type | null {
  switch (typeof value) {
    case 'bigint':
      return Type.INT64;
    case 'number':
      if (!Number.isInteger(value) || Object.is(value, -0)) return Type.FLOAT64;
      return value >= -2147483648 && value <= 2147483647 ? Type.INT32 : Type.INT64;
    case 'boolean':
      return Type.BOOLEAN;
    case 'string':
      return Type.STRING;
    default:
      if (value instanceof Uint8Array) return Type.BYTES;
      if (Array.isArray(value)) return Type.ARRAY;
      if (value instanceof Map) return Type.MAP;
      if (value instanceof Struct) return Type.STRUCT;
      return null;
  }
}

function numberKind(type: Type, value: unknown): NumberKind {
  if (value instanceof DecimalValue) return 'decimal';
  if (type === Type.FLOAT32) return 'float32';
  if (type === Type.FLOAT64) return 'float64';
  return 'integer';
}

function encodeLogicalType(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case LOGICAL_DATE:
      return ConnectDate.fromLogical(schema, value as Date);
    case LOGICAL_TIME:
      return ConnectTime.fromLogical(schema, value as Date);
    case LOGICAL_TIMESTAMP:
      return BigInt(ConnectTimestamp.fromLogical(schema, value as Date));
    default:
      return value;
  }
}

class NumberFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NumberFormatException';
  }
}

function isNumeric(value: unknown): value is number | bigint | DecimalValue {
  return typeof value === 'number' || typeof value === 'bigint' || value instanceof DecimalValue;
}

/** Number.longValue(): integers wrap to 64 bits, floats truncate and saturate (NaN is 0), decimals keep the low 64 bits of their integer part. */
function longValue(value: number | bigint | DecimalValue, kind: NumberKind): bigint {
  if (value instanceof DecimalValue) return BigInt.asIntN(64, value.toBigInt());
  if (typeof value === 'bigint') return BigInt.asIntN(64, value);
  if (kind === 'integer') return BigInt.asIntN(64, BigInt(value));
  if (Number.isNaN(value)) return 0n;
  if (value >= 2 ** 63) return 2n ** 63n - 1n;
  if (value <= -(2 ** 63)) return -(2n ** 63n);
  return BigInt(Math.trunc(value));
}

/** Number.intValue(), then narrowed to `bits` the way (byte) and (short) casts narrow an int. */
function intValue(value: number | bigint | DecimalValue, kind: NumberKind, bits: 8 | 16 | 32): number {
  let int: number;
  if ((kind === 'float32' || kind === 'float64') && typeof value === 'number') {
    // d2i: truncate toward zero, saturate at the int range, NaN is 0.
    int = Number.isNaN(value) ? 0 : Math.max(-2147483648, Math.min(2147483647, Math.trunc(value)));
  } else {
    const whole = value instanceof DecimalValue ? value.toBigInt() : BigInt(value);
    int = Number(BigInt.asIntN(32, whole));
  }
  return Number(BigInt.asIntN(bits, BigInt(int)));
}

function castToInteger(value: unknown, kind: NumberKind, bits: 8 | 16 | 32): number {
  if (isNumeric(value)) return intValue(value, kind, bits);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return parseJavaInteger(value, bits) as number;
  throw unexpectedType(value);
}

function castToInt64(value: unknown, kind: NumberKind): bigint {
  if (isNumeric(value)) return longValue(value, kind);
  if (typeof value === 'boolean') return value ? 1n : 0n;
  if (typeof value === 'string') return BigInt(parseJavaInteger(value, 64));
  throw unexpectedType(value);
}

function castToFloat32(value: unknown): number {
  if (value instanceof DecimalValue) return decimalToFloat32(value.toString());
  if (typeof value === 'bigint') return decimalToFloat32(value.toString());
  if (typeof value === 'number') return Math.fround(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') {
    const text = parseJavaFloatingText(value);
    return text === 'NaN' || /Infinity$/.test(text) ? Number(text) : decimalToFloat32(text);
  }
  throw unexpectedType(value);
}

function castToFloat64(value: unknown): number {
  if (value instanceof DecimalValue) return value.toNumber();
  if (typeof value === 'bigint' || typeof value === 'number') return Number(value);
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'string') return Number(parseJavaFloatingText(value));
  throw unexpectedType(value);
}

function castToBoolean(value: unknown, kind: NumberKind): boolean {
  if (isNumeric(value)) return longValue(value, kind) !== 0n;
  if (typeof value === 'boolean') return value;
  // Boolean.parseBoolean: "true" in any case is true, anything else false.
  if (typeof value === 'string') return value.toLowerCase() === 'true';
  throw unexpectedType(value);
}

function castToString(value: unknown, kind: NumberKind): string {
  if (value instanceof Date) return convertToString(null, value)!;
  if (value instanceof Uint8Array) return Buffer.from(value.buffer, value.byteOffset, value.byteLength).toString('base64');
  if (value instanceof DecimalValue) return value.toString();
  if (typeof value === 'number') {
    if (kind === 'float32') return javaFloatToString(value);
    if (kind === 'float64') return javaDoubleToString(value);
    return String(value);
  }
  return String(value);
}

function unexpectedType(value: unknown): DataError {
  return new DataError(`Unexpected type in Cast transformation: ${javaClassOf(value)}`);
}

const INTEGER_BOUNDS: Record<8 | 16 | 32 | 64, [bigint, bigint]> = {
  8: [-128n, 127n],
  16: [-32768n, 32767n],
  32: [-2147483648n, 2147483647n],
  64: [-(2n ** 63n), 2n ** 63n - 1n],
};

/** Byte/Short/Integer/Long.parseXxx: an optional sign and decimal digits, in range. */
function parseJavaInteger(text: string, bits: 8 | 16 | 32 | 64): number | bigint {
  if (!/^[+-]?\d+$/.test(text)) throw new NumberFormatError(`For input string: "${text}"`);
  const n = BigInt(text);
  const [min, max] = INTEGER_BOUNDS[bits];
  if (n < min || n > max) throw new NumberFormatError(`Value out of range. Value:"${text}" Radix:10`);
  return bits === 64 ? n : Number(n);
}

/**
 * Float/Double.parseFloat's accepted text, without surrounding whitespace and type suffix:
 * an optional sign, then NaN, Infinity or a decimal with an optional exponent. (Java's
 * hexadecimal floats are not accepted.)
 */
function parseJavaFloatingText(text: string): string {
  // Java trims every char up to U+0020, not only whitespace.
  const trimmed = text.replace(/^[\u0000-\u0020]+|[\u0000-\u0020]+$/g, '');
  const m = /^([+-]?)(NaN|Infinity|(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)[fFdD]?$/.exec(trimmed);
  if (!m || ((m[2] === 'NaN' || m[2] === 'Infinity') && trimmed !== m[1]! + m[2])) {
    throw new NumberFormatError(trimmed === '' ? 'empty String' : `For input string: "${text}"`);
  }
  if (m[2] === 'NaN') return 'NaN';
  return m[1]! === '-' ? `-${m[2]!}` : m[2]!;
}

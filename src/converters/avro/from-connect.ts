/**
 * Connect -> Avro: the schema (AvroData.fromConnectSchema) and the value (AvroData.fromConnectData),
 * rule for rule as Confluent's AvroData does it. Values come out in the form avsc writes with
 * `wrapUnions: true` and the bigint long type of avro-codec.ts: unions as {branch: value}, records
 * as plain objects, longs as bigint, bytes as Buffer.
 *
 * Not supported (Confluent supports them): schemaless values (Confluent's "Anything" record) and
 * recursive Connect schemas; both end in a DataError naming the problem.
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP } from '../../data/logical.js';
import { DataError, Schema, Type } from '../../data/schema.js';
import { Struct } from '../../data/struct.js';
import { isCarrierFor, javaClassOf } from '../../data/validate.js';
import {
  type AvroDataOptions, AVRO_ENUM_DEFAULT_PREFIX_PROP, AVRO_ENUM_DOC_PREFIX_PROP, AVRO_FIELD_DEFAULT_FLAG_PROP,
  AVRO_FIELD_DOC_PREFIX_PROP, AVRO_LOGICAL_DATE, AVRO_LOGICAL_DECIMAL, AVRO_LOGICAL_DECIMAL_PRECISION_PROP,
  AVRO_LOGICAL_DECIMAL_SCALE_PROP, AVRO_LOGICAL_TIME_MILLIS, AVRO_LOGICAL_TIMESTAMP_MILLIS, AVRO_LOGICAL_TYPE_PROP,
  AVRO_PROP, AVRO_RECORD_DOC_PROP, AVRO_TYPE_ENUM, AVRO_TYPE_UNION, CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT,
  CONNECT_AVRO_DECIMAL_PRECISION_PROP, CONNECT_DEFAULT_VALUE_PROP, CONNECT_DOC_PROP, CONNECT_INTERNAL_TYPE_NAME,
  CONNECT_NAME_PROP, CONNECT_PARAMETERS_PROP, CONNECT_TYPE_INT16, CONNECT_TYPE_INT8, CONNECT_TYPE_PROP,
  CONNECT_VERSION_PROP, DEFAULT_SCHEMA_NAME, KEY_FIELD, MAP_ENTRY_TYPE_NAME, NAMESPACE, scrubFullName, scrubName, VALUE_FIELD,
} from './avro-constants.js';
import {
  type AvroField, type AvroRecord, type AvroSchema, type AvroUnion, isNamed, type Json, primitive, splitName, typeName,
} from './avro-schema.js';

/** State of one fromConnectSchema call (AvroData.FromConnectContext). */
class FromConnectContext {
  /** Non-optional Connect schemas already converted: a reused type is the same Avro object (written by name). */
  readonly converted: { schema: Schema; avro: AvroSchema }[] = [];
  /** Records being built, by Connect name: a schema that refers to itself becomes a name reference. */
  readonly inProgress = new Map<string, AvroRecord>();
  private nameIndex = 0;

  lookup(schema: Schema): AvroSchema | undefined {
    for (const c of this.converted) if (c.schema === schema || c.schema.equals(schema)) return c.avro;
    return undefined;
  }

  /** getNameOrDefault: the Connect name split, or ConnectDefault, ConnectDefault2, ... for unnamed types. */
  nameOrDefault(name: string | null, scrub: boolean): [string | null, string] {
    if (name != null) return splitName(scrub ? scrubFullName(name) : name);
    this.nameIndex += 1;
    return [NAMESPACE, DEFAULT_SCHEMA_NAME + (this.nameIndex > 1 ? this.nameIndex : '')];
  }
}

export function fromConnectSchema(schema: Schema, options: AvroDataOptions): AvroSchema {
  return convertSchema(schema, new FromConnectContext(), false, options);
}

function convertSchema(schema: Schema, ctx: FromConnectContext, ignoreOptional: boolean, options: AvroDataOptions): AvroSchema {
  if (!schema.optional && schema.name !== AVRO_TYPE_UNION) {
    const reused = ctx.lookup(schema);
    if (reused) return reused;
  }
  if (schema.name != null && ctx.inProgress.has(schema.name)) {
    throw new DataError(`Recursive Connect schemas are not supported by sluice's AvroConverter: ${schema.name}`);
  }
  const params = schema.parameters;
  let connectType: string | null = null;
  let base: AvroSchema;

  switch (schema.type) {
    case Type.INT8:
      connectType = CONNECT_TYPE_INT8;
      base = primitive('int');
      break;
    case Type.INT16:
      connectType = CONNECT_TYPE_INT16;
      base = primitive('int');
      break;
    case Type.INT32:
      base = primitive('int');
      break;
    case Type.INT64:
      base = primitive('long');
      break;
    case Type.FLOAT32:
      base = primitive('float');
      break;
    case Type.FLOAT64:
      base = primitive('double');
      break;
    case Type.BOOLEAN:
      base = primitive('boolean');
      break;
    case Type.STRING:
      if (options.enhancedSchemaSupport && params && params[AVRO_TYPE_ENUM] !== undefined) {
        const prefix = `${AVRO_TYPE_ENUM}.`;
        const symbols = Object.keys(params).filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length));
        const [, name] = ctx.nameOrDefault(schema.name, options.scrubInvalidNames);
        const [ns, enumName] = splitName(params[AVRO_TYPE_ENUM]!);
        base = {
          type: 'enum', name: enumName, namespace: ns, doc: params[AVRO_ENUM_DOC_PREFIX_PROP + name] ?? null,
          symbols, default: params[AVRO_ENUM_DEFAULT_PREFIX_PROP + name] ?? null, props: new Map(),
        };
      } else {
        base = primitive('string');
      }
      break;
    case Type.BYTES:
      base = primitive('bytes');
      if (schema.name === LOGICAL_DECIMAL) {
        base.props.set(AVRO_LOGICAL_DECIMAL_SCALE_PROP, Number.parseInt(params?.[Decimal.SCALE_FIELD] ?? '0', 10));
        const precision = params?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP];
        base.props.set(AVRO_LOGICAL_DECIMAL_PRECISION_PROP, precision != null ? Number.parseInt(precision, 10) : CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT);
      }
      break;
    case Type.ARRAY:
      base = { type: 'array', items: convertSchema(schema.valueSchema!, ctx, false, options), props: new Map() };
      break;
    case Type.MAP: {
      const keySchema = schema.keySchema!;
      if (keySchema.type === Type.STRING && !keySchema.optional) {
        base = { type: 'map', values: convertSchema(schema.valueSchema!, ctx, false, options), props: new Map() };
      } else {
        // Avro maps have string keys only: other keys become an array of key/value records.
        let entry: AvroRecord;
        if (schema.name == null) {
          entry = { type: 'record', name: MAP_ENTRY_TYPE_NAME, namespace: NAMESPACE, doc: null, fields: [], props: new Map() };
        } else {
          const [ns, name] = ctx.nameOrDefault(schema.name, options.scrubInvalidNames);
          entry = { type: 'record', name, namespace: ns, doc: null, fields: [], props: new Map([[CONNECT_INTERNAL_TYPE_NAME, MAP_ENTRY_TYPE_NAME]]) };
        }
        entry.fields.push(recordField(KEY_FIELD, keySchema, null, ctx, options));
        entry.fields.push(recordField(VALUE_FIELD, schema.valueSchema!, null, ctx, options));
        base = { type: 'array', items: entry, props: new Map() };
      }
      break;
    }
    case Type.STRUCT:
      if (schema.name === AVRO_TYPE_UNION) {
        const branches: AvroSchema[] = schema.optional ? [primitive('null')] : [];
        for (const f of schema.fields()) branches.push(convertSchema(nonOptional(f.schema), ctx, true, options));
        base = { type: 'union', branches };
      } else if (schema.optional) {
        base = { type: 'union', branches: [primitive('null'), convertSchema(nonOptional(schema), ctx, false, options)] };
      } else {
        const [ns, name] = ctx.nameOrDefault(schema.name, options.scrubInvalidNames);
        const record: AvroRecord = { type: 'record', name, namespace: ns, doc: params?.[AVRO_RECORD_DOC_PROP] ?? null, fields: [], props: new Map() };
        if (schema.name != null) ctx.inProgress.set(schema.name, record);
        for (const f of schema.fields()) {
          const fieldName = options.scrubInvalidNames ? scrubName(f.name) : f.name;
          record.fields.push(recordField(fieldName, f.schema, params?.[AVRO_FIELD_DOC_PREFIX_PROP + f.name] ?? null, ctx, options));
        }
        if (schema.name != null) ctx.inProgress.delete(schema.name);
        base = record;
      }
      break;
  }

  let result: AvroSchema = base;
  if (base.type !== 'union') {
    const props = base.props;
    if (options.connectMetaData) {
      if (schema.doc != null) props.set(CONNECT_DOC_PROP, schema.doc);
      if (schema.version != null) props.set(CONNECT_VERSION_PROP, schema.version);
      if (params) {
        const connectParams: { [key: string]: Json } = {};
        for (const [k, v] of Object.entries(params)) if (k !== AVRO_FIELD_DEFAULT_FLAG_PROP) connectParams[k] = v;
        if (Object.keys(connectParams).length > 0) props.set(CONNECT_PARAMETERS_PROP, connectParams);
      }
      if (schema.defaultValue != null && !(params && params[AVRO_FIELD_DEFAULT_FLAG_PROP] !== undefined)) {
        props.set(CONNECT_DEFAULT_VALUE_PROP, defaultValueFromConnect(schema, schema.defaultValue));
      }
      if (schema.name != null) props.set(CONNECT_NAME_PROP, schema.name);
      if (connectType != null) props.set(CONNECT_TYPE_PROP, connectType);
    }
    // Logical types. A decimal whose scale is negative or above its precision is not a valid Avro
    // decimal; Confluent then writes the logicalType property only when a precision was given.
    if (schema.name === LOGICAL_DECIMAL) {
      const precision = params?.[CONNECT_AVRO_DECIMAL_PRECISION_PROP];
      const p = precision == null ? CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT : Number.parseInt(precision, 10);
      const s = Number.parseInt(params?.[Decimal.SCALE_FIELD] ?? '0', 10);
      const legacy = s < 0 || s > p;
      if (!legacy || precision != null) props.set(AVRO_LOGICAL_TYPE_PROP, AVRO_LOGICAL_DECIMAL);
    } else if (schema.name === LOGICAL_TIME) {
      props.set(AVRO_LOGICAL_TYPE_PROP, AVRO_LOGICAL_TIME_MILLIS);
    } else if (schema.name === LOGICAL_TIMESTAMP) {
      props.set(AVRO_LOGICAL_TYPE_PROP, AVRO_LOGICAL_TIMESTAMP_MILLIS);
    } else if (schema.name === LOGICAL_DATE) {
      props.set(AVRO_LOGICAL_TYPE_PROP, AVRO_LOGICAL_DATE);
    }
    if (params) for (const [k, v] of Object.entries(params)) if (k.startsWith(AVRO_PROP)) props.set(k, v);

    if (!ignoreOptional && schema.optional) {
      // A default must match the first branch, so an optional with a default puts null second.
      result = { type: 'union', branches: schema.defaultValue != null ? [base, primitive('null')] : [primitive('null'), base] };
    }
  }
  if (!schema.optional) ctx.converted.push({ schema, avro: result });
  return result;
}

function recordField(name: string, schema: Schema, doc: string | null, ctx: FromConnectContext, options: AvroDataOptions): AvroField {
  let defaultValue: Json | undefined;
  if (schema.defaultValue != null) defaultValue = defaultValueFromConnect(schema, schema.defaultValue);
  else if (schema.optional) defaultValue = null;
  return { name, type: convertSchema(schema, ctx, false, options), doc, default: defaultValue, props: new Map() };
}

/** A copy of the schema that is not optional (AvroData.nonOptional). */
function nonOptional(schema: Schema): Schema {
  if (!schema.optional) return schema;
  return new Schema({
    type: schema.type, optional: false, defaultValue: schema.defaultValue, name: schema.name, version: schema.version,
    doc: schema.doc, parameters: schema.parameters, fields: schema.type === Type.STRUCT ? [...schema.fields()] : null,
    keySchema: schema.keySchema, valueSchema: schema.valueSchema,
  });
}

/** A Connect default as Avro JSON (AvroData.defaultValueFromConnect). */
export function defaultValueFromConnect(schema: Schema, value: unknown): Json {
  const v = toAvroLogical(schema, value);
  try {
    switch (schema.type) {
      case Type.INT8:
      case Type.INT16:
      case Type.INT32:
      case Type.FLOAT32:
      case Type.FLOAT64:
        return typed<number>(v, 'number');
      case Type.INT64:
        // JSON has one number type; a default beyond 2^53 loses precision here (Jackson keeps it).
        return Number(v as bigint | number);
      case Type.BOOLEAN:
        return typed<boolean>(v, 'boolean');
      case Type.STRING:
        return typed<string>(v, 'string');
      case Type.BYTES:
        if (!(v instanceof Uint8Array)) throw new TypeError();
        return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('latin1');
      case Type.ARRAY:
        return (v as unknown[]).map((e) => (e == null ? null : defaultValueFromConnect(schema.valueSchema!, e)));
      case Type.MAP: {
        const map = v as Map<unknown, unknown>;
        if (schema.keySchema!.type === Type.STRING && !schema.keySchema!.optional) {
          const out: { [key: string]: Json } = {};
          for (const [k, e] of map) out[k as string] = e == null ? null : defaultValueFromConnect(schema.valueSchema!, e);
          return out;
        }
        return [...map].map(([k, e]) => [
          k == null ? null : defaultValueFromConnect(schema.keySchema!, k),
          e == null ? null : defaultValueFromConnect(schema.valueSchema!, e),
        ]);
      }
      case Type.STRUCT: {
        const struct = v as Struct;
        const out: { [key: string]: Json } = {};
        for (const f of schema.fields()) {
          const fv = struct.get(f);
          out[f.name] = fv == null ? null : defaultValueFromConnect(f.schema, fv);
        }
        return out;
      }
    }
  } catch (e) {
    if (e instanceof DataError) throw e;
  }
  throw new DataError(`Invalid type used for default value of ${schema.type} field: ${javaClassOf(schema.defaultValue)}`);
}

function typed<T>(value: unknown, type: string): T {
  if (typeof value !== type) throw new TypeError();
  return value as T;
}

function toAvroLogical(schema: Schema, value: unknown): unknown {
  if (value == null) return value;
  switch (schema.name) {
    case LOGICAL_DECIMAL:
      if (!(value instanceof DecimalValue)) throw new DataError(`Invalid type for Decimal, expected BigDecimal but was ${javaClassOf(value)}`);
      return Decimal.fromLogical(schema, value);
    case LOGICAL_DATE:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Date, expected Date but was ${javaClassOf(value)}`);
      return ConnectDate.fromLogical(schema, value);
    case LOGICAL_TIME:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Time, expected Date but was ${javaClassOf(value)}`);
      return ConnectTime.fromLogical(schema, value);
    case LOGICAL_TIMESTAMP:
      if (!(value instanceof Date)) throw new DataError(`Invalid type for Timestamp, expected Date but was ${javaClassOf(value)}`);
      return ConnectTimestamp.fromLogical(schema, value);
    default:
      return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** A Connect value as avsc writes it under `avro` (the schema fromConnectSchema made for `schema`). */
export function fromConnectData(schema: Schema, avro: AvroSchema, value: unknown): unknown {
  if (value == null) {
    if (!schema.optional) throw new DataError('Found null value for non-optional schema');
    return null;
  }
  if (avro.type === 'union' && schema.name !== AVRO_TYPE_UNION) {
    const branch = nonNullBranch(avro, schema);
    return { [typeName(branch)]: nonNullFromConnectData(schema, branch, value) };
  }
  return nonNullFromConnectData(schema, avro, value);
}

/** A non-null value under its (non-union) Avro type; `schema` may still be optional. */
function nonNullFromConnectData(schema: Schema, avro: AvroSchema, value: unknown): unknown {
  if (!isCarrierFor(schema, value)) throw new DataError(`Invalid type for ${schema.type}: ${javaClassOf(value)}`);
  const v = toAvroLogical(schema, value);
  switch (schema.type) {
    case Type.INT8:
    case Type.INT16:
    case Type.INT32:
    case Type.FLOAT32:
    case Type.FLOAT64:
    case Type.BOOLEAN:
    case Type.STRING:
      return v;
    case Type.INT64:
      return BigInt(v as bigint | number);
    case Type.BYTES: {
      const bytes = v as Uint8Array;
      return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    }
    case Type.ARRAY: {
      if (avro.type !== 'array') throw mismatch(schema, avro);
      const items = avro.items;
      return (v as unknown[]).map((e) => fromConnectData(schema.valueSchema!, items, e));
    }
    case Type.MAP: {
      const map = v as Map<unknown, unknown>;
      if (avro.type === 'map') {
        const out: Record<string, unknown> = {};
        for (const [k, e] of map) out[k as string] = fromConnectData(schema.valueSchema!, avro.values, e);
        return out;
      }
      if (avro.type !== 'array' || avro.items.type !== 'record') throw mismatch(schema, avro);
      const entry = avro.items;
      return [...map].map(([k, e]) => ({
        [KEY_FIELD]: fromConnectData(schema.keySchema!, entry.fields[0]!.type, k),
        [VALUE_FIELD]: fromConnectData(schema.valueSchema!, entry.fields[1]!.type, e),
      }));
    }
    case Type.STRUCT: {
      const struct = v as Struct;
      if (!struct.schema.equals(schema)) throw new DataError('Mismatching struct schema');
      if (schema.name === AVRO_TYPE_UNION) {
        if (avro.type !== 'union') throw mismatch(schema, avro);
        const offset = schema.optional ? 1 : 0;
        for (const f of schema.fields()) {
          const member = struct.get(f);
          if (member != null) {
            const branch = avro.branches[f.index + offset]!;
            return { [typeName(branch)]: nonNullFromConnectData(f.schema, branch, member) };
          }
        }
        if (!schema.optional) throw new DataError('Found null value for non-optional schema');
        return null;
      }
      if (avro.type !== 'record') throw mismatch(schema, avro);
      const out: Record<string, unknown> = {};
      schema.fields().forEach((f, i) => {
        const avroField = avro.fields[i]!;
        out[avroField.name] = fromConnectData(f.schema, avroField.type, struct.get(f));
      });
      return out;
    }
  }
}

function nonNullBranch(union: AvroUnion, schema: Schema): AvroSchema {
  const branch = union.branches.find((b) => b.type !== 'null');
  if (!branch) throw mismatch(schema, union);
  return branch;
}

function mismatch(schema: Schema, avro: AvroSchema): DataError {
  return new DataError(`Connect schema ${schema} does not match Avro type ${isNamed(avro) ? typeName(avro) : avro.type}`);
}

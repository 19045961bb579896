/**
 * Avro -> Connect: the schema (AvroData.toConnectSchema) and the value (AvroData.toConnectData),
 * rule for rule as Confluent's AvroData does it, for schemas written by Connect (connect.* props)
 * and for plain Avro schemas: enums become strings with io.confluent.connect.avro.Enum parameters,
 * general unions become io.confluent.connect.avro.Union structs, fixed becomes bytes.
 *
 * Values come in as avsc reads them with `wrapUnions: true` and the bigint long (avro-codec.ts).
 * Deliberate differences: Confluent reads the elements of an array default with the array's own
 * schema (so they come out null), sluice uses the element schema; a record-typed field default is
 * not carried into the Connect schema (Connect builds it around a SchemaBuilder, sluice cannot).
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP } from '../../data/logical.js';
import { DataError, type Schema, Type } from '../../data/schema.js';
import { SchemaBuilder } from '../../data/schema-builder.js';
import { Schemas } from '../../data/schemas.js';
import { Struct } from '../../data/struct.js';
import {
  type AvroDataOptions, AVRO_ENUM_DEFAULT_PREFIX_PROP, AVRO_ENUM_DOC_PREFIX_PROP, AVRO_FIELD_DEFAULT_FLAG_PROP,
  AVRO_FIELD_DOC_PREFIX_PROP, AVRO_LOGICAL_DATE, AVRO_LOGICAL_DECIMAL, AVRO_LOGICAL_DECIMAL_PRECISION_PROP,
  AVRO_LOGICAL_DECIMAL_SCALE_PROP, AVRO_LOGICAL_TIME_MILLIS, AVRO_LOGICAL_TIMESTAMP_MILLIS, AVRO_LOGICAL_TYPE_PROP,
  AVRO_PROP, AVRO_RECORD_DOC_PROP, AVRO_TYPE_ENUM, AVRO_TYPE_UNION, CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT,
  CONNECT_AVRO_DECIMAL_PRECISION_PROP, CONNECT_DEFAULT_VALUE_PROP, CONNECT_DOC_PROP, CONNECT_INTERNAL_TYPE_NAME,
  CONNECT_NAME_PROP, CONNECT_PARAMETERS_PROP, CONNECT_TYPE_INT16, CONNECT_TYPE_INT8, CONNECT_TYPE_PROP,
  CONNECT_VERSION_PROP, DEFAULT_SCHEMA_FULL_NAME, KEY_FIELD, MAP_ENTRY_TYPE_NAME, NAMESPACE, VALUE_FIELD,
} from './avro-constants.js';
import { type AvroRecord, type AvroSchema, fullName, isNamed, type Json, splitName, typeName } from './avro-schema.js';

/**
 * The Connect schema for an Avro schema. `version` (the registry's version of the schema) is used
 * when the schema carries no connect.version, as Confluent's converter does.
 */
export function toConnectSchema(avro: AvroSchema, version: number | null, options: AvroDataOptions): Schema {
  return convert(avro, false, undefined, version, new Set(), options);
}

function convert(
  avro: AvroSchema,
  forceOptional: boolean,
  fieldDefault: Json | undefined,
  version: number | null,
  inProgress: Set<AvroRecord>,
  options: AvroDataOptions,
): Schema {
  if (avro.type === 'union') {
    // null + one type: an optional of that type. The field's default is not carried (as in Java).
    if (avro.branches.length === 2 && avro.branches.some((b) => b.type === 'null')) {
      const member = avro.branches.find((b) => b.type !== 'null')!;
      if (member.type !== 'null') return convert(member, true, undefined, null, inProgress, options);
    }
    const builder = SchemaBuilder.struct().name(AVRO_TYPE_UNION);
    const names = new Set<string>();
    for (const member of avro.branches) {
      if (member.type === 'null') {
        builder.optional();
        continue;
      }
      const fieldName = unionMemberFieldName(member, options);
      if (names.has(fieldName)) throw new DataError('Multiple union schemas map to the Connect union field name');
      names.add(fieldName);
      builder.field(fieldName, convert(member, true, undefined, null, inProgress, options));
    }
    if (forceOptional) builder.optional();
    return builder.build();
  }

  const props = avro.props;
  const connectType = stringProp(props.get(CONNECT_TYPE_PROP));
  const logicalType = stringProp(props.get(AVRO_LOGICAL_TYPE_PROP));
  let builder: SchemaBuilder;

  switch (avro.type) {
    case 'boolean':
      builder = SchemaBuilder.bool();
      break;
    case 'bytes':
    case 'fixed':
      if (logicalType?.toLowerCase() === AVRO_LOGICAL_DECIMAL) {
        const scale = props.get(AVRO_LOGICAL_DECIMAL_SCALE_PROP);
        if (typeof scale !== 'number') throw new DataError('scale must be specified and must be a number.');
        builder = Decimal.builder(Math.trunc(scale));
        const precision = props.get(AVRO_LOGICAL_DECIMAL_PRECISION_PROP);
        if (precision != null) {
          if (typeof precision !== 'number') throw new DataError(`${AVRO_LOGICAL_DECIMAL_PRECISION_PROP} property must be a JSON Integer.`);
          if (precision !== CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT) builder.parameter(CONNECT_AVRO_DECIMAL_PRECISION_PROP, String(Math.trunc(precision)));
        }
      } else {
        builder = SchemaBuilder.bytes();
      }
      break;
    case 'double':
      builder = SchemaBuilder.float64();
      break;
    case 'float':
      builder = SchemaBuilder.float32();
      break;
    case 'int':
      if (connectType == null && logicalType == null) builder = SchemaBuilder.int32();
      else if (logicalType != null) {
        const lt = logicalType.toLowerCase();
        builder = lt === AVRO_LOGICAL_DATE ? ConnectDate.builder() : lt === AVRO_LOGICAL_TIME_MILLIS ? ConnectTime.builder() : SchemaBuilder.int32();
      } else if (connectType === CONNECT_TYPE_INT8) builder = SchemaBuilder.int8();
      else if (connectType === CONNECT_TYPE_INT16) builder = SchemaBuilder.int16();
      else throw new DataError('Connect type annotation for Avro int field is null');
      break;
    case 'long':
      builder = logicalType?.toLowerCase() === AVRO_LOGICAL_TIMESTAMP_MILLIS ? ConnectTimestamp.builder() : SchemaBuilder.int64();
      break;
    case 'string':
      builder = SchemaBuilder.string();
      break;
    case 'array': {
      const items = avro.items;
      if (isMapEntry(items)) {
        const entry = items as AvroRecord;
        const key = entry.fields.find((f) => f.name === KEY_FIELD);
        const value = entry.fields.find((f) => f.name === VALUE_FIELD);
        if (entry.fields.length !== 2 || !key || !value) {
          throw new DataError('Found map encoded as array of key-value pairs, but array elements do not match the expected format.');
        }
        builder = SchemaBuilder.map(
          convert(key.type, false, undefined, null, inProgress, options),
          convert(value.type, false, undefined, null, inProgress, options),
        );
      } else {
        builder = SchemaBuilder.array(convert(items, false, undefined, null, inProgress, options));
      }
      break;
    }
    case 'map':
      builder = SchemaBuilder.map(Schemas.STRING_SCHEMA, convert(avro.values, false, undefined, null, inProgress, options));
      break;
    case 'record': {
      if (inProgress.has(avro)) throw new DataError(`Recursive Avro schemas are not supported by sluice's AvroConverter: ${fullName(avro)}`);
      inProgress.add(avro);
      builder = SchemaBuilder.struct();
      if (options.connectMetaData && avro.doc != null) builder.parameter(AVRO_RECORD_DOC_PROP, avro.doc);
      for (const f of avro.fields) {
        if (options.connectMetaData && f.doc != null) builder.parameter(AVRO_FIELD_DOC_PREFIX_PROP + f.name, f.doc);
        builder.field(f.name, convert(f.type, false, f.default, null, inProgress, options));
      }
      inProgress.delete(avro);
      break;
    }
    case 'enum':
      // Enums are read as strings; the symbols are kept as parameters.
      builder = SchemaBuilder.string();
      if (options.connectMetaData) {
        if (avro.doc != null) builder.parameter(AVRO_ENUM_DOC_PREFIX_PROP + avro.name, avro.doc);
        if (avro.default != null) builder.parameter(AVRO_ENUM_DEFAULT_PREFIX_PROP + avro.name, avro.default);
      }
      builder.parameter(AVRO_TYPE_ENUM, fullName(avro));
      for (const symbol of avro.symbols) builder.parameter(`${AVRO_TYPE_ENUM}.${symbol}`, symbol);
      break;
    case 'null':
      throw new DataError('Standalone null schemas are not supported by this converter');
  }

  const doc = props.get(CONNECT_DOC_PROP);
  if (options.connectMetaData && typeof doc === 'string') builder.doc(doc);

  // The Connect version in the schema wins; else the registry's version of the schema.
  const versionProp = props.get(CONNECT_VERSION_PROP);
  let schemaVersion = -1;
  if (versionProp != null) {
    if (typeof versionProp !== 'number') throw new DataError(`Invalid Connect version found: ${JSON.stringify(versionProp)}`);
    schemaVersion = Math.trunc(versionProp);
  } else if (version != null) {
    schemaVersion = version;
  }
  if (schemaVersion >= 0) {
    const existing = builder.version();
    if (existing != null && existing !== schemaVersion) {
      throw new DataError(`Mismatched versions: version already added to SchemaBuilder (${existing}) differs from version in source schema (${schemaVersion})`);
    }
    if (existing == null) builder.version(schemaVersion);
  }

  const parameters = props.get(CONNECT_PARAMETERS_PROP);
  if (options.connectMetaData && parameters != null) {
    if (typeof parameters !== 'object' || Array.isArray(parameters)) {
      throw new DataError(`Expected JSON object for schema parameters but found: ${JSON.stringify(parameters)}`);
    }
    for (const [k, v] of Object.entries(parameters)) {
      if (typeof v !== 'string') throw new DataError(`Expected schema parameter values to be strings but found: ${JSON.stringify(v)}`);
      builder.parameter(k, v);
    }
  }
  for (const [k, v] of props) if (k.startsWith(AVRO_PROP)) builder.parameter(k, typeof v === 'string' ? v : JSON.stringify(v));

  const connectDefault = props.get(CONNECT_DEFAULT_VALUE_PROP);
  let defaultJson: Json | undefined = fieldDefault;
  if (defaultJson === undefined) defaultJson = connectDefault;
  else if (connectDefault === undefined) builder.parameter(AVRO_FIELD_DEFAULT_FLAG_PROP, 'true');

  const connectName = props.get(CONNECT_NAME_PROP);
  let name: string | null = null;
  if (connectName != null) {
    if (typeof connectName !== 'string') throw new DataError(`Invalid schema name: ${JSON.stringify(connectName)}`);
    name = connectName;
  } else if (avro.type === 'record' || avro.type === 'enum') {
    name = fullName(avro);
  }
  if (name != null && name !== DEFAULT_SCHEMA_FULL_NAME) {
    const existing = builder.name();
    if (existing != null && existing !== name) {
      throw new DataError(`Mismatched names: name already added to SchemaBuilder (${existing}) differs from name in source schema (${name})`);
    }
    if (existing == null) builder.name(name);
  }
  if (forceOptional) builder.optional();
  // The default last, once the schema is otherwise complete. A record-typed default is dropped:
  // a sluice Struct default would have to carry the very schema it is the default of.
  if (defaultJson !== undefined && defaultJson !== null && avro.type !== 'record') {
    builder.defaultValue(defaultValueFromAvro(builder.build(), avro, defaultJson));
  }
  return builder.build();
}

function stringProp(value: Json | undefined): string | null {
  return typeof value === 'string' ? value : null;
}

function isMapEntry(schema: AvroSchema): boolean {
  if (schema.type !== 'record') return false;
  if (schema.namespace === NAMESPACE && schema.name === MAP_ENTRY_TYPE_NAME) return true;
  return schema.props.get(CONNECT_INTERNAL_TYPE_NAME) === MAP_ENTRY_TYPE_NAME;
}

/** The Connect field name of a union member: the record/enum name, else the Avro type name. */
export function unionMemberFieldName(member: AvroSchema, options: AvroDataOptions): string {
  if (member.type === 'record' || member.type === 'enum') {
    return options.enhancedSchemaSupport ? fullName(member) : splitName(member.name)[1];
  }
  return isNamed(member) ? typeName(member) : member.type;
}

/** An Avro JSON default as a Connect value (AvroData.defaultValueFromAvro). */
function defaultValueFromAvro(schema: Schema, avro: AvroSchema, json: Json): unknown {
  const raw = defaultWithoutLogical(schema, avro, json);
  return raw == null ? raw : toConnectLogical(schema, raw);
}

function defaultWithoutLogical(schema: Schema, avro: AvroSchema, json: Json): unknown {
  if (json === null) return null;
  switch (avro.type) {
    case 'int':
      if (typeof json !== 'number') break;
      if (schema.type === Type.INT8) return (json << 24) >> 24;
      if (schema.type === Type.INT16) return (json << 16) >> 16;
      return schema.type === Type.INT32 ? json | 0 : null;
    case 'long':
      return typeof json === 'number' ? BigInt(Math.trunc(json)) : null;
    case 'float':
    case 'double':
      return typeof json === 'number' ? json : null;
    case 'boolean':
      return json === true;
    case 'null':
      return null;
    case 'string':
    case 'enum':
      return typeof json === 'string' ? json : String(json);
    case 'bytes':
    case 'fixed':
      return typeof json === 'string' ? new Uint8Array(Buffer.from(json, 'latin1')) : null;
    case 'array':
      if (!Array.isArray(json)) throw new DataError(`Invalid JSON for array default value: ${JSON.stringify(json)}`);
      if (schema.type === Type.MAP) {
        // A non-string-key map, written by Connect as [[key, value], ...].
        return new Map(json.map((pair) => {
          const [k, v] = Array.isArray(pair) ? pair : [null, null];
          const entry = (avro.items as AvroRecord).fields;
          return [defaultValueFromAvro(schema.keySchema!, entry[0]!.type, k ?? null), defaultValueFromAvro(schema.valueSchema!, entry[1]!.type, v ?? null)];
        }));
      }
      return json.map((e) => defaultValueFromAvro(schema.valueSchema!, avro.items, e));
    case 'map': {
      if (typeof json !== 'object' || Array.isArray(json)) throw new DataError(`Invalid JSON for map default value: ${JSON.stringify(json)}`);
      return new Map(Object.entries(json).map(([k, v]) => [k, defaultValueFromAvro(schema.valueSchema!, avro.values, v)]));
    }
    case 'record': {
      if (typeof json !== 'object' || Array.isArray(json)) throw new DataError(`Invalid JSON for record default value: ${JSON.stringify(json)}`);
      const struct = new Struct(schema);
      for (const f of avro.fields) {
        const field = schema.field(f.name)!;
        struct.put(field, defaultValueFromAvro(field.schema, f.type, json[f.name] ?? null));
      }
      return struct;
    }
    case 'union': {
      const first = avro.branches[0]!;
      if (first.type === 'null') return null;
      const target = schema.name === AVRO_TYPE_UNION ? schema.field(unionMemberFieldName(first, DEFAULT_READ_OPTIONS))?.schema : schema;
      return target ? defaultValueFromAvro(target, first, json) : null;
    }
  }
  return null;
}

const DEFAULT_READ_OPTIONS: AvroDataOptions = { connectMetaData: true, enhancedSchemaSupport: false, scrubInvalidNames: false };

function toConnectLogical(schema: Schema, value: unknown): unknown {
  switch (schema.name) {
    case LOGICAL_DECIMAL:
      if (!(value instanceof Uint8Array)) throw new DataError('Invalid type for Decimal, underlying representation should be bytes');
      return Decimal.toLogical(schema, value);
    case LOGICAL_DATE:
      if (typeof value !== 'number') throw new DataError('Invalid type for Date, underlying representation should be int32');
      return ConnectDate.toLogical(schema, value);
    case LOGICAL_TIME:
      if (typeof value !== 'number') throw new DataError('Invalid type for Time, underlying representation should be int32');
      return ConnectTime.toLogical(schema, value);
    case LOGICAL_TIMESTAMP:
      if (typeof value !== 'bigint' && typeof value !== 'number') throw new DataError('Invalid type for Timestamp, underlying representation should be int64');
      return ConnectTimestamp.toLogical(schema, value);
    default:
      return value;
  }
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/** An avsc-decoded value (written with `avro`) as the Connect value of `schema`. */
export function toConnectData(schema: Schema, avro: AvroSchema, value: unknown, options: AvroDataOptions): unknown {
  if (value == null) {
    if (!schema.optional) throw new DataError('Found null value for non-optional schema');
    return null;
  }
  if (avro.type === 'union') {
    const [branchName, member] = Object.entries(value as Record<string, unknown>)[0] ?? [];
    const branch = avro.branches.find((b) => typeName(b) === branchName);
    if (!branch) throw new DataError(`Did not find matching union field for data: ${String(branchName)}`);
    if (schema.name === AVRO_TYPE_UNION && schema.type === Type.STRUCT) {
      const fieldName = unionMemberFieldName(branch, options);
      const field = schema.field(fieldName);
      if (!field) throw new DataError(`Did not find matching union field for data: ${fieldName}`);
      return new Struct(schema).put(field, toConnectData(field.schema, branch, member, options));
    }
    return toConnectData(schema, branch, member, options);
  }
  let converted: unknown;
  switch (schema.type) {
    case Type.INT8:
    case Type.INT16:
    case Type.INT32:
    case Type.FLOAT32:
    case Type.FLOAT64:
    case Type.BOOLEAN:
    case Type.STRING:
    case Type.INT64:
      converted = value;
      break;
    case Type.BYTES:
      // A copy: avsc's bytes are views of the message, which the caller may reuse.
      converted = new Uint8Array(value as Uint8Array);
      break;
    case Type.ARRAY: {
      if (avro.type !== 'array') throw invalid(schema, value);
      converted = (value as unknown[]).map((e) => toConnectData(schema.valueSchema!, avro.items, e, options));
      break;
    }
    case Type.MAP: {
      const map = new Map<unknown, unknown>();
      if (avro.type === 'map') {
        for (const [k, v] of Object.entries(value as Record<string, unknown>)) map.set(k, toConnectData(schema.valueSchema!, avro.values, v, options));
      } else if (avro.type === 'array' && avro.items.type === 'record') {
        const entry = avro.items;
        const keyType = entry.fields.find((f) => f.name === KEY_FIELD)!.type;
        const valueType = entry.fields.find((f) => f.name === VALUE_FIELD)!.type;
        for (const e of value as Record<string, unknown>[]) {
          map.set(toConnectData(schema.keySchema!, keyType, e[KEY_FIELD], options), toConnectData(schema.valueSchema!, valueType, e[VALUE_FIELD], options));
        }
      } else {
        throw invalid(schema, value);
      }
      converted = map;
      break;
    }
    case Type.STRUCT: {
      if (avro.type !== 'record') throw invalid(schema, value);
      const record = value as Record<string, unknown>;
      const struct = new Struct(schema);
      for (const field of schema.fields()) {
        const avroField = avro.fields.find((f) => f.name === field.name);
        if (!avroField) throw new DataError(`Avro record ${fullName(avro)} has no field ${field.name}`);
        struct.put(field, toConnectData(field.schema, avroField.type, record[field.name], options));
      }
      converted = struct;
      break;
    }
  }
  return schema.name != null ? toConnectLogical(schema, converted) : converted;
}

function invalid(schema: Schema, value: unknown): DataError {
  return new DataError(`Invalid type for ${schema.type}: ${typeof value}`);
}

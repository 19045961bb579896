/**
 * JsonConverter (org.apache.kafka.connect.json.JsonConverter), byte for byte.
 *
 * Apache Kafka builds a Jackson tree and serializes it; sluice writes the same bytes directly as a
 * string, and reads with a small parser that accepts exactly what Jackson (as JsonConverter
 * configures it) accepts and keeps the distinctions Jackson keeps: int vs long vs big integer,
 * decimal literals as exact decimals (USE_BIG_DECIMAL_FOR_FLOATS). test/compat/json-converter checks
 * all of this against fixtures written by Kafka's own JsonConverter.
 *
 * What the bytes look like, from Jackson's defaults:
 *   - strings: \" \\ \b \f \n \r \t escaped, other control chars as \u00XX, every UTF-16 surrogate
 *     (so every character beyond U+FFFF) as \uXXXX in upper-case hex, everything else raw UTF-8;
 *   - floats and doubles as Java's Float/Double.toString, NaN and ±Infinity as JSON strings;
 *   - bytes and BASE64 decimals in standard base64 with padding.
 * Reading: JSON numbers become INT64 (integral) or FLOAT64 without a schema; a NaN written as "NaN"
 * reads back as 0.0 under a float schema, as in Java.
 *
 * Configs: schemas.enable, schemas.cache.size, schema.content, decimal.format (BASE64 | NUMERIC),
 * replace.null.with.default, converter.type.
 */
import {
  CaseInsensitiveValidString,
  ConfigDef,
  ConfigType,
  Importance,
  Width,
} from '../api/config-def.js';
import type { Converter, HeaderConverter, SchemaAndValue } from '../api/converter.js';
import type { Headers } from '../data/headers.js';
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
} from '../data/logical.js';
import { DataError, type Schema, Type } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { isInt64, javaClassOf } from '../data/validate.js';
import { decimalToFloat32, javaDoubleToString, javaFloatToString } from '../data/values.js';
import { newConverterConfigDef, withConverterType } from './string.js';
import { asciiString, cachedName, MAX_CACHED_NAME } from './json-text/names.js';
import { LazyJsonMap, READ_LAZILY, type DecodeSpan } from './json-text/lazy-map.js';
import { SCHEMALESS_JSON_FIELDS } from './json-text/scanned-fields.js';
import { printSchemalessJson } from './json-text/print.js';
import { MemberTable, scanRootObject } from './json-text/scan.js';
import { LruCache } from '../util/lru-cache.js';

// =============================================================================================
// Configuration (JsonConverterConfig)
// =============================================================================================

export const SCHEMAS_ENABLE_CONFIG = 'schemas.enable';
export const SCHEMAS_CACHE_SIZE_CONFIG = 'schemas.cache.size';
export const SCHEMA_CONTENT_CONFIG = 'schema.content';
export const DECIMAL_FORMAT_CONFIG = 'decimal.format';
export const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';

export type DecimalFormat = 'BASE64' | 'NUMERIC';

const JSON_CONFIG_DEF = newConverterConfigDef()
  .define({
    name: SCHEMAS_ENABLE_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.HIGH,
    documentation: 'Include schemas within each of the serialized values and keys.',
    group: 'Schemas',
    orderInGroup: 0,
    width: Width.MEDIUM,
    displayName: 'Enable Schemas',
  })
  .define({
    name: SCHEMAS_CACHE_SIZE_CONFIG,
    type: ConfigType.INT,
    defaultValue: 1000,
    importance: Importance.HIGH,
    documentation: 'The maximum number of schemas that can be cached in this converter instance.',
    group: 'Schemas',
    orderInGroup: 1,
    width: Width.MEDIUM,
    displayName: 'Schema Cache Size',
  })
  .define({
    name: SCHEMA_CONTENT_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    importance: Importance.HIGH,
    documentation:
      'When set, this is used as the schema for all messages, and the schemas within each of the message will be ignored.' +
      "Otherwise, the schema will be included in the content of each message. This configuration applies only 'schemas.enable' is true, and it exclusively affects the sink connector.",
    group: 'Schemas',
    orderInGroup: 2,
    width: Width.MEDIUM,
    displayName: 'Schema Content',
  })
  .define({
    name: DECIMAL_FORMAT_CONFIG,
    type: ConfigType.STRING,
    defaultValue: 'BASE64',
    validator: CaseInsensitiveValidString.in('BASE64', 'NUMERIC'),
    importance: Importance.LOW,
    documentation:
      "Controls which format this converter will serialize decimals in. This value is case insensitive and can be either 'BASE64' (default) or 'NUMERIC'",
    group: 'Serialization',
    orderInGroup: 0,
    width: Width.MEDIUM,
    displayName: 'Decimal Format',
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.LOW,
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    group: 'Serialization',
    orderInGroup: 1,
    width: Width.MEDIUM,
    displayName: 'Replace null with default',
  });

const ENVELOPE_ERROR =
  'JsonConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.' +
  ' If you are trying to deserialize plain JSON data, set schemas.enable=false in your converter configuration.';
const READ_ERROR = 'Converting byte[] to Kafka Connect data failed due to serialization error: ';

// =============================================================================================
// The converter
// =============================================================================================

export class JsonConverter implements Converter, HeaderConverter {
  /** Values are decoded into new strings and objects; the input bytes are never kept. */
  readonly keepsInputBytes = false;

  /**
   * Without schemas every value is this call's own parse tree. With schemas a missing payload
   * may come back as the schema's default value, which is shared.
   */
  get returnsNewValues(): boolean {
    return !this.schemasEnabled;
  }

  private schemasEnabled = true;
  private decimalFormat: DecimalFormat = 'BASE64';
  private replaceNullWithDefault = true;
  /** schema.content: used for every message instead of an envelope. */
  private fixedSchema: Schema | null = null;
  private writeCache = new WeakMap<Schema, string>();
  private readCache = new LruCache<string, Schema | null>(1000);
  /** The bytes and schema of the last envelope schema read: the next message usually repeats them. */
  private lastSchemaBytes: Uint8Array | null = null;
  private lastSchema: Schema | null = null;

  config(): ConfigDef {
    return JSON_CONFIG_DEF;
  }

  /** `isKey` as in Converter.configure; omitted, the converter is a header converter. */
  configure(configs: Record<string, string>, isKey?: boolean): void {
    const parsed = JSON_CONFIG_DEF.parse(withConverterType(configs, isKey));
    this.schemasEnabled = parsed[SCHEMAS_ENABLE_CONFIG] as boolean;
    this.decimalFormat = (parsed[DECIMAL_FORMAT_CONFIG] as string).toUpperCase() as DecimalFormat;
    this.replaceNullWithDefault = parsed[REPLACE_NULL_WITH_DEFAULT_CONFIG] as boolean;
    this.writeCache = new WeakMap();
    this.readCache = new LruCache(parsed[SCHEMAS_CACHE_SIZE_CONFIG] as number);
    this.lastSchemaBytes = null;
    this.lastSchema = null;
    this.fixedSchema = null;
    const content = parsed[SCHEMA_CONTENT_CONFIG] as string | null;
    if (content) {
      let node: JsonNode;
      try {
        node = parseJson(Buffer.from(content, 'utf8')).root;
      } catch (e) {
        throw new DataError('Failed to parse schema in converter config due to serialization error: ', { cause: e });
      }
      this.fixedSchema = this.asConnectSchemaNode(node);
    }
  }

  fromConnectData(_topic: string, _headers: Headers | null, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema == null && value == null) return null;
    const w: Out = { s: '' };
    if (this.schemasEnabled) {
      // The schema first: Java builds it before the payload, so its errors come first.
      const schemaJson = schema == null ? 'null' : this.asJsonSchema(schema)!;
      w.s = `{"schema":${schemaJson},"payload":`;
      this.writeValue(w, schema, value);
      w.s += '}';
    } else {
      this.writeValue(w, schema, value);
    }
    return Buffer.from(w.s, 'utf8');
  }

  toConnectData(_topic: string, _headers: Headers | null, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes == null) return { schema: null, value: null };
    if (!this.schemasEnabled) {
      // Without a schema the parser makes Connect values as it goes (what toConnect(null, tree)
      // would make of its tree): one pass, no tree walked twice.
      let value: JsonNode;
      try {
        value = parseSchemaless(bytes);
      } catch (e) {
        throw new DataError(READ_ERROR, { cause: e });
      }
      return { schema: null, value };
    }
    let parsed: ParsedJson;
    try {
      parsed = parseJson(bytes, this.fixedSchema === null ? this.lastSchemaBytes : null);
    } catch (e) {
      throw new DataError(READ_ERROR, { cause: e });
    }
    const root = parsed.root;
    if (this.fixedSchema !== null) return { schema: this.fixedSchema, value: this.toConnect(this.fixedSchema, root) };
    if (!(root instanceof Map) || root.size !== 2 || !root.has('schema') || !root.has('payload')) {
      throw new DataError(ENVELOPE_ERROR);
    }
    const schemaNode = root.get('schema')!;
    const span = parsed.schemaSpan;
    let schema: Schema | null;
    if (schemaNode === SAME_SCHEMA) {
      schema = this.lastSchema;
    } else if (span && schemaNode !== null) {
      // Schemas repeat from message to message: cache them by their exact text.
      const key = Buffer.from(bytes.buffer, bytes.byteOffset + span[0], span[1] - span[0]).toString('latin1');
      const cached = this.readCache.get(key);
      if (cached !== undefined) {
        schema = cached;
      } else {
        schema = this.asConnectSchemaNode(schemaNode);
        this.readCache.set(key, schema);
      }
      this.lastSchemaBytes = bytes.slice(span[0], span[1]);
      this.lastSchema = schema;
    } else {
      schema = this.asConnectSchemaNode(schemaNode);
    }
    return { schema, value: this.toConnect(schema, root.get('payload')!) };
  }

  /**
   * Without schemas, the Java text of the value straight from the bytes (json-text/print.ts);
   * -1 with schemas, or for input the scan leaves to the parser.
   */
  printJavaText(bytes: Uint8Array, out: Uint8Array, pos: number): number {
    return this.schemasEnabled ? -1 : printSchemalessJson(bytes, out, pos);
  }

  /**
   * toConnectData for a record that is transformed and then printed before its frame is
   * released: without schemas, an object whose members the scan takes comes back as a
   * LazyJsonMap over `bytes` (decoded member by member as it is read); anything else as
   * toConnectData returns it.
   */
  [READ_LAZILY](topic: string, bytes: Uint8Array | null): SchemaAndValue {
    if (!this.schemasEnabled && bytes !== null && scanRootObject(bytes, lazyTable)) {
      const map = LazyJsonMap.of(bytes, lazyTable, decodeSpan);
      if (map !== null) return { schema: null, value: map };
    }
    return this.toConnectData(topic, null, bytes);
  }

  /** Without schemas, how one member's bytes decode (for ScannedFields); null with schemas. */
  [SCHEMALESS_JSON_FIELDS](): DecodeSpan | null {
    return this.schemasEnabled ? null : decodeSpan;
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }

  close(): void {}

  /** The JSON text of a schema as it appears in the envelope (Java returns it as an ObjectNode). */
  asJsonSchema(schema: Schema | null): string | null {
    if (schema == null) return null;
    const cached = this.writeCache.get(schema);
    if (cached !== undefined) return cached;

    let json: string;
    switch (schema.type) {
      case Type.ARRAY:
        json = `{"type":"array","items":${this.asJsonSchema(schema.valueSchema) ?? 'null'}`;
        break;
      case Type.MAP:
        json = `{"type":"map","keys":${this.asJsonSchema(schema.keySchema) ?? 'null'},"values":${this.asJsonSchema(schema.valueSchema) ?? 'null'}`;
        break;
      case Type.STRUCT: {
        // Each field is its schema's JSON with "field" added last.
        const fields = schema.fields().map((f) => `${this.asJsonSchema(f.schema)!.slice(0, -1)},"field":${quote(f.name)}}`);
        json = `{"type":"struct","fields":[${fields.join(',')}]`;
        break;
      }
      default:
        json = `{"type":"${JSON_TYPE_NAMES[schema.type]}"`;
    }
    json += `,"optional":${schema.optional}`;
    if (schema.name !== null) json += `,"name":${quote(schema.name)}`;
    if (schema.version !== null) json += `,"version":${schema.version}`;
    if (schema.doc !== null) json += `,"doc":${quote(schema.doc)}`;
    if (schema.parameters !== null) {
      // Schema keeps parameters in a plain object: keys that look like array indices come first.
      const params = Object.entries(schema.parameters).map(([k, v]) => `${quote(k)}:${quote(v)}`);
      json += `,"parameters":{${params.join(',')}}`;
    }
    if (schema.defaultValue != null) {
      const w: Out = { s: '' };
      this.writeValue(w, schema, schema.defaultValue);
      json += `,"default":${w.s}`;
    }
    json += '}';
    this.writeCache.set(schema, json);
    return json;
  }

  /** The Connect schema for a JSON schema text, or null for "null". */
  asConnectSchema(jsonSchema: string | Uint8Array): Schema | null {
    const bytes = typeof jsonSchema === 'string' ? Buffer.from(jsonSchema, 'utf8') : jsonSchema;
    return this.asConnectSchemaNode(parseJson(bytes).root);
  }

  // ------------------------------------------------------------------------------------------
  // Connect -> JSON
  // ------------------------------------------------------------------------------------------

  private writeValue(w: Out, schema: Schema | null, value: unknown): void {
    if (value === null || value === undefined) {
      // No schema: anything goes, and there is no default.
      if (schema == null) {
        w.s += 'null';
        return;
      }
      if (schema.defaultValue != null && this.replaceNullWithDefault) {
        this.writeValue(w, schema, schema.defaultValue);
        return;
      }
      if (schema.optional) {
        w.s += 'null';
        return;
      }
      throw new DataError('Conversion error: null value for field that is required and has no default value');
    }

    if (schema != null && schema.name !== null && this.writeLogical(w, schema, value)) return;

    const type = schema != null ? schema.type : schemalessType(value);
    switch (type) {
      case Type.INT8:
      case Type.INT16:
      case Type.INT32:
        if (!isIntOfWidth(value, type)) throw invalidType(schema, value);
        w.s += String(value);
        return;
      case Type.INT64:
        if (!isInt64(value)) throw invalidType(schema, value);
        w.s += typeof value === 'bigint' || Number.isSafeInteger(value) ? String(value) : BigInt(value as number).toString();
        return;
      case Type.FLOAT32:
      case Type.FLOAT64:
        if (typeof value !== 'number') throw invalidType(schema, value);
        writeFloat(w, value, type === Type.FLOAT32);
        return;
      case Type.BOOLEAN:
        if (typeof value !== 'boolean') throw invalidType(schema, value);
        w.s += value ? 'true' : 'false';
        return;
      case Type.STRING:
        if (typeof value !== 'string') throw invalidType(schema, value);
        w.s += quote(value);
        return;
      case Type.BYTES:
        if (!(value instanceof Uint8Array)) throw new DataError(`Invalid type for bytes type: ${javaClassOf(value)}`);
        w.s += `"${base64(value)}"`;
        return;
      case Type.ARRAY: {
        if (!Array.isArray(value)) throw invalidType(schema, value);
        const elementSchema = schema == null ? null : schema.valueSchema;
        w.s += '[';
        for (let i = 0; i < value.length; i++) {
          if (i > 0) w.s += ',';
          this.writeValue(w, elementSchema, value[i]);
        }
        w.s += ']';
        return;
      }
      case Type.MAP:
        if (!(value instanceof Map)) throw invalidType(schema, value);
        this.writeMap(w, schema, value);
        return;
      case Type.STRUCT: {
        if (!(value instanceof Struct)) throw invalidType(schema, value);
        if (!value.schema.equals(schema)) throw new DataError('Mismatching schema.');
        const fields = schema!.fields();
        w.s += '{';
        for (let i = 0; i < fields.length; i++) {
          const field = fields[i]!;
          w.s += `${i > 0 ? ',' : ''}${quote(field.name)}:`;
          this.writeValue(w, field.schema, value.getWithoutDefault(field.name));
        }
        w.s += '}';
        return;
      }
    }
  }

  /**
   * String keys (or no schema and only string keys) make a JSON object; any other key type a list
   * of [key, value] pairs.
   */
  private writeMap(w: Out, schema: Schema | null, map: Map<unknown, unknown>): void {
    const keySchema = schema == null ? null : schema.keySchema;
    const valueSchema = schema == null ? null : schema.valueSchema;
    let objectMode: boolean;
    if (schema == null) {
      objectMode = true;
      for (const k of map.keys()) {
        if (typeof k !== 'string') {
          objectMode = false;
          break;
        }
      }
    } else {
      objectMode = keySchema!.type === Type.STRING;
    }

    if (!objectMode) {
      w.s += '[';
      let first = true;
      for (const [k, v] of map) {
        w.s += first ? '[' : ',[';
        first = false;
        this.writeValue(w, keySchema, k);
        w.s += ',';
        this.writeValue(w, valueSchema, v);
        w.s += ']';
      }
      w.s += ']';
      return;
    }

    // Jackson's ObjectNode keeps one value per name: a later entry whose key prints the same (a
    // null key prints "null") replaces the earlier value in the earlier position.
    const entries = new Map<string, string>();
    for (const [k, v] of map) {
      const name = this.objectKey(keySchema, k);
      const valueOut: Out = { s: '' };
      this.writeValue(valueOut, valueSchema, v);
      entries.set(name, valueOut.s);
    }
    w.s += '{';
    let first = true;
    for (const [name, json] of entries) {
      w.s += `${first ? '' : ','}${quote(name)}:${json}`;
      first = false;
    }
    w.s += '}';
  }

  /** The object member name for a map key: the key's JSON node as text (Jackson's asText()). */
  private objectKey(keySchema: Schema | null, key: unknown): string {
    if (typeof key === 'string' && (keySchema == null || keySchema.name === null)) return key;
    const out: Out = { s: '' };
    this.writeValue(out, keySchema, key);
    return nodeAsText(parseJson(Buffer.from(out.s, 'utf8')).root);
  }

  /** Decimal, Date, Time and Timestamp, chosen by schema name. False for any other name. */
  private writeLogical(w: Out, schema: Schema, value: unknown): boolean {
    switch (schema.name) {
      case LOGICAL_DECIMAL:
        if (!(value instanceof DecimalValue)) {
          throw new DataError(`Invalid type for Decimal, expected BigDecimal but was ${javaClassOf(value)}`);
        }
        w.s += this.decimalFormat === 'NUMERIC' ? value.toString() : `"${base64(Decimal.fromLogical(schema, value))}"`;
        return true;
      case LOGICAL_DATE:
        if (!(value instanceof Date)) throw new DataError(`Invalid type for Date, expected Date but was ${javaClassOf(value)}`);
        w.s += String(ConnectDate.fromLogical(schema, value));
        return true;
      case LOGICAL_TIME:
        if (!(value instanceof Date)) throw new DataError(`Invalid type for Time, expected Date but was ${javaClassOf(value)}`);
        w.s += String(ConnectTime.fromLogical(schema, value));
        return true;
      case LOGICAL_TIMESTAMP:
        if (!(value instanceof Date)) {
          throw new DataError(`Invalid type for Timestamp, expected Date but was ${javaClassOf(value)}`);
        }
        w.s += String(ConnectTimestamp.fromLogical(schema, value));
        return true;
      default:
        return false;
    }
  }

  // ------------------------------------------------------------------------------------------
  // JSON -> Connect
  // ------------------------------------------------------------------------------------------

  private asConnectSchemaNode(node: JsonNode): Schema | null {
    if (node === null) return null;
    const typeNode = get(node, 'type');
    if (typeof typeNode !== 'string') throw new DataError("Schema must contain 'type' field");

    let builder: SchemaBuilder;
    switch (typeNode) {
      case 'boolean':
        builder = SchemaBuilder.bool();
        break;
      case 'int8':
        builder = SchemaBuilder.int8();
        break;
      case 'int16':
        builder = SchemaBuilder.int16();
        break;
      case 'int32':
        builder = SchemaBuilder.int32();
        break;
      case 'int64':
        builder = SchemaBuilder.int64();
        break;
      case 'float':
        builder = SchemaBuilder.float32();
        break;
      case 'double':
        builder = SchemaBuilder.float64();
        break;
      case 'bytes':
        builder = SchemaBuilder.bytes();
        break;
      case 'string':
        builder = SchemaBuilder.string();
        break;
      case 'array': {
        const items = get(node, 'items');
        if (items === undefined || items === null) throw new DataError('Array schema did not specify the element type');
        builder = SchemaBuilder.array(this.asConnectSchemaNode(items)!);
        break;
      }
      case 'map': {
        const keys = get(node, 'keys');
        if (keys === undefined) throw new DataError('Map schema did not specify the key type');
        const values = get(node, 'values');
        if (values === undefined) throw new DataError('Map schema did not specify the value type');
        builder = SchemaBuilder.map(this.asConnectSchemaNode(keys)!, this.asConnectSchemaNode(values)!);
        break;
      }
      case 'struct': {
        builder = SchemaBuilder.struct();
        const fields = get(node, 'fields');
        if (!Array.isArray(fields)) throw new DataError('Struct schema\'s "fields" argument is not an array.');
        for (const field of fields) {
          const fieldName = get(field, 'field');
          if (typeof fieldName !== 'string') throw new DataError("Struct schema's field name not specified properly");
          builder.field(fieldName, this.asConnectSchemaNode(field)!);
        }
        break;
      }
      default:
        throw new DataError(`Unknown schema type: ${typeNode}`);
    }

    if (get(node, 'optional') === true) builder.optional();
    else builder.required();
    const name = get(node, 'name');
    if (typeof name === 'string') builder.name(name);
    const version = get(node, 'version');
    if (isIntegral(version)) builder.version(intValue(version));
    const doc = get(node, 'doc');
    if (typeof doc === 'string') builder.doc(doc);
    const params = get(node, 'parameters');
    if (params instanceof Map) {
      for (const [k, v] of params) {
        if (typeof v !== 'string') throw new DataError('Schema parameters must have string values.');
        builder.parameter(k, v);
      }
    }
    const defaultNode = get(node, 'default');
    // Java converts the default against the builder as it stands (no default yet).
    if (defaultNode !== undefined) builder.defaultValue(this.toConnect(builder.build(), defaultNode));
    return builder.build();
  }

  private toConnect(schema: Schema | null, node: JsonNode | undefined): unknown {
    let type: Type;
    if (schema != null) {
      type = schema.type;
      // An absent struct member reads as null; the missing root of an empty message does not.
      if (node === undefined || node === null) {
        if (schema.defaultValue != null && this.replaceNullWithDefault) return schema.defaultValue;
        if (schema.optional) return null;
        throw new DataError(`Invalid null value for required ${type} field`);
      }
    } else {
      if (node === undefined || node === null || node === MISSING) return null;
      if (typeof node === 'boolean') type = Type.BOOLEAN;
      else if (typeof node === 'string') type = Type.STRING;
      else if (Array.isArray(node)) type = Type.ARRAY;
      else if (node instanceof Map) type = Type.MAP;
      else if (node instanceof JsonDecimal) type = Type.FLOAT64;
      else type = Type.INT64;
    }

    if (schema != null && schema.name !== null) {
      const logical = this.toConnectLogical(schema, node);
      if (logical !== NOT_LOGICAL) return logical;
    }

    switch (type) {
      case Type.BOOLEAN:
        return node === true;
      case Type.INT8:
        return (intValue(node) << 24) >> 24;
      case Type.INT16:
        return (intValue(node) << 16) >> 16;
      case Type.INT32:
        return intValue(node);
      case Type.INT64:
        return longValue(node);
      case Type.FLOAT32:
        return floatValue(node);
      case Type.FLOAT64:
        return doubleValue(node);
      case Type.STRING:
        return typeof node === 'string' ? node : null;
      case Type.BYTES:
        if (typeof node !== 'string') return null;
        try {
          return jacksonBase64Decode(node);
        } catch (e) {
          throw new DataError('Invalid bytes field', { cause: e });
        }
      case Type.ARRAY: {
        const elementSchema = schema == null ? null : schema.valueSchema;
        // Jackson iterates an object's values and nothing of a scalar.
        if (Array.isArray(node)) {
          // Converted in place, as objects are: the array is this call's own parse tree.
          for (let i = 0; i < node.length; i++) node[i] = this.toConnect(elementSchema, node[i]) as JsonNode;
          return node;
        }
        return node instanceof Map ? [...node.values()].map((e) => this.toConnect(elementSchema, e)) : [];
      }
      case Type.MAP:
        return this.toConnectMap(schema, node);
      case Type.STRUCT: {
        if (!(node instanceof Map)) throw new DataError(`Structs should be encoded as JSON objects, but found ${nodeType(node)}`);
        const struct = new Struct(schema!);
        for (const field of schema!.fields()) struct.put(field, this.toConnect(field.schema, node.get(field.name)));
        return struct;
      }
    }
  }

  private toConnectMap(schema: Schema | null, node: JsonNode): Map<unknown, unknown> {
    if (schema == null && node instanceof Map) {
      // Schemaless: the parsed object becomes the Connect map in place (it is this call's own
      // tree), saving a second Map per object, which is most of a JSON sink's garbage.
      for (const [k, v] of node) {
        const converted = this.toConnect(null, v);
        if (converted !== v) node.set(k, converted as JsonNode);
      }
      return node as Map<unknown, unknown>;
    }
    const keySchema = schema == null ? null : schema.keySchema;
    const valueSchema = schema == null ? null : schema.valueSchema;
    const result = new Map<unknown, unknown>();
    if (schema == null || keySchema!.type === Type.STRING) {
      if (!(node instanceof Map)) {
        throw new DataError(`Maps with string fields should be encoded as JSON objects, but found ${nodeType(node)}`);
      }
      for (const [k, v] of node) result.set(k, this.toConnect(valueSchema, v));
      return result;
    }
    if (!Array.isArray(node)) {
      throw new DataError(`Maps with non-string fields should be encoded as JSON array of tuples, but found ${nodeType(node)}`);
    }
    for (const entry of node) {
      if (!Array.isArray(entry)) throw new DataError(`Found invalid map entry instead of array tuple: ${nodeType(entry)}`);
      if (entry.length !== 2) throw new DataError(`Found invalid map entry, expected length 2 but found :${entry.length}`);
      const key = this.toConnect(keySchema, entry[0]);
      result.set(mapKey(result, key), this.toConnect(valueSchema, entry[1]));
    }
    return result;
  }

  private toConnectLogical(schema: Schema, node: JsonNode): unknown {
    switch (schema.name) {
      case LOGICAL_DECIMAL:
        if (isNumber(node)) return decimalValue(node);
        if (typeof node === 'string') {
          try {
            return Decimal.toLogical(schema, jacksonBase64Decode(node));
          } catch (e) {
            throw new DataError('Invalid bytes for Decimal field', { cause: e });
          }
        }
        throw new DataError(`Invalid type for Decimal, underlying representation should be numeric or bytes but was ${nodeType(node)}`);
      case LOGICAL_DATE:
        if (!isInt(node)) throw new DataError(`Invalid type for Date, underlying representation should be integer but was ${nodeType(node)}`);
        return ConnectDate.toLogical(schema, intValue(node));
      case LOGICAL_TIME:
        if (!isInt(node)) throw new DataError(`Invalid type for Time, underlying representation should be integer but was ${nodeType(node)}`);
        return ConnectTime.toLogical(schema, intValue(node));
      case LOGICAL_TIMESTAMP:
        if (!isIntegral(node)) {
          throw new DataError(`Invalid type for Timestamp, underlying representation should be integral but was ${nodeType(node)}`);
        }
        return ConnectTimestamp.toLogical(schema, longValue(node));
      default:
        return NOT_LOGICAL;
    }
  }
}

const NOT_LOGICAL = Symbol('not a logical type');

const JSON_TYPE_NAMES: Record<Type, string> = {
  [Type.BOOLEAN]: 'boolean',
  [Type.INT8]: 'int8',
  [Type.INT16]: 'int16',
  [Type.INT32]: 'int32',
  [Type.INT64]: 'int64',
  [Type.FLOAT32]: 'float',
  [Type.FLOAT64]: 'double',
  [Type.BYTES]: 'bytes',
  [Type.STRING]: 'string',
  [Type.ARRAY]: 'array',
  [Type.MAP]: 'map',
  [Type.STRUCT]: 'struct',
};

/** A Map keyed by bigint keys works by value; Java's HashMap compares other keys with equals(). */
function mapKey(map: Map<unknown, unknown>, key: unknown): unknown {
  if (key === null || typeof key !== 'object') return key;
  for (const existing of map.keys()) {
    if (existing !== null && typeof existing === 'object' && (existing as { equals?: (o: unknown) => boolean }).equals?.(key)) {
      return existing;
    }
  }
  return key;
}

/** The schema type Java infers from a value's class when there is no schema. */
function schemalessType(value: unknown): Type {
  switch (typeof value) {
    case 'number':
      // Java sees an Integer, Long or Double; an integral number is written as an integer.
      return Number.isSafeInteger(value) && !Object.is(value, -0) ? Type.INT64 : Type.FLOAT64;
    case 'bigint':
      return Type.INT64;
    case 'boolean':
      return Type.BOOLEAN;
    case 'string':
      return Type.STRING;
    default:
      if (value instanceof Uint8Array) return Type.BYTES;
      if (Array.isArray(value)) return Type.ARRAY;
      if (value instanceof Map) return Type.MAP;
      if (value instanceof Struct) return Type.STRUCT;
      throw new DataError(`Java class ${javaClassOf(value)} does not have corresponding schema type.`);
  }
}

function isIntOfWidth(value: unknown, type: Type.INT8 | Type.INT16 | Type.INT32): boolean {
  if (typeof value !== 'number' || !Number.isInteger(value)) return false;
  const bits = type === Type.INT8 ? 8 : type === Type.INT16 ? 16 : 32;
  const max = 2 ** (bits - 1);
  return value >= -max && value < max;
}

/** Java's ClassCastException turned DataException, naming the class it saw. */
function invalidType(schema: Schema | null, value: unknown): DataError {
  return new DataError(`Invalid type for ${schema != null ? schema.type : 'unknown schema'}: ${javaClassOf(value)}`);
}

function writeFloat(w: Out, value: number, float32: boolean): void {
  const text = float32 ? javaFloatToString(value) : javaDoubleToString(value);
  // Jackson quotes NaN and the infinities (QUOTE_NON_NUMERIC_NUMBERS).
  w.s += Number.isFinite(value) ? text : `"${text}"`;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** Where the JSON text goes while it is written: one string, appended to. */
interface Out {
  s: string;
}

// Characters Jackson escapes: quote, backslash, C0 controls, and every UTF-16 surrogate.
const NEEDS_ESCAPE = /["\\\u0000-\u001f\ud800-\udfff]/;
const SHORT_ESCAPES: Record<string, string> = { '"': '\\"', '\\': '\\\\', '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t' };

/** A JSON string literal exactly as Jackson's UTF8JsonGenerator writes it. */
function quote(s: string): string {
  if (!NEEDS_ESCAPE.test(s)) return `"${s}"`;
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    const code = c.charCodeAt(0);
    if (code < 0x20 || c === '"' || c === '\\' || (code >= 0xd800 && code <= 0xdfff)) {
      out += SHORT_ESCAPES[c] ?? `\\u${code.toString(16).toUpperCase().padStart(4, '0')}`;
    } else {
      out += c;
    }
  }
  return `${out}"`;
}


// =============================================================================================
// JSON nodes: what Jackson's tree distinguishes, in JavaScript values
// =============================================================================================

/** A number written with a fraction or exponent: kept as text, read as an exact decimal. */
class JsonDecimal {
  constructor(readonly text: string) {}
}

/** The root of an empty (or all-whitespace) message: Jackson's MissingNode. */
const MISSING = Symbol('MissingNode');

/** In place of an envelope schema whose bytes equal the last one read: not parsed again. */
const SAME_SCHEMA = Symbol('same schema as the last message');

/**
 * null | boolean | string | integral number (safe integer) | bigint (integral beyond 2^53) |
 * JsonDecimal | array | object (a Map, which keeps member order and takes any name).
 */
type JsonNode = null | boolean | string | number | bigint | JsonDecimal | JsonNode[] | JsonObject | typeof MISSING | typeof SAME_SCHEMA;
type JsonObject = Map<string, JsonNode>;

function get(node: JsonNode | undefined, name: string): JsonNode | undefined {
  return node instanceof Map ? node.get(name) : undefined;
}

function isNumber(node: JsonNode): node is number | bigint | JsonDecimal {
  return typeof node === 'number' || typeof node === 'bigint' || node instanceof JsonDecimal;
}

function isIntegral(node: JsonNode | undefined): node is number | bigint {
  return typeof node === 'number' || typeof node === 'bigint';
}

/** Jackson's isInt(): an integer literal that fits 32 bits (an IntNode). */
function isInt(node: JsonNode): boolean {
  return typeof node === 'number' && node >= -2147483648 && node <= 2147483647;
}

/** JsonNodeType names, as they appear in Connect's messages. */
function nodeType(node: JsonNode | undefined): string {
  if (node === null || node === undefined) return 'NULL';
  if (node === MISSING) return 'MISSING';
  if (typeof node === 'boolean') return 'BOOLEAN';
  if (typeof node === 'string') return 'STRING';
  if (Array.isArray(node)) return 'ARRAY';
  if (node instanceof Map) return 'OBJECT';
  return 'NUMBER';
}

/** The integer part of a decimal, truncated toward zero, reduced to its low `bits` bits (two's complement). */
function decimalLowBits(node: JsonDecimal, bits: number): bigint {
  const d = DecimalValue.parse(node.text);
  // 10^k is divisible by 2^k: with k >= bits the low bits are all zero. And |d| < 1 truncates to 0.
  if (d.scale <= -bits) return 0n;
  if (d.scale > 0 && (d.unscaled < 0n ? -d.unscaled : d.unscaled).toString().length <= d.scale) return 0n;
  return BigInt.asIntN(bits, d.toBigInt());
}

/** JsonNode.intValue(): numbers wrap to 32 bits like Java's casts; anything else is 0. */
function intValue(node: JsonNode): number {
  if (typeof node === 'number') return node | 0;
  if (typeof node === 'bigint') return Number(BigInt.asIntN(32, node));
  if (node instanceof JsonDecimal) return Number(decimalLowBits(node, 32));
  return 0;
}

/** JsonNode.longValue() as a bigint: numbers wrap to 64 bits; anything else is 0. */
function longValue(node: JsonNode): bigint {
  if (typeof node === 'number') return BigInt(node);
  if (typeof node === 'bigint') return BigInt.asIntN(64, node);
  if (node instanceof JsonDecimal) return decimalLowBits(node, 64);
  return 0n;
}

/** JsonNode.doubleValue(): one correct rounding; BigDecimal has no negative zero. */
function doubleValue(node: JsonNode): number {
  if (typeof node === 'number') return node;
  if (typeof node === 'bigint') return Number(node);
  if (node instanceof JsonDecimal) return decimalTextToDouble(node.text);
  return 0;
}

function decimalTextToDouble(text: string): number {
  const d = Number(text);
  return d === 0 && isZeroLiteral(text) ? 0 : d;
}

/** JsonNode.floatValue(): one correct rounding to 32 bits. */
function floatValue(node: JsonNode): number {
  if (typeof node === 'number') return Number.isSafeInteger(node) ? Math.fround(node) : decimalToFloat32(String(node));
  if (typeof node === 'bigint') return decimalToFloat32(node.toString());
  if (node instanceof JsonDecimal) return isZeroLiteral(node.text) ? 0 : decimalToFloat32(node.text);
  return 0;
}

/** Whether a number literal is exactly zero (not merely too small for a double). */
function isZeroLiteral(text: string): boolean {
  return !/[1-9]/.test(text.replace(/[eE].*$/, ''));
}

function decimalValue(node: number | bigint | JsonDecimal): DecimalValue {
  if (node instanceof JsonDecimal) return DecimalValue.parse(node.text);
  return new DecimalValue(BigInt(node), 0);
}

/** JsonNode.asText() of a scalar: strings as themselves, numbers and literals as their JSON text. */
function nodeAsText(node: JsonNode): string {
  if (typeof node === 'string') return node;
  if (node === null) return 'null';
  if (node instanceof JsonDecimal) return DecimalValue.parse(node.text).toString();
  if (typeof node === 'number' || typeof node === 'bigint' || typeof node === 'boolean') return String(node);
  return '';
}

// =============================================================================================
// Base64 as Jackson reads it (Base64Variants.MIME_NO_LINEFEEDS, padding required)
// =============================================================================================

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const BASE64_VALUES = new Int8Array(128).fill(-1);
for (let i = 0; i < 64; i++) BASE64_VALUES[BASE64_ALPHABET.charCodeAt(i)] = i;
const PADDING = -2;
BASE64_VALUES['='.charCodeAt(0)] = PADDING;

function b64(ch: number): number {
  return ch < 128 ? BASE64_VALUES[ch]! : -1;
}

/**
 * Jackson's Base64Variant.decode over the trimmed text: quads of four characters, padding required
 * at the end, whitespace allowed only between quads, and a padded quad may be followed by more.
 */
function jacksonBase64Decode(text: string): Uint8Array {
  const str = javaTrim(text);
  const out: number[] = [];
  let ptr = 0;
  const len = str.length;
  const invalid = (ch: number, index: number): Error =>
    new Error(`Illegal character '${String.fromCharCode(ch)}' (code 0x${ch.toString(16)}) in base64 content at quad position ${index}`);
  const eof = (): Error => new Error('Unexpected end of base64-encoded String: base64 variant \'MIME-NO-LINEFEEDS\' expects padding (one or more \'=\' characters) at the end');
  while (true) {
    let ch: number;
    do {
      if (ptr >= len) return Uint8Array.from(out);
      ch = str.charCodeAt(ptr++);
    } while (ch <= 0x20);
    let bits = b64(ch);
    if (bits < 0) throw invalid(ch, 0);
    let data = bits;
    if (ptr >= len) throw eof();
    ch = str.charCodeAt(ptr++);
    bits = b64(ch);
    if (bits < 0) throw invalid(ch, 1);
    data = (data << 6) | bits;
    if (ptr >= len) throw eof();
    ch = str.charCodeAt(ptr++);
    bits = b64(ch);
    if (bits < 0) {
      if (bits !== PADDING) throw invalid(ch, 2);
      if (ptr >= len) throw eof();
      ch = str.charCodeAt(ptr++);
      if (ch !== 0x3d) throw invalid(ch, 3);
      out.push(data >> 4);
      continue;
    }
    data = (data << 6) | bits;
    if (ptr >= len) throw eof();
    ch = str.charCodeAt(ptr++);
    bits = b64(ch);
    if (bits < 0) {
      if (bits !== PADDING) throw invalid(ch, 3);
      data >>= 2;
      out.push((data >> 8) & 0xff, data & 0xff);
    } else {
      data = (data << 6) | bits;
      out.push((data >> 16) & 0xff, (data >> 8) & 0xff, data & 0xff);
    }
  }
}

function javaTrim(s: string): string {
  let start = 0;
  let end = s.length;
  while (start < end && s.charCodeAt(start) <= 0x20) start++;
  while (end > start && s.charCodeAt(end - 1) <= 0x20) end--;
  return s.slice(start, end);
}

// =============================================================================================
// The parser: what Jackson's readTree accepts, as JsonDeserializer configures it
// =============================================================================================

/** Jackson's default StreamReadConstraints. */
const MAX_DEPTH = 1000;
const MAX_NUMBER_LENGTH = 1000;

class JsonParseError extends Error {
  constructor(message: string, offset: number) {
    super(`${message} at byte ${offset}`);
    this.name = 'JsonParseException';
  }
}

interface ParsedJson {
  root: JsonNode;
  /** Byte range of the root object's "schema" member value, for the schema cache. */
  schemaSpan: [number, number] | null;
}

const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const latin1 = new TextDecoder('latin1');
const lenientUtf8 = new TextDecoder('utf-8', { ignoreBOM: true });

/**
 * Parses one JSON value, as ObjectMapper.readTree(byte[]) does: detects UTF-16/32 like Jackson's
 * ByteSourceJsonBootstrapper, skips a UTF-8 BOM, allows leading zeros in numbers
 * (JsonDeserializer enables them), and ignores whatever follows the first value, except that a
 * number or literal must not run into other characters. Empty input is MissingNode.
 */
function parseJson(input: Uint8Array, knownSchema: Uint8Array | null = null): ParsedJson {
  return new JsonReader(toUtf8(input), knownSchema).parseRoot();
}

/**
 * Parses one JSON value as parseJson does (same acceptance, same errors) into the Connect value
 * JsonConverter makes of it without a schema: integers as INT64 (bigint, wrapped to 64 bits),
 * other numbers as FLOAT64, objects as Maps, an empty message as null.
 */
function parseSchemaless(input: Uint8Array): JsonNode {
  const root = new JsonReader(toUtf8(input), null, true).parseRoot().root;
  return root === MISSING ? null : root;
}

/** A member's bytes as scanned (valid by the scan, so the parser cannot fail on them). */
const decodeSpan: DecodeSpan = (bytes) => parseSchemaless(bytes);
const lazyTable = new MemberTable();

/** Jackson's encoding detection: BOMs, then zero-byte patterns of UTF-32 and UTF-16 text. */
function toUtf8(bytes: Uint8Array): Uint8Array {
  const n = bytes.length;
  if (n >= 4) {
    const quad = ((bytes[0]! << 24) | (bytes[1]! << 16) | (bytes[2]! << 8) | bytes[3]!) >>> 0;
    if (quad === 0x0000feff) return decodeUtf32(bytes.subarray(4), true);
    if (quad === 0xfffe0000) return decodeUtf32(bytes.subarray(4), false);
    if (quad === 0x0000fffe || quad === 0xfeff0000) throw new JsonParseError('Unsupported UCS-4 endianness', 0);
    const msw = quad >>> 16;
    if (msw === 0xfeff) return decodeUtf16(bytes.subarray(2), true);
    if (msw === 0xfffe) return decodeUtf16(bytes.subarray(2), false);
    if (quad >>> 8 === 0xefbbbf) return bytes.subarray(3);
    if (quad >>> 8 === 0) return decodeUtf32(bytes, true);
    if ((quad & 0x00ffffff) === 0) return decodeUtf32(bytes, false);
    if ((quad & ~0x00ff0000) === 0 || (quad & ~0x0000ff00) === 0) throw new JsonParseError('Unsupported UCS-4 endianness', 0);
    return utf16Guess(msw, bytes);
  }
  if (n >= 2) return utf16Guess((bytes[0]! << 8) | bytes[1]!, bytes);
  return bytes;
}

function utf16Guess(first16: number, bytes: Uint8Array): Uint8Array {
  if ((first16 & 0xff00) === 0) return decodeUtf16(bytes, true);
  if ((first16 & 0x00ff) === 0) return decodeUtf16(bytes, false);
  return bytes;
}

function decodeUtf16(bytes: Uint8Array, bigEndian: boolean): Uint8Array {
  return Buffer.from(new TextDecoder(bigEndian ? 'utf-16be' : 'utf-16le', { ignoreBOM: true }).decode(bytes), 'utf8');
}

function decodeUtf32(bytes: Uint8Array, bigEndian: boolean): Uint8Array {
  let text = '';
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i + 4 <= bytes.length; i += 4) {
    const cp = view.getUint32(i, !bigEndian);
    if (cp > 0x10ffff) throw new JsonParseError(`Invalid UTF-32 character 0x${cp.toString(16)}`, i);
    text += String.fromCodePoint(cp);
  }
  if (bytes.length % 4 !== 0) throw new JsonParseError('Unexpected EOF in the middle of a 4-byte UTF-32 char', bytes.length);
  return Buffer.from(text, 'utf8');
}

class JsonReader {
  private pos = 0;
  private depth = 0;
  private schemaSpan: [number, number] | null = null;

  /**
   * `knownSchema`: the bytes of a schema object read before. An object is self-delimiting, so the
   * same bytes at the root's "schema" member parse to the same value and can be skipped.
   */
  /** `connect`: numbers become the Connect values of a schemaless message (bigint or double) as they are read. */
  constructor(
    private readonly b: Uint8Array,
    private readonly knownSchema: Uint8Array | null = null,
    private readonly connect = false,
  ) {}

  parseRoot(): ParsedJson {
    this.skipWhitespace();
    if (this.pos >= this.b.length) return { root: MISSING, schemaSpan: null };
    const first = this.b[this.pos]!;
    const root = this.value(true);
    // A number at the root must be followed by whitespace or the end (Jackson's _verifyRootSpace).
    if ((first === 0x2d || (first >= 0x30 && first <= 0x39)) && this.pos < this.b.length) {
      const c = this.b[this.pos]!;
      if (c !== 0x20 && c !== 0x09 && c !== 0x0a && c !== 0x0d) this.fail(`Unexpected character (${describeByte(c)}): Expected space separating root-level values`);
    }
    return { root, schemaSpan: this.schemaSpan };
  }

  private fail(message: string): never {
    throw new JsonParseError(message, this.pos);
  }

  private skipWhitespace(): void {
    const b = this.b;
    while (this.pos < b.length) {
      const c = b[this.pos]!;
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.pos++;
      else if (c < 0x20) this.fail(`Illegal character (${describeByte(c)}): only regular white space (\\r, \\n, \\t) is allowed between tokens`);
      else return;
    }
  }

  private value(root = false): JsonNode {
    const b = this.b;
    if (this.pos >= b.length) this.fail('Unexpected end-of-input: expected a value');
    const c = b[this.pos]!;
    switch (c) {
      case 0x7b: // {
        return this.object(root);
      case 0x5b: // [
        return this.array();
      case 0x22: // "
        return this.string();
      case 0x74: // t
        this.literal('true');
        return true;
      case 0x66: // f
        this.literal('false');
        return false;
      case 0x6e: // n
        this.literal('null');
        return null;
      default:
        if (c === 0x2d || (c >= 0x30 && c <= 0x39)) return this.number();
        return this.fail(`Unexpected character (${describeByte(c)}): expected a valid value (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
    }
  }

  private enter(): void {
    if (++this.depth > MAX_DEPTH) {
      this.fail(`Document nesting depth (${this.depth}) exceeds the maximum allowed (${MAX_DEPTH}, from \`StreamReadConstraints.getMaxNestingDepth()\`)`);
    }
  }

  private object(root: boolean): JsonObject {
    this.enter();
    this.pos++;
    const result: JsonObject = new Map();
    this.skipWhitespace();
    if (this.b[this.pos] === 0x7d) {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      if (this.b[this.pos] !== 0x22) this.fail("Unexpected character: was expecting double-quote to start field name");
      const name = this.memberName();
      this.skipWhitespace();
      if (this.b[this.pos] !== 0x3a) this.fail("Unexpected character: was expecting a colon to separate field name and value");
      this.pos++;
      this.skipWhitespace();
      const start = this.pos;
      let value: JsonNode;
      if (root && name === 'schema' && this.startsWithKnownSchema()) {
        value = SAME_SCHEMA;
        this.pos += this.knownSchema!.length;
      } else {
        value = this.value();
      }
      if (root && name === 'schema') this.schemaSpan = [start, this.pos];
      // Jackson's ObjectNode: a repeated name keeps its first position and takes the last value.
      result.set(name, value);
      this.skipWhitespace();
      const c = this.b[this.pos];
      if (c === 0x2c) {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      if (c === 0x7d) {
        this.pos++;
        this.depth--;
        return result;
      }
      this.fail(c === undefined ? 'Unexpected end-of-input: expected close marker for OBJECT' : "Unexpected character: was expecting comma to separate Object entries");
    }
  }

  private array(): JsonNode[] {
    this.enter();
    this.pos++;
    const result: JsonNode[] = [];
    this.skipWhitespace();
    if (this.b[this.pos] === 0x5d) {
      this.pos++;
      this.depth--;
      return result;
    }
    for (;;) {
      result.push(this.value());
      this.skipWhitespace();
      const c = this.b[this.pos];
      if (c === 0x2c) {
        this.pos++;
        this.skipWhitespace();
        continue;
      }
      if (c === 0x5d) {
        this.pos++;
        this.depth--;
        return result;
      }
      this.fail(c === undefined ? 'Unexpected end-of-input: expected close marker for ARRAY' : 'Unexpected character: was expecting comma to separate Array entries');
    }
  }

  private startsWithKnownSchema(): boolean {
    const known = this.knownSchema;
    if (known === null || known[0] !== 0x7b || this.pos + known.length > this.b.length) return false;
    return Buffer.compare(known, this.b.subarray(this.pos, this.pos + known.length)) === 0;
  }

  /** true, false, null; a name character right after (as in "truex") makes it an unknown token. */
  private literal(word: string): void {
    const b = this.b;
    for (let i = 0; i < word.length; i++) {
      if (b[this.pos + i] !== word.charCodeAt(i)) this.fail(`Unrecognized token '${word.slice(0, i)}': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
    }
    this.pos += word.length;
    const next = b[this.pos];
    if (next !== undefined && next >= 0x30 && next !== 0x5d && next !== 0x7d && this.isNameCharAt(this.pos)) {
      this.fail(`Unrecognized token '${word}…': was expecting (JSON String, Number, Array, Object or token 'null', 'true' or 'false')`);
    }
  }

  /** Java's Character.isJavaIdentifierPart for the character starting at `pos`. */
  private isNameCharAt(pos: number): boolean {
    const c = this.b[pos]!;
    if (c < 0x80) return (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x5f || c === 0x24 || c === 0x7f;
    const ch = [...lenientUtf8.decode(this.b.subarray(pos, Math.min(this.b.length, pos + 4)))][0] ?? '';
    return /[\p{L}\p{Nl}\p{Nd}\p{Mn}\p{Mc}\p{Pc}\p{Sc}\p{Cf}\u0080-\u009f]/u.test(ch);
  }

  /**
   * A number token: a safe integer, a bigint beyond 2^53, or a JsonDecimal. A `connect` reader
   * returns what JsonConverter makes of it without a schema: INT64 (bigint wrapped to 64 bits)
   * for an integer, FLOAT64 for anything else.
   */
  private number(): number | bigint | JsonDecimal {
    const b = this.b;
    const start = this.pos;
    let i = this.pos;
    if (b[i] === 0x2d) i++;
    const intStart = i;
    while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
    if (i === intStart) {
      this.pos = i;
      this.fail("Unexpected character: expected digit after '-' (for number)");
    }
    let intDigits = i - intStart;
    // Leading zeros are skipped and not counted (ALLOW_LEADING_ZEROS_FOR_NUMBERS).
    for (let z = intStart; z < i - 1 && b[z] === 0x30; z++) intDigits--;
    let fractionDigits = 0;
    let exponentDigits = 0;
    let isDecimal = false;
    if (b[i] === 0x2e) {
      isDecimal = true;
      i++;
      const f = i;
      while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      fractionDigits = i - f;
      if (fractionDigits === 0) {
        this.pos = i;
        this.fail('Unexpected character: Decimal point not followed by a digit');
      }
    }
    if (b[i] === 0x65 || b[i] === 0x45) {
      isDecimal = true;
      i++;
      if (b[i] === 0x2b || b[i] === 0x2d) i++;
      const e = i;
      while (i < b.length && b[i]! >= 0x30 && b[i]! <= 0x39) i++;
      exponentDigits = i - e;
      if (exponentDigits === 0) {
        this.pos = i;
        this.fail('Unexpected character: Exponent indicator not followed by a digit');
      }
    }
    this.pos = i;
    if (!isDecimal && intDigits <= 15) {
      // Most integers: digits summed in place, no string made ("-0" is the int 0).
      let n = 0;
      for (let k = b[start] === 0x2d ? start + 1 : start; k < i; k++) n = n * 10 + (b[k]! - 0x30);
      const value = b[start] === 0x2d && n !== 0 ? -n : n;
      return this.connect ? BigInt(value) : value;
    }
    const text = asciiString(b, start, i);
    if (!isDecimal) {
      if (intDigits > MAX_NUMBER_LENGTH) this.fail(`Number value length (${intDigits}) exceeds the maximum allowed (${MAX_NUMBER_LENGTH})`);
      if (this.connect) return BigInt.asIntN(64, BigInt(text));
      const n = intDigits <= 15 ? Number(text) : NaN;
      if (Number.isSafeInteger(n)) return n === 0 ? 0 : n; // "-0" is the int 0
      const big = BigInt(text);
      return big >= -(2n ** 53n) && big <= 2n ** 53n ? Number(big) : big;
    }
    if (intDigits + fractionDigits + exponentDigits > MAX_NUMBER_LENGTH) {
      this.fail(`Number value length (${intDigits + fractionDigits + exponentDigits}) exceeds the maximum allowed (${MAX_NUMBER_LENGTH})`);
    }
    // BigDecimal's own limits: the scale (fraction digits minus exponent) must fit an int. With
    // fewer than 10 exponent digits it always does (fraction digits are at most 1000).
    if (exponentDigits >= 10) {
      try {
        DecimalValue.parse(text);
      } catch (e) {
        this.fail(`Malformed numeric value (${text}): ${(e as Error).message}`);
      }
    }
    return this.connect ? decimalTextToDouble(text) : new JsonDecimal(text);
  }

  /**
   * An object member's name. Short ASCII names without escapes come from a cache shared by every
   * reader (the same names repeat from message to message): no new string, and its hash is
   * already computed for the Map it goes into. Anything else is read by string().
   */
  private memberName(): string {
    const b = this.b;
    const start = this.pos + 1;
    const end = Math.min(b.length, start + MAX_CACHED_NAME + 1);
    let h = 0;
    let i = start;
    for (; i < end; i++) {
      const c = b[i]!;
      if (c === 0x22) break;
      if (c === 0x5c || c < 0x20 || c >= 0x80) return this.string();
      h = (Math.imul(h, 31) + c) | 0;
    }
    if (i === end) return this.string(); // too long, or the input ends: string() reads or reports it
    this.pos = i + 1;
    return cachedName(b, start, i, h);
  }

  private string(): string {
    const b = this.b;
    let i = this.pos + 1;
    let start = i;
    let ascii = true;
    let out = '';
    for (;;) {
      if (i >= b.length) {
        this.pos = i;
        this.fail('Unexpected end-of-input: was expecting closing quote for a string value');
      }
      const c = b[i]!;
      if (c === 0x22) {
        out += this.decodeSegment(start, i, ascii);
        this.pos = i + 1;
        return out;
      }
      if (c === 0x5c) {
        out += this.decodeSegment(start, i, ascii);
        const [ch, length] = this.escape(i);
        out += ch;
        i += length;
        start = i;
        ascii = true;
        continue;
      }
      if (c < 0x20) {
        this.pos = i;
        this.fail(`Illegal unquoted character (${describeByte(c)}): has to be escaped using backslash to be included in string value`);
      }
      if (c >= 0x80) ascii = false;
      i++;
    }
  }

  private decodeSegment(start: number, end: number, ascii: boolean): string {
    if (start === end) return '';
    if (ascii) return asciiString(this.b, start, end);
    const bytes = this.b.subarray(start, end);
    try {
      return utf8.decode(bytes);
    } catch {
      this.pos = start;
      return this.fail('Invalid UTF-8 in string value');
    }
  }

  private escape(at: number): [string, number] {
    const c = this.b[at + 1];
    switch (c) {
      case 0x22:
        return ['"', 2];
      case 0x5c:
        return ['\\', 2];
      case 0x2f:
        return ['/', 2];
      case 0x62:
        return ['\b', 2];
      case 0x66:
        return ['\f', 2];
      case 0x6e:
        return ['\n', 2];
      case 0x72:
        return ['\r', 2];
      case 0x74:
        return ['\t', 2];
      case 0x75: {
        let code = 0;
        for (let k = 2; k < 6; k++) {
          const h = this.b[at + k];
          const v = h === undefined ? -1 : hexValue(h);
          if (v < 0) {
            this.pos = at + k;
            this.fail('Unexpected character: expected a hex-digit for character escape sequence');
          }
          code = (code << 4) | v;
        }
        return [String.fromCharCode(code), 6];
      }
      default:
        this.pos = at + 1;
        return this.fail(c === undefined ? 'Unexpected end-of-input in character escape sequence' : `Unrecognized character escape ${describeByte(c)}`);
    }
  }
}

function hexValue(c: number): number {
  if (c >= 0x30 && c <= 0x39) return c - 0x30;
  if (c >= 0x41 && c <= 0x46) return c - 0x37;
  if (c >= 0x61 && c <= 0x66) return c - 0x57;
  return -1;
}

function describeByte(c: number): string {
  return c >= 0x20 && c < 0x7f ? `'${String.fromCharCode(c)}' (code ${c})` : `CTRL-CHAR, code ${c}`;
}

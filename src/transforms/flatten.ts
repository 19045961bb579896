/**
 * Flatten (org.apache.kafka.connect.transforms.Flatten$Key / $Value): lifts the fields of nested
 * Structs (with a schema) or Maps (without one) to the top level, naming them by joining the
 * names on the way down with `delimiter` (default "."). Arrays are kept as they are; a Map inside a
 * Struct is refused, as in Kafka.
 *
 * A flattened field is optional when it or any enclosing struct is optional, and takes its
 * default from its own schema or else from the enclosing struct's default value.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance } from '../api/config-def.js';
import { DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import { type Schema, Type } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { javaClassOf } from '../data/validate.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMap, requireStructOrNull, type SchemalessMap } from './util/requirements.js';
import { SchemaCache } from './util/schema-cache.js';
import { copySchemaBasics } from './util/schema-util.js';

export const FLATTEN_CLASS = 'org.apache.kafka.connect.transforms.Flatten';

export const FLATTEN_OVERVIEW_DOC =
  'Flatten a nested data structure, generating names for each field by concatenating the field names at each ' +
  'level with a configurable delimiter character. Applies to Struct when schema present, or a Map ' +
  "in the case of schemaless data. Array fields and their contents are not modified. The default delimiter is '.'." +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.Flatten$Key</code>) ' +
  'or value (<code>org.apache.kafka.connect.transforms.Flatten$Value</code>).';

const DELIMITER_CONFIG = 'delimiter';
const PURPOSE = 'flattening';

export const FLATTEN_CONFIG_DEF = new ConfigDef().define({
  name: DELIMITER_CONFIG,
  type: ConfigType.STRING,
  defaultValue: '.',
  importance: Importance.MEDIUM,
  documentation: 'Delimiter to insert between field names from the input record when generating field names for the output record',
});

/** Field types copied as they are: primitives and arrays. */
const LEAF_TYPES: ReadonlySet<Type> = new Set([
  Type.INT8, Type.INT16, Type.INT32, Type.INT64, Type.FLOAT32, Type.FLOAT64, Type.BOOLEAN, Type.STRING, Type.BYTES, Type.ARRAY,
]);

export class Flatten<R extends ConnectRecord<R>> implements Transformation<R> {
  private delimiter = '.';
  private readonly schemaUpdateCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(FLATTEN_CONFIG_DEF, configs);
    this.delimiter = config.getString(DELIMITER_CONFIG)!;
    this.schemaUpdateCache.clear();
  }

  apply(record: R): R {
    const value = operatingValue(record, this.part);
    if (value == null) return record;
    const schema = operatingSchema(record, this.part);
    if (schema == null) {
      const flattened = new Map<string, unknown>();
      this.flattenSchemaless(requireMap(value, PURPOSE), '', flattened);
      return newRecordWith(record, this.part, null, flattened);
    }
    const struct = requireStructOrNull(value, PURPOSE);
    let updatedSchema = this.schemaUpdateCache.get(schema);
    if (!updatedSchema) {
      const builder = copySchemaBasics(schema, SchemaBuilder.struct());
      this.buildUpdatedSchema(schema, '', builder, schema.optional, (schema.defaultValue as Struct | null) ?? null);
      updatedSchema = builder.build();
      this.schemaUpdateCache.put(schema, updatedSchema);
    }
    if (struct === null) return newRecordWith(record, this.part, updatedSchema, null);
    const updated = new Struct(updatedSchema);
    this.buildWithSchema(struct, '', updated);
    return newRecordWith(record, this.part, updatedSchema, updated);
  }

  config(): ConfigDef {
    return FLATTEN_CONFIG_DEF;
  }

  close(): void {}

  private fieldName(prefix: string, name: string): string {
    return prefix === '' ? name : prefix + this.delimiter + name;
  }

  private flattenSchemaless(original: SchemalessMap, prefix: string, out: Map<string, unknown>): void {
    for (const [key, value] of original) {
      const name = this.fieldName(prefix, key);
      if (value == null) {
        out.set(name, null);
        continue;
      }
      const type = schemalessType(value);
      if (type === null) {
        throw new DataError(`Flatten transformation was passed a value of type ${javaClassOf(value)} which is not supported by Connect's data API`);
      }
      if (LEAF_TYPES.has(type)) out.set(name, value);
      else if (type === Type.MAP) this.flattenSchemaless(requireMap(value, PURPOSE), name, out);
      else throw new DataError(`Flatten transformation does not support ${javaClassOf(value)} for record without schemas (for field ${name}).`);
    }
  }

  private buildUpdatedSchema(schema: Schema, prefix: string, builder: SchemaBuilder, optional: boolean, defaultFromParent: Struct | null): void {
    for (const field of schema.fields()) {
      const name = this.fieldName(prefix, field.name);
      const fieldIsOptional = optional || field.schema.optional;
      let fieldDefault: unknown = null;
      if (field.schema.defaultValue != null) fieldDefault = field.schema.defaultValue;
      else if (defaultFromParent !== null) fieldDefault = defaultFromParent.get(field);
      if (LEAF_TYPES.has(field.schema.type)) {
        builder.field(name, convertFieldSchema(field.schema, fieldIsOptional, fieldDefault));
      } else if (field.schema.type === Type.STRUCT) {
        this.buildUpdatedSchema(field.schema, name, builder, fieldIsOptional, (fieldDefault as Struct | null) ?? null);
      } else {
        throw new DataError(`Flatten transformation does not support ${field.schema.type} for record with schemas (for field ${name}).`);
      }
    }
  }

  private buildWithSchema(struct: Struct | null, prefix: string, out: Struct): void {
    if (struct === null) return;
    for (const field of struct.schema.fields()) {
      const name = this.fieldName(prefix, field.name);
      if (LEAF_TYPES.has(field.schema.type)) out.put(name, struct.get(field));
      else if (field.schema.type === Type.STRUCT) this.buildWithSchema(struct.getStruct(field.name), name, out);
      else throw new DataError(`Flatten transformation does not support ${field.schema.type} for record with schemas (for field ${name}).`);
    }
  }
}

/** The field's own schema basics, made optional and given the inherited default where needed. */
function convertFieldSchema(orig: Schema, optional: boolean, defaultFromParent: unknown): Schema {
  const builder = copySchemaBasics(orig);
  if (optional) builder.optional();
  if (defaultFromParent != null) builder.defaultValue(defaultFromParent);
  return builder.build();
}

/** ConnectSchema.schemaType(value.getClass()) for a schemaless value; null where Connect has no type. */
function schemalessType(value: unknown): Type | null {
  switch (typeof value) {
    case 'bigint':
      return Type.INT64;
    case 'number':
      return Number.isInteger(value) && !Object.is(value, -0) ? Type.INT64 : Type.FLOAT64;
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

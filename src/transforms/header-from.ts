/**
 * HeaderFrom (org.apache.kafka.connect.transforms.HeaderFrom$Key / $Value): copies or moves the
 * key's or value's `fields` into the headers named by `headers` (same order, same length). A
 * move removes the fields: from the Struct's schema (cached per input schema) or from the Map.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, ValidString, invalidValue, type Validator } from '../api/config-def.js';
import { ConfigError, DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import type { Headers } from '../data/headers.js';
import type { ConnectRecord } from '../data/record.js';
import type { Field, Schema } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { type RecordPart, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMap, requireStruct } from './util/requirements.js';
import { SchemaCache } from './util/schema-cache.js';
import { copySchemaBasics } from './util/schema-util.js';

export const HEADER_FROM_CLASS = 'org.apache.kafka.connect.transforms.HeaderFrom';

const FIELDS_CONFIG = 'fields';
const HEADERS_CONFIG = 'headers';
const OPERATION_CONFIG = 'operation';
const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
type Operation = 'move' | 'copy';

export const HEADER_FROM_OVERVIEW_DOC =
  'Moves or copies fields in the key/value of a record into that record\'s headers. ' +
  'Corresponding elements of <code>fields</code> and <code>headers</code> together identify a field and the header it should be ' +
  'moved or copied to. Use the concrete transformation type designed for the record ' +
  'key (<code>org.apache.kafka.connect.transforms.HeaderFrom$Key</code>) or value (<code>org.apache.kafka.connect.transforms.HeaderFrom$Value</code>).';

/** Kafka's NonEmptyListValidator. */
const NON_EMPTY_LIST: Validator = {
  ensureValid(name: string, value: unknown): void {
    if (value == null || (value as unknown[]).length === 0) throw invalidValue(name, value, 'Empty list');
  },
  toString: () => 'non-empty list',
};

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELDS_CONFIG, type: ConfigType.LIST, validator: NON_EMPTY_LIST, importance: Importance.HIGH,
    documentation: 'Field names in the record whose values are to be copied or moved to headers.',
  })
  .define({
    name: HEADERS_CONFIG, type: ConfigType.LIST, validator: NON_EMPTY_LIST, importance: Importance.HIGH,
    documentation: 'Header names, in the same order as the field names listed in the fields configuration property.',
  })
  .define({
    name: OPERATION_CONFIG, type: ConfigType.STRING, validator: ValidString.in('move', 'copy'), importance: Importance.HIGH,
    documentation: 'Either <code>move</code> if the fields are to be moved to the headers (removed from the key/value), ' +
      'or <code>copy</code> if the fields are to be copied to the headers (retained in the key/value).',
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.MEDIUM,
    documentation: 'Whether to replace fields that have a default value and that are null to the default value. ' +
      'When set to true, the default value is used, otherwise null is used.',
  });

/** HeaderFrom$Key (part 'key') or HeaderFrom$Value (part 'value'). */
export class HeaderFrom<R extends ConnectRecord<R>> implements Transformation<R> {
  private fields: readonly string[] = [];
  private headers: readonly string[] = [];
  private operation: Operation = 'copy';
  private replaceNullWithDefault = true;
  private readonly moveSchemaCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(CONFIG_DEF, configs);
    this.fields = config.getList(FIELDS_CONFIG);
    this.headers = config.getList(HEADERS_CONFIG);
    if (this.headers.length !== this.fields.length) {
      throw new ConfigError(`'${FIELDS_CONFIG}' config must have the same number of elements as '${HEADERS_CONFIG}' config.`);
    }
    this.operation = config.getString(OPERATION_CONFIG) as Operation;
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.moveSchemaCache.clear();
  }

  apply(record: R): R | null {
    const schema = operatingSchema(record, this.part);
    const value = operatingValue(record, this.part);
    return schema === null ? this.applySchemaless(record, value) : this.applyWithSchema(record, value, schema);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  private newRecord(record: R, updatedSchema: Schema | null, updatedValue: unknown, headers: Headers): R {
    return this.part === 'key'
      ? record.newRecord(record.topic, record.kafkaPartition, updatedSchema, updatedValue, record.valueSchema,
        record.value, record.timestamp, headers)
      : record.newRecord(record.topic, record.kafkaPartition, record.keySchema, record.key, updatedSchema,
        updatedValue, record.timestamp, headers);
  }

  private applyWithSchema(record: R, operatingValue: unknown, operatingSchema: Schema): R {
    const headers = record.headers.duplicate();
    const value = requireStruct(operatingValue, `header ${this.operation}`);
    let updatedSchema: Schema;
    let updatedValue: Struct;
    if (this.operation === 'move') {
      updatedSchema = this.moveSchema(operatingSchema);
      updatedValue = new Struct(updatedSchema);
      for (const field of updatedSchema.fields()) updatedValue.put(field, this.fieldValue(value, field));
    } else {
      updatedSchema = operatingSchema;
      updatedValue = value;
    }
    this.fields.forEach((fieldName, i) => {
      const field = value.schema.field(fieldName);
      const fieldValue = field ? this.fieldValue(value, field) : null;
      // Kafka dereferences the missing field and fails with a NullPointerException; sluice names the field.
      const fieldSchema = operatingSchema.field(fieldName)?.schema;
      if (!fieldSchema) throw new DataError(`Field does not exist: ${fieldName}`);
      headers.add(this.headers[i]!, fieldValue, fieldSchema);
    });
    return this.newRecord(record, updatedSchema, updatedValue, headers);
  }

  private moveSchema(operatingSchema: Schema): Schema {
    let schema = this.moveSchemaCache.get(operatingSchema);
    if (!schema) {
      const builder = copySchemaBasics(operatingSchema, SchemaBuilder.struct());
      for (const field of operatingSchema.fields()) {
        if (!this.fields.includes(field.name)) builder.field(field.name, field.schema);
      }
      schema = builder.build();
      this.moveSchemaCache.put(operatingSchema, schema);
    }
    return schema;
  }

  private applySchemaless(record: R, operatingValue: unknown): R {
    const headers = record.headers.duplicate();
    const value = requireMap(operatingValue, `header ${this.operation}`);
    const updated = new Map(value);
    this.fields.forEach((fieldName, i) => {
      const fieldValue = value.get(fieldName) ?? null;
      if (this.operation === 'move') updated.delete(fieldName);
      headers.add(this.headers[i]!, fieldValue, null);
    });
    return this.newRecord(record, null, updated, headers);
  }

  /** By name, as Kafka does: a moved struct's fields are looked up in the original struct. */
  private fieldValue(value: Struct, field: Field): unknown {
    return this.replaceNullWithDefault ? value.get(field.name) : value.getWithoutDefault(field.name);
  }
}

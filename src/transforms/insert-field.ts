/**
 * InsertField (org.apache.kafka.connect.transforms.InsertField$Key / $Value): adds the record's
 * topic, partition, offset (sink records only), timestamp and/or a static string to the key or
 * value: a Struct gets new fields (the updated schema is cached per input schema), a schemaless
 * Map gets new entries. A field name ending in `!` is a required field, `?` (or nothing) an
 * optional one. Null keys or values pass unchanged.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, invalidValue } from '../api/config-def.js';
import { ConfigError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import { ConnectTimestamp } from '../data/logical.js';
import type { ConnectRecord } from '../data/record.js';
import { type Field, type Schema } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Schemas } from '../data/schemas.js';
import { Struct } from '../data/struct.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';
import type { FieldMap, FieldStep } from './batch/field-step.js';
import type { WorkingRecord } from './batch/working-record.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMap, requireSinkRecord, requireStruct } from './util/requirements.js';
import { SchemaCache } from './util/schema-cache.js';
import { copySchemaBasics } from './util/schema-util.js';

export const INSERT_FIELD_CLASS = 'org.apache.kafka.connect.transforms.InsertField';

export const INSERT_FIELD_OVERVIEW_DOC =
  'Insert field(s) using attributes from the record metadata or a configured static value.' +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.InsertField$Key</code>) ' +
  'or value (<code>org.apache.kafka.connect.transforms.InsertField$Value</code>).';

const TOPIC_FIELD = 'topic.field';
const PARTITION_FIELD = 'partition.field';
const OFFSET_FIELD = 'offset.field';
const TIMESTAMP_FIELD = 'timestamp.field';
const STATIC_FIELD = 'static.field';
const STATIC_VALUE = 'static.value';
const REPLACE_NULL_WITH_DEFAULT = 'replace.null.with.default';

const OPTIONALITY_DOC = 'Suffix with <code>!</code> to make this a required field, or <code>?</code> to keep it optional (the default).';

const optionalString = (name: string, documentation: string) =>
  ({ name, type: ConfigType.STRING, defaultValue: null, importance: Importance.MEDIUM, documentation });

const CONFIG_DEF = new ConfigDef()
  .define(optionalString(TOPIC_FIELD, `Field name for Kafka topic. ${OPTIONALITY_DOC}`))
  .define(optionalString(PARTITION_FIELD, `Field name for Kafka partition. ${OPTIONALITY_DOC}`))
  .define(optionalString(OFFSET_FIELD, `Field name for Kafka offset - only applicable to sink connectors.<br/>${OPTIONALITY_DOC}`))
  .define(optionalString(TIMESTAMP_FIELD, `Field name for record timestamp. ${OPTIONALITY_DOC}`))
  .define(optionalString(STATIC_FIELD, `Field name for static data field. ${OPTIONALITY_DOC}`))
  .define(optionalString(STATIC_VALUE, 'Static field value, if field name configured.'))
  .define({
    name: REPLACE_NULL_WITH_DEFAULT, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.MEDIUM,
    documentation: 'Whether to replace fields that have a default value and that are null to the default value. ' +
      'When set to true, the default value is used, otherwise null is used.',
  });

const PURPOSE = 'field insertion';
const OPTIONAL_TIMESTAMP_SCHEMA = ConnectTimestamp.builder().optional().build();

/** A field to insert: its name and whether its schema is optional. */
interface InsertionSpec {
  readonly name: string;
  readonly optional: boolean;
}

function parseSpec(spec: string | null): InsertionSpec | null {
  if (spec === null) return null;
  if (spec.endsWith('?')) return { name: spec.slice(0, -1), optional: true };
  if (spec.endsWith('!')) return { name: spec.slice(0, -1), optional: false };
  return { name: spec, optional: true };
}

/** Java's InsertionSpec has no toString, so its messages print the object identity; the name reads better. */
function describeSpec(spec: InsertionSpec): string {
  return `${spec.name}${spec.optional ? '?' : '!'}`;
}

/** What a field may be filled from: a record's topic, partition, offset (sink records) and timestamp. */
interface RecordMetadata {
  readonly topic: string;
  readonly kafkaPartition: number | null;
  readonly timestamp: number | null;
}

/** The offset for `offset.field`: sink records only, as in Kafka. */
const sinkRecordOffset = (record: RecordMetadata): bigint => requireSinkRecord(record, PURPOSE).kafkaOffset;
/** The batch path runs sink records only. */
const workingRecordOffset = (w: WorkingRecord): bigint => w.kafkaOffset;

/** InsertField$Key (part 'key') or InsertField$Value (part 'value'). */
export class InsertField<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  private topicField: InsertionSpec | null = null;
  private partitionField: InsertionSpec | null = null;
  private offsetField: InsertionSpec | null = null;
  private timestampField: InsertionSpec | null = null;
  private staticField: InsertionSpec | null = null;
  private staticValue: string | null = null;
  private replaceNullWithDefault = true;
  private readonly schemaUpdateCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(CONFIG_DEF, configs);
    this.topicField = parseSpec(config.getString(TOPIC_FIELD));
    this.partitionField = parseSpec(config.getString(PARTITION_FIELD));
    this.offsetField = parseSpec(config.getString(OFFSET_FIELD));
    this.timestampField = parseSpec(config.getString(TIMESTAMP_FIELD));
    this.staticField = parseSpec(config.getString(STATIC_FIELD));
    this.staticValue = config.getString(STATIC_VALUE);
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    if (!this.topicField && !this.partitionField && !this.offsetField && !this.timestampField && !this.staticField) {
      throw new ConfigError('No field insertion configured');
    }
    if (this.staticField && this.staticValue === null) {
      throw invalidValue(STATIC_VALUE, null, `No value specified for static field: ${describeSpec(this.staticField)}`);
    }
    this.schemaUpdateCache.clear();
  }

  apply(record: R): R | null {
    if (this.operatingValue(record) == null) return record;
    if (this.operatingSchema(record) === null) return this.applySchemaless(record);
    return this.applyWithSchema(record);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {
    this.schemaUpdateCache.clear();
  }

  private operatingSchema(record: R): Schema | null {
    return operatingSchema(record, this.part);
  }

  private operatingValue(record: R): unknown {
    return operatingValue(record, this.part);
  }

  private newRecord(record: R, updatedSchema: Schema | null, updatedValue: unknown): R {
    return newRecordWith(record, this.part, updatedSchema, updatedValue);
  }

  private applySchemaless(record: R): R {
    const updated = new Map(requireMap(this.operatingValue(record), PURPOSE));
    this.insertInto(updated, record, sinkRecordOffset);
    return this.newRecord(record, null, updated);
  }

  /** Adds the configured entries to `updated` (a map this call may change). */
  private insertInto<M extends RecordMetadata>(updated: FieldMap, record: M, offset: (record: M) => bigint): void {
    if (this.topicField) updated.set(this.topicField.name, record.topic);
    if (this.partitionField && record.kafkaPartition !== null) updated.set(this.partitionField.name, record.kafkaPartition);
    if (this.offsetField) updated.set(this.offsetField.name, offset(record));
    if (this.timestampField && record.timestamp !== null) updated.set(this.timestampField.name, record.timestamp);
    if (this.staticField && this.staticValue !== null) updated.set(this.staticField.name, this.staticValue);
  }

  private applyWithSchema(record: R): R {
    const value = requireStruct(this.operatingValue(record), PURPOSE);
    const updated = this.insertIntoStruct(value, record, sinkRecordOffset);
    return this.newRecord(record, updated.schema, updated);
  }

  /** A copy of `value` with the configured fields added (its schema cached per input schema). */
  private insertIntoStruct<M extends RecordMetadata>(value: Struct, record: M, offset: (record: M) => bigint): Struct {
    let updatedSchema = this.schemaUpdateCache.get(value.schema);
    if (!updatedSchema) {
      updatedSchema = this.makeUpdatedSchema(value.schema);
      this.schemaUpdateCache.put(value.schema, updatedSchema);
    }
    const updated = new Struct(updatedSchema);
    for (const field of value.schema.fields()) updated.put(field.name, this.fieldValue(value, field));
    if (this.topicField) updated.put(this.topicField.name, record.topic);
    if (this.partitionField && record.kafkaPartition !== null) updated.put(this.partitionField.name, record.kafkaPartition);
    if (this.offsetField) updated.put(this.offsetField.name, offset(record));
    if (this.timestampField && record.timestamp !== null) updated.put(this.timestampField.name, new Date(record.timestamp));
    if (this.staticField && this.staticValue !== null) updated.put(this.staticField.name, this.staticValue);
    return updated;
  }

  /** apply() on a working record: a schemaless map gets its entries in place, a Struct is rebuilt as apply() does. */
  [BATCH_KERNEL](): TransformKernel {
    const part = this.part;
    const specs = [this.topicField, this.partitionField, this.offsetField, this.timestampField, this.staticField];
    const fieldStep: FieldStep = {
      names: specs.flatMap((spec) => (spec ? [spec.name] : [])),
      readsRecord: specs.slice(0, 4).some((spec) => spec !== null),
      apply: (fields, w) => {
        this.insertInto(fields, w, workingRecordOffset);
        return true;
      },
    };
    return {
      apply: (w: WorkingRecord): boolean => {
        const value = w.valueOf(part);
        if (value == null) return true;
        if (w.schemaOf(part) === null) {
          this.insertInto(w.mutableMap(part, requireMap(value, PURPOSE)), w, workingRecordOffset);
        } else {
          const updated = this.insertIntoStruct(requireStruct(value, PURPOSE), w, workingRecordOffset);
          w.set(part, updated.schema, updated);
        }
        return true;
      },
      ...(part === 'value' ? { fieldStep } : {}),
    };
  }

  private makeUpdatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields()) builder.field(field.name, field.schema);
    const add = (spec: InsertionSpec | null, optional: Schema, required: Schema): void => {
      if (spec) builder.field(spec.name, spec.optional ? optional : required);
    };
    add(this.topicField, Schemas.OPTIONAL_STRING_SCHEMA, Schemas.STRING_SCHEMA);
    add(this.partitionField, Schemas.OPTIONAL_INT32_SCHEMA, Schemas.INT32_SCHEMA);
    add(this.offsetField, Schemas.OPTIONAL_INT64_SCHEMA, Schemas.INT64_SCHEMA);
    add(this.timestampField, OPTIONAL_TIMESTAMP_SCHEMA, ConnectTimestamp.SCHEMA);
    add(this.staticField, Schemas.OPTIONAL_STRING_SCHEMA, Schemas.STRING_SCHEMA);
    return builder.build();
  }

  private fieldValue(value: Struct, field: Field): unknown {
    return this.replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field.name);
  }
}

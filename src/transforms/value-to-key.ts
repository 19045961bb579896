/**
 * ValueToKey (org.apache.kafka.connect.transforms.ValueToKey): replaces the record key with a new
 * key made of the value's `fields`: a Struct (its schema cached per value schema) for a value with
 * a schema, a Map for a schemaless one.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, ValidList } from '../api/config-def.js';
import { DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import type { Schema } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { requireMap, requireStruct } from './util/requirements.js';
import { SchemaCache } from './util/schema-cache.js';

export const VALUE_TO_KEY_OVERVIEW_DOC =
  'Replace the record key with a new key formed from a subset of fields in the record value.';

const FIELDS_CONFIG = 'fields';
const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';

const CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELDS_CONFIG, type: ConfigType.LIST, validator: ValidList.anyNonDuplicateValues(false, false),
    importance: Importance.HIGH, documentation: 'Field names on the record value to extract as the record key.',
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.MEDIUM,
    documentation: 'Whether to replace fields that have a default value and that are null to the default value. ' +
      'When set to true, the default value is used, otherwise null is used.',
  });

const PURPOSE = 'copying fields from value to key';

export class ValueToKey<R extends ConnectRecord<R>> implements Transformation<R> {
  private fields: readonly string[] = [];
  private replaceNullWithDefault = true;
  private readonly keySchemaCache = new SchemaCache();

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(CONFIG_DEF, configs);
    this.fields = config.getList(FIELDS_CONFIG);
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.keySchemaCache.clear();
  }

  apply(record: R): R | null {
    return record.valueSchema === null ? this.applySchemaless(record) : this.applyWithSchema(record);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {
    this.keySchemaCache.clear();
  }

  private applySchemaless(record: R): R {
    const value = requireMap(record.value, PURPOSE);
    const key = new Map<string, unknown>();
    for (const field of this.fields) key.set(field, value.get(field) ?? null);
    return record.newRecord(record.topic, record.kafkaPartition, null, key, record.valueSchema, record.value, record.timestamp);
  }

  private applyWithSchema(record: R): R {
    const value = requireStruct(record.value, PURPOSE);
    let keySchema = this.keySchemaCache.get(value.schema);
    if (!keySchema) {
      const builder = SchemaBuilder.struct();
      for (const field of this.fields) {
        const fromValue = value.schema.field(field);
        if (!fromValue) throw new DataError(`Field does not exist: ${field}`);
        builder.field(field, fromValue.schema);
      }
      keySchema = builder.build();
      this.keySchemaCache.put(value.schema, keySchema);
    }
    const key = new Struct(keySchema);
    for (const field of this.fields) {
      key.put(field, this.replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field));
    }
    return record.newRecord(record.topic, record.kafkaPartition, keySchema, key, value.schema, value, record.timestamp);
  }
}

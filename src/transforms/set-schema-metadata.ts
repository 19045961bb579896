/**
 * SetSchemaMetadata (org.apache.kafka.connect.transforms.SetSchemaMetadata$Key / $Value): sets the
 * name and/or version of the key or value schema, keeping everything else about it. A Struct value
 * is rebuilt on the renamed schema; any other value is kept as it is.
 *
 * As in Kafka 4.x, the schema is rebuilt with its field list, which only a STRUCT schema has: any
 * other schema fails with "Cannot list fields on non-struct type". Renaming a logical schema
 * (Decimal, Date, ...) keeps the logical value under a plain name, which a converter then refuses,
 * exactly as Kafka Connect does.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance } from '../api/config-def.js';
import { ConfigError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import { Schema, Type } from '../data/schema.js';
import { Struct } from '../data/struct.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireSchema } from './util/requirements.js';

export const SET_SCHEMA_METADATA_CLASS = 'org.apache.kafka.connect.transforms.SetSchemaMetadata';

export const SET_SCHEMA_METADATA_OVERVIEW_DOC =
  "Set the schema name, version or both on the record's key (<code>org.apache.kafka.connect.transforms.SetSchemaMetadata$Key</code>)" +
  " or value (<code>org.apache.kafka.connect.transforms.SetSchemaMetadata$Value</code>) schema.";

const SCHEMA_NAME = 'schema.name';
const SCHEMA_VERSION = 'schema.version';
const REPLACE_NULL_WITH_DEFAULT = 'replace.null.with.default';

export const SET_SCHEMA_METADATA_CONFIG_DEF = new ConfigDef()
  .define({ name: SCHEMA_NAME, type: ConfigType.STRING, defaultValue: null, importance: Importance.HIGH, documentation: 'Schema name to set.' })
  .define({ name: SCHEMA_VERSION, type: ConfigType.INT, defaultValue: null, importance: Importance.HIGH, documentation: 'Schema version to set.' })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  });

export class SetSchemaMetadata<R extends ConnectRecord<R>> implements Transformation<R> {
  private schemaName: string | null = null;
  private schemaVersion: number | null = null;
  private replaceNullWithDefault = true;

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(SET_SCHEMA_METADATA_CONFIG_DEF, configs);
    this.schemaName = config.getString(SCHEMA_NAME);
    this.schemaVersion = config.get(SCHEMA_VERSION) as number | null;
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT);
    if (this.schemaName == null && this.schemaVersion == null) throw new ConfigError('Neither schema name nor version configured');
  }

  apply(record: R): R {
    const value = operatingValue(record, this.part);
    const original = operatingSchema(record, this.part);
    if (value == null && original == null) return record;
    const schema = requireSchema(original, 'updating schema metadata');
    const isArray = schema.type === Type.ARRAY;
    const isMap = schema.type === Type.MAP;
    const updatedSchema = new Schema({
      type: schema.type,
      optional: schema.optional,
      defaultValue: schema.defaultValue,
      name: this.schemaName ?? schema.name,
      version: this.schemaVersion ?? schema.version,
      doc: schema.doc,
      parameters: schema.parameters,
      fields: [...schema.fields()],
      keySchema: isMap ? schema.keySchema : null,
      valueSchema: isMap || isArray ? schema.valueSchema : null,
    });
    return newRecordWith(record, this.part, updatedSchema, this.updateSchemaIn(value, updatedSchema));
  }

  config(): ConfigDef {
    return SET_SCHEMA_METADATA_CONFIG_DEF;
  }

  close(): void {}

  /** A Struct rebuilt on the renamed schema (same fields); any other value as it is. */
  private updateSchemaIn(keyOrValue: unknown, updatedSchema: Schema): unknown {
    if (!(keyOrValue instanceof Struct)) return keyOrValue;
    const updated = new Struct(updatedSchema);
    for (const field of updatedSchema.fields()) {
      updated.put(field, this.replaceNullWithDefault ? keyOrValue.get(field) : keyOrValue.getWithoutDefault(field.name));
    }
    return updated;
  }
}

/**
 * ExtractField (org.apache.kafka.connect.transforms.ExtractField$Key / $Value): replaces the key or
 * value with one of its fields, from a Struct (with a schema) or a Map (without one). With
 * `field.syntax.version=V2` the field may be a nested path (`a.b.c`, backticks around names with
 * dots). A null key or value stays null.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance } from '../api/config-def.js';
import { DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import { appendFieldSyntaxVersionConfig, fieldSyntaxVersionFromConfig, SingleFieldPath } from './util/field-path.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMapOrNull, requireStructOrNull } from './util/requirements.js';

export const EXTRACT_FIELD_CLASS = 'org.apache.kafka.connect.transforms.ExtractField';

export const EXTRACT_FIELD_OVERVIEW_DOC =
  'Extract the specified field from a Struct when schema present, or a Map in the case of schemaless data. ' +
  'Any null values are passed through unmodified.' +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.ExtractField$Key</code>) ' +
  'or value (<code>org.apache.kafka.connect.transforms.ExtractField$Value</code>).';

const FIELD_CONFIG = 'field';
const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
const PURPOSE = 'field extraction';

export const EXTRACT_FIELD_CONFIG_DEF = appendFieldSyntaxVersionConfig(
  new ConfigDef()
    .define({ name: FIELD_CONFIG, type: ConfigType.STRING, importance: Importance.MEDIUM, documentation: 'Field name to extract.' })
    .define({
      name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
      type: ConfigType.BOOLEAN,
      defaultValue: true,
      importance: Importance.MEDIUM,
      documentation:
        'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
    }),
);

export class ExtractField<R extends ConnectRecord<R>> implements Transformation<R> {
  private fieldPath = new SingleFieldPath('', 'V1');
  private originalPath = '';
  private replaceNullWithDefault = true;

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(EXTRACT_FIELD_CONFIG_DEF, configs);
    this.originalPath = config.getString(FIELD_CONFIG)!;
    this.fieldPath = new SingleFieldPath(this.originalPath, fieldSyntaxVersionFromConfig(config));
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
  }

  apply(record: R): R {
    const schema = operatingSchema(record, this.part);
    if (schema == null) {
      const map = requireMapOrNull(operatingValue(record, this.part), PURPOSE);
      return newRecordWith(record, this.part, null, map === null ? null : this.fieldPath.valueFromMap(map));
    }
    const struct = requireStructOrNull(operatingValue(record, this.part), PURPOSE);
    const field = this.fieldPath.fieldFrom(schema);
    // Java throws an IllegalArgumentException here; sluice's error for a record it cannot
    // transform is a DataError, with the same message.
    if (field === null) throw new DataError(`Unknown field: ${this.originalPath}`);
    return newRecordWith(record, this.part, field.schema, struct === null ? null : this.fieldPath.valueFromStruct(struct, this.replaceNullWithDefault));
  }

  config(): ConfigDef {
    return EXTRACT_FIELD_CONFIG_DEF;
  }

  close(): void {}
}

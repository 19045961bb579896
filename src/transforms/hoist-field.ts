/**
 * HoistField (org.apache.kafka.connect.transforms.HoistField$Key / $Value): wraps the whole key or
 * value in a one-field Struct (with a schema) or Map (without one), under `field`. A null value is
 * wrapped too: the result holds the field with a null.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance } from '../api/config-def.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { SchemaCache } from './util/schema-cache.js';

export const HOIST_FIELD_CLASS = 'org.apache.kafka.connect.transforms.HoistField';

export const HOIST_FIELD_OVERVIEW_DOC =
  'Wrap data using the specified field name in a Struct when schema present, or a Map in the case of schemaless data.' +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.HoistField$Key</code>) ' +
  'or value (<code>org.apache.kafka.connect.transforms.HoistField$Value</code>).';

const FIELD_CONFIG = 'field';

export const HOIST_FIELD_CONFIG_DEF = new ConfigDef().define({
  name: FIELD_CONFIG,
  type: ConfigType.STRING,
  importance: Importance.MEDIUM,
  documentation: 'Field name for the single field that will be created in the resulting Struct or Map.',
});

export class HoistField<R extends ConnectRecord<R>> implements Transformation<R> {
  private fieldName = '';
  private readonly schemaUpdateCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(HOIST_FIELD_CONFIG_DEF, configs);
    this.fieldName = config.getString(FIELD_CONFIG)!;
    this.schemaUpdateCache.clear();
  }

  apply(record: R): R {
    const schema = operatingSchema(record, this.part);
    const value = operatingValue(record, this.part);
    if (schema == null) return newRecordWith(record, this.part, null, new Map([[this.fieldName, value]]));
    let updatedSchema = this.schemaUpdateCache.get(schema);
    if (!updatedSchema) {
      updatedSchema = SchemaBuilder.struct().field(this.fieldName, schema).build();
      this.schemaUpdateCache.put(schema, updatedSchema);
    }
    return newRecordWith(record, this.part, updatedSchema, new Struct(updatedSchema).put(this.fieldName, value));
  }

  config(): ConfigDef {
    return HOIST_FIELD_CONFIG_DEF;
  }

  close(): void {
    this.schemaUpdateCache.clear();
  }
}

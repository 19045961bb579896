/** Names and properties of Confluent's AvroData (io.confluent.connect.avro.AvroData), verbatim. */
export const NAMESPACE = 'io.confluent.connect.avro';
export const DEFAULT_SCHEMA_NAME = 'ConnectDefault';
export const DEFAULT_SCHEMA_FULL_NAME = `${NAMESPACE}.${DEFAULT_SCHEMA_NAME}`;
export const MAP_ENTRY_TYPE_NAME = 'MapEntry';
export const KEY_FIELD = 'key';
export const VALUE_FIELD = 'value';

export const CONNECT_NAME_PROP = 'connect.name';
export const CONNECT_DOC_PROP = 'connect.doc';
export const CONNECT_VERSION_PROP = 'connect.version';
export const CONNECT_DEFAULT_VALUE_PROP = 'connect.default';
export const CONNECT_PARAMETERS_PROP = 'connect.parameters';
export const CONNECT_INTERNAL_TYPE_NAME = 'connect.internal.type';
export const CONNECT_TYPE_PROP = 'connect.type';
export const CONNECT_TYPE_INT8 = 'int8';
export const CONNECT_TYPE_INT16 = 'int16';

export const AVRO_RECORD_DOC_PROP = `${NAMESPACE}.record.doc`;
export const AVRO_ENUM_DOC_PREFIX_PROP = `${NAMESPACE}.enum.doc.`;
export const AVRO_FIELD_DOC_PREFIX_PROP = `${NAMESPACE}.field.doc.`;
/** Marks a Connect default that came from an Avro field default (so it is not written back as connect.default). */
export const AVRO_FIELD_DEFAULT_FLAG_PROP = `${NAMESPACE}.field.default`;
export const AVRO_ENUM_DEFAULT_PREFIX_PROP = `${NAMESPACE}.enum.default.`;

export const AVRO_TYPE_UNION = `${NAMESPACE}.Union`;
export const AVRO_TYPE_ENUM = `${NAMESPACE}.Enum`;

export const AVRO_PROP = 'avro';
export const AVRO_LOGICAL_TYPE_PROP = 'logicalType';
export const AVRO_LOGICAL_TIMESTAMP_MILLIS = 'timestamp-millis';
export const AVRO_LOGICAL_TIME_MILLIS = 'time-millis';
export const AVRO_LOGICAL_DATE = 'date';
export const AVRO_LOGICAL_DECIMAL = 'decimal';
export const AVRO_LOGICAL_DECIMAL_SCALE_PROP = 'scale';
export const AVRO_LOGICAL_DECIMAL_PRECISION_PROP = 'precision';
export const CONNECT_AVRO_DECIMAL_PRECISION_PROP = 'connect.decimal.precision';
export const CONNECT_AVRO_DECIMAL_PRECISION_DEFAULT = 64;

export interface AvroDataOptions {
  /** connect.meta.data: write/read connect.* properties (default true). */
  connectMetaData: boolean;
  /** enhanced.avro.schema.support: enums stay enums, union members keep full names (default false). */
  enhancedSchemaSupport: boolean;
  /** scrub.invalid.names: replace characters Avro names cannot hold (default false). */
  scrubInvalidNames: boolean;
}

export const DEFAULT_AVRO_DATA_OPTIONS: AvroDataOptions = Object.freeze({
  connectMetaData: true,
  enhancedSchemaSupport: false,
  scrubInvalidNames: false,
});

/** AvroData.doScrubName: invalid characters become '_', a leading digit gets a '_' before it. */
export function scrubName(name: string): string {
  if (name.length === 0) return name;
  const cleaned = name.replace(/[^A-Za-z0-9_]/g, '_');
  return /^[A-Za-z_]/.test(cleaned) ? cleaned : `_${cleaned}`;
}

/** scrubFullName: each dotted part of a namespace is scrubbed, then the name. */
export function scrubFullName(name: string): string {
  return name.split('.').map(scrubName).join('.');
}

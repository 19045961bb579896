/**
 * TimestampConverter (org.apache.kafka.connect.transforms.TimestampConverter$Key / $Value): converts
 * a timestamp field (`field`), or the whole key or value (`field` empty), between epoch numbers
 * (`unix`, in `unix.precision`), text (`string`, in the SimpleDateFormat pattern `format`) and
 * Connect's Date, Time and Timestamp types (`target.type`). Everything is in UTC, as in Kafka.
 *
 * The input's kind comes from its schema (a Timestamp/Date/Time logical type, a STRING or an
 * INT64), or without a schema from the value: a JavaScript Date is a Timestamp, a string is text
 * and an integer beyond the 32-bit range (or a bigint, as sluice's converters give) is unix time.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, ValidString } from '../api/config-def.js';
import { ConfigError, ConnectError, DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import {
  ConnectDate, ConnectTime, ConnectTimestamp, dateFromMillis, LOGICAL_DATE, LOGICAL_TIME, LOGICAL_TIMESTAMP, millisInDateRange,
} from '../data/logical.js';
import type { ConnectRecord } from '../data/record.js';
import { Schema, type SchemaInit, Type } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Schemas } from '../data/schemas.js';
import { Struct } from '../data/struct.js';
import { javaClassOf } from '../data/validate.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';
import type { FieldStep } from './batch/field-step.js';
import type { WorkingRecord } from './batch/working-record.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMap, requireStructOrNull } from './util/requirements.js';
import { SchemaCache } from './util/schema-cache.js';
import { copySchemaBasics } from './util/schema-util.js';
import { DateParseError, PatternError, SimpleDateFormat } from './util/simple-date-format.js';

export const TIMESTAMP_CONVERTER_CLASS = 'org.apache.kafka.connect.transforms.TimestampConverter';

export const TIMESTAMP_CONVERTER_OVERVIEW_DOC =
  'Convert timestamps between different formats such as Unix epoch, strings, and Connect Date/Timestamp types.' +
  'Applies to individual fields or to the entire value.' +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.TimestampConverter$Key</code>) ' +
  'or value (<code>org.apache.kafka.connect.transforms.TimestampConverter$Value</code>).';

const FIELD_CONFIG = 'field';
const TARGET_TYPE_CONFIG = 'target.type';
const FORMAT_CONFIG = 'format';
const UNIX_PRECISION_CONFIG = 'unix.precision';
const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
const PURPOSE = 'converting timestamp formats';

type TimestampType = 'string' | 'unix' | 'Date' | 'Time' | 'Timestamp';
type UnixPrecision = 'seconds' | 'milliseconds' | 'microseconds' | 'nanoseconds';

export const TIMESTAMP_CONVERTER_CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELD_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.HIGH,
    documentation: 'The field containing the timestamp, or empty if the entire value is a timestamp',
  })
  .define({
    name: TARGET_TYPE_CONFIG,
    type: ConfigType.STRING,
    validator: ValidString.in('string', 'unix', 'Date', 'Time', 'Timestamp'),
    importance: Importance.HIGH,
    documentation: 'The desired timestamp representation: string, unix, Date, Time, or Timestamp',
  })
  .define({
    name: FORMAT_CONFIG,
    type: ConfigType.STRING,
    defaultValue: '',
    importance: Importance.MEDIUM,
    documentation:
      'A SimpleDateFormat-compatible format for the timestamp. Used to generate the output when type=string ' +
      'or used to parse the input if the input is a string.',
  })
  .define({
    name: UNIX_PRECISION_CONFIG,
    type: ConfigType.STRING,
    defaultValue: 'milliseconds',
    validator: ValidString.in('nanoseconds', 'microseconds', 'milliseconds', 'seconds'),
    importance: Importance.LOW,
    documentation:
      'The desired Unix precision for the timestamp: seconds, milliseconds, microseconds, or nanoseconds. ' +
      'Used to generate the output when type=unix or used to parse the input if the input is a Long.' +
      'Note: This SMT will cause precision loss during conversions from, and to, values with sub-millisecond components.',
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  });

const OPTIONAL_DATE_SCHEMA = ConnectDate.builder().optional().build();
const OPTIONAL_TIME_SCHEMA = ConnectTime.builder().optional().build();
const OPTIONAL_TIMESTAMP_SCHEMA = ConnectTimestamp.builder().optional().build();
const MILLIS_PER_DAY = 86_400_000;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

interface Settings {
  field: string;
  type: TimestampType;
  format: SimpleDateFormat | null;
  unixPrecision: UnixPrecision;
}

export class TimestampConverter<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  private settings: Settings = { field: '', type: 'Timestamp', format: null, unixPrecision: 'milliseconds' };
  private replaceNullWithDefault = true;
  private readonly schemaUpdateCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(TIMESTAMP_CONVERTER_CONFIG_DEF, configs);
    const type = config.getString(TARGET_TYPE_CONFIG) as TimestampType;
    const pattern = config.getString(FORMAT_CONFIG) ?? '';
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.schemaUpdateCache.clear();
    if (type === 'string' && pattern.trim() === '') {
      throw new ConfigError('TimestampConverter requires format option to be specified when using string timestamps');
    }
    let format: SimpleDateFormat | null = null;
    if (pattern.trim() !== '') {
      try {
        format = new SimpleDateFormat(pattern);
      } catch (e) {
        if (!(e instanceof PatternError)) throw e;
        // Java passes its message as ConfigException's `name` and the pattern error as the value,
        // so the words come out in this order; kept, as users search for them.
        throw new ConfigError(
          `Invalid value java.lang.IllegalArgumentException: ${e.message} for configuration ` +
            `TimestampConverter requires a SimpleDateFormat-compatible pattern for string timestamps: ${pattern}`,
          FORMAT_CONFIG,
          { cause: e },
        );
      }
    }
    this.settings = {
      field: config.getString(FIELD_CONFIG) ?? '',
      type,
      format,
      unixPrecision: config.getString(UNIX_PRECISION_CONFIG) as UnixPrecision,
    };
  }

  apply(record: R): R {
    const schema = operatingSchema(record, this.part);
    return schema == null ? this.applySchemaless(record) : this.applyWithSchema(record, schema);
  }

  config(): ConfigDef {
    return TIMESTAMP_CONVERTER_CONFIG_DEF;
  }

  close(): void {}

  private applyWithSchema(record: R, schema: Schema): R {
    const value = operatingValue(record, this.part);
    if (this.settings.field === '') {
      return newRecordWith(record, this.part, typeSchema(this.settings.type, schema.optional), this.convert(value, timestampTypeFromSchema(schema)));
    }
    const struct = requireStructOrNull(value, PURPOSE);
    const updatedSchema = this.updatedSchema(schema);
    return newRecordWith(record, this.part, updatedSchema, this.convertStruct(struct, updatedSchema));
  }

  private updatedSchema(schema: Schema): Schema {
    let updatedSchema = this.schemaUpdateCache.get(schema);
    if (!updatedSchema) {
      const builder = copySchemaBasics(schema, SchemaBuilder.struct());
      for (const field of schema.fields()) {
        builder.field(field.name, field.name === this.settings.field ? typeSchema(this.settings.type, field.schema.optional) : field.schema);
      }
      if (schema.optional) builder.optional();
      updatedSchema = builder.build();
      if (schema.defaultValue != null) {
        // sluice's SchemaBuilder refuses every Struct default (Java's accepts one built on the
        // builder itself, which is what Kafka does here), so the schema is made directly.
        const defaultValue = this.convertStruct(schema.defaultValue as Struct, updatedSchema);
        updatedSchema = new Schema({ ...schemaInit(updatedSchema), defaultValue });
      }
      this.schemaUpdateCache.put(schema, updatedSchema);
    }
    return updatedSchema;
  }

  /**
   * apply() on a working record: the field of a schemaless map is converted in place; everything
   * else is computed as apply() does and stored without a new record.
   */
  [BATCH_KERNEL](): TransformKernel {
    const part = this.part;
    const field = this.settings.field;
    // A field of a schemaless map: the map's other fields are left as they are.
    const fieldStep: FieldStep = {
      names: [field],
      readsRecord: false,
      apply: (fields) => {
        fields.set(field, this.convert(fields.get(field) ?? null, null));
        return true;
      },
    };
    return {
      ...(part === 'value' && field !== '' ? { fieldStep } : {}),
      apply: (w: WorkingRecord): boolean => {
        const schema = w.schemaOf(part);
        const value = w.valueOf(part);
        if (schema == null) {
          if (value == null || field === '') {
            w.set(part, null, this.convert(value, null));
          } else {
            const map = requireMap(value, PURPOSE);
            const converted = this.convert(map.get(field) ?? null, null);
            w.mutableMap(part, map).set(field, converted);
          }
        } else if (field === '') {
          w.set(part, typeSchema(this.settings.type, schema.optional), this.convert(value, timestampTypeFromSchema(schema)));
        } else {
          const struct = requireStructOrNull(value, PURPOSE);
          const updatedSchema = this.updatedSchema(schema);
          w.set(part, updatedSchema, this.convertStruct(struct, updatedSchema));
        }
        return true;
      },
    };
  }

  private convertStruct(value: Struct | null, updatedSchema: Schema): Struct | null {
    if (value === null) return null;
    const updated = new Struct(updatedSchema);
    for (const field of value.schema.fields()) {
      const fieldValue = this.replaceNullWithDefault ? value.get(field) : value.getWithoutDefault(field.name);
      updated.put(field.name, field.name === this.settings.field ? this.convert(fieldValue, timestampTypeFromSchema(field.schema)) : fieldValue);
    }
    return updated;
  }

  private applySchemaless(record: R): R {
    const raw = operatingValue(record, this.part);
    if (raw == null || this.settings.field === '') return newRecordWith(record, this.part, null, this.convert(raw, null));
    const map = requireMap(raw, PURPOSE);
    const updated = new Map(map);
    updated.set(this.settings.field, this.convert(map.get(this.settings.field) ?? null, null));
    return newRecordWith(record, this.part, null, updated);
  }

  /** The timestamp in the target type; `from` null means: infer it from the value. */
  private convert(timestamp: unknown, from: TimestampType | null): unknown {
    if (timestamp == null) return null;
    const type = from ?? inferTimestampType(timestamp);
    if (type === 'unix' && this.settings.type === 'string' && typeof timestamp === 'bigint') {
      // Epoch time to text, as toRaw and toType do it, without the Date in between.
      return this.settings.format!.format(millisInDateRange(unixToMillis(timestamp, this.settings.unixPrecision), 'Timestamp'));
    }
    const raw = toRaw(type, this.settings, timestamp);
    return toType(this.settings.type, this.settings, raw);
  }
}

function schemaInit(schema: Schema): SchemaInit {
  return {
    type: schema.type, optional: schema.optional, name: schema.name, version: schema.version, doc: schema.doc,
    parameters: schema.parameters, fields: [...schema.fields()],
  };
}

function typeSchema(type: TimestampType, optional: boolean): Schema {
  switch (type) {
    case 'string':
      return optional ? Schemas.OPTIONAL_STRING_SCHEMA : Schemas.STRING_SCHEMA;
    case 'unix':
      return optional ? Schemas.OPTIONAL_INT64_SCHEMA : Schemas.INT64_SCHEMA;
    case 'Date':
      return optional ? OPTIONAL_DATE_SCHEMA : ConnectDate.SCHEMA;
    case 'Time':
      return optional ? OPTIONAL_TIME_SCHEMA : ConnectTime.SCHEMA;
    case 'Timestamp':
      return optional ? OPTIONAL_TIMESTAMP_SCHEMA : ConnectTimestamp.SCHEMA;
  }
}

function timestampTypeFromSchema(schema: Schema): TimestampType {
  if (schema.name === LOGICAL_TIMESTAMP) return 'Timestamp';
  if (schema.name === LOGICAL_DATE) return 'Date';
  if (schema.name === LOGICAL_TIME) return 'Time';
  if (schema.type === Type.STRING) return 'string';
  if (schema.type === Type.INT64) return 'unix';
  throw new ConnectError(`Schema ${schema} does not correspond to a known timestamp type format`);
}

function inferTimestampType(timestamp: unknown): TimestampType {
  if (timestamp instanceof Date) return 'Timestamp';
  if (isLong(timestamp)) return 'unix';
  if (typeof timestamp === 'string') return 'string';
  throw new DataError(`TimestampConverter does not support ${javaClassOf(timestamp)} objects as timestamps`);
}

/** A Java Long: a bigint, or a JavaScript integer that Java would hold as a Long (beyond 32 bits). */
function isLong(value: unknown): value is bigint | number {
  return typeof value === 'bigint' || (typeof value === 'number' && javaClassOf(value) === 'class java.lang.Long');
}

/** The timestamp as epoch milliseconds in a Date (TimestampTranslator.toRaw). */
function toRaw(type: TimestampType, settings: Settings, value: unknown): Date {
  switch (type) {
    case 'string': {
      if (typeof value !== 'string') throw new DataError(`Expected string timestamp to be a String, but found ${javaClassOf(value)}`);
      // Java fails here with a NullPointerException; sluice says what is missing.
      if (settings.format === null) throw new DataError(`TimestampConverter requires the ${FORMAT_CONFIG} option to parse string timestamps, found: ${value}`);
      try {
        return settings.format!.parse(value);
      } catch (e) {
        if (!(e instanceof DateParseError)) throw e;
        throw new DataError(`Could not parse timestamp: value (${value}) does not match pattern (${settings.format!.toPattern()})`, { cause: e });
      }
    }
    case 'unix': {
      // With an INT64 schema Java holds a Long whatever its size; without one only a Long is unix time.
      if (typeof value !== 'bigint' && !(typeof value === 'number' && Number.isInteger(value))) {
        throw new DataError(`Expected Unix timestamp to be a Long, but found ${javaClassOf(value)}`);
      }
      const unix = BigInt(value);
      return dateFromMillis(unixToMillis(unix, settings.unixPrecision), 'Timestamp');
    }
    case 'Date':
    case 'Time':
    case 'Timestamp':
      if (!(value instanceof Date)) throw new DataError(`Expected ${type} to be a java.util.Date, but found ${javaClassOf(value)}`);
      return value;
  }
}

/** The Date in the target type (TimestampTranslator.toType). */
function toType(type: TimestampType, settings: Settings, raw: Date): unknown {
  const ms = raw.getTime();
  switch (type) {
    case 'string':
      return settings.format!.format(raw);
    case 'unix':
      return millisToUnix(BigInt(ms), settings.unixPrecision);
    case 'Date':
      return new Date(Math.floor(ms / MILLIS_PER_DAY) * MILLIS_PER_DAY);
    case 'Time':
      return new Date(((ms % MILLIS_PER_DAY) + MILLIS_PER_DAY) % MILLIS_PER_DAY);
    case 'Timestamp':
      return raw;
  }
}

/** TimeUnit.X.toMillis: divides toward zero, or multiplies saturating at the long range. */
function unixToMillis(unix: bigint, precision: UnixPrecision): bigint {
  switch (precision) {
    case 'seconds':
      return saturate(unix * 1000n);
    case 'microseconds':
      return unix / 1000n;
    case 'nanoseconds':
      return unix / 1_000_000n;
    case 'milliseconds':
      return unix;
  }
}

function millisToUnix(millis: bigint, precision: UnixPrecision): bigint {
  switch (precision) {
    case 'seconds':
      return millis / 1000n;
    case 'microseconds':
      return saturate(millis * 1000n);
    case 'nanoseconds':
      return saturate(millis * 1_000_000n);
    case 'milliseconds':
      return millis;
  }
}

function saturate(n: bigint): bigint {
  return n > LONG_MAX ? LONG_MAX : n < LONG_MIN ? LONG_MIN : n;
}

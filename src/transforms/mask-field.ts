/**
 * MaskField (org.apache.kafka.connect.transforms.MaskField$Key / $Value): replaces the named
 * top-level fields with their type's "null" value (0, false, "", the epoch, an empty list or map),
 * or with `replacement` converted to the field's type (numbers and strings only).
 *
 * What a value masks to depends on its Java class, as in Kafka: java-class.ts tells which class a
 * value would be. A null key or value is not masked: with a schema it fails (Kafka requires a
 * Struct), without one it fails too (Kafka requires a Map).
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, NonEmptyString } from '../api/config-def.js';
import { DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import { DecimalValue } from '../data/logical.js';
import type { ConnectRecord } from '../data/record.js';
import type { Schema } from '../data/schema.js';
import { Struct } from '../data/struct.js';
import { javaClassFor, type JavaClass } from './util/java-class.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';
import type { FieldMap, FieldStep } from './batch/field-step.js';
import type { WorkingRecord } from './batch/working-record.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMap, requireStruct } from './util/requirements.js';
import { anyNonDuplicateValues } from './util/validators.js';

export const MASK_FIELD_CLASS = 'org.apache.kafka.connect.transforms.MaskField';

export const MASK_FIELD_OVERVIEW_DOC =
  'Mask specified fields with a valid null value for the field type (i.e. 0, false, empty string, and so on).' +
  '<p/>For numeric and string fields, an optional replacement value can be specified that is converted to the correct type.' +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.MaskField$Key' +
  '</code>) or value (<code>org.apache.kafka.connect.transforms.MaskField$Value</code>).';

const FIELDS_CONFIG = 'fields';
const REPLACEMENT_CONFIG = 'replacement';
const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
const PURPOSE = 'mask fields';

export const MASK_FIELD_CONFIG_DEF = new ConfigDef()
  .define({
    name: FIELDS_CONFIG,
    type: ConfigType.LIST,
    validator: anyNonDuplicateValues(false),
    importance: Importance.HIGH,
    documentation: 'Names of fields to mask.',
  })
  .define({
    name: REPLACEMENT_CONFIG,
    type: ConfigType.STRING,
    defaultValue: null,
    validator: new NonEmptyString(),
    importance: Importance.LOW,
    documentation: "Custom value replacement, that will be applied to all 'fields' values (numeric or non-empty string values only).",
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  });

/** The masking value per Java class (MaskField.PRIMITIVE_VALUE_MAPPING); lists and maps mask to empty ones. */
const NULL_VALUES: Partial<Record<JavaClass, () => unknown>> = {
  'java.lang.Boolean': () => false,
  'java.lang.Byte': () => 0,
  'java.lang.Short': () => 0,
  'java.lang.Integer': () => 0,
  'java.lang.Long': () => 0n,
  'java.lang.Float': () => 0,
  'java.lang.Double': () => 0,
  'java.math.BigDecimal': () => new DecimalValue(0n, 0),
  'java.util.Date': () => new Date(0),
  'java.lang.String': () => '',
  'java.util.ArrayList': () => [],
  'java.util.HashMap': () => new Map(),
};

export class MaskField<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  private maskedFields: ReadonlySet<string> = new Set();
  /** The same, in order, for the per-record loop (no Set iterator per record). */
  private maskedFieldList: readonly string[] = [];
  private replacement: string | null = null;
  private replaceNullWithDefault = true;

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(MASK_FIELD_CONFIG_DEF, configs);
    this.maskedFields = new Set(config.getList(FIELDS_CONFIG));
    this.maskedFieldList = [...this.maskedFields];
    this.replacement = config.getString(REPLACEMENT_CONFIG);
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
  }

  apply(record: R): R {
    const schema = operatingSchema(record, this.part);
    const value = operatingValue(record, this.part);
    if (schema == null) {
      const map = requireMap(value, PURPOSE);
      return newRecordWith(record, this.part, schema, this.maskInto(new Map(map), map));
    }
    return newRecordWith(record, this.part, schema, this.maskedStruct(requireStruct(value, PURPOSE)));
  }

  /** Writes the masked fields of `from` into `updated` (a copy of `from`, or `from` itself) and returns it. */
  private maskInto<M extends FieldMap>(updated: M, from: FieldMap): M {
    // Like Java, a masked field absent from the map is added as null.
    const fields = this.maskedFieldList;
    for (let k = 0; k < fields.length; k++) updated.set(fields[k]!, this.masked(null, from.get(fields[k]!) ?? null));
    return updated;
  }

  private maskedStruct(struct: Struct): Struct {
    const updated = new Struct(struct.schema);
    for (const field of struct.schema.fields()) {
      const original = this.replaceNullWithDefault ? struct.get(field) : struct.getWithoutDefault(field.name);
      updated.put(field, this.maskedFields.has(field.name) ? this.masked(field.schema, original) : original);
    }
    return updated;
  }

  /**
   * apply() on a working record: a schemaless map is masked in place (each masked field is read
   * before it is written, so this equals masking a copy); a Struct is rebuilt as apply() does.
   */
  [BATCH_KERNEL](): TransformKernel {
    const part = this.part;
    const fieldStep: FieldStep = {
      names: [...this.maskedFields],
      readsRecord: false,
      apply: (fields) => {
        this.maskInto(fields, fields);
        return true;
      },
    };
    return {
      apply: (w: WorkingRecord): boolean => {
        const schema = w.schemaOf(part);
        const value = w.valueOf(part);
        if (schema == null) {
          const map = w.mutableMap(part, requireMap(value, PURPOSE));
          this.maskInto(map, map);
        } else {
          w.set(part, schema, this.maskedStruct(requireStruct(value, PURPOSE)));
        }
        return true;
      },
      ...(part === 'value' ? { fieldStep } : {}),
    };
  }

  config(): ConfigDef {
    return MASK_FIELD_CONFIG_DEF;
  }

  close(): void {}

  private masked(schema: Schema | null, value: unknown): unknown {
    if (value == null) return null;
    if (typeof value === 'string' && this.replacement === null) return ''; // the common case: java.lang.String's mask
    const javaClass = javaClassFor(schema, value);
    return this.replacement === null ? maskWithNullValue(javaClass) : maskWithReplacement(javaClass, this.replacement);
  }
}

function maskWithNullValue(javaClass: JavaClass | null): unknown {
  const make = javaClass && NULL_VALUES[javaClass];
  if (!make) throw new DataError(`Cannot mask value of type: class ${javaClass}`);
  return make();
}

/** MaskField.REPLACEMENT_MAPPING_FUNC: the replacement text as the value's type, via Connect's Values conversions. */
function maskWithReplacement(javaClass: JavaClass | null, replacement: string): unknown {
  switch (javaClass) {
    case 'java.lang.String':
      return replacement;
    case 'java.lang.Byte':
      return Number(BigInt.asIntN(8, replacementAsLong(replacement)));
    case 'java.lang.Short':
      return Number(BigInt.asIntN(16, replacementAsLong(replacement)));
    case 'java.lang.Integer':
      return Number(BigInt.asIntN(32, replacementAsLong(replacement)));
    case 'java.lang.Long':
      return replacementAsLong(replacement);
    case 'java.lang.Float':
      return Math.fround(replacementAsDecimal(replacement).toNumber());
    case 'java.lang.Double':
      return replacementAsDecimal(replacement).toNumber();
    case 'java.math.BigDecimal':
      try {
        return DecimalValue.parse(replacement);
      } catch {
        throw new DataError(`Unable to convert ${replacement} (class java.lang.String) to number`);
      }
    default:
      throw new DataError(`Cannot mask value of type class ${javaClass} with custom replacement.`);
  }
}

/** Values.asLong of a string: new BigDecimal(text).longValue(). */
function replacementAsLong(replacement: string): bigint {
  return BigInt.asIntN(64, replacementAsDecimal(replacement).toBigInt());
}

function replacementAsDecimal(replacement: string): DecimalValue {
  try {
    return DecimalValue.parse(replacement);
  } catch {
    throw new DataError(`Unable to convert ${replacement} (class java.lang.String) to a number`);
  }
}

/**
 * ReplaceField (org.apache.kafka.connect.transforms.ReplaceField$Key / $Value): drops
 * (`exclude`), keeps (`include`) and renames (`renames=old:new,...`) top-level fields of a Struct
 * or Map. `exclude` wins over `include`; renames apply to the fields that remain.
 *
 * Kafka 4 no longer accepts the `whitelist`/`blacklist` names of Kafka 2.x (KIP-629 removed them
 * in 4.0); like Kafka 4.3, sluice ignores them, so a config that still uses them keeps every field.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, invalidValue, LambdaValidator } from '../api/config-def.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import type { Schema } from '../data/schema.js';
import { SchemaBuilder } from '../data/schema-builder.js';
import { Struct } from '../data/struct.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';
import type { FieldStep } from './batch/field-step.js';
import type { WorkingRecord } from './batch/working-record.js';
import { type RecordPart, newRecordWith, operatingSchema, operatingValue } from './util/record-part.js';
import { requireMap, requireStruct } from './util/requirements.js';
import { SchemaCache } from './util/schema-cache.js';
import { copySchemaBasics } from './util/schema-util.js';
import { anyNonDuplicateValues } from './util/validators.js';

export const REPLACE_FIELD_CLASS = 'org.apache.kafka.connect.transforms.ReplaceField';

export const REPLACE_FIELD_OVERVIEW_DOC =
  'Filter or rename fields.' +
  '<p/>Use the concrete transformation type designed for the record key (<code>org.apache.kafka.connect.transforms.ReplaceField$Key</code>) ' +
  'or value (<code>org.apache.kafka.connect.transforms.ReplaceField$Value</code>).';

const EXCLUDE = 'exclude';
const INCLUDE = 'include';
const RENAMES = 'renames';
const REPLACE_NULL_WITH_DEFAULT_CONFIG = 'replace.null.with.default';
const PURPOSE = 'field replacement';

export const REPLACE_FIELD_CONFIG_DEF = new ConfigDef()
  .define({
    name: EXCLUDE,
    type: ConfigType.LIST,
    defaultValue: [],
    validator: anyNonDuplicateValues(true),
    importance: Importance.MEDIUM,
    documentation: 'Fields to exclude. This takes precedence over the fields to include.',
  })
  .define({
    name: INCLUDE,
    type: ConfigType.LIST,
    defaultValue: [],
    validator: anyNonDuplicateValues(true),
    importance: Importance.MEDIUM,
    documentation: 'Fields to include. If specified, only these fields will be used.',
  })
  .define({
    name: RENAMES,
    type: ConfigType.LIST,
    defaultValue: [],
    validator: LambdaValidator.with((_name, value) => {
      parseRenameMappings(value as string[]);
    }, 'list of colon-delimited pairs, e.g. <code>foo:bar,abc:xyz</code>'),
    importance: Importance.MEDIUM,
    documentation: 'Field rename mappings.',
  })
  .define({
    name: REPLACE_NULL_WITH_DEFAULT_CONFIG,
    type: ConfigType.BOOLEAN,
    defaultValue: true,
    importance: Importance.MEDIUM,
    documentation:
      'Whether to replace fields that have a default value and that are null to the default value. When set to true, the default value is used, otherwise null is used.',
  });

export class ReplaceField<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  private exclude: ReadonlySet<string> = new Set();
  private include: ReadonlySet<string> = new Set();
  private renames = new Map<string, string>();
  private reverseRenames = new Map<string, string>();
  private replaceNullWithDefault = true;
  private readonly schemaUpdateCache = new SchemaCache();

  constructor(private readonly part: RecordPart) {}

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(REPLACE_FIELD_CONFIG_DEF, configs);
    this.exclude = new Set(config.getList(EXCLUDE));
    this.include = new Set(config.getList(INCLUDE));
    this.renames = parseRenameMappings(config.getList(RENAMES));
    this.reverseRenames = new Map([...this.renames].map(([from, to]) => [to, from]));
    this.replaceNullWithDefault = config.getBoolean(REPLACE_NULL_WITH_DEFAULT_CONFIG);
    this.schemaUpdateCache.clear();
  }

  apply(record: R): R {
    const value = operatingValue(record, this.part);
    if (value == null) return record;
    const schema = operatingSchema(record, this.part);
    if (schema == null) return newRecordWith(record, this.part, null, this.replacedMap(requireMap(value, PURPOSE)));
    const updated = this.replacedStruct(requireStruct(value, PURPOSE));
    return newRecordWith(record, this.part, updated.schema, updated);
  }

  /** The kept fields of `map`, renamed, in its order: a new map. */
  private replacedMap(map: Map<string, unknown>): Map<string, unknown> {
    const updated = new Map<string, unknown>();
    for (const [name, fieldValue] of map) if (this.keeps(name)) updated.set(this.renamed(name), fieldValue);
    return updated;
  }

  private replacedStruct(struct: Struct): Struct {
    let updatedSchema = this.schemaUpdateCache.get(struct.schema);
    if (!updatedSchema) {
      updatedSchema = this.makeUpdatedSchema(struct.schema);
      this.schemaUpdateCache.put(struct.schema, updatedSchema);
    }
    const updated = new Struct(updatedSchema);
    for (const field of updatedSchema.fields()) {
      const from = this.reverseRenames.get(field.name) ?? field.name;
      updated.put(field.name, this.replaceNullWithDefault ? struct.get(from) : struct.getWithoutDefault(from));
    }
    return updated;
  }

  /**
   * apply() on a working record. Without renames, a map the record owns loses its dropped
   * entries in place (Map.delete keeps the order of the rest, so the result equals the new map
   * apply() builds); otherwise the kept fields go into one new map, as apply() does.
   */
  [BATCH_KERNEL](): TransformKernel {
    const part = this.part;
    const inPlace = this.renames.size === 0;
    const exclude = [...this.exclude];
    const byIncludeOnly = this.include.size > 0;
    const kept = new Set([...this.include].filter((name) => !this.exclude.has(name)));
    // Without renames, the kept fields keep their order: deleting the others equals apply()'s new map.
    const fieldStep: FieldStep = {
      names: [...new Set([...this.include, ...this.exclude])],
      readsRecord: false,
      apply: (fields) => {
        if (byIncludeOnly) fields.retain(kept);
        else for (let k = 0; k < exclude.length; k++) fields.delete(exclude[k]!);
        return true;
      },
    };
    return {
      ...(part === 'value' && inPlace ? { fieldStep } : {}),
      apply: (w: WorkingRecord): boolean => {
        const value = w.valueOf(part);
        if (value == null) return true;
        if (w.schemaOf(part) != null) {
          const updated = this.replacedStruct(requireStruct(value, PURPOSE));
          w.set(part, updated.schema, updated);
          return true;
        }
        const map = requireMap(value, PURPOSE);
        if (!inPlace || !(part === 'key' ? w.keyOwned : w.valueOwned)) {
          w.set(part, null, this.replacedMap(map));
        } else if (byIncludeOnly) {
          for (const name of map.keys()) if (!this.keeps(name)) map.delete(name);
        } else {
          for (let k = 0; k < exclude.length; k++) map.delete(exclude[k]!);
        }
        return true;
      },
    };
  }

  config(): ConfigDef {
    return REPLACE_FIELD_CONFIG_DEF;
  }

  close(): void {
    this.schemaUpdateCache.clear();
  }

  private keeps(fieldName: string): boolean {
    return !this.exclude.has(fieldName) && (this.include.size === 0 || this.include.has(fieldName));
  }

  private renamed(fieldName: string): string {
    return this.renames.get(fieldName) ?? fieldName;
  }

  /** Kafka copies name, version, doc and parameters but not optionality or default: the result is a required struct. */
  private makeUpdatedSchema(schema: Schema): Schema {
    const builder = copySchemaBasics(schema, SchemaBuilder.struct());
    for (const field of schema.fields()) if (this.keeps(field.name)) builder.field(this.renamed(field.name), field.schema);
    return builder.build();
  }
}

function parseRenameMappings(mappings: readonly string[]): Map<string, string> {
  const renames = new Map<string, string>();
  for (const mapping of mappings) {
    // Java's String.split drops trailing empty strings: "a:" is one part, and so invalid.
    const parts = mapping.split(':');
    while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
    if (parts.length !== 2) throw invalidValue(RENAMES, mappings, `Invalid rename mapping: ${mapping}`);
    renames.set(parts[0]!, parts[1]!);
  }
  return renames;
}

/**
 * Field paths for transforms that reach into nested data (KIP-821;
 * org.apache.kafka.connect.transforms.field.SingleFieldPath and FieldSyntaxVersion).
 *
 * V1 (the default) takes the path as one top-level field name, dots and all. V2 splits it on dots
 * into steps; a step wrapped in backticks may contain dots (`a.b`.c), and a backtick right after
 * a backslash inside such a step is a literal backtick.
 */
import { CaseInsensitiveValidString, type AbstractConfig, type ConfigDef, ConfigType, Importance, invalidValue } from '../../api/config-def.js';
import { ConfigError } from '../../api/errors.js';
import type { Field, Schema } from '../../data/schema.js';
import type { Struct } from '../../data/struct.js';
import { requireMapOrNull, requireStructOrNull, type SchemalessMap } from './requirements.js';

export type FieldSyntaxVersion = 'V1' | 'V2';

export const FIELD_SYNTAX_VERSION_CONFIG = 'field.syntax.version';
export const FIELD_SYNTAX_VERSION_DEFAULT_VALUE: FieldSyntaxVersion = 'V1';
const FIELD_SYNTAX_VERSION_DOC =
  'Defines the version of the syntax to access fields. ' +
  'If set to <code>V1</code>, then the field paths are limited to access the elements at the root level of the struct or map. ' +
  'If set to <code>V2</code>, the syntax will support accessing nested elements. ' +
  'To access nested elements, dotted notation is used. ' +
  'If dots are already included in the field name, ' +
  'then backtick pairs can be used to wrap field names containing dots. ' +
  'E.g. to access the subfield <code>baz</code> from a field named "foo.bar" in a struct/map ' +
  'the following format can be used to access its elements: "<code>foo.bar</code>.baz".';

/** Adds `field.syntax.version` to a transform's ConfigDef (FieldSyntaxVersion.appendConfigTo). */
export function appendFieldSyntaxVersionConfig(configDef: ConfigDef): ConfigDef {
  return configDef.define({
    name: FIELD_SYNTAX_VERSION_CONFIG,
    type: ConfigType.STRING,
    defaultValue: FIELD_SYNTAX_VERSION_DEFAULT_VALUE,
    validator: CaseInsensitiveValidString.in('V1', 'V2'),
    importance: Importance.HIGH,
    documentation: FIELD_SYNTAX_VERSION_DOC,
  });
}

/** The configured syntax version (FieldSyntaxVersion.fromConfig). */
export function fieldSyntaxVersionFromConfig(config: AbstractConfig): FieldSyntaxVersion {
  const value = config.getString(FIELD_SYNTAX_VERSION_CONFIG) ?? '';
  const upper = value.toUpperCase();
  if (upper === 'V1' || upper === 'V2') return upper;
  throw invalidValue(FIELD_SYNTAX_VERSION_CONFIG, value, 'Unrecognized field syntax version');
}

const BACKTICK = '`';
const DOT = '.';
const BACKSLASH = '\\';

export class SingleFieldPath {
  /** The path's steps: one for V1, one per dotted part for V2. */
  readonly steps: readonly string[];

  constructor(
    pathText: string,
    readonly version: FieldSyntaxVersion,
  ) {
    this.steps = version === 'V1' ? [pathText] : parseV2(pathText);
  }

  /** The field at this path in a STRUCT schema, or null when a step is missing. */
  fieldFrom(schema: Schema | null): Field | null {
    if (schema == null) return null;
    let current = schema;
    for (const step of this.stepsWithoutLast()) {
      const field = current.field(step);
      if (field === null) return null;
      current = field.schema;
    }
    return current.field(this.lastStep());
  }

  /**
   * The value at this path in a Struct, or null when a step is missing or null. With `withDefault`
   * (the default) a null leaf gives the field's default value, as Struct.get does.
   * @throws DataError when an inner step holds something other than a Struct.
   */
  valueFromStruct(struct: Struct | null, withDefault = true): unknown {
    if (struct == null) return null;
    let current: Struct | null = struct;
    for (const step of this.stepsWithoutLast()) {
      if (current.schema.field(step) === null) return null;
      current = requireStructOrNull(current.get(step), 'nested field access');
      if (current === null) return null;
    }
    const last = this.lastStep();
    if (current.schema.field(last) === null) return null;
    return withDefault ? current.get(last) : current.getWithoutDefault(last);
  }

  /**
   * The value at this path in a schemaless map, or null when a step is missing or null.
   * @throws DataError when an inner step holds something other than a Map.
   */
  valueFromMap(map: SchemalessMap | null): unknown {
    if (map == null) return null;
    let current: SchemalessMap | null = map;
    for (const step of this.stepsWithoutLast()) {
      current = requireMapOrNull(current.get(step), 'nested field access');
      if (current === null) return null;
    }
    return current.get(this.lastStep()) ?? null;
  }

  /** True when every step is empty. */
  isEmpty(): boolean {
    return this.steps.every((s) => s === '');
  }

  toString(): string {
    return `SingleFieldPath{version=${this.version}, path=${this.steps.join('.')}}`;
  }

  private lastStep(): string {
    // A V2 path of "" has no steps; Java then fails with an IndexOutOfBoundsException, sluice
    // looks up the empty field name (which no schema has).
    return this.steps[this.steps.length - 1] ?? '';
  }

  private stepsWithoutLast(): readonly string[] {
    return this.steps.slice(0, -1);
  }
}

/** SingleFieldPath.buildFieldPathV2, step for step. */
function parseV2(path: string): string[] {
  const steps: string[] = [];
  let idx = 0;
  while (idx < path.length && idx >= 0) {
    if (path[idx] !== BACKTICK) {
      const start = idx;
      idx = path.indexOf(DOT, idx);
      if (idx >= 0) {
        steps.push(path.slice(start, idx));
        idx++;
      } else {
        steps.push(path.slice(start));
      }
      continue;
    }
    const backtickAt = idx;
    idx++;
    let field = '';
    let start = idx;
    for (;;) {
      idx = path.indexOf(BACKTICK, idx);
      if (idx === -1) throw incompleteBacktickPair(path, backtickAt);
      const escaped = path[idx - 1] === BACKSLASH;
      if (idx >= path.length - 1) {
        if (escaped) throw incompleteBacktickPair(path, backtickAt);
        field += path.slice(start, idx);
        steps.push(field);
        idx++;
        break;
      }
      if (path[idx + 1] !== DOT) {
        // A backtick inside the name: keep looking for one followed by a dot.
        idx++;
        continue;
      }
      if (escaped) {
        field += path.slice(start, idx - 1) + BACKTICK;
        idx++;
        start = idx;
        continue;
      }
      field += path.slice(start, idx);
      steps.push(field);
      idx += 2;
      break;
    }
  }
  if (path.length > 0 && path[path.length - 1] === DOT) steps.push('');
  return steps;
}

function incompleteBacktickPair(path: string, backtickAt: number): ConfigError {
  return new ConfigError(
    `Incomplete backtick pair in path: [${path}], consider adding a backslash before backtick at position ${backtickAt} to escape it`,
  );
}

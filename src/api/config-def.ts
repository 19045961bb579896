/**
 * Config definitions as Kafka Connect plugins declare them (org.apache.kafka.common.config.ConfigDef,
 * ConfigValue, Config, AbstractConfig) and the REST shapes built from them (ConfigInfos).
 *
 * Parsing, validation and every error message follow Java's ConfigDef so a config rejected by Kafka
 * Connect is rejected here with the same words. Value types in JavaScript:
 *   BOOLEAN -> boolean, STRING -> string, INT/SHORT/DOUBLE -> number,
 *   LONG -> number, or bigint when the value lies beyond ±(2^53 - 1) (see AbstractConfig.getLong),
 *   LIST -> string[], CLASS -> string (the class name or alias; plugins are resolved by the registry),
 *   PASSWORD -> Password (prints as "[hidden]").
 */
import { ConfigError } from './errors.js';

export enum ConfigType {
  BOOLEAN = 'BOOLEAN',
  STRING = 'STRING',
  INT = 'INT',
  SHORT = 'SHORT',
  LONG = 'LONG',
  DOUBLE = 'DOUBLE',
  LIST = 'LIST',
  CLASS = 'CLASS',
  PASSWORD = 'PASSWORD',
}

export enum Importance {
  HIGH = 'HIGH',
  MEDIUM = 'MEDIUM',
  LOW = 'LOW',
}

export enum Width {
  NONE = 'NONE',
  SHORT = 'SHORT',
  MEDIUM = 'MEDIUM',
  LONG = 'LONG',
}

/** The default of a required config: a key defined with it must be set. */
export const NO_DEFAULT_VALUE: unique symbol = Symbol('NO_DEFAULT_VALUE');

/** A sensitive value (Java's Password): its string form is "[hidden]" so it never reaches logs or REST. */
export class Password {
  static readonly HIDDEN = '[hidden]';
  constructor(readonly value: string) {}
  toString(): string {
    return Password.HIDDEN;
  }
  toJSON(): string {
    return Password.HIDDEN;
  }
  equals(other: unknown): boolean {
    return other instanceof Password && other.value === this.value;
  }
}

// ---------------------------------------------------------------------------------------------
// Errors and value formatting
// ---------------------------------------------------------------------------------------------

/**
 * The string Java would print for a value in an error message (`"" + value`): lists as
 * "[a, b]", null as "null", passwords as "[hidden]".
 */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (Array.isArray(value)) return `[${value.map(javaString).join(', ')}]`;
  if (typeof value === 'function') return (value as { name?: string }).name ?? String(value);
  return String(value);
}

/** Java's `new ConfigException(name, value, message)`. */
export function invalidValue(name: string, value: unknown, message?: string | null): ConfigError {
  const suffix = message == null ? '' : `: ${message}`;
  return new ConfigError(`Invalid value ${javaString(value)} for configuration ${name}${suffix}`, name);
}

function missingRequired(name: string): string {
  return `Missing required configuration "${name}" which has no default value.`;
}

// ---------------------------------------------------------------------------------------------
// Validators
// ---------------------------------------------------------------------------------------------

/**
 * Checks one parsed value. Throws a ConfigError (usually via invalidValue) when it is not valid.
 * toString() describes the valid values; it is what the docs and `/connector-plugins` show.
 */
export interface Validator {
  ensureValid(name: string, value: unknown): void;
  toString(): string;
}

/**
 * Supplies the valid values and visibility of a config from the other parsed values
 * (ConfigDef.Recommender); used by validate() only.
 */
export interface Recommender {
  validValues(name: string, parsedConfig: Readonly<Record<string, unknown>>): unknown[];
  visible(name: string, parsedConfig: Readonly<Record<string, unknown>>): boolean;
}

function toNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  return Number.NaN;
}

/** A numeric range, inclusive at both ends. */
export class Range implements Validator {
  private constructor(
    private readonly min: number | bigint | null,
    private readonly max: number | bigint | null,
  ) {}

  static atLeast(min: number | bigint): Range {
    return new Range(min, null);
  }

  static between(min: number | bigint, max: number | bigint): Range {
    return new Range(min, max);
  }

  ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) throw invalidValue(name, null, 'Value must be non-null');
    const n = toNumber(value);
    if (this.min !== null && n < toNumber(this.min)) throw invalidValue(name, value, `Value must be at least ${this.min}`);
    if (this.max !== null && n > toNumber(this.max)) {
      throw invalidValue(name, value, `Value must be no more than ${this.max}`);
    }
  }

  toString(): string {
    if (this.min === null && this.max === null) return '[...]';
    if (this.min === null) return `[...,${this.max}]`;
    if (this.max === null) return `[${this.min},...]`;
    return `[${this.min},...,${this.max}]`;
  }
}

/** One of a fixed set of strings (case-sensitive). */
export class ValidString implements Validator {
  private constructor(readonly validStrings: readonly string[]) {}

  static in(...validStrings: string[]): ValidString {
    return new ValidString(validStrings);
  }

  ensureValid(name: string, value: unknown): void {
    if (!this.validStrings.includes(value as string)) {
      throw invalidValue(name, value, `String must be one of: ${this.validStrings.join(', ')}`);
    }
  }

  toString(): string {
    return `[${this.validStrings.join(', ')}]`;
  }
}

/** One of a fixed set of strings, ignoring case. */
export class CaseInsensitiveValidString implements Validator {
  private readonly upper: Set<string>;

  private constructor(validStrings: readonly string[]) {
    this.upper = new Set(validStrings.map((s) => s.toUpperCase()));
  }

  static in(...validStrings: string[]): CaseInsensitiveValidString {
    return new CaseInsensitiveValidString(validStrings);
  }

  ensureValid(name: string, value: unknown): void {
    if (typeof value !== 'string' || !this.upper.has(value.toUpperCase())) {
      throw invalidValue(name, value, `String must be one of (case insensitive): ${[...this.upper].join(', ')}`);
    }
  }

  toString(): string {
    return `(case insensitive) [${[...this.upper].join(', ')}]`;
  }
}

/** Every element of a LIST is one of a fixed set of strings. */
export class ValidList implements Validator {
  private constructor(
    private readonly validString: ValidString | null,
    /** Kafka 4's checks (anyNonDuplicateValues): null, empty lists, duplicates and empty items. */
    private readonly strict?: { isEmptyAllowed: boolean; isNullAllowed: boolean },
  ) {}

  static in(...validStrings: string[]): ValidList {
    return new ValidList(ValidString.in(...validStrings));
  }

  /** Any values, none duplicated or empty (Kafka 4's ValidList.anyNonDuplicateValues). */
  static anyNonDuplicateValues(isEmptyAllowed: boolean, isNullAllowed: boolean): ValidList {
    return new ValidList(null, { isEmptyAllowed, isNullAllowed });
  }

  ensureValid(name: string, value: unknown): void {
    if (this.strict) {
      if (value === null || value === undefined) {
        if (this.strict.isNullAllowed) return;
        throw new ConfigError(`Configuration '${name}' values must not be null.`, name);
      }
      const values = value as unknown[];
      if (!this.strict.isEmptyAllowed && values.length === 0) {
        throw new ConfigError(`Configuration '${name}' must not be empty. Valid values include: any non-empty value`, name);
      }
      if (new Set(values).size !== values.length) {
        throw new ConfigError(`Configuration '${name}' values must not be duplicated.`, name);
      }
      if (values.some((v) => v === '')) throw new ConfigError(`Configuration '${name}' values must not be empty.`, name);
      return;
    }
    for (const item of (value as unknown[] | null) ?? []) this.validString!.ensureValid(name, item);
  }

  toString(): string {
    return this.validString ? this.validString.toString() : '';
  }
}

// The stateless validators below also work uninstantiated (`validator: NonEmptyString`), through
// static members mirroring the instance ones, so both Java spellings port without surprises.

/** Rejects the empty string (null passes). */
export class NonEmptyString implements Validator {
  static ensureValid(name: string, value: unknown): void {
    if (value === '') throw invalidValue(name, value, 'String must be non-empty');
  }
  static toString(): string {
    return 'non-empty string';
  }
  ensureValid(name: string, value: unknown): void {
    NonEmptyString.ensureValid(name, value);
  }
  toString(): string {
    return NonEmptyString.toString();
  }
}

/** Rejects the empty string and ISO control characters (U+0000–U+001F, U+007F–U+009F); null passes. */
export class NonEmptyStringWithoutControlChars implements Validator {
  static nonEmptyStringWithoutControlChars(): NonEmptyStringWithoutControlChars {
    return new NonEmptyStringWithoutControlChars();
  }
  static ensureValid(name: string, value: unknown): void {
    // null is allowed: a missing required value is reported by the required check instead.
    if (value === null || value === undefined) return;
    const s = value as string;
    if (s === '') throw invalidValue(name, value, 'String may not be empty');
    const found: number[] = [];
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c <= 0x1f || (c >= 0x7f && c <= 0x9f)) found.push(c);
    }
    if (found.length > 0) {
      throw invalidValue(
        name,
        value,
        `String may not contain control sequences but had the following ASCII chars: ${found.join(', ')}`,
      );
    }
  }
  static toString(): string {
    return 'non-empty string without ISO control characters';
  }
  ensureValid(name: string, value: unknown): void {
    NonEmptyStringWithoutControlChars.ensureValid(name, value);
  }
  toString(): string {
    return NonEmptyStringWithoutControlChars.toString();
  }
}

/** Rejects null. */
export class NonNullValidator implements Validator {
  static ensureValid(name: string, value: unknown): void {
    if (value === null || value === undefined) throw invalidValue(name, 'null', 'entry must be non null');
  }
  static toString(): string {
    return 'non-null string';
  }
  ensureValid(name: string, value: unknown): void {
    NonNullValidator.ensureValid(name, value);
  }
  toString(): string {
    return NonNullValidator.toString();
  }
}

/** A validator from a function and a description. */
export class LambdaValidator implements Validator {
  private constructor(
    private readonly fn: (name: string, value: unknown) => void,
    private readonly description: string | (() => string),
  ) {}

  static with(fn: (name: string, value: unknown) => void, description: string | (() => string)): LambdaValidator {
    return new LambdaValidator(fn, description);
  }

  ensureValid(name: string, value: unknown): void {
    this.fn(name, value);
  }

  toString(): string {
    return typeof this.description === 'function' ? this.description() : this.description;
  }
}

/** All of several validators, in order; the first failure is reported. */
export class CompositeValidator implements Validator {
  private constructor(private readonly validators: readonly Validator[]) {}

  static of(...validators: Validator[]): CompositeValidator {
    return new CompositeValidator(validators);
  }

  ensureValid(name: string, value: unknown): void {
    for (const v of this.validators) v.ensureValid(name, value);
  }

  toString(): string {
    return this.validators.map((v) => String(v)).join(', ');
  }
}

// ---------------------------------------------------------------------------------------------
// Keys, values and parsing
// ---------------------------------------------------------------------------------------------

/** One defined config. */
export interface ConfigKey {
  readonly name: string;
  readonly type: ConfigType;
  /** The parsed default; NO_DEFAULT_VALUE makes the config required. */
  readonly defaultValue: unknown;
  readonly validator?: Validator;
  readonly importance: Importance;
  readonly documentation: string;
  readonly group?: string;
  /** -1 when the key has no place in a group, as in Java. */
  readonly orderInGroup?: number;
  readonly width?: Width;
  readonly displayName?: string;
  /** Keys whose valid values or visibility depend on this one. */
  readonly dependents?: readonly string[];
  readonly recommender?: Recommender;
}

/**
 * What define() takes: a ConfigKey where only name and type are required. An absent (or undefined)
 * defaultValue means NO_DEFAULT_VALUE, i.e. a required config, like Java's define overloads without
 * a default; pass `defaultValue: null` for an optional config with no value. Defaults are parsed
 * like user values, so `'5000'` and `5000` are the same default.
 */
export interface ConfigKeyInit {
  name: string;
  type: ConfigType;
  defaultValue?: unknown;
  validator?: Validator;
  /** Default MEDIUM. */
  importance?: Importance;
  /** Default "". */
  documentation?: string;
  group?: string;
  orderInGroup?: number;
  /** Default NONE. */
  width?: Width;
  /** Default: the name. */
  displayName?: string;
  dependents?: readonly string[];
  recommender?: Recommender;
}

/** The result of validating one config (org.apache.kafka.common.config.ConfigValue). */
export interface ConfigValue {
  name: string;
  value: unknown;
  recommendedValues: unknown[];
  errorMessages: string[];
  visible: boolean;
}

/** A fresh ConfigValue with no errors. */
export function createConfigValue(
  name: string,
  value: unknown = null,
  recommendedValues: unknown[] = [],
  errorMessages: string[] = [],
): ConfigValue {
  return { name, value, recommendedValues, errorMessages, visible: true };
}

/** What Connector.validate() returns (org.apache.kafka.common.config.Config). */
export class Config {
  constructor(readonly configValues: ConfigValue[]) {}
}

const INT_RE = /^[+-]?\d+$/;
// Java's Double.parseDouble: decimal or exponent forms, NaN, Infinity, optional d/f suffix.
const DOUBLE_RE = /^[+-]?(NaN|Infinity|(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[fFdD]?)$/;
const LIST_SPLIT_RE = /\s*,\s*/;
const INT_BOUNDS = { INT: [-(2 ** 31), 2 ** 31 - 1], SHORT: [-(2 ** 15), 2 ** 15 - 1] } as const;
const LONG_MIN = -(2n ** 63n);
const LONG_MAX = 2n ** 63n - 1n;

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'object') return (value as object).constructor?.name ?? 'object';
  return typeof value;
}

/** Java's Integer.parseInt / Short.parseShort over an already trimmed string; null when not a number. */
function parseBoundedInt(s: string, min: number, max: number): number | null {
  if (!INT_RE.test(s)) return null;
  const n = Number(s);
  return n >= min && n <= max ? n : null;
}

function parseLongValue(s: string): number | bigint | null {
  if (!INT_RE.test(s)) return null;
  const b = BigInt(s);
  if (b < LONG_MIN || b > LONG_MAX) return null;
  return normalizeLong(b);
}

/** A LONG is a number when it fits exactly, else a bigint. */
function normalizeLong(b: bigint): number | bigint {
  return b >= BigInt(Number.MIN_SAFE_INTEGER) && b <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(b) : b;
}

/**
 * Parse one value to its config type (ConfigDef.parseType). Strings are trimmed first; values that
 * already have the right JavaScript type pass through. null and undefined parse to null.
 * @throws ConfigError with Java's message, e.g. "Invalid value abc for configuration tasks.max: Not a number of type INT".
 */
export function parseType(name: string, value: unknown, type: ConfigType): unknown {
  if (value === null || value === undefined) return null;
  const trimmed = typeof value === 'string' ? value.trim() : null;
  const notANumber = (): ConfigError => invalidValue(name, value, `Not a number of type ${type}`);

  switch (type) {
    case ConfigType.BOOLEAN:
      if (trimmed !== null) {
        if (trimmed.toLowerCase() === 'true') return true;
        if (trimmed.toLowerCase() === 'false') return false;
      } else if (typeof value === 'boolean') {
        return value;
      }
      throw invalidValue(name, value, 'Expected value to be either true or false');

    case ConfigType.PASSWORD:
      if (value instanceof Password) return value;
      if (trimmed !== null) return new Password(trimmed);
      throw invalidValue(name, value, `Expected value to be a string, but it was a ${typeName(value)}`);

    case ConfigType.STRING:
      if (trimmed !== null) return trimmed;
      throw invalidValue(name, value, `Expected value to be a string, but it was a ${typeName(value)}`);

    case ConfigType.INT:
    case ConfigType.SHORT: {
      const [min, max] = INT_BOUNDS[type];
      if (trimmed !== null) {
        const n = parseBoundedInt(trimmed, min, max);
        if (n === null) throw notANumber();
        return n;
      }
      if (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max) return value;
      const what = type === ConfigType.INT ? 'a 32-bit integer' : 'a 16-bit integer (short)';
      throw invalidValue(name, value, `Expected value to be ${what}, but it was a ${typeName(value)}`);
    }

    case ConfigType.LONG:
      if (trimmed !== null) {
        const n = parseLongValue(trimmed);
        if (n === null) throw notANumber();
        return n;
      }
      if (typeof value === 'number' && Number.isSafeInteger(value)) return value;
      if (typeof value === 'bigint' && value >= LONG_MIN && value <= LONG_MAX) return normalizeLong(value);
      throw invalidValue(name, value, `Expected value to be a 64-bit integer (long), but it was a ${typeName(value)}`);

    case ConfigType.DOUBLE:
      if (typeof value === 'number') return value;
      if (typeof value === 'bigint') return Number(value);
      if (trimmed !== null) {
        if (!DOUBLE_RE.test(trimmed)) throw notANumber();
        return Number(trimmed.replace(/[fFdD]$/, ''));
      }
      throw invalidValue(name, value, `Expected value to be a double, but it was a ${typeName(value)}`);

    case ConfigType.LIST:
      if (Array.isArray(value)) return value;
      if (trimmed !== null) return trimmed === '' ? [] : trimmed.split(LIST_SPLIT_RE);
      throw invalidValue(name, value, 'Expected a comma separated list.');

    case ConfigType.CLASS:
      // Classes are plugin names here: resolving them is the plugin registry's job.
      if (trimmed !== null) return trimmed;
      if (typeof value === 'function') return value;
      throw invalidValue(name, value, 'Expected a Class instance or class name.');
  }
}

/** A parsed value as a string (ConfigDef.convertToString); null stays null. */
export function convertToString(parsedValue: unknown, type: ConfigType | null): string | null {
  if (parsedValue === null || parsedValue === undefined) return null;
  if (type === ConfigType.LIST && Array.isArray(parsedValue)) return parsedValue.map((v) => javaString(v)).join(',');
  return javaString(parsedValue);
}

const IMPORTANCE_ORDER: Record<Importance, number> = { HIGH: 0, MEDIUM: 1, LOW: 2 };

/**
 * A set of config definitions (org.apache.kafka.common.config.ConfigDef). Keys keep their
 * definition order everywhere (configKeys, names, validate), where Java's order is a HashMap's.
 */
export class ConfigDef {
  private readonly keys = new Map<string, ConfigKey>();
  private readonly groupList: string[] = [];

  /** An empty definition, or a copy of `base` to extend. */
  constructor(base?: ConfigDef) {
    if (base) {
      for (const key of base.keys.values()) this.keys.set(key.name, key);
      this.groupList.push(...base.groupList);
    }
  }

  /**
   * Define a config. The default is parsed and checked by the validator now, so a bad default
   * fails at definition time, as in Java.
   * @throws ConfigError "Configuration X is defined twice." or for an invalid default.
   */
  define(init: ConfigKeyInit | ConfigKey): this {
    if (this.keys.has(init.name)) throw new ConfigError(`Configuration ${init.name} is defined twice.`, init.name);
    const required = init.defaultValue === undefined || init.defaultValue === NO_DEFAULT_VALUE;
    const defaultValue = required ? NO_DEFAULT_VALUE : parseType(init.name, init.defaultValue, init.type);
    if (init.validator && !required) init.validator.ensureValid(init.name, defaultValue);
    const key: ConfigKey = {
      name: init.name,
      type: init.type,
      defaultValue,
      validator: init.validator,
      importance: init.importance ?? Importance.MEDIUM,
      documentation: init.documentation ?? '',
      group: init.group,
      orderInGroup: init.orderInGroup ?? -1,
      width: init.width ?? Width.NONE,
      displayName: init.displayName ?? init.name,
      dependents: init.dependents ?? [],
      recommender: init.recommender,
    };
    if (key.group !== undefined && !this.groupList.includes(key.group)) this.groupList.push(key.group);
    this.keys.set(key.name, key);
    return this;
  }

  /**
   * Add every key of `child` under `keyPrefix` (ConfigDef.embed): groups become
   * "groupPrefix: childGroup", order starts at startingOrd, and the child's validators still see
   * the unprefixed name, so their messages read as the child wrote them.
   */
  embed(keyPrefix: string, groupPrefix: string, startingOrd: number, child: ConfigDef): this {
    let order = startingOrd;
    for (const key of child.sortedConfigs()) {
      const inner = key.validator;
      this.define({
        ...key,
        name: keyPrefix + key.name,
        validator: inner && {
          ensureValid: (name: string, value: unknown) => inner.ensureValid(name.slice(keyPrefix.length), value),
          toString: () => String(inner),
        },
        group: groupPrefix + (key.group === undefined ? '' : `: ${key.group}`),
        orderInGroup: order++,
        dependents: (key.dependents ?? []).map((d) => keyPrefix + d),
        recommender: key.recommender && {
          validValues: (name, parsed) => key.recommender!.validValues(name.slice(keyPrefix.length), parsed),
          visible: (name, parsed) => key.recommender!.visible(name.slice(keyPrefix.length), parsed),
        },
      });
    }
    return this;
  }

  /** All keys in definition order. */
  configKeys(): ConfigKey[] {
    return [...this.keys.values()];
  }

  configKey(name: string): ConfigKey | undefined {
    return this.keys.get(name);
  }

  has(name: string): boolean {
    return this.keys.has(name);
  }

  names(): string[] {
    return [...this.keys.keys()];
  }

  /** Groups in the order they first appeared. */
  groups(): string[] {
    return [...this.groupList];
  }

  /** Required keys first, then by importance, then by name (Java's sortedConfigs, used for docs and embed). */
  sortedConfigs(): ConfigKey[] {
    return this.configKeys().sort((a, b) => {
      const ra = a.defaultValue === NO_DEFAULT_VALUE;
      const rb = b.defaultValue === NO_DEFAULT_VALUE;
      if (ra !== rb) return ra ? -1 : 1;
      const byImportance = IMPORTANCE_ORDER[a.importance] - IMPORTANCE_ORDER[b.importance];
      if (byImportance !== 0) return byImportance;
      return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
    });
  }

  /**
   * Parse and validate every defined key; undefined keys in props are ignored.
   * @throws ConfigError for the first invalid or missing value.
   */
  parse(props: Readonly<Record<string, unknown>>): Record<string, unknown> {
    const undefinedDependents = this.undefinedDependents();
    if (undefinedDependents.length > 0) {
      throw new ConfigError(
        `Some configurations in are referred in the dependents, but not defined: ${undefinedDependents.join(',')}`,
      );
    }
    const values: Record<string, unknown> = {};
    for (const key of this.keys.values()) {
      let value: unknown;
      if (Object.hasOwn(props, key.name)) value = parseType(key.name, props[key.name], key.type);
      else if (key.defaultValue === NO_DEFAULT_VALUE) throw new ConfigError(missingRequired(key.name), key.name);
      else value = key.defaultValue;
      // Kafka 4 drops repeated items of a ValidList-validated list when parsing (only validate() reports them).
      if (key.validator instanceof ValidList && Array.isArray(value)) value = [...new Set(value)];
      key.validator?.ensureValid(key.name, value);
      values[key.name] = value;
    }
    return values;
  }

  /** validateAll() as a list, in definition order. */
  validate(props: Readonly<Record<string, unknown>>): ConfigValue[] {
    return [...this.validateAll(props).values()];
  }

  /**
   * Validate every defined key without throwing: each ConfigValue carries the parsed value (null
   * when it could not be parsed) and every error message. Dependents are parsed after their parent,
   * then recommenders run, as in Java.
   */
  validateAll(props: Readonly<Record<string, unknown>>): Map<string, ConfigValue> {
    const result = new Map<string, ConfigValue>();
    for (const name of this.keys.keys()) result.set(name, createConfigValue(name));
    for (const name of this.undefinedDependents()) {
      const cv = createConfigValue(name);
      cv.errorMessages.push(`${name} is referred in the dependents, but not defined.`);
      cv.visible = false;
      result.set(name, cv);
    }
    const parsed: Record<string, unknown> = {};
    const roots = this.configsWithNoParent();
    for (const name of roots) this.parseForValidate(name, props, parsed, result);
    for (const name of roots) this.applyRecommenders(name, parsed, result);
    return result;
  }

  private parseForValidate(
    name: string,
    props: Readonly<Record<string, unknown>>,
    parsed: Record<string, unknown>,
    result: Map<string, ConfigValue>,
  ): void {
    const key = this.keys.get(name);
    if (!key) return;
    const cv = result.get(name)!;
    let value: unknown = null;
    if (Object.hasOwn(props, name)) {
      try {
        value = parseType(name, props[name], key.type);
      } catch (e) {
        cv.errorMessages.push(errorMessage(e));
      }
    } else if (key.defaultValue === NO_DEFAULT_VALUE) {
      cv.errorMessages.push(missingRequired(name));
    } else {
      value = key.defaultValue;
    }
    if (key.validator) {
      try {
        key.validator.ensureValid(name, value);
      } catch (e) {
        cv.errorMessages.push(errorMessage(e));
      }
    }
    cv.value = value;
    parsed[name] = value;
    for (const dependent of key.dependents ?? []) this.parseForValidate(dependent, props, parsed, result);
  }

  private applyRecommenders(name: string, parsed: Record<string, unknown>, result: Map<string, ConfigValue>): void {
    const key = this.keys.get(name);
    if (!key) return;
    const cv = result.get(name)!;
    if (key.recommender) {
      try {
        let recommended = key.recommender.validValues(name, parsed);
        if (cv.recommendedValues.length > 0) {
          const original = new Set(cv.recommendedValues);
          recommended = recommended.filter((v) => original.has(v));
        }
        cv.recommendedValues = recommended;
        cv.visible = key.recommender.visible(name, parsed);
      } catch (e) {
        cv.errorMessages.push(errorMessage(e));
      }
    }
    for (const dependent of key.dependents ?? []) this.applyRecommenders(dependent, parsed, result);
  }

  private undefinedDependents(): string[] {
    const missing = new Set<string>();
    for (const key of this.keys.values()) {
      for (const d of key.dependents ?? []) if (!this.keys.has(d)) missing.add(d);
    }
    return [...missing];
  }

  private configsWithNoParent(): string[] {
    const withParent = new Set<string>();
    for (const key of this.keys.values()) for (const d of key.dependents ?? []) withParent.add(d);
    return this.names().filter((n) => !withParent.has(n));
  }
}

function errorMessage(e: unknown): string {
  if (e instanceof ConfigError) return e.message;
  throw e;
}

// ---------------------------------------------------------------------------------------------
// AbstractConfig
// ---------------------------------------------------------------------------------------------

/**
 * Parsed, typed access to a config map (org.apache.kafka.common.config.AbstractConfig).
 * The constructor parses everything at once and throws the first ConfigError.
 */
export class AbstractConfig {
  private readonly originalProps: Readonly<Record<string, string>>;
  private readonly parsed: Record<string, unknown>;

  constructor(
    readonly definition: ConfigDef,
    originals: Readonly<Record<string, string>>,
  ) {
    this.originalProps = Object.freeze({ ...originals });
    this.parsed = definition.parse(this.originalProps);
  }

  /** The parsed value of a defined key. @throws ConfigError "Unknown configuration 'x'" for an undefined key. */
  get(key: string): unknown {
    if (!Object.hasOwn(this.parsed, key)) throw new ConfigError(`Unknown configuration '${key}'`, key);
    return this.parsed[key];
  }

  getString(key: string): string | null {
    return this.get(key) as string | null;
  }

  getInt(key: string): number {
    return this.get(key) as number;
  }

  getShort(key: string): number {
    return this.get(key) as number;
  }

  /**
   * A LONG as a number. Values beyond ±(2^53 - 1) are rounded to the nearest double (harmless for
   * the timeouts and sizes LONG configs hold); use getLongExact() when every digit matters.
   */
  getLong(key: string): number {
    const v = this.get(key);
    return typeof v === 'bigint' ? Number(v) : (v as number);
  }

  /** A LONG as an exact bigint (null stays null). */
  getLongExact(key: string): bigint | null {
    const v = this.get(key);
    return v === null ? null : BigInt(v as number | bigint);
  }

  getDouble(key: string): number {
    return this.get(key) as number;
  }

  getBoolean(key: string): boolean {
    return this.get(key) as boolean;
  }

  getList(key: string): string[] {
    return this.get(key) as string[];
  }

  /** A CLASS config: the class name or alias as written (null if unset). */
  getClass(key: string): string | null {
    const v = this.get(key);
    return typeof v === 'function' ? (v as { name: string }).name : (v as string | null);
  }

  getPassword(key: string): Password | null {
    return this.get(key) as Password | null;
  }

  /** Every parsed value of the definition. */
  values(): Record<string, unknown> {
    return { ...this.parsed };
  }

  /** The raw map this config was built from, defined keys or not. */
  originals(): Record<string, string> {
    return { ...this.originalProps };
  }

  /** Originals whose key starts with `prefix`, with the prefix removed unless strip is false. */
  originalsWithPrefix(prefix: string, strip = true): Record<string, string> {
    const out: Record<string, string> = {};
    for (const [k, v] of Object.entries(this.originalProps)) {
      if (k.startsWith(prefix) && k.length > prefix.length) out[strip ? k.slice(prefix.length) : k] = v;
    }
    return out;
  }

  /**
   * The parsed values, where a defined key set as `prefix + key` overrides the unprefixed value
   * (Java's valuesWithPrefixOverride), parsed with that key's type. Undefined prefixed keys are
   * passed through unparsed.
   */
  valuesWithPrefixOverride(prefix: string): Record<string, unknown> {
    const out = this.values();
    for (const [k, v] of Object.entries(this.originalProps)) {
      if (!k.startsWith(prefix) || k.length <= prefix.length) continue;
      const keyWithoutPrefix = k.slice(prefix.length);
      const key = this.definition.configKey(keyWithoutPrefix);
      out[keyWithoutPrefix] = key ? parseType(keyWithoutPrefix, v, key.type) : v;
    }
    return out;
  }
}

// ---------------------------------------------------------------------------------------------
// REST shapes (org.apache.kafka.connect.runtime.rest.entities)
// ---------------------------------------------------------------------------------------------

/** One key's definition as `/connector-plugins/{p}/config` and validate show it. */
export interface ConfigKeyInfo {
  name: string;
  type: string;
  required: boolean;
  default_value: string | null;
  importance: string;
  documentation: string;
  group: string | null;
  width: string;
  display_name: string;
  dependents: string[];
  /** Kafka 4.x serializes ConfigKeyInfo as a record: `order_in_group` (3.x printed `order`). */
  order_in_group: number;
}

/** One key's validation result. */
export interface ConfigValueInfo {
  name: string;
  value: string | null;
  recommended_values: string[];
  errors: string[];
  visible: boolean;
}

export interface ConfigInfo {
  definition: ConfigKeyInfo | null;
  value: ConfigValueInfo | null;
}

/** The body of `PUT /connector-plugins/{p}/config/validate`. */
export interface ConfigInfos {
  name: string;
  error_count: number;
  groups: string[];
  configs: ConfigInfo[];
}

/** A ConfigKey in REST form (AbstractHerder.convertConfigKey); `prefix` is prepended to the name. */
export function convertConfigKey(key: ConfigKey, prefix = ''): ConfigKeyInfo {
  const required = key.defaultValue === NO_DEFAULT_VALUE;
  return {
    name: prefix + key.name,
    type: key.type,
    required,
    default_value: required ? null : convertToString(key.defaultValue, key.type),
    importance: key.importance,
    documentation: key.documentation,
    group: key.group ?? null,
    width: key.width ?? Width.NONE,
    display_name: key.displayName ?? key.name,
    dependents: [...(key.dependents ?? [])],
    order_in_group: key.orderInGroup ?? -1,
  };
}

/** A ConfigValue in REST form; list recommendations are shown element by element. */
export function convertConfigValue(value: ConfigValue, type: ConfigType | null): ConfigValueInfo {
  const recommendedType = type === ConfigType.LIST ? ConfigType.STRING : type;
  return {
    name: value.name,
    value: convertToString(value.value, type),
    recommended_values: value.recommendedValues.map((v) => convertToString(v, recommendedType) ?? 'null'),
    errors: [...value.errorMessages],
    visible: value.visible,
  };
}

/**
 * Build ConfigInfos from keys and validation results (AbstractHerder.generateResult): first the
 * values that have no key, then every key in order with its value (or null). error_count is the
 * number of error messages, not of keys with errors. A later value for the same name wins.
 */
export function generateConfigInfos(
  name: string,
  keys: Iterable<ConfigKey>,
  values: readonly ConfigValue[],
  groups: readonly string[],
): ConfigInfos {
  const keyMap = new Map<string, ConfigKey>();
  for (const key of keys) keyMap.set(key.name, key);
  let errorCount = 0;
  const configs: ConfigInfo[] = [];
  const valueMap = new Map<string, ConfigValue>();
  for (const value of values) {
    valueMap.set(value.name, value);
    if (!keyMap.has(value.name)) {
      configs.push({ definition: null, value: convertConfigValue(value, null) });
      errorCount += value.errorMessages.length;
    }
  }
  for (const key of keyMap.values()) {
    const value = valueMap.get(key.name);
    if (value) errorCount += value.errorMessages.length;
    configs.push({ definition: convertConfigKey(key), value: value ? convertConfigValue(value, key.type) : null });
  }
  return { name, error_count: errorCount, groups: [...groups], configs };
}

/** ConfigInfos for one ConfigDef and the values validated against it. */
export function toConfigInfos(connectorClassName: string, def: ConfigDef, values: readonly ConfigValue[]): ConfigInfos {
  return generateConfigInfos(connectorClassName, def.configKeys(), values, def.groups());
}

/**
 * ConfigInfos for a plugin validated under a prefix (AbstractHerder.prefixedConfigInfos, used for
 * converter sub-configs): names get the prefix and, as in Java, error_count counts the keys that
 * have errors rather than the messages.
 */
export function prefixedConfigInfos(def: ConfigDef, values: readonly ConfigValue[], prefix: string): ConfigInfos {
  let errorCount = 0;
  const groups = new Set<string>();
  const configs: ConfigInfo[] = [];
  for (const value of values) {
    const key = def.configKey(value.name);
    if (key?.group !== undefined) groups.add(key.group);
    if (value.errorMessages.length > 0) errorCount++;
    configs.push({
      definition: key ? convertConfigKey(key, prefix) : null,
      value: convertConfigValue({ ...value, name: prefix + value.name }, key?.type ?? null),
    });
  }
  return { name: '', error_count: errorCount, groups: [...groups], configs };
}

/** Concatenate several ConfigInfos under one name (AbstractHerder.mergeConfigInfos); nulls are skipped. */
export function mergeConfigInfos(name: string, ...infos: (ConfigInfos | null | undefined)[]): ConfigInfos {
  const groups = new Set<string>();
  const configs: ConfigInfo[] = [];
  let errorCount = 0;
  for (const info of infos) {
    if (!info) continue;
    errorCount += info.error_count;
    configs.push(...info.configs);
    for (const g of info.groups) groups.add(g);
  }
  return { name, error_count: errorCount, groups: [...groups], configs };
}

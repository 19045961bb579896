/**
 * Connect's schema model (org.apache.kafka.connect.data.Schema / ConnectSchema / SchemaBuilder).
 *
 * Java value types map to JavaScript as follows:
 *   INT8, INT16, INT32, FLOAT32, FLOAT64 -> number
 *   INT64                                -> bigint (exact over the whole range; a number is accepted on input)
 *   BOOLEAN -> boolean, STRING -> string, BYTES -> Uint8Array (Buffer is one)
 *   ARRAY -> unknown[], MAP -> Map<unknown, unknown>, STRUCT -> Struct
 * Logical types keep their Java meaning but use JavaScript carriers: Decimal -> DecimalValue
 * (unscaled bigint + scale), Date/Time/Timestamp -> JavaScript Date.
 */

export enum Type {
  INT8 = 'INT8',
  INT16 = 'INT16',
  INT32 = 'INT32',
  INT64 = 'INT64',
  FLOAT32 = 'FLOAT32',
  FLOAT64 = 'FLOAT64',
  BOOLEAN = 'BOOLEAN',
  STRING = 'STRING',
  BYTES = 'BYTES',
  ARRAY = 'ARRAY',
  MAP = 'MAP',
  STRUCT = 'STRUCT',
}

export const PRIMITIVE_TYPES: ReadonlySet<Type> = new Set([
  Type.INT8, Type.INT16, Type.INT32, Type.INT64, Type.FLOAT32, Type.FLOAT64,
  Type.BOOLEAN, Type.STRING, Type.BYTES,
]);

export function isPrimitive(type: Type): boolean {
  return PRIMITIVE_TYPES.has(type);
}

/** A field of a STRUCT schema. */
export class Field {
  constructor(
    readonly name: string,
    readonly index: number,
    readonly schema: Schema,
  ) {}

  equals(other: Field): boolean {
    return this.name === other.name && this.index === other.index && this.schema.equals(other.schema);
  }
}

export interface SchemaInit {
  type: Type;
  optional?: boolean;
  defaultValue?: unknown;
  name?: string | null;
  version?: number | null;
  doc?: string | null;
  parameters?: Record<string, string> | null;
  fields?: Field[] | null;
  keySchema?: Schema | null;
  valueSchema?: Schema | null;
}

/** An immutable schema. Build one with SchemaBuilder or use the constants on Schemas. */
export class Schema {
  readonly type: Type;
  readonly optional: boolean;
  readonly defaultValue: unknown;
  readonly name: string | null;
  readonly version: number | null;
  readonly doc: string | null;
  readonly parameters: Readonly<Record<string, string>> | null;
  readonly keySchema: Schema | null;
  readonly valueSchema: Schema | null;
  private readonly fieldList: readonly Field[] | null;
  private readonly fieldsByName: ReadonlyMap<string, Field> | null;

  constructor(init: SchemaInit) {
    this.type = init.type;
    this.optional = init.optional ?? false;
    this.defaultValue = init.defaultValue ?? null;
    this.name = init.name ?? null;
    this.version = init.version ?? null;
    this.doc = init.doc ?? null;
    this.parameters = init.parameters ? Object.freeze({ ...init.parameters }) : null;
    this.keySchema = init.keySchema ?? null;
    this.valueSchema = init.valueSchema ?? null;
    if (this.type === Type.STRUCT) {
      this.fieldList = Object.freeze([...(init.fields ?? [])]);
      this.fieldsByName = new Map(this.fieldList.map((f) => [f.name, f]));
    } else {
      this.fieldList = null;
      this.fieldsByName = null;
    }
  }

  /** The fields of a STRUCT schema, in order. Throws for any other type, as Connect does. */
  fields(): readonly Field[] {
    if (!this.fieldList) throw new DataError('Cannot list fields on non-struct type');
    return this.fieldList;
  }

  /** The named field of a STRUCT schema, or null. */
  field(name: string): Field | null {
    if (!this.fieldsByName) throw new DataError('Cannot look up fields on non-struct type');
    return this.fieldsByName.get(name) ?? null;
  }

  equals(other: Schema | null | undefined): boolean {
    if (other === this) return true;
    if (!other) return false;
    if (
      this.type !== other.type ||
      this.optional !== other.optional ||
      this.name !== other.name ||
      this.version !== other.version ||
      this.doc !== other.doc ||
      !shallowEqualParams(this.parameters, other.parameters) ||
      !valuesEqual(this.defaultValue, other.defaultValue)
    ) {
      return false;
    }
    if (this.type === Type.STRUCT) {
      const a = this.fields();
      const b = other.fields();
      return a.length === b.length && a.every((f, i) => f.equals(b[i]!));
    }
    if (this.type === Type.ARRAY) return schemaEq(this.valueSchema, other.valueSchema);
    if (this.type === Type.MAP) {
      return schemaEq(this.keySchema, other.keySchema) && schemaEq(this.valueSchema, other.valueSchema);
    }
    return true;
  }

  toString(): string {
    return this.name ? `Schema{${this.name}:${this.type}}` : `Schema{${this.type}}`;
  }
}

/**
 * A schema with a value (org.apache.kafka.connect.data.SchemaAndValue): what converters return and
 * what a header holds. `schema` null means "no schema"; `{ schema: null, value: null }` is Java's
 * SchemaAndValue.NULL.
 */
export interface SchemaAndValue {
  schema: Schema | null;
  value: unknown;
}

/** Thrown for data that does not fit its schema (org.apache.kafka.connect.errors.DataException). */
export class DataError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'DataException';
  }
}

function schemaEq(a: Schema | null, b: Schema | null): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  return a.equals(b);
}

function shallowEqualParams(
  a: Readonly<Record<string, string>> | null,
  b: Readonly<Record<string, string>> | null,
): boolean {
  if (a === b) return true;
  if (!a || !b) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  return ka.every((k) => a[k] === b[k]);
}

/**
 * Deep equality over Connect values: bigint, Uint8Array by content, Date by time, arrays, Maps,
 * plain objects, and anything with an equals() method (Struct, DecimalValue).
 */
export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== 'object' || typeof b !== 'object') return false;
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((v, i) => v === b[i]);
  }
  if (a instanceof Date && b instanceof Date) return a.getTime() === b.getTime();
  if (Array.isArray(a) && Array.isArray(b)) {
    return a.length === b.length && a.every((v, i) => valuesEqual(v, b[i]));
  }
  if (a instanceof Map && b instanceof Map) {
    if (a.size !== b.size) return false;
    for (const [k, v] of a) {
      let found = false;
      for (const [k2, v2] of b) {
        if (valuesEqual(k, k2)) {
          found = valuesEqual(v, v2);
          break;
        }
      }
      if (!found) return false;
    }
    return true;
  }
  const eq = (a as { equals?: (o: unknown) => boolean }).equals;
  if (typeof eq === 'function') return eq.call(a, b);
  if (Object.getPrototypeOf(a) === Object.prototype && Object.getPrototypeOf(b) === Object.prototype) {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return (
      ka.length === kb.length &&
      ka.every((k) => valuesEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
    );
  }
  return false;
}

/**
 * A STRUCT value (org.apache.kafka.connect.data.Struct): one slot per field of its schema.
 * put() validates like Java (ConnectSchema.validateValue); get() falls back to the field's default;
 * validate() checks that every required field without a default is set.
 */
import { DataError, type Field, type Schema, Type, valuesEqual } from './schema.js';
import { validateValue } from './validate.js';
import { javaToString } from './java-string.js';

export class Struct {
  readonly schema: Schema;
  private readonly values: unknown[];

  constructor(schema: Schema) {
    if (schema.type !== Type.STRUCT) throw new DataError(`Not a struct schema: ${schema}`);
    this.schema = schema;
    this.values = new Array<unknown>(schema.fields().length).fill(null);
  }

  /** The value of a field, or the field's default when the value is null. */
  get(field: string | Field): unknown {
    const f = typeof field === 'string' ? this.lookupField(field) : field;
    const value = this.values[f.index];
    if (value == null && f.schema.defaultValue != null) return f.schema.defaultValue;
    return value ?? null;
  }

  /** The value as stored, without falling back to the default. */
  getWithoutDefault(fieldName: string): unknown {
    return this.values[this.lookupField(fieldName).index] ?? null;
  }

  // Typed getters: like Java they check the field's schema type and do not apply defaults.
  getInt8(fieldName: string): number | null {
    return this.getCheckType(fieldName, Type.INT8) as number | null;
  }
  getInt16(fieldName: string): number | null {
    return this.getCheckType(fieldName, Type.INT16) as number | null;
  }
  getInt32(fieldName: string): number | null {
    return this.getCheckType(fieldName, Type.INT32) as number | null;
  }
  /** INT64 values are bigints; a number put into an INT64 field is returned as it was put. */
  getInt64(fieldName: string): bigint | number | null {
    return this.getCheckType(fieldName, Type.INT64) as bigint | number | null;
  }
  getFloat32(fieldName: string): number | null {
    return this.getCheckType(fieldName, Type.FLOAT32) as number | null;
  }
  getFloat64(fieldName: string): number | null {
    return this.getCheckType(fieldName, Type.FLOAT64) as number | null;
  }
  getBoolean(fieldName: string): boolean | null {
    return this.getCheckType(fieldName, Type.BOOLEAN) as boolean | null;
  }
  getString(fieldName: string): string | null {
    return this.getCheckType(fieldName, Type.STRING) as string | null;
  }
  getBytes(fieldName: string): Uint8Array | null {
    return this.getCheckType(fieldName, Type.BYTES) as Uint8Array | null;
  }
  getArray<T = unknown>(fieldName: string): T[] | null {
    return this.getCheckType(fieldName, Type.ARRAY) as T[] | null;
  }
  getMap<K = unknown, V = unknown>(fieldName: string): Map<K, V> | null {
    return this.getCheckType(fieldName, Type.MAP) as Map<K, V> | null;
  }
  getStruct(fieldName: string): Struct | null {
    return this.getCheckType(fieldName, Type.STRUCT) as Struct | null;
  }

  /** Sets a field after validating the value against the field's schema. */
  put(field: string | Field, value: unknown): this {
    if (field == null) throw new DataError('field cannot be null.');
    const f = typeof field === 'string' ? this.lookupField(field) : field;
    validateValue(f.schema, value, f.name);
    this.values[f.index] = value ?? null;
    return this;
  }

  /** Throws a DataError if a required field without a default is null, or a value does not fit. */
  validate(): void {
    for (const field of this.schema.fields()) {
      const value = this.values[field.index];
      if (value == null && (field.schema.optional || field.schema.defaultValue != null)) continue;
      validateValue(field.schema, value, field.name);
    }
  }

  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof Struct)) return false;
    return (
      this.schema.equals(other.schema) &&
      this.values.length === other.values.length &&
      this.values.every((v, i) => valuesEqual(v, other.values[i]))
    );
  }

  /**
   * `Struct{a=1,b=x}`: the non-null fields, as Java's Struct.toString prints them (FLOAT64 and
   * FLOAT32 fields as Double/Float.toString: `1.0`, not `1`). Loops and concatenation: a file
   * sink prints every Struct it writes this way.
   */
  toString(): string {
    const fields = this.schema.fields();
    const values = this.values;
    let out = 'Struct{';
    let first = true;
    for (let i = 0; i < values.length; i++) {
      const value = values[i];
      if (value === null || value === undefined) continue;
      const field = fields[i]!;
      out += (first ? '' : ',') + field.name + '=' + javaToString(value, field.schema);
      first = false;
    }
    return out + '}';
  }

  private lookupField(fieldName: string): Field {
    const field = this.schema.field(fieldName);
    if (!field) throw new DataError(`${fieldName} is not a valid field name`);
    return field;
  }

  private getCheckType(fieldName: string, type: Type): unknown {
    const field = this.lookupField(fieldName);
    if (field.schema.type !== type) throw new DataError(`Field '${fieldName}' is not of type ${type}`);
    return this.values[field.index] ?? null;
  }
}

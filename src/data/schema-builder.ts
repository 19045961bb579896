/**
 * Fluent construction of schemas (org.apache.kafka.connect.data.SchemaBuilder):
 *
 *   const row = SchemaBuilder.struct().name('com.example.Row')
 *     .field('id', Schemas.INT64_SCHEMA)
 *     .field('tags', SchemaBuilder.array(Schemas.STRING_SCHEMA).optional().build())
 *     .build();
 *
 * Accessors double as setters the Java way: name() reads, name('x') sets. Each attribute can be set
 * once (setting the same value again is allowed); the default value is validated when it is set.
 */
import { DataError, Field, Schema, Type } from './schema.js';
import { Struct } from './struct.js';
import { validateValue } from './validate.js';

/** A builder call that is not allowed (org.apache.kafka.connect.errors.SchemaBuilderException). */
export class SchemaBuilderError extends DataError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'SchemaBuilderException';
  }
}

export class SchemaBuilder {
  readonly type: Type;
  private optionalValue: boolean | null = null;
  private defaultVal: unknown = null;
  private readonly fieldMap: Map<string, Field> | null;
  private keySchemaValue: Schema | null = null;
  private valueSchemaValue: Schema | null = null;
  private nameValue: string | null = null;
  private versionValue: number | null = null;
  private docValue: string | null = null;
  private params: Map<string, string> | null = null;

  constructor(type: Type) {
    if (type == null) throw new SchemaBuilderError('type cannot be null');
    this.type = type;
    this.fieldMap = type === Type.STRUCT ? new Map() : null;
  }

  static type(type: Type): SchemaBuilder {
    return new SchemaBuilder(type);
  }
  static int8(): SchemaBuilder {
    return new SchemaBuilder(Type.INT8);
  }
  static int16(): SchemaBuilder {
    return new SchemaBuilder(Type.INT16);
  }
  static int32(): SchemaBuilder {
    return new SchemaBuilder(Type.INT32);
  }
  static int64(): SchemaBuilder {
    return new SchemaBuilder(Type.INT64);
  }
  static float32(): SchemaBuilder {
    return new SchemaBuilder(Type.FLOAT32);
  }
  static float64(): SchemaBuilder {
    return new SchemaBuilder(Type.FLOAT64);
  }
  static bool(): SchemaBuilder {
    return new SchemaBuilder(Type.BOOLEAN);
  }
  static string(): SchemaBuilder {
    return new SchemaBuilder(Type.STRING);
  }
  static bytes(): SchemaBuilder {
    return new SchemaBuilder(Type.BYTES);
  }
  static struct(): SchemaBuilder {
    return new SchemaBuilder(Type.STRUCT);
  }

  static array(valueSchema: Schema): SchemaBuilder {
    if (valueSchema == null) throw new SchemaBuilderError('valueSchema cannot be null.');
    const builder = new SchemaBuilder(Type.ARRAY);
    builder.valueSchemaValue = valueSchema;
    return builder;
  }

  static map(keySchema: Schema, valueSchema: Schema): SchemaBuilder {
    if (keySchema == null) throw new SchemaBuilderError('keySchema cannot be null.');
    if (valueSchema == null) throw new SchemaBuilderError('valueSchema cannot be null.');
    const builder = new SchemaBuilder(Type.MAP);
    builder.keySchemaValue = keySchema;
    builder.valueSchemaValue = valueSchema;
    return builder;
  }

  isOptional(): boolean {
    return this.optionalValue === true;
  }

  optional(): this {
    checkCanSet('optional', this.optionalValue, true);
    this.optionalValue = true;
    return this;
  }

  required(): this {
    checkCanSet('optional', this.optionalValue, false);
    this.optionalValue = false;
    return this;
  }

  /** The default value (no argument), or sets it after validating it against this schema. */
  defaultValue(): unknown;
  defaultValue(value: unknown): this;
  defaultValue(...args: [unknown?]): unknown {
    if (args.length === 0) return this.defaultVal;
    const value = args[0] ?? null;
    checkCanSet('default', this.defaultVal, value);
    try {
      // Java validates against the builder itself, and a Struct's schema (a ConnectSchema) never
      // equals a SchemaBuilder: every Struct default is refused. Build the Schema directly
      // (new Schema({...defaultValue})) for a struct default.
      if (this.type === Type.STRUCT && value instanceof Struct) throw new DataError('Struct schemas do not match.');
      validateValue(this.build(), value);
    } catch (e) {
      if (e instanceof DataError) throw new SchemaBuilderError('Invalid default value', { cause: e });
      throw e;
    }
    this.defaultVal = value;
    return this;
  }

  name(): string | null;
  name(name: string): this;
  name(...args: [string?]): string | null | this {
    if (args.length === 0) return this.nameValue;
    checkCanSet('name', this.nameValue, args[0]);
    this.nameValue = args[0] ?? null;
    return this;
  }

  version(): number | null;
  version(version: number): this;
  version(...args: [number?]): number | null | this {
    if (args.length === 0) return this.versionValue;
    checkCanSet('version', this.versionValue, args[0]);
    this.versionValue = args[0] ?? null;
    return this;
  }

  doc(): string | null;
  doc(doc: string): this;
  doc(...args: [string?]): string | null | this {
    if (args.length === 0) return this.docValue;
    checkCanSet('doc', this.docValue, args[0]);
    this.docValue = args[0] ?? null;
    return this;
  }

  /** Adds one parameter; insertion order is kept. */
  parameter(propertyName: string, propertyValue: string): this {
    (this.params ??= new Map()).set(propertyName, propertyValue);
    return this;
  }

  /** The parameters (no argument), or adds all of `props` (an empty object adds nothing). */
  parameters(): Readonly<Record<string, string>> | null;
  parameters(props: Readonly<Record<string, string>>): this;
  parameters(...args: [Readonly<Record<string, string>>?]): Readonly<Record<string, string>> | null | this {
    if (args.length === 0) return this.params ? Object.fromEntries(this.params) : null;
    const entries = Object.entries(args[0] ?? {});
    if (entries.length === 0) return this;
    for (const [k, v] of entries) this.parameter(k, v);
    return this;
  }

  /** The named field (one argument), or adds a field (name and schema). STRUCT only. */
  field(fieldName: string): Field | null;
  field(fieldName: string, fieldSchema: Schema): this;
  field(fieldName: string, ...args: [Schema?]): Field | null | this {
    if (args.length === 0) {
      if (!this.fieldMap) throw new DataError('Cannot look up fields on non-struct type');
      return this.fieldMap.get(fieldName) ?? null;
    }
    const fieldSchema = args[0];
    if (!this.fieldMap) throw new SchemaBuilderError(`Cannot create fields on type ${this.type}`);
    if (fieldName == null || fieldName === '') throw new SchemaBuilderError('fieldName cannot be null.');
    if (fieldSchema == null) throw new SchemaBuilderError(`fieldSchema for field ${fieldName} cannot be null.`);
    if (this.fieldMap.has(fieldName)) {
      throw new SchemaBuilderError(`Cannot create field because of field name duplication ${fieldName}`);
    }
    this.fieldMap.set(fieldName, new Field(fieldName, this.fieldMap.size, fieldSchema));
    return this;
  }

  fields(): Field[] {
    if (!this.fieldMap) throw new DataError('Cannot list fields on non-struct type');
    return [...this.fieldMap.values()];
  }

  keySchema(): Schema | null {
    return this.keySchemaValue;
  }

  valueSchema(): Schema | null {
    return this.valueSchemaValue;
  }

  build(): Schema {
    return new Schema({
      type: this.type,
      optional: this.isOptional(),
      defaultValue: this.defaultVal,
      name: this.nameValue,
      version: this.versionValue,
      doc: this.docValue,
      parameters: this.params ? Object.fromEntries(this.params) : null,
      fields: this.fieldMap ? [...this.fieldMap.values()] : null,
      keySchema: this.keySchemaValue,
      valueSchema: this.valueSchemaValue,
    });
  }

  /** Same as build(), as Java's Schema.schema(). */
  schema(): Schema {
    return this.build();
  }
}

function checkCanSet(fieldName: string, current: unknown, value: unknown): void {
  if (current != null && current !== value) {
    throw new SchemaBuilderError(`Invalid SchemaBuilder call: ${fieldName} has already been set.`);
  }
}

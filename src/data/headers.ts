/**
 * Record headers as Connect sees them (org.apache.kafka.connect.header.Headers, ConnectHeaders,
 * ConnectHeader): an ordered list of (key, schema, value); a key may repeat.
 */
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue, LOGICAL_DATE, LOGICAL_DECIMAL, LOGICAL_TIME, LOGICAL_TIMESTAMP } from './logical.js';
import { DataError, type Schema, type SchemaAndValue, Type, valuesEqual } from './schema.js';
import { Schemas } from './schemas.js';
import { Struct } from './struct.js';

export interface Header {
  readonly key: string;
  /** The value's schema; for a schemaless Struct value, the Struct's own schema. */
  readonly schema: Schema | null;
  readonly value: unknown;
  /** This header under another key. */
  rename(key: string): Header;
  /** A header with the same key and a new schema and value. */
  with(schema: Schema | null, value: unknown): Header;
}

/** Replaces a header (return a new one), keeps it (return it) or removes it (return null). */
export type HeaderTransform = (header: Header) => Header | null;

export class ConnectHeader implements Header {
  constructor(
    readonly key: string,
    private readonly schemaAndValue: SchemaAndValue = { schema: null, value: null },
  ) {
    if (key == null) throw new TypeError('Null header keys are not permitted');
  }

  get value(): unknown {
    return this.schemaAndValue.value;
  }

  get schema(): Schema | null {
    const { schema, value } = this.schemaAndValue;
    if (schema == null && value instanceof Struct) return value.schema;
    return schema;
  }

  rename(key: string): Header {
    if (key == null) throw new TypeError('Null header keys are not permitted');
    return key === this.key ? this : new ConnectHeader(key, this.schemaAndValue);
  }

  with(schema: Schema | null, value: unknown): Header {
    return new ConnectHeader(this.key, { schema, value });
  }

  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!isHeader(other)) return false;
    return (
      this.key === other.key &&
      (this.schema === other.schema || (this.schema !== null && this.schema.equals(other.schema))) &&
      valuesEqual(this.value, other.value)
    );
  }

  toString(): string {
    return `ConnectHeader(key=${this.key}, value=${String(this.value)}, schema=${String(this.schema)})`;
  }
}

function isHeader(o: unknown): o is Header {
  return typeof o === 'object' && o !== null && typeof (o as Header).key === 'string' && 'value' in o && 'schema' in o;
}

export class Headers implements Iterable<Header> {
  private headers: Header[];
  /**
   * True while `headers` may be shared with a duplicate: every transformation's newRecord()
   * duplicates the headers, and most never change them, so the copy waits for the first change.
   */
  private shared = false;

  constructor(original?: Iterable<Header> | null) {
    this.headers = [];
    if (original) {
      for (const header of original) {
        if (header == null) throw new TypeError('Unable to add a null header.');
        this.headers.push(header);
      }
    }
  }

  get size(): number {
    return this.headers.length;
  }

  isEmpty(): boolean {
    return this.headers.length === 0;
  }

  clear(): this {
    this.headers = [];
    this.shared = false;
    return this;
  }

  /** The array, made this instance's own before an in-place change. */
  private own(): Header[] {
    if (this.shared) {
      this.headers = this.headers.slice();
      this.shared = false;
    }
    return this.headers;
  }

  [Symbol.iterator](): IterableIterator<Header> {
    return this.headers[Symbol.iterator]();
  }

  /**
   * Adds a header: `add(header)`, `add(key, { schema, value })`, or `add(key, value, schema)`.
   * The value must fit the schema (a null value needs an optional schema).
   */
  add(header: Header): this;
  add(key: string, schemaAndValue: SchemaAndValue | null): this;
  add(key: string, value: unknown, schema: Schema | null): this;
  add(keyOrHeader: string | Header, ...rest: unknown[]): this {
    if (typeof keyOrHeader !== 'string') {
      if (keyOrHeader == null) throw new TypeError('Unable to add a null header.');
      this.own().push(keyOrHeader);
      return this;
    }
    let schemaAndValue: SchemaAndValue;
    if (rest.length >= 2) {
      const [value, schema] = rest as [unknown, Schema | null];
      schemaAndValue = { schema: schema ?? null, value: value ?? null };
    } else {
      schemaAndValue = (rest[0] as SchemaAndValue | null) ?? { schema: null, value: null };
    }
    checkSchemaMatches(schemaAndValue);
    this.own().push(new ConnectHeader(keyOrHeader, schemaAndValue));
    return this;
  }

  addString(key: string, value: string | null): this {
    return this.addUnchecked(key, value, value != null ? Schemas.STRING_SCHEMA : Schemas.OPTIONAL_STRING_SCHEMA);
  }
  addBytes(key: string, value: Uint8Array | null): this {
    return this.addUnchecked(key, value, value != null ? Schemas.BYTES_SCHEMA : Schemas.OPTIONAL_BYTES_SCHEMA);
  }
  addBoolean(key: string, value: boolean): this {
    return this.addUnchecked(key, value, Schemas.BOOLEAN_SCHEMA);
  }
  addByte(key: string, value: number): this {
    return this.addUnchecked(key, value, Schemas.INT8_SCHEMA);
  }
  addShort(key: string, value: number): this {
    return this.addUnchecked(key, value, Schemas.INT16_SCHEMA);
  }
  addInt(key: string, value: number): this {
    return this.addUnchecked(key, value, Schemas.INT32_SCHEMA);
  }
  addLong(key: string, value: bigint | number): this {
    return this.addUnchecked(key, value, Schemas.INT64_SCHEMA);
  }
  addFloat(key: string, value: number): this {
    return this.addUnchecked(key, value, Schemas.FLOAT32_SCHEMA);
  }
  addDouble(key: string, value: number): this {
    return this.addUnchecked(key, value, Schemas.FLOAT64_SCHEMA);
  }

  addList(key: string, value: unknown[] | null, schema: Schema): this {
    if (value == null) return this.add(key, null, null);
    checkSchemaType(schema, Type.ARRAY);
    return this.addUnchecked(key, value, schema);
  }

  addMap(key: string, value: Map<unknown, unknown> | null, schema: Schema): this {
    if (value == null) return this.add(key, null, null);
    checkSchemaType(schema, Type.MAP);
    return this.addUnchecked(key, value, schema);
  }

  addStruct(key: string, value: Struct | null): this {
    if (value == null) return this.add(key, null, null);
    checkSchemaType(value.schema, Type.STRUCT);
    return this.addUnchecked(key, value, value.schema);
  }

  addDecimal(key: string, value: DecimalValue | null): this {
    if (value == null) return this.add(key, null, null);
    const schema = Decimal.schema(value.scale);
    Decimal.fromLogical(schema, value);
    return this.addUnchecked(key, value, schema);
  }

  addDate(key: string, value: Date | null): this {
    if (value != null) ConnectDate.fromLogical(ConnectDate.SCHEMA, value);
    return this.addUnchecked(key, value, ConnectDate.SCHEMA);
  }

  addTime(key: string, value: Date | null): this {
    if (value != null) ConnectTime.fromLogical(ConnectTime.SCHEMA, value);
    return this.addUnchecked(key, value, ConnectTime.SCHEMA);
  }

  addTimestamp(key: string, value: Date | null): this {
    if (value != null) ConnectTimestamp.fromLogical(ConnectTimestamp.SCHEMA, value);
    return this.addUnchecked(key, value, ConnectTimestamp.SCHEMA);
  }

  /** The last header with this key, or null. */
  lastWithName(key: string): Header | null {
    checkKey(key);
    for (let i = this.headers.length - 1; i >= 0; i--) {
      if (this.headers[i]!.key === key) return this.headers[i]!;
    }
    return null;
  }

  /** Every header with this key, in order. */
  *allWithName(key: string): IterableIterator<Header> {
    for (const header of this.headers) if (header.key === key) yield header;
  }

  remove(key: string): this {
    checkKey(key);
    this.headers = this.headers.filter((h) => h.key !== key);
    this.shared = false;
    return this;
  }

  /** Keeps only the last header of each key (no argument), or of the given key. */
  retainLatest(key?: string): this {
    if (key !== undefined) checkKey(key);
    const seen = new Set<string>();
    const kept: Header[] = [];
    for (let i = this.headers.length - 1; i >= 0; i--) {
      const header = this.headers[i]!;
      if (key !== undefined && header.key !== key) {
        kept.push(header);
      } else if (!seen.has(header.key)) {
        seen.add(header.key);
        kept.push(header);
      }
    }
    this.headers = kept.reverse();
    this.shared = false;
    return this;
  }

  /** Applies `transform` to every header (no key) or to the headers with `key`. */
  apply(transform: HeaderTransform): this;
  apply(key: string, transform: HeaderTransform): this;
  apply(keyOrTransform: string | HeaderTransform, maybeTransform?: HeaderTransform): this {
    const key = typeof keyOrTransform === 'string' ? keyOrTransform : null;
    const transform = typeof keyOrTransform === 'string' ? maybeTransform! : keyOrTransform;
    const result: Header[] = [];
    for (const header of this.headers) {
      if (key !== null && header.key !== key) {
        result.push(header);
        continue;
      }
      const updated = transform(header);
      if (updated != null) result.push(updated);
    }
    this.headers = result;
    this.shared = false;
    return this;
  }

  /** An independent copy (the headers themselves are immutable; the list is copied on the first change of either). */
  duplicate(): Headers {
    const copy = new Headers();
    copy.headers = this.headers;
    copy.shared = this.shared = true;
    return copy;
  }

  equals(other: unknown): boolean {
    if (other === this) return true;
    if (!(other instanceof Headers) || other.size !== this.size) return false;
    return this.headers.every((h, i) => {
      const o = other.headers[i]!;
      return h instanceof ConnectHeader ? h.equals(o) : h === o;
    });
  }

  toString(): string {
    return `ConnectHeaders(headers=${this.headers.length ? `[${this.headers.join(', ')}]` : ''})`;
  }

  private addUnchecked(key: string, value: unknown, schema: Schema): this {
    this.own().push(new ConnectHeader(key, { schema, value: value ?? null }));
    return this;
  }
}

function checkKey(key: string): void {
  if (key == null) throw new TypeError('Header key cannot be null');
}

function checkSchemaType(schema: Schema, type: Type): void {
  if (schema.type !== type) throw new DataError(`Expecting ${type} but instead found ${schema.type}`);
}

/** ConnectHeaders.checkSchemaMatches: the value's carrier must fit the schema's type (shallowly). */
function checkSchemaMatches({ schema, value }: SchemaAndValue): void {
  if (schema == null) return;
  if (value == null) {
    if (!schema.optional) throw new DataError(`A null value requires an optional schema but was ${schema}`);
    return;
  }
  if (!carrierMatches(schema, value)) {
    throw new DataError(`The value ${String(value)} is not compatible with the schema ${schema}`);
  }
}

function carrierMatches(schema: Schema, value: unknown): boolean {
  switch (schema.type) {
    case Type.BYTES:
      return value instanceof Uint8Array || (value instanceof DecimalValue && schema.name === LOGICAL_DECIMAL);
    case Type.STRING:
      return typeof value === 'string';
    case Type.BOOLEAN:
      return typeof value === 'boolean';
    case Type.INT8:
    case Type.INT16:
    case Type.INT32:
      if (value instanceof Date) return schema.type === Type.INT32 && (schema.name === LOGICAL_DATE || schema.name === LOGICAL_TIME);
      return typeof value === 'number' && Number.isInteger(value);
    case Type.INT64:
      if (value instanceof Date) return schema.name === LOGICAL_TIMESTAMP;
      return typeof value === 'bigint' || (typeof value === 'number' && Number.isInteger(value));
    case Type.FLOAT32:
    case Type.FLOAT64:
      return typeof value === 'number';
    case Type.ARRAY:
      return Array.isArray(value);
    case Type.MAP:
      return value instanceof Map;
    case Type.STRUCT:
      return value instanceof Struct;
  }
}

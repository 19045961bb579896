/**
 * The shared half of Kafka Connect's primitive converters (NumberConverter and BooleanConverter in
 * org.apache.kafka.connect.converters): one fixed-size big-endian format per class, the same
 * OPTIONAL_* schema on every read, null bytes for a null value and back, and the same class
 * usable as a key/value converter and as a header converter (the header key is ignored).
 *
 * Error messages: Java throws DataException("Failed to deserialize integer: ", cause) and prints
 * the cause on its own "Caused by:" line. sluice keeps Java's text and appends the cause's message
 * ("Failed to deserialize integer: Size of data received by IntegerDeserializer is not 4"), so the
 * one-line messages the engine prefixes with topic, partition and offset still say what was wrong;
 * the cause is kept as `cause`.
 */
import type { ConfigDef } from '../../api/config-def.js';
import type { Converter, HeaderConverter, SchemaAndValue } from '../../api/converter.js';
import type { Headers } from '../../data/headers.js';
import { DataError, type Schema } from '../../data/schema.js';
import { newConverterConfigDef, withConverterType } from '../string.js';
import { deserialize, SerializationError, serialize, type PrimitiveSerde } from './serializers.js';

/** NumberConverterConfig and BooleanConverterConfig: `converter.type` only. */
const CONFIG_DEF = newConverterConfigDef();

export abstract class PrimitiveConverter<T> implements Converter, HeaderConverter {
  /**
   * @param typeName the name in error messages ("integer", "long", ..., "boolean")
   * @param schema the schema of every value read (OPTIONAL_INT32_SCHEMA, ...)
   */
  protected constructor(
    protected readonly typeName: string,
    readonly schema: Schema,
    private readonly serde: PrimitiveSerde<T>,
  ) {}

  /**
   * The value to serialize, or a DataError when `value` (never null) cannot be written in this
   * format. Number converters ignore `schema`, as in Java; BooleanConverter checks it.
   */
  protected abstract prepare(schema: Schema | null, value: unknown): T;

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  /**
   * `isKey` as in Converter.configure; omitted, this is a header converter (`converter.type=header`,
   * which Kafka Connect's worker sets for header converters). Only `converter.type` is read, and
   * only validated: the serializers have nothing to configure.
   */
  configure(configs: Record<string, string>, isKey?: boolean): void {
    CONFIG_DEF.parse(withConverterType(configs, isKey));
  }

  fromConnectData(_topic: string, _headers: Headers | null, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) {
      this.prepareNull(schema);
      return null;
    }
    return serialize(this.serde, this.prepare(schema, value));
  }

  toConnectData(_topic: string, _headers: Headers | null, bytes: Uint8Array | null): SchemaAndValue {
    try {
      return { schema: this.schema, value: deserialize(this.serde, bytes) };
    } catch (e) {
      if (!(e instanceof SerializationError)) throw e;
      throw new DataError(`Failed to deserialize ${this.typeName}: ${e.message}`, { cause: e });
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }

  close(): void {}

  /** A hook for checks that apply to null values too (BooleanConverter's schema check). */
  protected prepareNull(_schema: Schema | null): void {}
}

/** java.lang.ClassCastException, the cause Java reports for a value of the wrong class. */
export function classCastError(valueClass: string, targetClass: string): Error {
  const error = new Error(`${valueClass} cannot be cast to class ${targetClass}`);
  error.name = 'ClassCastException';
  return error;
}

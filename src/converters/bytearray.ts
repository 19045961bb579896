/**
 * ByteArrayConverter (org.apache.kafka.connect.converters.ByteArrayConverter): bytes pass through
 * untouched in both directions; reads give an OPTIONAL_BYTES schema. Also a HeaderConverter.
 * The fastest converter: a sink that keeps raw bytes never decodes anything.
 */
import type { ConfigDef } from '../api/config-def.js';
import type { Converter, HeaderConverter, SchemaAndValue } from '../api/converter.js';
import type { Headers } from '../data/headers.js';
import { DataError, type Schema, Type } from '../data/schema.js';
import { Schemas } from '../data/schemas.js';
import { javaClassOf } from '../data/validate.js';
import { newConverterConfigDef } from './string.js';

const CONFIG_DEF = newConverterConfigDef();

export class ByteArrayConverter implements Converter, HeaderConverter {
  config(): ConfigDef {
    return CONFIG_DEF;
  }

  /** Nothing to configure (Java does not even check `converter.type`). */
  configure(_configs: Record<string, string>, _isKey?: boolean): void {}

  fromConnectData(_topic: string, _headers: Headers | null, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema != null && schema.type !== Type.BYTES) {
      throw new DataError(`Invalid schema type for ByteArrayConverter: ${schema.type}`);
    }
    if (value != null && !(value instanceof Uint8Array)) {
      throw new DataError(`ByteArrayConverter is not compatible with objects of type ${javaClassOf(value)}`);
    }
    return (value as Uint8Array | null | undefined) ?? null;
  }

  /** The bytes are the value: nothing to fail on. */
  readonly neverFails = true;

  toConnectData(_topic: string, _headers: Headers | null, bytes: Uint8Array | null): SchemaAndValue {
    return { schema: Schemas.OPTIONAL_BYTES_SCHEMA, value: bytes };
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }

  close(): void {}
}

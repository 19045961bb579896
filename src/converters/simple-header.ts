/**
 * SimpleHeaderConverter, Kafka Connect's default `header.converter`: writes a header value as the
 * UTF-8 of Values.convertToString and reads it back with Values.parseString, which infers the
 * schema (so "42" comes back as an INT8, "[1,2]" as an ARRAY).
 */
import type { HeaderConverter, SchemaAndValue } from '../api/converter.js';
import { ConfigDef } from '../api/config-def.js';
import type { Schema } from '../data/schema.js';
import { Schemas } from '../data/schemas.js';
import { convertToString, parseString } from '../data/values.js';

const NULL_SCHEMA_AND_VALUE: SchemaAndValue = { schema: null, value: null };

export class SimpleHeaderConverter implements HeaderConverter {
  /** toConnectHeader keeps text that does not parse as a string, and parseString's schemas fit its values. */
  readonly neverFails: boolean = true;

  configure(_configs: Record<string, string>): void {}

  config(): ConfigDef {
    return new ConfigDef();
  }

  fromConnectHeader(_topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    if (value === null || value === undefined) return null;
    const text = convertToString(schema, value);
    return text === null ? null : Buffer.from(text, 'utf8');
  }

  toConnectHeader(_topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes === null) return NULL_SCHEMA_AND_VALUE;
    const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
    if (text.length === 0) return { schema: Schemas.STRING_SCHEMA, value: text };
    try {
      return parseString(text) ?? NULL_SCHEMA_AND_VALUE;
    } catch {
      // As in Java, text that does not parse is kept as the string it is; a header never fails a record.
      return { schema: Schemas.STRING_SCHEMA, value: text };
    }
  }
}

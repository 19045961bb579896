/**
 * The checks every field-level transform makes before it touches a key or value
 * (org.apache.kafka.connect.transforms.util.Requirements), with Kafka's messages word for word:
 * users search for them.
 */
import { DataError } from '../../api/errors.js';
import { SinkRecord } from '../../data/record.js';
import type { Schema } from '../../data/schema.js';
import { Struct } from '../../data/struct.js';
import { javaClassOf } from '../../data/validate.js';

/** A schemaless record's map: string keys to any Connect value. */
export type SchemalessMap = Map<string, unknown>;

export function requireSchema(schema: Schema | null, purpose: string): Schema {
  if (schema == null) throw new DataError(`Schema required for [${purpose}]`);
  return schema;
}

/** @throws DataError "Only Map objects supported in absence of schema for [purpose], found: java.lang.String" */
export function requireMap(value: unknown, purpose: string): SchemalessMap {
  if (!(value instanceof Map)) {
    throw new DataError(`Only Map objects supported in absence of schema for [${purpose}], found: ${javaClassName(value)}`);
  }
  return value as SchemalessMap;
}

export function requireMapOrNull(value: unknown, purpose: string): SchemalessMap | null {
  return value == null ? null : requireMap(value, purpose);
}

/** @throws DataError "Only Struct objects supported for [purpose], found: java.util.HashMap" */
export function requireStruct(value: unknown, purpose: string): Struct {
  if (!(value instanceof Struct)) {
    throw new DataError(`Only Struct objects supported for [${purpose}], found: ${javaClassName(value)}`);
  }
  return value;
}

export function requireStructOrNull(value: unknown, purpose: string): Struct | null {
  return value == null ? null : requireStruct(value, purpose);
}

/** @throws DataError "Only SinkRecord supported for [purpose], found: org.apache.kafka.connect.source.SourceRecord" */
export function requireSinkRecord(record: unknown, purpose: string): SinkRecord {
  if (!(record instanceof SinkRecord)) {
    const found = record == null ? 'null' : 'org.apache.kafka.connect.source.SourceRecord';
    throw new DataError(`Only SinkRecord supported for [${purpose}], found: ${found}`);
  }
  return record;
}

/**
 * Class.getName() of the Java object a value stands for ("java.lang.String", "[B"). A Map is a
 * java.util.HashMap: that is what Kafka's converters make of a schemaless object, so the messages
 * read as they do in Kafka Connect for the data users actually have.
 */
export function javaClassName(value: unknown): string {
  if (value == null) return 'null';
  if (value instanceof Map) return 'java.util.HashMap';
  return javaClassOf(value).replace(/^class /, '');
}

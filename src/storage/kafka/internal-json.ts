/**
 * The serialization of Kafka Connect's internal topics: JsonConverter with schemas.enable=false
 * (the "internal converter" every Kafka Connect worker has used since 2.0). Values are written from
 * Structs with the stores' schemas so the bytes are exactly Kafka Connect's (field order, a null
 * optional field written as null, Jackson's escapes); read back, JSON objects become plain objects.
 */
import type { Schema } from '../../data/schema.js';
import { Struct } from '../../data/struct.js';
import { JsonConverter } from '../../converters/json.js';

/** A JSON value as read from an internal topic: integers as bigint, objects as plain objects. */
export type InternalValue = null | boolean | number | bigint | string | InternalValue[] | { [key: string]: InternalValue };

export class InternalJson {
  private readonly converter = new JsonConverter();

  constructor(private readonly topic: string) {
    this.converter.configure({ 'schemas.enable': 'false' }, false);
  }

  /** A Struct (or map) with its schema, as Kafka Connect's converter.fromConnectData writes it. */
  write(schema: Schema, value: Struct | Map<string, unknown>): Buffer {
    return Buffer.from(this.converter.fromConnectData(this.topic, null, schema, value)!);
  }

  /** A schemaless value (the offsets topic's keys and values): maps are JSON objects. */
  writeSchemaless(value: unknown): Buffer {
    return Buffer.from(this.converter.fromConnectData(this.topic, null, null, value)!);
  }

  /** Parse a record value; null stays null (a tombstone). Throws DataError on invalid JSON. */
  read(bytes: Uint8Array | null): InternalValue {
    if (bytes === null) return null;
    return toPlain(this.converter.toConnectData(this.topic, null, bytes).value);
  }
}

/** Build a Struct from field values, in the schema's field order. */
export function struct(schema: Schema, values: Record<string, unknown>): Struct {
  const s = new Struct(schema);
  for (const [name, value] of Object.entries(values)) s.put(name, value);
  return s;
}

function toPlain(value: unknown): InternalValue {
  if (value instanceof Map) {
    const out: { [key: string]: InternalValue } = {};
    for (const [k, v] of value) out[String(k)] = toPlain(v);
    return out;
  }
  if (Array.isArray(value)) return value.map(toPlain);
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64');
  return value as InternalValue;
}

/** A plain object from a value read back, or null when it is not a JSON object. */
export function asObject(value: InternalValue): { [key: string]: InternalValue } | null {
  return value !== null && typeof value === 'object' && !Array.isArray(value) ? value : null;
}

/** An integer field as a number (JsonConverter reads every integer as a long). */
export function asInt(value: InternalValue | undefined): number | null {
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' && Number.isInteger(value)) return value;
  return null;
}

/**
 * The iteration order of a java.util.HashMap<String, ?> filled with these keys in this order by
 * successive put() calls: by bucket (spread hash & (capacity - 1)), then by insertion. Source tasks
 * written in Java mostly hand Kafka Connect HashMaps as source partitions and offsets; writing the
 * keys in the same order gives the same key bytes, hence the same compaction key and partition.
 */
export function javaHashMapOrder(keys: readonly string[]): string[] {
  if (keys.length < 2) return [...keys];
  let capacity = 16;
  while (keys.length > capacity * 0.75) capacity *= 2;
  const buckets = keys.map((key, index) => {
    const h = javaStringHash(key);
    return { key, index, bucket: (h ^ (h >>> 16)) & (capacity - 1) };
  });
  buckets.sort((a, b) => a.bucket - b.bucket || a.index - b.index);
  return buckets.map((b) => b.key);
}

/** java.lang.String.hashCode over UTF-16 code units. */
export function javaStringHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(h, 31) + s.charCodeAt(i)) | 0;
  return h;
}

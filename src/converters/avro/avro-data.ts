/**
 * AvroData: converts Connect schemas and values to Avro and back (io.confluent.connect.avro.AvroData),
 * with bounded caches so that a batch of records sharing a schema converts its schema once.
 */
import type { Schema } from '../../data/schema.js';
import { LruCache } from '../../util/lru-cache.js';
import { AvroCodec } from './avro-codec.js';
import { type AvroReader, compileReader } from './binary-read.js';
import { type AvroWriter, compileWriter } from './binary-write.js';
import { type AvroDataOptions, DEFAULT_AVRO_DATA_OPTIONS } from './avro-constants.js';
import { type AvroSchema, avroSchemaToString, parseAvroSchema } from './avro-schema.js';
import { fromConnectData, fromConnectSchema } from './from-connect.js';
import { toConnectData, toConnectSchema } from './to-connect.js';

/**
 * A Connect schema with its Avro schema, the schema text registered for it, a compiled codec (avsc,
 * for the generic path), and the one-pass writer of binary-write.ts (null where it does not apply).
 */
export interface AvroWriteSchema {
  avro: AvroSchema;
  text: string;
  codec: AvroCodec;
  writer: AvroWriter | null;
}

/**
 * An Avro (writer) schema read back, with the Connect schema it maps to, its avsc codec (generic
 * path) and the one-pass reader of binary-read.ts (null where it does not apply).
 */
export interface AvroReadSchema {
  avro: AvroSchema;
  connect: Schema;
  codec: AvroCodec;
  reader: AvroReader | null;
}

export class AvroData {
  readonly options: AvroDataOptions;
  /** Keyed by the Connect Schema object: records of one batch share theirs. */
  private readonly fromConnectCache: LruCache<Schema, AvroWriteSchema>;
  /** Keyed by schema text and registry version. */
  private readonly toConnectCache: LruCache<string, AvroReadSchema>;

  constructor(cacheSize = 1000, options: Partial<AvroDataOptions> = {}) {
    this.options = { ...DEFAULT_AVRO_DATA_OPTIONS, ...options };
    this.fromConnectCache = new LruCache(cacheSize);
    this.toConnectCache = new LruCache(cacheSize);
  }

  fromConnectSchema(schema: Schema): AvroWriteSchema {
    let hit = this.fromConnectCache.get(schema);
    if (!hit) {
      const avro = fromConnectSchema(schema, this.options);
      hit = { avro, text: avroSchemaToString(avro), codec: new AvroCodec(avro), writer: compileWriter(schema, avro) };
      this.fromConnectCache.set(schema, hit);
    }
    return hit;
  }

  /** The Connect value as avsc writes it under `avro`. */
  fromConnectData(schema: Schema, avro: AvroSchema, value: unknown): unknown {
    return fromConnectData(schema, avro, value);
  }

  /** Parses registry schema text; `version` is used when the schema has no connect.version. */
  toConnectSchema(text: string, version: number | null): AvroReadSchema {
    const key = `${version ?? ''}\u0000${text}`;
    let hit = this.toConnectCache.get(key);
    if (!hit) {
      const avro = parseAvroSchema(text);
      const connect = toConnectSchema(avro, version, this.options);
      hit = { avro, connect, codec: new AvroCodec(avro), reader: compileReader(connect, avro, this.options) };
      this.toConnectCache.set(key, hit);
    }
    return hit;
  }

  toConnectData(read: AvroReadSchema, value: unknown): unknown {
    return toConnectData(read.connect, read.avro, value, this.options);
  }
}

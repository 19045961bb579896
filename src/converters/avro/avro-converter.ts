/**
 * AvroConverter (io.confluent.connect.avro.AvroConverter): Connect data <-> Avro in Confluent's
 * wire format (magic byte 0, 4-byte schema id, Avro binary), with schemas kept in a Schema Registry.
 *
 * Writing: the Connect schema becomes an Avro schema (AvroData); its subject comes from the subject
 * name strategy; its id from registering it (auto.register.schemas=true, the default), from the
 * subject's latest version (use.latest.version=true, auto.register.schemas=false: the value is then
 * written with that latest schema), or from looking it up (both false).
 * Reading: the schema id in the message names the writer schema; the value is read with it, as
 * Confluent's converter does (no reader schema: a record written with an older schema version comes
 * out with that older Connect schema). The Connect schema's version is the registry version of the
 * writer schema under the subject, unless the schema carries connect.version.
 *
 * The Converter API is synchronous, so registry calls on a cache miss block (see
 * schema-registry/http.ts); `fromConnectDataAsync` / `toConnectDataAsync` do the same work without
 * blocking, for callers that can await.
 *
 * Differences from Confluent, on purpose:
 *   - no schemaless data (Confluent's "Anything" record): a non-null value needs a schema;
 *   - use.latest.version does not check latest.compatibility.strict;
 *   - on read, a writer schema that is not registered under the subject the strategy names (so no
 *     version can be looked up) still reads, without a version, where Confluent fails;
 *   - basic.auth.credentials.source=SASL_INHERIT and schema references are not supported.
 */
import type { ConfigDef } from '../../api/config-def.js';
import type { Converter, SchemaAndValue } from '../../api/converter.js';
import type { Headers } from '../../data/headers.js';
import { DataError, type Schema } from '../../data/schema.js';
import { SchemaRegistryClient } from '../schema-registry/client.js';
import { ErrorCodes, SchemaRegistryError } from '../schema-registry/errors.js';
import { LruCache } from '../../util/lru-cache.js';
import { AvroData, type AvroReadSchema, type AvroWriteSchema } from './avro-data.js';
import { AVRO_CONVERTER_CONFIG_DEF, type AvroConverterSettings, parseAvroConverterConfig } from './avro-converter-config.js';
import { AvroCodec } from './avro-codec.js';
import { type AvroSchema, parseAvroSchema } from './avro-schema.js';
import { frame, unframe } from './wire-format.js';

/** What the registry said about the schema a value is written with. */
interface WriteTarget {
  id: number;
  codec: AvroCodec;
}

export class AvroConverter implements Converter {
  private settings: AvroConverterSettings | null = null;
  private client: SchemaRegistryClient | null = null;
  private avroData = new AvroData();
  /** Codecs of "latest" schemas (use.latest.version), by schema text. */
  private latestCodecs = new Map<string, AvroCodec>();
  /**
   * Per-record fast paths, so that a record whose schema was seen before costs no JSON parsing
   * or long-string hashing: write ids by topic for each converted schema (not for
   * use.latest.version, whose answer may change), and read schemas by topic and schema id.
   */
  private writeIds = new WeakMap<AvroWriteSchema, Map<string, number>>();
  private readSchemas = new LruCache<string, AvroReadSchema>(1000);

  config(): ConfigDef {
    return AVRO_CONVERTER_CONFIG_DEF;
  }

  configure(configs: Record<string, string>, isKey: boolean): void {
    const settings = parseAvroConverterConfig(configs, isKey);
    this.settings = settings;
    this.client = new SchemaRegistryClient({
      urls: settings.urls,
      userInfo: settings.userInfo,
      cacheCapacity: settings.clientCacheCapacity,
      latestCacheTtlMs: settings.latestCacheTtlMs,
      requestTimeoutMs: settings.requestTimeoutMs,
      normalize: settings.normalizeSchemas,
    });
    this.avroData = new AvroData(settings.schemasCacheSize, settings.avroData);
    this.latestCodecs = new Map();
    this.writeIds = new WeakMap();
    this.readSchemas = new LruCache(settings.schemasCacheSize);
  }

  /** The registry client (for callers that share it, and tests). */
  registryClient(): SchemaRegistryClient {
    return this.configured().client;
  }

  fromConnectData(topic: string, _headers: Headers | null, schema: Schema | null, value: unknown): Uint8Array | null {
    const { settings, client } = this.configured();
    try {
      const prepared = this.prepareWrite(schema, value);
      if (!prepared) return null;
      const { write, avroValue } = prepared;
      const known = this.knownWriteId(topic, write);
      if (known !== undefined) return frame(known, write.codec.encode(avroValue));
      const subject = this.subjectFor(topic, write.avro);
      let target: WriteTarget;
      if (settings.autoRegister) target = this.rememberWriteId(topic, write, client.registerSync(subject, write.text));
      else if (settings.useLatestVersion) target = this.latestTarget(client.getLatestSchemaSync(subject));
      else target = this.rememberWriteId(topic, write, client.lookupSync(subject, write.text).id);
      return frame(target.id, target.codec.encode(avroValue));
    } catch (e) {
      throw serializeError(topic, e);
    }
  }

  async fromConnectDataAsync(topic: string, _headers: Headers | null, schema: Schema | null, value: unknown): Promise<Uint8Array | null> {
    const { settings, client } = this.configured();
    try {
      const prepared = this.prepareWrite(schema, value);
      if (!prepared) return null;
      const { write, avroValue } = prepared;
      const known = this.knownWriteId(topic, write);
      if (known !== undefined) return frame(known, write.codec.encode(avroValue));
      const subject = this.subjectFor(topic, write.avro);
      let target: WriteTarget;
      if (settings.autoRegister) target = this.rememberWriteId(topic, write, await client.register(subject, write.text));
      else if (settings.useLatestVersion) target = this.latestTarget(await client.getLatestSchema(subject));
      else target = this.rememberWriteId(topic, write, (await client.lookup(subject, write.text)).id);
      return frame(target.id, target.codec.encode(avroValue));
    } catch (e) {
      throw serializeError(topic, e);
    }
  }

  toConnectData(topic: string, _headers: Headers | null, bytes: Uint8Array | null): SchemaAndValue {
    const { client } = this.configured();
    if (bytes == null) return { schema: null, value: null };
    try {
      const { schemaId, payload } = unframe(bytes);
      const key = `${schemaId}\u0000${topic}`;
      let schema = this.readSchemas.get(key);
      if (!schema) {
        const text = client.getSchemaByIdSync(schemaId);
        const subject = this.subjectFor(topic, parseAvroSchema(text));
        let version: number | null;
        try {
          version = client.lookupSync(subject, text).version;
        } catch (e) {
          version = versionWhenNotRegistered(e);
        }
        schema = this.avroData.toConnectSchema(text, version);
        this.readSchemas.set(key, schema);
      }
      return this.read(schema, payload);
    } catch (e) {
      throw deserializeError(topic, e);
    }
  }

  async toConnectDataAsync(topic: string, _headers: Headers | null, bytes: Uint8Array | null): Promise<SchemaAndValue> {
    const { client } = this.configured();
    if (bytes == null) return { schema: null, value: null };
    try {
      const { schemaId, payload } = unframe(bytes);
      const key = `${schemaId}\u0000${topic}`;
      let schema = this.readSchemas.get(key);
      if (!schema) {
        const text = await client.getSchemaById(schemaId);
        const subject = this.subjectFor(topic, parseAvroSchema(text));
        let version: number | null;
        try {
          version = (await client.lookup(subject, text)).version;
        } catch (e) {
          version = versionWhenNotRegistered(e);
        }
        schema = this.avroData.toConnectSchema(text, version);
        this.readSchemas.set(key, schema);
      }
      return this.read(schema, payload);
    } catch (e) {
      throw deserializeError(topic, e);
    }
  }

  private read(schema: AvroReadSchema, payload: Buffer): SchemaAndValue {
    const decoded = schema.codec.decode(payload);
    return { schema: schema.connect, value: this.avroData.toConnectData(schema, decoded) };
  }

  private knownWriteId(topic: string, write: AvroWriteSchema): number | undefined {
    const { settings } = this.configured();
    return settings.useLatestVersion && !settings.autoRegister ? undefined : this.writeIds.get(write)?.get(topic);
  }

  private rememberWriteId(topic: string, write: AvroWriteSchema, id: number): WriteTarget {
    let byTopic = this.writeIds.get(write);
    if (!byTopic) this.writeIds.set(write, (byTopic = new Map()));
    byTopic.set(topic, id);
    return { id, codec: write.codec };
  }

  /** The Avro schema and avsc value for a Connect value; null for a null value (a tombstone). */
  private prepareWrite(schema: Schema | null, value: unknown) {
    if (schema == null) {
      if (value == null) return null;
      throw new DataError("sluice's AvroConverter needs a schema for non-null values (schemaless data is not supported)");
    }
    const write = this.avroData.fromConnectSchema(schema);
    const avroValue = this.avroData.fromConnectData(schema, write.avro, value);
    if (avroValue == null) return null;
    return { write, avroValue };
  }

  private subjectFor(topic: string, avro: AvroSchema): string {
    const { settings } = this.configured();
    return settings.subjectNameStrategy(topic, settings.isKey, avro);
  }

  /**
   * use.latest.version: the value goes out under the subject's latest schema. The avsc value was
   * built for the Connect schema; records are matched by field name, so a latest schema that adds
   * a field with a default writes that default.
   */
  private latestTarget(latest: { id: number; schema: string }): WriteTarget {
    let codec = this.latestCodecs.get(latest.schema);
    if (!codec) {
      codec = new AvroCodec(parseAvroSchema(latest.schema));
      this.latestCodecs.set(latest.schema, codec);
    }
    return { id: latest.id, codec };
  }

  private configured(): { settings: AvroConverterSettings; client: SchemaRegistryClient } {
    if (!this.settings || !this.client) throw new DataError('AvroConverter is not configured: call configure() first');
    return { settings: this.settings, client: this.client };
  }
}

/** A missing subject or schema on the version lookup leaves the version unknown (see the header). */
function versionWhenNotRegistered(e: unknown): null {
  if (e instanceof SchemaRegistryError && (e.errorCode === ErrorCodes.SUBJECT_NOT_FOUND || e.errorCode === ErrorCodes.SCHEMA_NOT_FOUND)) return null;
  throw e;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function serializeError(topic: string, e: unknown): DataError {
  return new DataError(`Failed to serialize Avro data from topic ${topic}: ${message(e)}`, { cause: e });
}

function deserializeError(topic: string, e: unknown): DataError {
  return new DataError(`Failed to deserialize data for topic ${topic} to Avro: ${message(e)}`, { cause: e });
}

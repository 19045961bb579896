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
 * Per record, once a schema is known: reading looks the schema up by id (the last one is kept at
 * hand, so a batch of one schema does no lookup at all) and decodes the bytes straight into Connect
 * values (binary-read.ts); writing looks the compiled writer up by the Connect schema object and
 * writes the value straight into a reused buffer (binary-write.ts), then copies out the framed
 * message. Schemas those one-pass codecs do not cover, and use.latest.version, take the generic
 * path (AvroData's value conversion around avsc), which produces the same values and bytes.
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
import { type AvroReader, Tap } from './binary-read.js';
import { Sink } from './binary-write.js';
import { frame, HEADER_SIZE, MAGIC_BYTE, unframe } from './wire-format.js';

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
  /**
   * The last schema each way, so that a run of records of one schema skips the cache lookups.
   * `lastWrite` only ever holds schemas the one-pass writer takes, in a mode where it applies.
   */
  private lastRead: { id: number; topic: string; schema: AvroReadSchema } | null = null;
  private lastWrite: { schema: Schema; write: AvroWriteSchema } | null = null;
  private lastWriteId: { write: AvroWriteSchema; topic: string; id: number } | null = null;
  /** The one-pass reader's position and the writer's buffer, reused for every record. */
  private readonly tap = new Tap();
  private readonly sink = new Sink();
  /** A Buffer over the ArrayBuffer the last plain Uint8Array input lived in (batch frames share one). */
  private wrappedArrayBuffer: ArrayBufferLike | null = null;
  private wrapped: Buffer = Buffer.alloc(0);

  /** toConnectData never keeps the bytes it is given: strings, bytes and numbers are read out of them. */
  readonly keepsInputBytes = false;
  /**
   * Every toConnectData result is built for that call (a null stays null: no schema default is
   * put in its place), so the batch path's transformations may change it in place.
   */
  readonly returnsNewValues = true;

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
    this.lastRead = null;
    this.lastWrite = null;
    this.lastWriteId = null;
  }

  /** The registry client (for callers that share it, and tests). */
  registryClient(): SchemaRegistryClient {
    return this.configured().client;
  }

  fromConnectData(topic: string, _headers: Headers | null, schema: Schema | null, value: unknown): Uint8Array | null {
    // The steady state: the same schema and topic as the record before, its id known.
    const lastWrite = this.lastWrite;
    const lastId = this.lastWriteId;
    if (lastWrite !== null && lastWrite.schema === schema && lastId !== null && lastId.write === lastWrite.write && lastId.topic === topic && value != null) {
      try {
        return withHeader(this.writeDirect(lastWrite.write, value), lastId.id);
      } catch (e) {
        throw serializeError(topic, e);
      }
    }
    const { settings, client } = this.configured();
    try {
      const direct = this.oneStepWrite(schema);
      if (direct) {
        if (value == null) return nullValue(schema!);
        const out = this.writeDirect(direct, value);
        let id = this.knownWriteId(topic, direct);
        if (id === undefined) {
          const subject = this.subjectFor(topic, direct.avro);
          id = settings.autoRegister ? client.registerSync(subject, direct.text) : client.lookupSync(subject, direct.text).id;
          this.rememberWriteId(topic, direct, id);
        }
        return withHeader(out, id);
      }
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
      const direct = this.oneStepWrite(schema);
      if (direct) {
        if (value == null) return nullValue(schema!);
        // The record's bytes are its own once written (see Sink), so waiting for the registry is safe.
        const out = this.writeDirect(direct, value);
        const known = this.knownWriteId(topic, direct);
        if (known !== undefined) return withHeader(out, known);
        const subject = this.subjectFor(topic, direct.avro);
        const id = settings.autoRegister ? await client.register(subject, direct.text) : (await client.lookup(subject, direct.text)).id;
        this.rememberWriteId(topic, direct, id);
        return withHeader(out, id);
      }
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
    // The steady state: the same schema id and topic as the record before.
    const last = this.lastRead;
    if (last !== null && bytes != null && bytes.length >= HEADER_SIZE && bytes[0] === MAGIC_BYTE && last.id === schemaIdOf(bytes) && last.topic === topic && last.schema.reader) {
      try {
        return { schema: last.schema.connect, value: this.readDirect(last.schema.reader, bytes) };
      } catch (e) {
        throw deserializeError(topic, e);
      }
    }
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
      this.lastRead = { id: schemaId, topic, schema };
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
      this.lastRead = { id: schemaId, topic, schema };
      return this.read(schema, payload);
    } catch (e) {
      throw deserializeError(topic, e);
    }
  }

  private read(schema: AvroReadSchema, payload: Buffer): SchemaAndValue {
    if (schema.reader) return { schema: schema.connect, value: schema.reader(this.tap, payload, 0, payload.length) };
    const decoded = schema.codec.decode(payload);
    return { schema: schema.connect, value: this.avroData.toConnectData(schema, decoded) };
  }

  /** The one-pass write of a value: the message, its header still to fill in. */
  private writeDirect(write: AvroWriteSchema, value: unknown): Buffer {
    const sink = this.sink;
    sink.begin(HEADER_SIZE);
    try {
      write.writer!(sink, value);
    } catch (e) {
      sink.abandon();
      throw e;
    }
    return sink.take();
  }

  /**
   * One-pass read of a framed message (header already checked), through a Buffer over the memory
   * it lives in: the runtime's views share one ArrayBuffer (the batch frame's), wrapped once.
   */
  private readDirect(reader: AvroReader, bytes: Uint8Array): unknown {
    const memory = bytes.buffer;
    if (memory !== this.wrappedArrayBuffer) {
      if (bytes instanceof Buffer) return reader(this.tap, bytes, HEADER_SIZE, bytes.length);
      this.wrapped = Buffer.from(memory);
      this.wrappedArrayBuffer = memory;
    }
    const start = bytes.byteOffset;
    return reader(this.tap, this.wrapped, start + HEADER_SIZE, start + bytes.length);
  }

  /**
   * The write schema of `schema` when the one-pass writer applies (not with use.latest.version,
   * whose target schema is the registry's), else null. Throws for a missing schema as the generic
   * path does.
   */
  private oneStepWrite(schema: Schema | null): AvroWriteSchema | null {
    if (schema == null) return null;
    const { settings } = this.configured();
    if (settings.useLatestVersion && !settings.autoRegister) return null;
    const last = this.lastWrite;
    if (last !== null && last.schema === schema) return last.write;
    const write = this.avroData.fromConnectSchema(schema);
    if (!write.writer) return null;
    this.lastWrite = { schema, write };
    return write;
  }

  private knownWriteId(topic: string, write: AvroWriteSchema): number | undefined {
    const { settings } = this.configured();
    if (settings.useLatestVersion && !settings.autoRegister) return undefined;
    const last = this.lastWriteId;
    if (last !== null && last.write === write && last.topic === topic) return last.id;
    const id = this.writeIds.get(write)?.get(topic);
    if (id !== undefined) this.lastWriteId = { write, topic, id };
    return id;
  }

  private rememberWriteId(topic: string, write: AvroWriteSchema, id: number): WriteTarget {
    let byTopic = this.writeIds.get(write);
    if (!byTopic) this.writeIds.set(write, (byTopic = new Map()));
    byTopic.set(topic, id);
    this.lastWriteId = { write, topic, id };
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

/** The schema id of a framed message (the 4-byte big-endian int after the magic byte). */
function schemaIdOf(bytes: Uint8Array): number {
  return (bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!;
}

/** Fills in the wire format's header (magic byte, schema id) of a message written after HEADER_SIZE. */
function withHeader(out: Buffer, id: number): Buffer {
  out[0] = MAGIC_BYTE;
  out[1] = id >>> 24;
  out[2] = (id >>> 16) & 0xff;
  out[3] = (id >>> 8) & 0xff;
  out[4] = id & 0xff;
  return out;
}

/** A null value: a tombstone, unless the schema is required (as AvroData.fromConnectData says). */
function nullValue(schema: Schema): null {
  if (!schema.optional) throw new DataError('Found null value for non-optional schema');
  return null;
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

/**
 * MsgPackConverter (`dev.sluice.connect.converters.MsgPackConverter`, alias `MsgPack`): Connect
 * data as MessagePack, through msgpackr. A sluice converter with no Apache Kafka counterpart.
 *
 * Format, schemas.enable=false (the default): the value itself as plain MessagePack (see
 * wire-values.ts for how each Connect type is written). Reads give no schema: maps as Maps, ints as
 * numbers (int 64 as bigints), bin as Uint8Array, and so on.
 *
 * Format, schemas.enable=true: a MessagePack map with exactly two entries, like JsonConverter's
 * envelope:
 *     { "schema": <str: the schema as JsonConverter writes it, e.g. {"type":"int64","optional":false}> | nil,
 *       "payload": <the value, as above> }
 * The schema travels as JsonConverter's schema JSON text, so both converters name types, logical
 * types, parameters and defaults the same way; reads return exactly the Connect schema written.
 *
 * Record structures (msgpack.shared.structures=true): structs are written as msgpackr records. A
 * struct whose field names match one of `msgpack.structures` refers to it by index and carries no
 * field names; any other shape carries its own definition inline, so every message stays readable
 * on its own. sluice keeps the shared list stable by making it configuration: the list is exactly
 * `msgpack.structures`, msgpackr is told never to add to it at run time, and a reader configured
 * with the same list decodes what any writer configured with it wrote, across tasks, workers and
 * restarts. The trade-off: only msgpackr reads records, and a reader without the same list cannot
 * decode the messages (its error says so). Off by default.
 *
 * Errors name the topic: "Failed to deserialize MessagePack data from topic orders: ...".
 */
import { Packr, Unpackr, type Options } from 'msgpackr';
import type { ConfigDef } from '../../api/config-def.js';
import type { Converter, HeaderConverter, SchemaAndValue } from '../../api/converter.js';
import type { Headers } from '../../data/headers.js';
import { DataError, type Schema } from '../../data/schema.js';
import { JsonConverter } from '../json.js';
import { MSGPACK_CONFIG_DEF, parseMsgPackConfig } from './config.js';
import { fromWire, fromWireSchemaless, toWire } from './wire-values.js';

const SCHEMA_KEY = 'schema';
const PAYLOAD_KEY = 'payload';
const ENVELOPE_ERROR =
  'MsgPackConverter with schemas.enable requires "schema" and "payload" fields and may not contain additional fields.' +
  ' If you are trying to deserialize plain MessagePack data, set schemas.enable=false in your converter configuration.';

export class MsgPackConverter implements Converter, HeaderConverter {
  private schemasEnabled = false;
  private sharedStructures: string[][] | null = null;
  private packr = newPackr(null);
  private unpackr = newUnpackr(null);
  /** Reads and writes the schema JSON of the envelope. */
  private readonly schemaCodec = newSchemaCodec();
  private readonly schemaTexts = new WeakMap<Schema, string>();
  private schemaCache = new Map<string, Schema | null>();
  private schemaCacheSize = 1000;

  config(): ConfigDef {
    return MSGPACK_CONFIG_DEF;
  }

  /** `isKey` as in Converter.configure; omitted, the converter is a header converter. */
  configure(configs: Record<string, string>, isKey?: boolean): void {
    const config = parseMsgPackConfig(configs, isKey);
    this.schemasEnabled = config.schemasEnabled;
    this.schemaCacheSize = config.schemasCacheSize;
    this.schemaCache = new Map();
    this.sharedStructures = config.sharedStructures;
    this.packr = newPackr(this.sharedStructures);
    this.unpackr = newUnpackr(this.sharedStructures);
  }

  fromConnectData(topic: string, _headers: Headers | null, schema: Schema | null, value: unknown): Uint8Array | null {
    if (schema == null && value == null) return null;
    try {
      const payload = toWire(schema, value);
      if (!this.schemasEnabled) return this.packr.pack(payload);
      // The envelope is a Map, so it is a plain MessagePack map even when structs are records.
      return this.packr.pack(new Map<string, unknown>([[SCHEMA_KEY, this.schemaText(schema)], [PAYLOAD_KEY, payload]]));
    } catch (e) {
      throw new DataError(`Failed to serialize to MessagePack for topic ${topic}: ${(e as Error).message}`, { cause: e });
    }
  }

  toConnectData(topic: string, _headers: Headers | null, bytes: Uint8Array | null): SchemaAndValue {
    if (bytes == null) return { schema: null, value: null };
    let decoded: unknown;
    try {
      decoded = this.unpackr.unpack(bytes);
    } catch (e) {
      const hint = this.sharedStructures
        ? ' (with msgpack.shared.structures=true, was it written with the same msgpack.structures?)'
        : ' (was it written with msgpack.shared.structures=true? then configure the same msgpack.structures here)';
      throw new DataError(`Failed to deserialize MessagePack data from topic ${topic}: ${(e as Error).message}${hint}`, { cause: e });
    }
    try {
      if (!this.schemasEnabled) return { schema: null, value: fromWireSchemaless(decoded) };
      if (!(decoded instanceof Map) || decoded.size !== 2 || !decoded.has(SCHEMA_KEY) || !decoded.has(PAYLOAD_KEY)) {
        throw new DataError(ENVELOPE_ERROR);
      }
      const schema = this.schemaOf(decoded.get(SCHEMA_KEY));
      const payload = decoded.get(PAYLOAD_KEY);
      return { schema, value: schema === null ? fromWireSchemaless(payload) : fromWire(schema, payload) };
    } catch (e) {
      throw new DataError(`Failed to deserialize MessagePack data from topic ${topic}: ${(e as Error).message}`, { cause: e });
    }
  }

  fromConnectHeader(topic: string, _headerKey: string, schema: Schema | null, value: unknown): Uint8Array | null {
    return this.fromConnectData(topic, null, schema, value);
  }

  toConnectHeader(topic: string, _headerKey: string, bytes: Uint8Array | null): SchemaAndValue {
    return this.toConnectData(topic, null, bytes);
  }

  close(): void {}

  private schemaText(schema: Schema | null): string | null {
    if (schema == null) return null;
    let text = this.schemaTexts.get(schema);
    if (text === undefined) {
      text = this.schemaCodec.asJsonSchema(schema)!;
      this.schemaTexts.set(schema, text);
    }
    return text;
  }

  /** The schema of an envelope, cached by its text: a topic's messages mostly repeat one schema. */
  private schemaOf(node: unknown): Schema | null {
    if (node === null) return null;
    if (typeof node !== 'string') throw new DataError(`The "schema" of a MessagePack envelope must be a string of schema JSON, not ${typeof node}`);
    const cached = this.schemaCache.get(node);
    if (cached !== undefined) return cached;
    const schema = this.schemaCodec.asConnectSchema(node);
    if (this.schemaCacheSize > 0) {
      if (this.schemaCache.size >= this.schemaCacheSize) this.schemaCache.delete(this.schemaCache.keys().next().value!);
      this.schemaCache.set(node, schema);
    }
    return schema;
  }
}

function msgpackrOptions(structures: string[][] | null): Options {
  if (structures === null) {
    // Standard MessagePack: objects as maps, maps read back as Maps (not objects), bin copied out
    // of the input (whose buffer the runtime may reuse), int 64 as bigint.
    return { useRecords: false, mapsAsObjects: false, copyBuffers: true, int64AsType: 'bigint' };
  }
  return {
    useRecords: true,
    mapsAsObjects: false,
    copyBuffers: true,
    int64AsType: 'bigint',
    // Each codec gets its own copy: msgpackr annotates and may extend the array it is given.
    structures: structures.map((keys) => [...keys]),
    // msgpackr numbers shared structures by position, within a range set by this limit: writer and
    // reader derive it from the same list, and nothing is ever added to it at run time.
    maxSharedStructures: Math.max(32, structures.length),
    shouldShareStructure: () => false,
  };
}

function newPackr(structures: string[][] | null): Packr {
  return new Packr(msgpackrOptions(structures));
}

function newUnpackr(structures: string[][] | null): Unpackr {
  return new Unpackr(msgpackrOptions(structures));
}

function newSchemaCodec(): JsonConverter {
  const codec = new JsonConverter();
  codec.configure({ 'schemas.enable': 'true' }, false);
  return codec;
}

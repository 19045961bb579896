/**
 * sluice's single message transforms and predicates against Apache Kafka's own: every case file in
 * transforms/cases/ was run through the Kafka class it names (transforms/java/, regenerate with
 * `node scripts/fixtures/transforms.mjs`), and transforms/fixtures/<same name>.json holds what it
 * did. Here the same cases run through the sluice plugin registered under the same class name,
 * which must give the same record, drop the same records, answer the same, or fail at the same
 * stage with the same exception name and message.
 *
 * Records travel as JsonConverter envelopes (schemas.enable=true) on both sides; sluice's
 * JsonConverter is itself proven equal to Kafka's (json-converter.test.ts). Outputs are compared as
 * parsed JSON: object key order does not matter (Java writes schemaless maps in HashMap order),
 * numbers compare as JavaScript numbers (Java writes a schemaless 1.0 where sluice writes 1), and
 * integers too long for a double compare digit for digit.
 *
 * Case file format (shared by every transform's cases):
 *   { "plugin": "<Java class name>", "kind": "transformation" | "predicate",
 *     "cases": [ { "name", "config": { key: value }, "record": {
 *        "kind": "sink" | "source", "topic", "partition", "offset" (sink), "timestamp",
 *        "sourcePartition", "sourceOffset" (source, default {}),
 *        "key": envelope, "value": envelope,      // {"schema": ..., "payload": ...}; omitted or null = null
 *        "headers": [ { "key", "value": envelope } ] } } ] }
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { convertToString, NO_DEFAULT_VALUE } from '../../src/api/config-def.js';
import type { Predicate, Transformation } from '../../src/api/transformation.js';
import { JsonConverter } from '../../src/converters/json.js';
import { Headers } from '../../src/data/headers.js';
import { type ConnectRecord, SinkRecord, SourceRecord, type SourceMap } from '../../src/data/record.js';
import type { Schema } from '../../src/data/schema.js';
import { PluginRegistry } from '../../src/plugins/registry.js';
import { BUILTIN_TRANSFORMS } from '../../src/transforms/builtins.js';
import { ROUTING_KNOWN_DIFFERENCES } from './transforms/routing-differences.js';

const dir = join(dirname(fileURLToPath(import.meta.url)), 'transforms');
const BIG_INTEGER = /(?<=[:[,\s])(-?\d{16,})(?=[,\]}\s])/g;
const BIG_INTEGER_MARK = /"__int:(-?\d+)"/g;

const caseFiles = readdirSync(join(dir, 'cases')).filter((f) => f.endsWith('.json')).sort();

// ---- the files' shapes ----

type Envelope = { schema: unknown; payload: unknown } | null;
interface CaseRecord {
  kind?: 'sink' | 'source';
  topic: string;
  partition?: number | null;
  offset?: number;
  timestamp?: number | null;
  sourcePartition?: SourceMap;
  sourceOffset?: SourceMap;
  key?: Envelope;
  value?: Envelope;
  headers?: { key: string; value: Envelope }[];
}
interface Case {
  name: string;
  config?: Record<string, string | number | boolean>;
  record: CaseRecord;
}
interface CaseFile {
  plugin: string;
  kind?: 'transformation' | 'predicate';
  cases: Case[];
}
interface JavaError {
  stage: 'configure' | 'apply' | 'test' | 'encode';
  type: string;
  message: string | null;
}
interface Result {
  name: string;
  record?: CaseRecord;
  dropped?: true;
  result?: boolean;
  error?: JavaError;
}
interface ConfigKeyFixture {
  name: string;
  type: string;
  required?: true;
  default?: string | null;
  importance: string;
}
interface FixtureFile {
  plugin: string;
  configDef?: ConfigKeyFixture[];
  kafkaVersion: string;
  javaVersion: string;
  results: Result[];
}

/** What sluice did with one case, in the fixture's shape. */
type Outcome = Omit<Result, 'name'>;

// ---- where sluice differs from Apache Kafka on purpose ----

interface KnownDifference {
  reason: string;
  check: (actual: Outcome, expected: Result) => void;
}

/**
 * Java throws an IllegalArgumentException (a plain Java runtime exception) where a record cannot
 * be transformed; sluice throws a DataError, its error for a record a transform cannot handle,
 * with the same message. Kafka Connect's error handling treats both alike in the transform stage.
 */
function javaExceptionAsDataError(javaType: string): KnownDifference {
  const reason = `Java throws ${javaType}; sluice throws DataException with the same message`;
  return {
    reason,
    check: (actual, expected) => {
      expect(expected.error?.type, reason).toBe(javaType);
      expect(actual, reason).toEqual({ error: { ...expected.error, type: 'DataException' } });
    },
  };
}

const UNKNOWN_FIELD_AS_DATA_ERROR = javaExceptionAsDataError('IllegalArgumentException');

/**
 * Before 15 October 1582 Java's calendar is Julian; sluice's dates are proleptic Gregorian, as
 * JavaScript's Date and java.time are. Such a date is read as the Gregorian day of that name.
 */
function julianDates(year: number, month: number, day: number): KnownDifference {
  const reason = 'dates before 1582 are Julian in Java and proleptic Gregorian in sluice';
  return {
    reason,
    check: (actual, expected) => {
      const gregorian = new Date(0);
      gregorian.setUTCFullYear(year, month, day);
      expect((actual.record!.value as { payload: number }).payload, reason).toBe(gregorian.getTime());
      expect((expected.record!.value as { payload: number }).payload, reason).not.toBe(gregorian.getTime());
    },
  };
}

/**
 * Cases whose Java result sluice does not reproduce, per case file and case name, each with the
 * reason and a check of what sluice does instead. Everything not listed here must match exactly.
 */
const KNOWN_DIFFERENCES: Record<string, Record<string, KnownDifference>> = {
  ...ROUTING_KNOWN_DIFFERENCES,
  'ExtractField.json': {
    'unknown field with schema': UNKNOWN_FIELD_AS_DATA_ERROR,
    'V1 dotted name is one field': UNKNOWN_FIELD_AS_DATA_ERROR,
    'V2 unknown nested field': UNKNOWN_FIELD_AS_DATA_ERROR,
  },
  'TimestampConverter.json': {
    'schemaless string without format': {
      reason: 'Java fails with a NullPointerException (format is null); sluice fails with a DataException that names the missing option',
      check: (actual, expected) => {
        expect(expected.error?.type).toBe('NullPointerException');
        expect(actual).toEqual({
          error: { stage: 'apply', type: 'DataException', message: 'TimestampConverter requires the format option to parse string timestamps, found: 2023' },
        });
      },
    },
  },
  'Flatten.json': {
    'schemaless name collision keeps the last': {
      reason:
        'when two flattened names collide, the later one wins; Java walks a HashMap in hash order ("a" before "a.b"), ' +
        'sluice walks the map in its insertion order ("a.b" before "a")',
      check: (actual, expected) => {
        expect((expected.record!.value as { payload: unknown }).payload).toEqual({ 'a.b': 1 });
        expect((actual.record!.value as { payload: unknown }).payload).toEqual({ 'a.b': 2 });
      },
    },
  },
  'TimestampConverter-Formats.json': {
    'parse yyyy with two digits': julianDates(23, 10, 14),
    'parse era BC': julianDates(-43, 0, 1),
  },
  'ExtractField-Key.json': {
    'unknown key field': UNKNOWN_FIELD_AS_DATA_ERROR,
  },
  'Cast.json': {
    'schemaless map fields': {
      reason:
        'without a schema Java keeps the Float that a float32 cast makes and writes 0.1; sluice has no float ' +
        'class, so the schemaless value is the double nearest that float',
      check: (actual, expected) => {
        const payload = (actual.record!.value as { payload: Record<string, unknown> }).payload;
        expect(payload.c).toBe(Math.fround(0.1));
        expect({ ...actual.record, value: null }).toEqual({ ...expected.record, value: null });
      },
    },
  },
};

// ---- the tests ----

const registry = new PluginRegistry();
for (const plugin of BUILTIN_TRANSFORMS) registry.register(plugin);

it('lists known differences only for cases that exist', () => {
  const existing = new Set(caseFiles.flatMap((file) => readJson<CaseFile>(join(dir, 'cases', file)).cases.map((c) => `${file} > ${c.name}`)));
  const listed = Object.entries(KNOWN_DIFFERENCES).flatMap(([file, cases]) => Object.keys(cases).map((name) => `${file} > ${name}`));
  expect(listed.filter((key) => !existing.has(key))).toEqual([]);
});

for (const file of caseFiles) {
  const spec = readJson<CaseFile>(join(dir, 'cases', file));
  const fixturePath = join(dir, 'fixtures', file);
  if (!existsSync(fixturePath)) {
    it(`${file} has fixtures (run: node scripts/fixtures/transforms.mjs ${file})`, () => {
      expect.fail(`missing ${fixturePath}`);
    });
    continue;
  }
  const fixtures = readJson<FixtureFile>(fixturePath);

  describe(`${file}: ${spec.plugin} matches Apache Kafka ${fixtures.kafkaVersion} (Java ${fixtures.javaVersion})`, () => {
    it('has a fixture for every case, in order (else run: node scripts/fixtures/transforms.mjs)', () => {
      expect(fixtures.plugin).toBe(spec.plugin);
      expect(fixtures.results.map((r) => r.name)).toEqual(spec.cases.map((c) => c.name));
      expect(new Set(spec.cases.map((c) => c.name)).size, 'case names are unique').toBe(spec.cases.length);
    });

    it("defines Kafka's config keys, with the same types, defaults and importance", () => {
      expect(fixtures.configDef, 'fixtures predate configDef: run node scripts/fixtures/transforms.mjs').toBeDefined();
      expect(configDefOf(spec)).toEqual(fixtures.configDef);
    });

    spec.cases.forEach((c, i) => {
      const expected = fixtures.results[i];
      it(c.name, () => {
        expect(expected?.name).toBe(c.name);
        const actual = runCase(spec, c);
        const known = KNOWN_DIFFERENCES[file]?.[c.name];
        if (known) {
          known.check(actual, expected!);
          return;
        }
        const { record: expectedRecord, ...rest } = withoutName(expected!);
        expect({ ...actual, record: float32Normalized(actual.record) }).toEqual({ ...rest, record: float32Normalized(expectedRecord) });
      });
    });
  });
}

function runCase(spec: CaseFile, c: Case): Outcome {
  const config = Object.fromEntries(Object.entries(c.config ?? {}).map(([k, v]) => [k, String(v)]));
  const predicate = spec.kind === 'predicate';
  const instance = (predicate ? registry.predicate(spec.plugin) : registry.transformation(spec.plugin)).create() as
    | Transformation
    | Predicate;

  try {
    instance.configure(config);
  } catch (e) {
    return { error: errorOf('configure', e) };
  }

  const converters = { key: jsonConverter(true), value: jsonConverter(false), header: jsonConverter(false) };
  const record = toRecord(c.record, converters);

  if (predicate) {
    try {
      return { result: (instance as Predicate).test(record) };
    } catch (e) {
      return { error: errorOf('test', e) };
    } finally {
      instance.close();
    }
  }

  let transformed: ConnectRecord<SinkRecord | SourceRecord> | null;
  try {
    transformed = (instance as Transformation).apply(record);
  } catch (e) {
    return { error: errorOf('apply', e) };
  } finally {
    instance.close();
  }
  if (transformed === null) return { dropped: true };
  try {
    return { record: fromRecord(transformed, converters) };
  } catch (e) {
    return { error: errorOf('encode', e) };
  }
}

/** The plugin's ConfigDef in the fixture's form, keys sorted by name. */
function configDefOf(spec: CaseFile): ConfigKeyFixture[] {
  const instance = (spec.kind === 'predicate' ? registry.predicate(spec.plugin) : registry.transformation(spec.plugin)).create() as
    | Transformation
    | Predicate;
  return instance
    .config()
    .configKeys()
    .sort((a, b) => (a.name < b.name ? -1 : 1))
    .map((key) => ({
      name: key.name,
      type: key.type,
      ...(key.defaultValue === NO_DEFAULT_VALUE ? { required: true as const } : { default: convertToString(key.defaultValue, key.type) }),
      importance: key.importance,
    }));
}

function errorOf(stage: JavaError['stage'], e: unknown): JavaError {
  if (!(e instanceof Error)) throw e;
  return { stage, type: e.name, message: e.message };
}

// ---- records ----

interface Converters {
  key: JsonConverter;
  value: JsonConverter;
  header: JsonConverter;
}

function jsonConverter(isKey: boolean): JsonConverter {
  const converter = new JsonConverter();
  converter.configure({ 'schemas.enable': 'true' }, isKey);
  return converter;
}

function decode(converter: JsonConverter, topic: string, envelope: Envelope | undefined): { schema: Schema | null; value: unknown } {
  if (envelope == null) return { schema: null, value: null };
  return converter.toConnectData(topic, null, Buffer.from(stringifyJsonExact(envelope), 'utf8'));
}

function toRecord(n: CaseRecord, converters: Converters): SinkRecord | SourceRecord {
  const key = decode(converters.key, n.topic, n.key);
  const value = decode(converters.value, n.topic, n.value);
  const headers = new Headers();
  for (const h of n.headers ?? []) headers.add(h.key, decode(converters.header, n.topic, h.value));
  const timestamp = n.timestamp ?? null;
  if (n.kind === 'source') {
    return new SourceRecord(n.sourcePartition ?? {}, n.sourceOffset ?? {}, n.topic, n.partition ?? null,
      key.schema, key.value, value.schema, value.value, timestamp, headers);
  }
  return new SinkRecord(n.topic, n.partition ?? 0, key.schema, key.value, value.schema, value.value, BigInt(n.offset ?? 0),
    timestamp, timestamp === null ? 'NoTimestampType' : 'CreateTime', headers);
}

function encode(converter: JsonConverter, topic: string, schema: Schema | null, value: unknown): Envelope {
  if (schema === null && value == null) return null;
  const bytes = converter.fromConnectData(topic, null, schema, value);
  return bytes === null ? null : parseJsonExact<Envelope>(Buffer.from(bytes).toString('utf8'));
}

/**
 * The record with every float32 payload reduced to its float value. Java 17's Float.toString
 * sometimes prints a digit more than the shortest text (9.0071993E15 for 2^53, where Java 19+ and
 * sluice print 9.007199E15); both denote the same float.
 */
function float32Normalized<T extends CaseRecord | undefined>(record: T): T {
  if (!record) return record;
  const fix = (e: Envelope | undefined): Envelope | undefined =>
    e ? { schema: e.schema, payload: roundFloats(e.schema as JsonSchema | null, e.payload) } : e;
  return { ...record, key: fix(record.key), value: fix(record.value), headers: record.headers?.map((h) => ({ key: h.key, value: fix(h.value)! })) };
}

interface JsonSchema {
  type: string;
  fields?: (JsonSchema & { field: string })[];
  items?: JsonSchema;
  keys?: JsonSchema;
  values?: JsonSchema;
}

function roundFloats(schema: JsonSchema | null, payload: unknown): unknown {
  if (schema === null || payload === null || payload === undefined) return payload;
  switch (schema.type) {
    case 'float':
      return typeof payload === 'number' ? Math.fround(payload) : payload;
    case 'struct': {
      const out: Record<string, unknown> = { ...(payload as Record<string, unknown>) };
      for (const f of schema.fields ?? []) if (f.field in out) out[f.field] = roundFloats(f, out[f.field]);
      return out;
    }
    case 'array':
      return (payload as unknown[]).map((e) => roundFloats(schema.items ?? null, e));
    case 'map':
      if (Array.isArray(payload)) return payload.map(([k, v]: unknown[]) => [roundFloats(schema.keys ?? null, k), roundFloats(schema.values ?? null, v)]);
      return Object.fromEntries(Object.entries(payload as Record<string, unknown>).map(([k, v]) => [k, roundFloats(schema.values ?? null, v)]));
    default:
      return payload;
  }
}

function fromRecord(record: ConnectRecord<SinkRecord | SourceRecord>, converters: Converters): CaseRecord {
  const out: CaseRecord = { topic: record.topic };
  if (record instanceof SourceRecord) {
    out.kind = 'source';
    out.sourcePartition = record.sourcePartition ?? {};
    out.sourceOffset = record.sourceOffset ?? {};
  } else {
    out.kind = 'sink';
  }
  out.partition = record.kafkaPartition;
  if (record instanceof SinkRecord) out.offset = Number(record.kafkaOffset);
  out.timestamp = record.timestamp;
  out.key = encode(converters.key, record.topic, record.keySchema, record.key);
  out.value = encode(converters.value, record.topic, record.valueSchema, record.value);
  out.headers = [...record.headers].map((h) => ({ key: h.key, value: encode(converters.header, record.topic, h.schema, h.value) }));
  return out;
}

// ---- files ----

function readJson<T>(path: string): T {
  return parseJsonExact<T>(readFileSync(path, 'utf8'));
}

/**
 * Integers of 16 digits or more do not survive JSON.parse (int64 extremes, nanosecond times): they
 * are kept as "__int:<digits>" strings, compared as such and written back as the number they were.
 */
function parseJsonExact<T>(text: string): T {
  return JSON.parse(text.replace(BIG_INTEGER, '"__int:$1"')) as T;
}

function stringifyJsonExact(value: unknown): string {
  return JSON.stringify(value).replace(BIG_INTEGER_MARK, '$1');
}

function withoutName(result: Result): Outcome {
  const { name: _name, ...rest } = result;
  return rest;
}

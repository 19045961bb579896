/**
 * The compiled chain (batch path) against the per-record chain (TransformationChain.apply) on the
 * same batch frames: every record must come out the same (topic, partition, offsets, key, value,
 * schemas, timestamp, headers, in order), be dropped by both, or fail both with the same error
 * naming the same stage. Covered: every transform and predicate with a kernel, schemaless and
 * schema-full, predicates with negate, drops, errors, stages without a kernel in between (they
 * must not see later stages change what they were given), converters whose values are shared,
 * and the chain run on the frame itself for batch-aware sinks. Then every case of the Kafka
 * differential suite (test/compat/transforms/cases) again, one stage each, both ways.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ConfigDef } from '../../../../src/api/config-def.js';
import type { Converter, HeaderConverter, SchemaAndValue } from '../../../../src/api/converter.js';
import type { Predicate, Transformation } from '../../../../src/api/transformation.js';
import { ConnectorConfig } from '../../../../src/config/connector-config.js';
import { ByteArrayConverter } from '../../../../src/converters/bytearray.js';
import { JsonConverter } from '../../../../src/converters/json.js';
import { SimpleHeaderConverter } from '../../../../src/converters/simple-header.js';
import { StringConverter } from '../../../../src/converters/string.js';
import { RecordBatch, TimestampTypeCode } from '../../../../src/data/batch.js';
import { BatchWriter, type BatchHeaderEntry } from '../../../../src/data/batch-writer.js';
import { DecimalValue } from '../../../../src/data/logical.js';
import type { SinkRecord, TimestampType } from '../../../../src/data/record.js';
import type { Schema } from '../../../../src/data/schema.js';
import { Struct } from '../../../../src/data/struct.js';
import { sinkRecordsOf, transformedSinkRecordsOf } from '../../../../src/engine/batch-records.js';
import { ValueLinePrinter } from '../../../../src/engine/value-lines.js';
import { javaToString } from '../../../../src/data/java-string.js';
import { convertSinkRecord } from '../../../../src/engine/record-conversion.js';
import type { TaskConverters } from '../../../../src/engine/task-converters.js';
import { registerBuiltins } from '../../../../src/plugins/builtins.js';
import { CompiledChain } from '../../../../src/transforms/batch/compiled-chain.js';
import { TransformationChain, TransformationError } from '../../../../src/transforms/chain.js';

const T = 'org.apache.kafka.connect.transforms';

// ---- plugins that are not built in: they have no kernel, so the chain runs their apply() ----

/** Keeps every value it is given (as a plugin may), to check that later stages leave them alone. */
const kept: unknown[] = [];
class KeepingTransformation implements Transformation<SinkRecord> {
  configure(): void {}
  apply(record: SinkRecord): SinkRecord {
    kept.push(record.value);
    return record;
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
  close(): void {}
}

/** Appends "+x" to the topic and replaces the value with a new map holding `copied` = the old value's `id`. */
class ReshapingTransformation implements Transformation<SinkRecord> {
  configure(): void {}
  apply(record: SinkRecord): SinkRecord | null {
    if (record.value instanceof Map && record.value.get('id') === 13n) return null;
    const value = record.value instanceof Map ? new Map([['copied', record.value.get('id')]]) : record.value;
    return record.newRecord(`${record.topic}+x`, record.kafkaPartition, record.keySchema, record.key, null, value, record.timestamp);
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
  close(): void {}
}

class OddOffsetPredicate implements Predicate<SinkRecord> {
  configure(): void {}
  test(record: SinkRecord): boolean {
    if (record.kafkaOffset === 99n) throw new Error('offset 99 is not allowed');
    return record.kafkaOffset % 2n === 1n;
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
  close(): void {}
}

const registry = registerBuiltins();
registry.register({ kind: 'transformation', className: 'test.Keeping', version: '1', create: () => new KeepingTransformation() });
registry.register({ kind: 'transformation', className: 'test.Reshaping', version: '1', create: () => new ReshapingTransformation() });
registry.register({ kind: 'predicate', className: 'test.OddOffset', version: '1', create: () => new OddOffsetPredicate() });

// ---- converters ----

function json(schemas: boolean, isKey?: boolean): JsonConverter {
  const c = new JsonConverter();
  if (isKey === undefined) c.configure({ 'schemas.enable': String(schemas) });
  else c.configure({ 'schemas.enable': String(schemas) }, isKey);
  return c;
}

function stringConverter(): StringConverter {
  const c = new StringConverter();
  c.configure({}, true);
  return c;
}

function schemalessConverters(): TaskConverters {
  const header = new SimpleHeaderConverter();
  header.configure({});
  return { key: stringConverter(), value: json(false, false), header };
}

function schemaConverters(): TaskConverters {
  const header = new SimpleHeaderConverter();
  header.configure({});
  return { key: json(true, true), value: json(true, false), header };
}

/** Always returns the same Map (a converter may cache): nothing may change it. */
class SharedMapConverter implements Converter {
  readonly shared = new Map<string, unknown>([['id', 1n], ['user', 'alice'], ['page', '/a'], ['ts', 1_700_000_000_000n]]);
  configure(): void {}
  fromConnectData(): Uint8Array | null {
    return null;
  }
  toConnectData(_topic: string, _headers: unknown, bytes: Uint8Array | null): SchemaAndValue {
    return bytes === null ? { schema: null, value: null } : { schema: null, value: this.shared };
  }
  config(): ConfigDef {
    return new ConfigDef();
  }
}

// ---- frames ----

interface RawRecord {
  topic?: string;
  partition?: number;
  offset: number;
  timestamp?: number | null;
  key?: string | null;
  value?: string | Uint8Array | null;
  headers?: [string, string | null][];
}

function frame(records: RawRecord[]): RecordBatch {
  const bytes = records.reduce((n, r) => n + 200 + (r.value?.length ?? 0) + (r.key?.length ?? 0), 0);
  const target = new Uint8Array(BatchWriter.estimate(records.length, bytes, ['events', 'orders', 'other']) + 4096);
  const w = new BatchWriter().reset(target, records.length);
  for (const r of records) {
    const ts = r.timestamp === undefined ? 1_700_000_000_000 + r.offset : r.timestamp;
    const headers: BatchHeaderEntry[] = (r.headers ?? []).map(([k, v]) => [k, v === null ? null : Buffer.from(v)]);
    const value = r.value === undefined ? null : typeof r.value === 'string' ? Buffer.from(r.value) : r.value;
    const ok = w.append(r.topic ?? 'events', r.partition ?? r.offset % 3, r.offset, ts ?? -1, r.key == null ? null : Buffer.from(r.key), value,
      headers, ts === null ? TimestampTypeCode.NONE : TimestampTypeCode.CREATE_TIME);
    if (!ok) throw new Error('frame too small');
  }
  return RecordBatch.from(target.subarray(0, w.finish()));
}

// ---- the two paths ----

type Outcome = { record: unknown } | { dropped: true } | { error: { alias: string; failedIn: string; message: string; cause: string } };

function chainOf(props: Record<string, string>): TransformationChain<SinkRecord> {
  return TransformationChain.fromConfig<SinkRecord>(new ConnectorConfig({ name: 'c', 'connector.class': 'X', ...props }, registry), registry);
}

function errorOutcome(e: unknown): Outcome {
  if (!(e instanceof TransformationError)) throw e;
  const cause = e.cause instanceof Error ? `${e.cause.name}: ${e.cause.message}` : String(e.cause);
  return { error: { alias: e.alias, failedIn: e.failedIn, message: e.message, cause } };
}

/** The frame's records converted one by one with convertSinkRecord, as the sink host did before the batch path. */
function referenceRecords(batch: RecordBatch, converters: TaskConverters): SinkRecord[] {
  const types: TimestampType[] = ['NoTimestampType', 'CreateTime', 'LogAppendTime'];
  const out: SinkRecord[] = [];
  for (let i = 0; i < batch.count; i++) {
    const headers: [string, Uint8Array | null][] = [];
    for (const c = batch.headers(i); c.next(); ) headers.push([c.key(), c.valueView()?.slice() ?? null]);
    const type = types[batch.timestampType(i)]!;
    const ts = batch.timestamp(i);
    out.push(convertSinkRecord({
      topic: batch.topic(i), partition: batch.partition(i), offset: batch.offset(i),
      key: batch.keyView(i)?.slice() ?? null, value: batch.valueView(i)?.slice() ?? null, headers,
      timestamp: type === 'NoTimestampType' || ts < 0 ? null : ts, timestampType: type,
    }, converters));
  }
  return out;
}

/** Each record through TransformationChain.apply, as the sink host did before the batch path. */
function perRecord(props: Record<string, string>, batch: RecordBatch, converters: TaskConverters): Outcome[] {
  const chain = chainOf(props);
  const records = referenceRecords(batch, converters);
  // sinkRecordsOf (the batch path's conversion) makes the same records.
  expect(sinkRecordsOf(batch, converters).map(plain)).toEqual(records.map(plain));
  return records.map((r) => {
    try {
      const out = chain.apply(r);
      return out === null ? { dropped: true } : { record: plain(out) };
    } catch (e) {
      return errorOutcome(e);
    }
  });
}

/** Each record through the compiled chain: one record per call, so an error stops only its own. */
function compiled(props: Record<string, string>, batch: RecordBatch, converters: TaskConverters): Outcome[] {
  const chain = CompiledChain.compile(chainOf(props));
  const out: Outcome[] = [];
  for (let i = 0; i < batch.count; i++) {
    try {
      const records = transformedSinkRecordsOf(batch, converters, chain, i, i + 1);
      expect(batch.isSelected(i), `selection bit of record ${i}`).toBe(records.length === 1);
      out.push(records.length === 0 ? { dropped: true } : { record: plain(records[0]!) });
    } catch (e) {
      out.push(errorOutcome(e));
    }
  }
  return out;
}

/** Both paths on the same frame must agree record by record (a fresh frame each, as selection bits change). */
function expectSame(props: Record<string, string>, records: RawRecord[], converters: () => TaskConverters = schemalessConverters): Outcome[] {
  const expected = perRecord(props, frame(records), converters());
  const actual = compiled(props, frame(records), converters());
  expect(actual).toEqual(expected);
  // And the whole frame in one call, as the sink host runs it (stops at the first error).
  const whole = frame(records);
  const firstError = expected.findIndex((o) => 'error' in o);
  const chain = CompiledChain.compile(chainOf(props));
  // The printing sink's path too (value-lines.ts: values read lazily, printed from their bytes):
  // the lines FileStreamSink's put() would write for the survivors, and the same selection bits.
  const printed = frame(records);
  const printer = new ValueLinePrinter(converters(), CompiledChain.compile(chainOf(props)));
  if (firstError < 0) {
    const survivors = transformedSinkRecordsOf(whole, converters(), chain);
    expect(survivors.map(plain)).toEqual(expected.flatMap((o) => ('record' in o ? [o.record] : [])));
    const { lines, records: count } = printer.print(printed, 0, printed.count);
    expect(Buffer.from(lines).toString('utf8')).toBe(survivors.map((r) => `${javaToString(r.value, r.valueSchema)}\n`).join(''));
    expect(count).toBe(survivors.length);
    expect(Array.from(printed.selection.subarray(0, printed.count))).toEqual(Array.from(whole.selection.subarray(0, whole.count)));
  } else {
    expect(() => transformedSinkRecordsOf(whole, converters(), chain)).toThrow(TransformationError);
    expect(() => printer.print(printed, 0, printed.count)).toThrow(TransformationError);
  }
  return expected;
}

/** A record as comparable data: maps and structs keep their order, numbers their JS type. */
function plain(r: SinkRecord): unknown {
  return {
    topic: r.topic,
    partition: r.kafkaPartition,
    offset: r.kafkaOffset,
    original: [r.originalTopic, r.originalKafkaPartition, r.originalKafkaOffset],
    timestamp: r.timestamp,
    timestampType: r.timestampType,
    keySchema: schemaOf(r.keySchema),
    key: data(r.key),
    valueSchema: schemaOf(r.valueSchema),
    value: data(r.value),
    headers: [...r.headers].map((h) => [h.key, schemaOf(h.schema), data(h.value)]),
  };
}

const schemaText = json(true, false);
function schemaOf(s: Schema | null): unknown {
  return s === null ? null : schemaText.asJsonSchema(s);
}

function data(v: unknown): unknown {
  if (v instanceof Map) return { map: [...v].map(([k, x]) => [data(k), data(x)]) };
  if (v instanceof Struct) return { struct: schemaOf(v.schema), fields: v.schema.fields().map((f) => [f.name, data(v.getWithoutDefault(f.name))]) };
  if (Array.isArray(v)) return v.map(data);
  if (v instanceof Date) return { date: v.getTime() };
  if (typeof v === 'bigint') return { long: String(v) };
  if (v instanceof Uint8Array) return { bytes: [...v] };
  if (v instanceof DecimalValue) return { decimal: `${v.unscaled}e-${v.scale}` };
  return v;
}

// ---- data ----

function event(i: number, extra = ''): string {
  return `{"id":${i},"ts":${1_700_000_000_000 + i * 3_600_000},"user":"user-${i % 7}","action":"view","page":"/p/${i}","ok":${i % 3 !== 0},"score":${i / 4},"tags":["a${i}"]${extra}}`;
}

function events(n: number, withHeader: (i: number) => boolean = (i) => i % 4 === 0): RawRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    offset: 100 + i,
    key: i % 5 === 0 ? null : `k${i}`,
    value: event(i),
    headers: withHeader(i) ? [['drop', '1'], ['trace', `t${i}`]] : [['trace', `t${i}`]],
  }));
}

const EVENT_SCHEMA = {
  type: 'struct', optional: false, name: 'event',
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'ts', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
    { field: 'user', type: 'string', optional: false },
    { field: 'page', type: 'string', optional: true },
    { field: 'score', type: 'double', optional: false },
    { field: 'count', type: 'int32', optional: true, default: 7 },
  ],
};

function structEvents(n: number): RawRecord[] {
  return Array.from({ length: n }, (_, i) => ({
    offset: 200 + i,
    key: JSON.stringify({ schema: { type: 'struct', fields: [{ field: 'k', type: 'int32', optional: false }] }, payload: { k: i } }),
    value: i === 3 ? null : JSON.stringify({ schema: EVENT_SCHEMA, payload: { id: i, ts: 1_700_000_000_000 + i, user: `u${i}`, page: i % 2 ? null : `/p${i}`, score: i / 2, count: i % 3 ? i : null } }),
    headers: i % 2 ? [['drop', 'yes']] : [],
  }));
}

const SMT_CHAIN_5 = {
  transforms: 'insert,replace,mask,timestamp,drop',
  'transforms.insert.type': `${T}.InsertField$Value`,
  'transforms.insert.static.field': 'pipeline',
  'transforms.insert.static.value': 'bench',
  'transforms.replace.type': `${T}.ReplaceField$Value`,
  'transforms.replace.exclude': 'page',
  'transforms.mask.type': `${T}.MaskField$Value`,
  'transforms.mask.fields': 'user',
  'transforms.timestamp.type': `${T}.TimestampConverter$Value`,
  'transforms.timestamp.field': 'ts',
  'transforms.timestamp.target.type': 'string',
  'transforms.timestamp.format': "yyyy-MM-dd'T'HH:mm:ss.SSS",
  'transforms.drop.type': `${T}.Filter`,
  'transforms.drop.predicate': 'hasDrop',
  predicates: 'hasDrop',
  'predicates.hasDrop.type': `${T}.predicates.HasHeaderKey`,
  'predicates.hasDrop.name': 'drop',
};

/** A one-stage chain of `type` with `configs`. */
function one(type: string, configs: Record<string, string> = {}, predicate?: { type: string; configs?: Record<string, string>; negate?: boolean }): Record<string, string> {
  const props: Record<string, string> = { transforms: 't', 'transforms.t.type': type };
  for (const [k, v] of Object.entries(configs)) props[`transforms.t.${k}`] = v;
  if (predicate) {
    props['transforms.t.predicate'] = 'p';
    if (predicate.negate !== undefined) props['transforms.t.negate'] = String(predicate.negate);
    props['predicates'] = 'p';
    props['predicates.p.type'] = predicate.type;
    for (const [k, v] of Object.entries(predicate.configs ?? {})) props[`predicates.p.${k}`] = v;
  }
  return props;
}

// ---- the tests ----

describe('compiled chain = per-record chain', () => {
  it('smt-chain-5, schemaless: the same records survive, with the same values', () => {
    const out = expectSame(SMT_CHAIN_5, events(40));
    expect(out.filter((o) => 'dropped' in o)).toHaveLength(10);
    expect(out.filter((o) => 'record' in o)).toHaveLength(30);
  });

  it('smt-chain-5, schema-full Structs (null values, defaults)', () => {
    const out = expectSame(
      { ...SMT_CHAIN_5, 'transforms.timestamp.field': 'ts', 'transforms.mask.fields': 'user,score' },
      structEvents(12).filter((r) => r.value !== null),
      schemaConverters,
    );
    expect(out.some((o) => 'record' in o)).toBe(true);
  });

  it('null values pass the field transforms that allow them and fail MaskField as in Kafka', () => {
    const records = structEvents(6);
    expectSame(one(`${T}.InsertField$Value`, { 'static.field': 's', 'static.value': 'v' }), records, schemaConverters);
    expectSame(one(`${T}.ReplaceField$Value`, { exclude: 'page' }), records, schemaConverters);
    const masked = expectSame(one(`${T}.MaskField$Value`, { fields: 'user' }), records, schemaConverters);
    expect(masked[3]).toMatchObject({ error: { alias: 't', failedIn: 'transformation' } });
  });

  describe('InsertField', () => {
    const all = { 'topic.field': 'topic!', 'partition.field': 'p', 'offset.field': 'o?', 'timestamp.field': 'ts2', 'static.field': 's', 'static.value': 'v' };
    it('schemaless and schema-full, value and key', () => {
      expectSame(one(`${T}.InsertField$Value`, all), events(10));
      expectSame(one(`${T}.InsertField$Value`, all), structEvents(6), schemaConverters);
      expectSame(one(`${T}.InsertField$Key`, all), structEvents(6), schemaConverters);
    });
    it('a value that is not a map fails with the stage named', () => {
      const out = expectSame(one(`${T}.InsertField$Value`, all), [{ offset: 1, value: '"text"' }, { offset: 2, value: '[1]' }, { offset: 3, value: null }]);
      expect(out[0]).toMatchObject({ error: { alias: 't', failedIn: 'transformation' } });
      expect(out[2]).toHaveProperty('record');
    });
    it('a record with no timestamp gets no timestamp field', () => {
      expectSame(one(`${T}.InsertField$Value`, all), [{ offset: 5, timestamp: null, value: event(5) }]);
      expectSame(one(`${T}.InsertField$Value`, all), [{ offset: 5, timestamp: null, value: structEvents(1)[0]!.value! as string }], schemaConverters);
    });
  });

  describe('ReplaceField', () => {
    it('exclude in place, include, renames, both variants', () => {
      expectSame(one(`${T}.ReplaceField$Value`, { exclude: 'page,tags,absent' }), events(8));
      expectSame(one(`${T}.ReplaceField$Value`, { include: 'id,user,page', exclude: 'page' }), events(8));
      expectSame(one(`${T}.ReplaceField$Value`, { renames: 'user:who,id:ident', exclude: 'tags' }), events(8));
      expectSame(one(`${T}.ReplaceField$Value`, { renames: 'user:id' }), events(4));
      expectSame(one(`${T}.ReplaceField$Value`, { exclude: 'page', renames: 'user:who' }), structEvents(6), schemaConverters);
      expectSame(one(`${T}.ReplaceField$Key`, { renames: 'k:key' }), structEvents(6), schemaConverters);
      expectSame(one(`${T}.ReplaceField$Value`, { exclude: 'page' }), [{ offset: 1, value: '42' }]);
    });
  });

  describe('MaskField', () => {
    it('types, replacements, absent fields and errors', () => {
      expectSame(one(`${T}.MaskField$Value`, { fields: 'user,id,ok,score,tags,absent' }), events(8));
      expectSame(one(`${T}.MaskField$Value`, { fields: 'id,score,user', replacement: '12' }), events(8));
      const bad = expectSame(one(`${T}.MaskField$Value`, { fields: 'tags', replacement: 'x' }), events(3));
      expect(bad[0]).toMatchObject({ error: { failedIn: 'transformation' } });
      expectSame(one(`${T}.MaskField$Value`, { fields: 'user,count,ts' }), structEvents(6).filter((r) => r.value !== null), schemaConverters);
      expectSame(one(`${T}.MaskField$Value`, { fields: 'count', replacement: '-1' }), structEvents(6).filter((r) => r.value !== null), schemaConverters);
    });
  });

  describe('TimestampConverter', () => {
    it('a field to every target type, schemaless and schema-full', () => {
      for (const target of ['string', 'unix', 'Date', 'Time', 'Timestamp']) {
        const configs = { field: 'ts', 'target.type': target, format: 'yyyy-MM-dd HH:mm:ss.SSS', 'unix.precision': 'seconds' };
        expectSame(one(`${T}.TimestampConverter$Value`, configs), events(6));
        expectSame(one(`${T}.TimestampConverter$Value`, configs), structEvents(6), schemaConverters);
      }
    });
    it('the whole value, a missing field and a field of the wrong type', () => {
      expectSame(one(`${T}.TimestampConverter$Value`, { 'target.type': 'Timestamp' }), [
        { offset: 1, value: '1700000000000' }, { offset: 2, value: null }, { offset: 3, value: '"2024"' }, { offset: 4, value: 'true' },
      ]);
      expectSame(one(`${T}.TimestampConverter$Value`, { field: 'absent', 'target.type': 'unix' }), events(3));
      const bad = expectSame(one(`${T}.TimestampConverter$Value`, { field: 'user', 'target.type': 'unix', format: 'yyyy' }), events(2));
      expect(bad[0]).toMatchObject({ error: { failedIn: 'transformation' } });
    });
  });

  describe('header and topic transforms', () => {
    it('DropHeaders, InsertHeader', () => {
      expectSame(one(`${T}.DropHeaders`, { headers: 'drop,absent' }), events(8));
      expectSame(one(`${T}.InsertHeader`, { header: 'drop', 'value.literal': '[1,2]' }), events(8));
    });
    it('RegexRouter and TimestampRouter keep the original topic for the offsets', () => {
      const records = events(6).map((r, i) => ({ ...r, topic: i % 2 ? 'orders' : 'events' }));
      const out = expectSame(one(`${T}.RegexRouter`, { regex: 'ord(.*)', replacement: 'x-$1' }), records);
      expect(out[1]).toMatchObject({ record: { topic: 'x-ers', original: ['orders', expect.any(Number), 101n] } });
      expectSame(one(`${T}.TimestampRouter`, { 'topic.format': '${topic}@${timestamp}', 'timestamp.format': 'yyyy-MM' }), records);
      const noTs = expectSame(one(`${T}.TimestampRouter`), [{ offset: 3, timestamp: null, value: event(3) }]);
      expect(noTs[0]).toMatchObject({ error: { failedIn: 'transformation', cause: expect.stringContaining('Timestamp missing') } });
    });
  });

  describe('Filter and predicates', () => {
    const predicates: { type: string; configs?: Record<string, string> }[] = [
      { type: `${T}.predicates.HasHeaderKey`, configs: { name: 'drop' } },
      { type: `${T}.predicates.TopicNameMatches`, configs: { pattern: 'ord.*' } },
      { type: `${T}.predicates.RecordIsTombstone` },
      { type: 'test.OddOffset' },
    ];
    for (const p of predicates) {
      for (const negate of [undefined, false, true]) {
        it(`Filter under ${p.type.split('.').pop()}, negate=${negate}`, () => {
          const records = events(10).map((r, i) => ({ ...r, topic: i % 3 ? 'events' : 'orders', value: i === 4 ? null : r.value }));
          expectSame(one(`${T}.Filter`, {}, { ...p, negate }), records);
        });
      }
    }
    it('a predicate that throws names the predicate half of the stage', () => {
      const out = expectSame(one(`${T}.Filter`, {}, { type: 'test.OddOffset' }), [{ offset: 98, value: '1' }, { offset: 99, value: '1' }]);
      expect(out[1]).toMatchObject({ error: { alias: 't', failedIn: 'predicate' } });
    });
    it('a predicate guards a value transform', () => {
      expectSame(one(`${T}.MaskField$Value`, { fields: 'user' }, { type: `${T}.predicates.HasHeaderKey`, configs: { name: 'drop' }, negate: true }), events(8));
    });
  });

  describe('stages without a kernel', () => {
    it('run their own apply() between kernels, and keep what they were given unchanged', () => {
      kept.length = 0;
      const props = {
        transforms: 'insert,keep,mask,reshape,insert2,hoist,cast',
        'transforms.insert.type': `${T}.InsertField$Value`, 'transforms.insert.static.field': 'pipeline', 'transforms.insert.static.value': 'bench',
        'transforms.keep.type': 'test.Keeping',
        'transforms.mask.type': `${T}.MaskField$Value`, 'transforms.mask.fields': 'user',
        'transforms.reshape.type': 'test.Reshaping',
        'transforms.insert2.type': `${T}.InsertField$Value`, 'transforms.insert2.topic.field': 'topic',
        'transforms.hoist.type': `${T}.HoistField$Value`, 'transforms.hoist.field': 'wrapped',
        'transforms.cast.type': `${T}.Cast$Value`, 'transforms.cast.spec': 'string',
      };
      expectSame({ ...props, transforms: 'insert,keep,mask,reshape,insert2,hoist' }, events(16));
      // Whatever the keeping plugin saw still has its user unmasked: MaskField copied before changing it.
      expect(kept.length).toBeGreaterThan(0);
      for (const v of kept) expect((v as Map<string, unknown>).get('user')).toMatch(/^user-/);
      const withCast = expectSame(props, events(3));
      expect(withCast[0]).toMatchObject({ error: { alias: 'cast' } });
    });

    it('SetSchemaMetadata, ValueToKey, ExtractField, Flatten, HeaderFrom mixed with kernels', () => {
      expectSame({
        transforms: 'replace,v2k,flat,hf,mask',
        'transforms.replace.type': `${T}.ReplaceField$Value`, 'transforms.replace.exclude': 'page',
        'transforms.v2k.type': `${T}.ValueToKey`, 'transforms.v2k.fields': 'id,user',
        'transforms.flat.type': `${T}.Flatten$Value`,
        'transforms.hf.type': `${T}.HeaderFrom$Value`, 'transforms.hf.fields': 'user', 'transforms.hf.headers': 'who', 'transforms.hf.operation': 'move',
        'transforms.mask.type': `${T}.MaskField$Value`, 'transforms.mask.fields': 'id',
      }, events(6));
      expectSame({
        transforms: 'meta,extract,insert',
        'transforms.meta.type': `${T}.SetSchemaMetadata$Value`, 'transforms.meta.schema.name': 'renamed',
        'transforms.extract.type': `${T}.ExtractField$Key`, 'transforms.extract.field': 'k',
        'transforms.insert.type': `${T}.InsertField$Value`, 'transforms.insert.offset.field': 'o',
      }, structEvents(6), schemaConverters);
    });
  });

  it('a converter that returns shared values: the chain copies before it changes anything', () => {
    const converters = (): TaskConverters => ({ ...schemalessConverters(), value: sharedConverter });
    const sharedConverter = new SharedMapConverter();
    const before = [...sharedConverter.shared];
    expectSame(SMT_CHAIN_5, events(8), converters);
    expect([...sharedConverter.shared]).toEqual(before);
  });

  it('conversion errors come first, as in Kafka Connect, even for records a Filter would drop', () => {
    const batch = frame([{ offset: 1, value: '{"id":', headers: [['drop', '1']] }]);
    const chain = CompiledChain.compile(chainOf(SMT_CHAIN_5));
    expect(() => transformedSinkRecordsOf(batch, schemalessConverters(), chain)).toThrow(/Failed to convert the record at events-1 offset 1/);
    // A header converter that may fail converts every record's headers up front, dropped or not.
    class Failing extends SimpleHeaderConverter {
      override readonly neverFails = false;
      override toConnectHeader(topic: string, key: string, bytes: Uint8Array | null): SchemaAndValue {
        if (key === 'bad') throw new Error('bad header');
        return super.toConnectHeader(topic, key, bytes);
      }
    }
    const failing: TaskConverters = { ...schemalessConverters(), header: new Failing() };
    const records: RawRecord[] = [{ offset: 2, value: event(2), headers: [['drop', '1'], ['bad', 'x']] }];
    const message = /Failed to convert the record at events-2 offset 2: bad header/;
    expect(() => referenceRecords(frame(records), failing)).toThrow(message);
    expect(() => transformedSinkRecordsOf(frame(records), failing, chain)).toThrow(message);
  });

  it('headers a converter cannot fail on are converted only for records that keep them', () => {
    let calls = 0;
    class Counting extends SimpleHeaderConverter {
      override toConnectHeader(topic: string, key: string, bytes: Uint8Array | null): SchemaAndValue {
        calls++;
        return super.toConnectHeader(topic, key, bytes);
      }
    }
    const batch = frame(events(20, (i) => i % 2 === 0));
    const chain = CompiledChain.compile(chainOf(SMT_CHAIN_5));
    const survivors = transformedSinkRecordsOf(batch, { ...schemalessConverters(), header: new Counting() }, chain);
    expect(survivors).toHaveLength(10);
    expect(calls).toBe(10); // the survivors' one `trace` header each; the dropped records' headers stay in the frame
  });
});

describe('the chain on the frame itself (batch-aware sinks)', () => {
  /** Per-record with ByteArrayConverter (the sink sees bytes): which records survive, under which topic. */
  function expectSameOnFrame(props: Record<string, string>, records: RawRecord[]): void {
    const converters = (): TaskConverters => {
      const bytes = new ByteArrayConverter();
      bytes.configure({}, false);
      const header = new SimpleHeaderConverter();
      return { key: bytes, value: bytes, header };
    };
    const expected = perRecord(props, frame(records), converters()).map((o) =>
      'record' in o ? (o.record as { topic: string }).topic : 'error' in o ? o.error.message : null);
    const chain = CompiledChain.compile(chainOf(props));
    expect(chain.runsOnFrame).toBe(true);
    const batch = frame(records);
    const actual: (string | null)[] = [];
    for (let i = 0; i < batch.count; i++) {
      try {
        chain.runOnFrame(batch, i, i + 1);
        actual.push(batch.isSelected(i) ? batch.topic(i) : null);
      } catch (e) {
        actual.push((e as Error).message);
      }
    }
    expect(actual).toEqual(expected);
  }

  it('Filter under each predicate, with negate; routers rewrite the topic column', () => {
    const records = events(12).map((r, i) => ({ ...r, topic: i % 3 ? 'events' : 'orders', value: i % 5 === 4 ? null : r.value }));
    for (const negate of ['false', 'true']) {
      expectSameOnFrame({ ...one(`${T}.Filter`, {}, { type: `${T}.predicates.HasHeaderKey`, configs: { name: 'drop' } }), 'transforms.t.negate': negate }, records);
      expectSameOnFrame({ ...one(`${T}.Filter`, {}, { type: `${T}.predicates.TopicNameMatches`, configs: { pattern: 'ord.*' } }), 'transforms.t.negate': negate }, records);
      expectSameOnFrame({ ...one(`${T}.Filter`, {}, { type: `${T}.predicates.RecordIsTombstone` }), 'transforms.t.negate': negate }, records);
    }
    expectSameOnFrame({
      transforms: 'route,drop,stamp',
      'transforms.route.type': `${T}.RegexRouter`, 'transforms.route.regex': 'ord(.*)', 'transforms.route.replacement': 'o$1',
      'transforms.drop.type': `${T}.Filter`, 'transforms.drop.predicate': 'isO',
      'transforms.stamp.type': `${T}.TimestampRouter`, 'transforms.stamp.timestamp.format': 'yyyyMMddHH',
      predicates: 'isO', 'predicates.isO.type': `${T}.predicates.TopicNameMatches`, 'predicates.isO.pattern': 'oers', 'transforms.drop.negate': 'false',
    }, records);
    expectSameOnFrame(one(`${T}.TimestampRouter`), [{ offset: 1, timestamp: null, value: 'x' }, { offset: 2, value: 'y' }]);
  });

  it('a header key that is not ASCII is compared as the decoded key', () => {
    const records: RawRecord[] = [
      { offset: 1, value: 'a', headers: [['\uFEFFdrop', '1']] },
      { offset: 2, value: 'b', headers: [['dröp', '1']] },
      { offset: 3, value: 'c', headers: [['drop', null]] },
    ];
    expectSameOnFrame(one(`${T}.Filter`, {}, { type: `${T}.predicates.HasHeaderKey`, configs: { name: 'drop' } }), records);
    expectSameOnFrame(one(`${T}.Filter`, {}, { type: `${T}.predicates.HasHeaderKey`, configs: { name: 'dröp' } }), records);
  });

  it('is not offered when a stage needs decoded records', () => {
    expect(CompiledChain.compile(chainOf(one(`${T}.DropHeaders`, { headers: 'x' }))).runsOnFrame).toBe(false);
    expect(CompiledChain.compile(chainOf(one(`${T}.Filter`, {}, { type: 'test.OddOffset' }))).runsOnFrame).toBe(false);
  });
});

// ---- Kafka's differential cases, each as a one-stage chain, both ways ----

const casesDir = join(dirname(fileURLToPath(import.meta.url)), '../../../compat/transforms/cases');

interface Envelope {
  schema: unknown;
  payload: unknown;
}
interface CaseRecord {
  kind?: 'sink' | 'source';
  topic: string;
  partition?: number | null;
  offset?: number;
  timestamp?: number | null;
  key?: Envelope | null;
  value?: Envelope | null;
  headers?: { key: string; value: Envelope | null }[];
}
interface CaseFile {
  plugin: string;
  kind?: 'transformation' | 'predicate';
  cases: { name: string; config?: Record<string, string | number | boolean>; record: CaseRecord }[];
}

const BIG_INTEGER = /(?<=[:[,\s])(-?\d{16,})(?=[,\]}\s])/g;

function envelopeBytes(e: Envelope | null | undefined): string | null {
  // The case files hold integers beyond 2^53 as digits; they are passed on as the digits they are.
  return e == null ? null : JSON.stringify(e).replace(/"__int:(-?\d+)"/g, '$1');
}

function caseConverters(): TaskConverters {
  return { key: json(true, true), value: json(true, false), header: json(true) };
}

describe("Kafka's transform cases, one stage each: compiled = per-record", () => {
  const files = readdirSync(casesDir).filter((f) => f.endsWith('.json')).sort();
  for (const file of files) {
    const spec = JSON.parse(readFileSync(join(casesDir, file), 'utf8').replace(BIG_INTEGER, '"__int:$1"')) as CaseFile;
    it(`${file} (${spec.plugin})`, () => {
      let compared = 0;
      for (const c of spec.cases) {
        if (c.record.kind === 'source') continue;
        const configs = Object.fromEntries(Object.entries(c.config ?? {}).map(([k, v]) => [k, String(v)]));
        const props = spec.kind === 'predicate'
          ? { ...one(`${T}.Filter`, {}, { type: spec.plugin, configs }), 'transforms.t.negate': 'false' }
          : one(spec.plugin, configs);
        try {
          chainOf(props);
        } catch {
          continue; // a configuration Kafka rejects: nothing to run
        }
        const n = c.record;
        const raw: RawRecord = {
          topic: n.topic,
          partition: n.partition ?? 0,
          offset: n.offset ?? 0,
          timestamp: n.timestamp ?? null,
          key: envelopeBytes(n.key),
          value: envelopeBytes(n.value),
          headers: (n.headers ?? []).map((h) => [h.key, envelopeBytes(h.value)]),
        };
        let expected: Outcome[];
        try {
          expected = perRecord(props, frame([raw]), caseConverters());
        } catch {
          continue; // the record's own bytes do not convert (a case about something else)
        }
        expect(compiled(props, frame([raw]), caseConverters()), `${file} > ${c.name}`).toEqual(expected);
        compared++;
      }
      expect(compared).toBeGreaterThan(0);
    });
  }
});

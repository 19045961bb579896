import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../../src/api/errors.js';
import { Headers } from '../../../src/data/headers.js';
import { SinkRecord, SourceRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { InsertField } from '../../../src/transforms/insert-field.js';

const VALUE_SCHEMA = SchemaBuilder.struct().name('Order').field('id', Schemas.INT32_SCHEMA)
  .field('qty', SchemaBuilder.int32().optional().defaultValue(1).build()).build();

function order(id: number, qty: number | null = null): Struct {
  return new Struct(VALUE_SCHEMA).put('id', id).put('qty', qty);
}

function sinkRecord(value: unknown, schema = VALUE_SCHEMA as typeof VALUE_SCHEMA | null): SinkRecord {
  return new SinkRecord('orders', 3, null, null, schema, value, 42n, 1_700_000_000_000, 'CreateTime', new Headers().addString('h', 'v'));
}

function configured(part: 'key' | 'value', configs: Record<string, string>): InsertField<SinkRecord> {
  const t = new InsertField<SinkRecord>(part);
  t.configure(configs);
  return t;
}

describe('InsertField', () => {
  it('adds record metadata to a struct value, required (!) or optional fields, keeping the original record', () => {
    const t = configured('value', {
      'topic.field': 'topic!', 'partition.field': 'partition', 'offset.field': 'offset?', 'timestamp.field': 'ts',
      'static.field': 'origin!', 'static.value': 'eu',
    });
    const input = sinkRecord(order(7));
    const out = t.apply(input)!;
    const value = out.value as Struct;
    expect(value.schema.name).toBe('Order');
    expect(value.schema.fields().map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['id', 'INT32', false], ['qty', 'INT32', true], ['topic', 'STRING', false], ['partition', 'INT32', true],
      ['offset', 'INT64', true], ['ts', 'INT64', true], ['origin', 'STRING', false],
    ]);
    expect(value.schema.field('ts')!.schema.name).toBe('org.apache.kafka.connect.data.Timestamp');
    expect(value.get('id')).toBe(7);
    expect(value.get('qty')).toBe(1); // the field default replaces null
    expect(value.get('topic')).toBe('orders');
    expect(value.get('partition')).toBe(3);
    expect(value.get('offset')).toBe(42n);
    expect(value.get('ts')).toEqual(new Date(1_700_000_000_000));
    expect(value.get('origin')).toBe('eu');
    expect([...out.headers].map((h) => h.key)).toEqual(['h']);
    // The input record is untouched.
    expect((input.value as Struct).schema).toBe(VALUE_SCHEMA);
  });

  it('keeps nulls when replace.null.with.default=false', () => {
    const out = configured('value', { 'topic.field': 't', 'replace.null.with.default': 'false' }).apply(sinkRecord(order(7)))!;
    expect((out.value as Struct).getWithoutDefault('qty')).toBeNull();
  });

  it('builds the updated schema once per input schema', () => {
    const t = configured('value', { 'topic.field': 't' });
    const a = t.apply(sinkRecord(order(1)))!;
    const b = t.apply(sinkRecord(order(2)))!;
    expect(a.valueSchema).toBe(b.valueSchema);
  });

  it('adds entries to a schemaless map, and inserts into the key for InsertField$Key', () => {
    const value = new Map<string, unknown>([['id', 7]]);
    const out = configured('value', { 'topic.field': 't', 'offset.field': 'o', 'timestamp.field': 'ts' }).apply(sinkRecord(value, null))!;
    expect(out.value).toEqual(new Map<string, unknown>([['id', 7], ['t', 'orders'], ['o', 42n], ['ts', 1_700_000_000_000]]));
    expect(value.size).toBe(1);
    const keyed = new SinkRecord('orders', 0, null, new Map([['k', 'a']]), null, 'v', 1n);
    const outKey = configured('key', { 'partition.field': 'p' }).apply(keyed)!;
    expect(outKey.key).toEqual(new Map<string, unknown>([['k', 'a'], ['p', 0]]));
    expect(outKey.value).toBe('v');
  });

  it('passes a null value through and refuses values that are neither Struct nor Map', () => {
    const t = configured('value', { 'topic.field': 't' });
    const tombstone = sinkRecord(null, null);
    expect(t.apply(tombstone)).toBe(tombstone);
    expect(() => t.apply(sinkRecord('text', Schemas.STRING_SCHEMA))).toThrow(
      new DataError('Only Struct objects supported for [field insertion], found: java.lang.String'));
  });

  it('inserts an offset only into sink records', () => {
    const source = new SourceRecord({}, {}, 'orders', null, null, null, null, new Map([['id', 1]]));
    expect(() => configured('value', { 'offset.field': 'o' }).apply(source as never)).toThrow(
      'Only SinkRecord supported for [field insertion], found: org.apache.kafka.connect.source.SourceRecord');
    // Without a partition the partition field is left out.
    const out = configured('value', { 'partition.field': 'p', 'topic.field': 't' }).apply(source as never) as unknown as SourceRecord;
    expect(out.value).toEqual(new Map<string, unknown>([['id', 1], ['t', 'orders']]));
  });

  it('rejects configs with nothing to insert or a static field without a value', () => {
    expect(() => configured('value', {})).toThrow(new ConfigError('No field insertion configured'));
    expect(() => configured('value', { 'static.field': 's' })).toThrow(
      'Invalid value null for configuration static.value: No value specified for static field: s?');
  });
});

import { describe, expect, it } from 'vitest';
import { Headers } from '../../../src/data/headers.js';
import { SinkRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { HeaderFrom } from '../../../src/transforms/header-from.js';

const SCHEMA = SchemaBuilder.struct().name('Row').version(2).field('id', Schemas.INT32_SCHEMA)
  .field('name', Schemas.OPTIONAL_STRING_SCHEMA).field('qty', SchemaBuilder.int32().optional().defaultValue(5).build()).build();

function configured(part: 'key' | 'value', configs: Record<string, string>): HeaderFrom<SinkRecord> {
  const t = new HeaderFrom<SinkRecord>(part);
  t.configure(configs);
  return t;
}

const row = (): Struct => new Struct(SCHEMA).put('id', 1).put('name', 'n');

describe('HeaderFrom', () => {
  it('copies struct fields into headers with their schemas, appending to the existing headers', () => {
    const input = new SinkRecord('t', 0, null, null, SCHEMA, row(), 0n, null, 'NoTimestampType', new Headers().addString('x', 'y'));
    const out = configured('value', { fields: 'id,qty', headers: 'h_id,h_qty', operation: 'copy' }).apply(input)!;
    expect([...out.headers].map((h) => [h.key, h.value, h.schema?.type])).toEqual([
      ['x', 'y', 'STRING'], ['h_id', 1, 'INT32'], ['h_qty', 5, 'INT32'],
    ]);
    expect(out.value).toBe(input.value);
    expect(input.headers.size).toBe(1);
  });

  it('moves struct fields: the new schema keeps name and version, and is built once per input schema', () => {
    const t = configured('value', { fields: 'name', headers: 'h', operation: 'move' });
    const a = t.apply(new SinkRecord('t', 0, null, null, SCHEMA, row(), 0n))!;
    const b = t.apply(new SinkRecord('t', 0, null, null, SCHEMA, row(), 1n))!;
    const moved = a.value as Struct;
    expect(moved.schema.fields().map((f) => f.name)).toEqual(['id', 'qty']);
    expect([moved.schema.name, moved.schema.version]).toEqual(['Row', 2]);
    expect(a.valueSchema).toBe(b.valueSchema);
    expect(a.headers.lastWithName('h')!.value).toBe('n');
  });

  it('moves fields of a schemaless key for HeaderFrom$Key', () => {
    const key = new Map<string, unknown>([['k', 'a'], ['j', 1]]);
    const out = configured('key', { fields: 'k,missing', headers: 'hk,hm', operation: 'move' })
      .apply(new SinkRecord('t', 0, null, key, null, 'v', 0n))!;
    expect(out.key).toEqual(new Map([['j', 1]]));
    expect([...out.headers].map((h) => [h.key, h.value, h.schema])).toEqual([['hk', 'a', null], ['hm', null, null]]);
    expect(key.size).toBe(2);
  });

  it('names a missing struct field (Kafka fails with a NullPointerException)', () => {
    expect(() => configured('value', { fields: 'nope', headers: 'h', operation: 'copy' })
      .apply(new SinkRecord('t', 0, null, null, SCHEMA, row(), 0n))).toThrow('Field does not exist: nope');
  });

  it('validates its config as Kafka does', () => {
    expect(() => configured('value', { fields: 'a,b', headers: 'h', operation: 'copy' })).toThrow(
      "'fields' config must have the same number of elements as 'headers' config.");
    expect(() => configured('value', { fields: 'a', headers: 'h', operation: 'swap' })).toThrow(
      'Invalid value swap for configuration operation: String must be one of: move, copy');
    expect(() => configured('value', { fields: '', headers: 'h', operation: 'copy' })).toThrow(
      'Invalid value [] for configuration fields: Empty list');
  });
});

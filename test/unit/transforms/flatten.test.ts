import { describe, expect, it } from 'vitest';
import { SinkRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { Flatten } from '../../../src/transforms/flatten.js';

const ADDRESS = SchemaBuilder.struct().field('city', Schemas.STRING_SCHEMA)
  .field('zip', SchemaBuilder.string().optional().defaultValue('0000').build()).build();
const PERSON = SchemaBuilder.struct().name('Person').version(1)
  .field('id', Schemas.INT64_SCHEMA)
  .field('home', ADDRESS)
  .field('work', SchemaBuilder.struct().field('city', Schemas.STRING_SCHEMA).optional().build())
  .field('tags', SchemaBuilder.array(Schemas.STRING_SCHEMA).build())
  .build();

function person(): Struct {
  return new Struct(PERSON).put('id', 1n).put('home', new Struct(ADDRESS).put('city', 'Oslo')).put('work', null).put('tags', ['a']);
}

function sink(value: unknown, schema = PERSON as typeof PERSON | null): SinkRecord {
  return new SinkRecord('t', 0, null, null, schema, value, 0n);
}

function flatten(configs: Record<string, string> = {}, part: 'key' | 'value' = 'value'): Flatten<SinkRecord> {
  const t = new Flatten<SinkRecord>(part);
  t.configure(configs);
  return t;
}

describe('Flatten', () => {
  it('lifts nested struct fields to the top, joined by the delimiter, keeping arrays', () => {
    const out = flatten().apply(sink(person()));
    const schema = out.valueSchema!;
    expect(schema.name).toBe('Person');
    expect(schema.fields().map((f) => [f.name, f.schema.optional])).toEqual([
      ['id', false], ['home.city', false], ['home.zip', true], ['work.city', true], ['tags', false],
    ]);
    const v = out.value as Struct;
    expect([v.get('home.city'), v.get('home.zip'), v.get('work.city'), v.get('tags')]).toEqual(['Oslo', '0000', null, ['a']]);
  });

  it('uses the configured delimiter', () => {
    expect(flatten({ delimiter: '_' }).apply(sink(person())).valueSchema!.field('home_city')).not.toBeNull();
  });

  it('flattens schemaless maps', () => {
    const value = new Map<string, unknown>([['a', new Map<string, unknown>([['b', 1n], ['c', null]])], ['d', [new Map()]]]);
    expect(flatten({ delimiter: '#' }).apply(sink(value, null)).value).toEqual(
      new Map<string, unknown>([['a#b', 1n], ['a#c', null], ['d', [new Map()]]]),
    );
  });

  it('refuses a map inside a struct, naming the field', () => {
    const schema = SchemaBuilder.struct().field('m', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.STRING_SCHEMA).build()).build();
    expect(() => flatten().apply(sink(new Struct(schema).put('m', new Map()), schema))).toThrow(
      'Flatten transformation does not support MAP for record with schemas (for field m).',
    );
  });

  it('passes null values through and requires a Map without a schema', () => {
    const record = sink(null);
    expect(flatten().apply(record)).toBe(record);
    expect(() => flatten().apply(sink([1n], null))).toThrow(
      'Only Map objects supported in absence of schema for [flattening], found: java.util.ArrayList',
    );
  });

  it('flattens the key with the Key variant', () => {
    const record = new SinkRecord('t', 0, PERSON, person(), null, 'v', 0n);
    const out = flatten({}, 'key').apply(record);
    expect((out.key as Struct).get('home.city')).toBe('Oslo');
    expect(out.value).toBe('v');
  });
});

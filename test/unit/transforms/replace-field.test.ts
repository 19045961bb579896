import { describe, expect, it } from 'vitest';
import { SinkRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { ReplaceField } from '../../../src/transforms/replace-field.js';

const ROW = SchemaBuilder.struct().name('Person').optional()
  .field('id', Schemas.INT64_SCHEMA).field('name', Schemas.STRING_SCHEMA)
  .field('age', SchemaBuilder.int32().optional().defaultValue(18).build()).field('city', Schemas.STRING_SCHEMA)
  .build();

const person = () => new Struct(ROW).put('id', 1n).put('name', 'ann').put('city', 'Oslo');

function replace(configs: Record<string, string>, part: 'key' | 'value' = 'value'): ReplaceField<SinkRecord> {
  const t = new ReplaceField<SinkRecord>(part);
  t.configure(configs);
  return t;
}

const sink = (value: unknown, schema = ROW as typeof ROW | null) => new SinkRecord('t', 0, null, null, schema, value, 0n);
const fieldNames = (r: SinkRecord) => r.valueSchema!.fields().map((f) => f.name);

describe('ReplaceField', () => {
  it('excludes, includes and renames fields; exclude wins', () => {
    expect(fieldNames(replace({ exclude: 'name,city' }).apply(sink(person())))).toEqual(['id', 'age']);
    expect(fieldNames(replace({ include: 'id,city' }).apply(sink(person())))).toEqual(['id', 'city']);
    expect(fieldNames(replace({ include: 'id,city', exclude: 'city' }).apply(sink(person())))).toEqual(['id']);
    const out = replace({ renames: 'id:person_id,city:town' }).apply(sink(person()));
    expect(fieldNames(out)).toEqual(['person_id', 'name', 'age', 'town']);
    expect((out.value as Struct).get('town')).toBe('Oslo');
  });

  it('keeps the schema name but, as Kafka does, not its optionality', () => {
    const out = replace({ exclude: 'name' }).apply(sink(person()));
    expect(out.valueSchema!.name).toBe('Person');
    expect(out.valueSchema!.optional).toBe(false);
  });

  it('applies defaults unless replace.null.with.default is false', () => {
    expect((replace({ exclude: 'name' }).apply(sink(person())).value as Struct).getWithoutDefault('age')).toBe(18);
    expect((replace({ exclude: 'name', 'replace.null.with.default': 'false' }).apply(sink(person())).value as Struct).getWithoutDefault('age')).toBeNull();
  });

  it('works on schemaless maps and passes null values through', () => {
    const value = new Map<string, unknown>([['a', 1n], ['b', 2n]]);
    expect(replace({ exclude: 'b', renames: 'a:x' }).apply(sink(value, null)).value).toEqual(new Map([['x', 1n]]));
    const tombstone = sink(null);
    expect(replace({ exclude: 'b' }).apply(tombstone)).toBe(tombstone);
  });

  it('ignores the whitelist/blacklist names Kafka 4 dropped', () => {
    expect(fieldNames(replace({ blacklist: 'name', whitelist: 'id' }).apply(sink(person())))).toEqual(['id', 'name', 'age', 'city']);
  });

  it('renames key fields with the Key variant', () => {
    const out = replace({ renames: 'id:key_id' }, 'key').apply(new SinkRecord('t', 0, ROW, person(), null, 'v', 0n));
    expect(out.keySchema!.field('key_id')).not.toBeNull();
    expect(out.value).toBe('v');
  });

  it('rejects bad configs with Kafka\'s messages', () => {
    expect(() => replace({ renames: 'a:b,c' })).toThrow('Invalid value [a:b, c] for configuration renames: Invalid rename mapping: c');
    expect(() => replace({ include: 'a,,b' })).toThrow("Configuration 'include' values must not be empty.");
    expect(() => replace({ renames: 'id:city' }).apply(sink(person()))).toThrow('Cannot create field because of field name duplication city');
  });
});

import { describe, expect, it } from 'vitest';
import { SinkRecord } from '../../../src/data/record.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { HoistField } from '../../../src/transforms/hoist-field.js';

function hoist(part: 'key' | 'value', field: string): HoistField<SinkRecord> {
  const t = new HoistField<SinkRecord>(part);
  t.configure({ field });
  return t;
}

describe('HoistField', () => {
  it('wraps a value with a schema in a one-field struct', () => {
    const out = hoist('value', 'line').apply(new SinkRecord('t', 0, null, null, Schemas.STRING_SCHEMA, 'hello', 0n));
    expect(out.valueSchema!.fields().map((f) => [f.name, f.schema])).toEqual([['line', Schemas.STRING_SCHEMA]]);
    expect((out.value as Struct).get('line')).toBe('hello');
  });

  it('wraps a schemaless value, even null, in a map', () => {
    expect(hoist('value', 'v').apply(new SinkRecord('t', 0, null, null, null, 5n, 0n)).value).toEqual(new Map([['v', 5n]]));
    expect(hoist('value', 'v').apply(new SinkRecord('t', 0, null, null, null, null, 0n)).value).toEqual(new Map([['v', null]]));
  });

  it('wraps the key with the Key variant', () => {
    const out = hoist('key', 'id').apply(new SinkRecord('t', 0, Schemas.INT64_SCHEMA, 9n, null, 'v', 0n));
    expect((out.key as Struct).get('id')).toBe(9n);
    expect(out.value).toBe('v');
  });

  it('requires the field config and rejects an empty name when building the schema', () => {
    expect(() => new HoistField('value').configure({})).toThrow('Missing required configuration "field" which has no default value.');
    expect(() => hoist('value', '').apply(new SinkRecord('t', 0, null, null, Schemas.STRING_SCHEMA, 'x', 0n))).toThrow('fieldName cannot be null.');
  });
});

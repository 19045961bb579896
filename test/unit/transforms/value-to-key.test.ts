import { describe, expect, it } from 'vitest';
import { SinkRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { ValueToKey } from '../../../src/transforms/value-to-key.js';

const SCHEMA = SchemaBuilder.struct().field('id', Schemas.INT32_SCHEMA).field('region', Schemas.OPTIONAL_STRING_SCHEMA)
  .field('qty', SchemaBuilder.int32().optional().defaultValue(5).build()).build();

function configured(configs: Record<string, string>): ValueToKey<SinkRecord> {
  const t = new ValueToKey<SinkRecord>();
  t.configure(configs);
  return t;
}

describe('ValueToKey', () => {
  it('makes a struct key of the named value fields, in the configured order', () => {
    const value = new Struct(SCHEMA).put('id', 1).put('region', 'eu');
    const out = configured({ fields: 'region,id,qty' }).apply(new SinkRecord('t', 0, Schemas.STRING_SCHEMA, 'old', SCHEMA, value, 0n))!;
    const key = out.key as Struct;
    expect(key.schema.fields().map((f) => f.name)).toEqual(['region', 'id', 'qty']);
    expect([key.get('region'), key.get('id'), key.get('qty')]).toEqual(['eu', 1, 5]);
    expect(out.keySchema).toBe(key.schema);
    expect(out.value).toBe(value);
  });

  it('keeps null instead of the default with replace.null.with.default=false', () => {
    const value = new Struct(SCHEMA).put('id', 1);
    const key = configured({ fields: 'qty', 'replace.null.with.default': 'false' })
      .apply(new SinkRecord('t', 0, null, null, SCHEMA, value, 0n))!.key as Struct;
    expect(key.getWithoutDefault('qty')).toBeNull();
  });

  it('makes a map key of a schemaless value; a missing field maps to null', () => {
    const out = configured({ fields: 'id,nope' }).apply(new SinkRecord('t', 0, null, null, null, new Map([['id', 1]]), 0n))!;
    expect(out.key).toEqual(new Map([['id', 1], ['nope', null]]));
    expect(out.keySchema).toBeNull();
  });

  it('fails on a field the value schema lacks, and on a null value', () => {
    const value = new Struct(SCHEMA).put('id', 1);
    expect(() => configured({ fields: 'nope' }).apply(new SinkRecord('t', 0, null, null, SCHEMA, value, 0n))).toThrow('Field does not exist: nope');
    expect(() => configured({ fields: 'id' }).apply(new SinkRecord('t', 0, null, null, null, null, 0n))).toThrow(
      'Only Map objects supported in absence of schema for [copying fields from value to key], found: null');
  });

  it('requires a non-empty list of fields; repeated names are dropped at runtime as Kafka 4 does', () => {
    expect(() => configured({})).toThrow('Missing required configuration "fields" which has no default value.');
    expect(() => configured({ fields: '' })).toThrow("Configuration 'fields' must not be empty. Valid values include: any non-empty value");
    const value = new Struct(SCHEMA).put('id', 1);
    const key = configured({ fields: 'id,id' }).apply(new SinkRecord('t', 0, null, null, SCHEMA, value, 0n))!.key as Struct;
    expect(key.schema.fields().map((f) => f.name)).toEqual(['id']);
  });
});

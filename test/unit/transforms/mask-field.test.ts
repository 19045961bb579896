import { describe, expect, it } from 'vitest';
import { ConnectDate, Decimal, DecimalValue } from '../../../src/data/logical.js';
import { SinkRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { MaskField } from '../../../src/transforms/mask-field.js';

const ROW = SchemaBuilder.struct()
  .field('i8', Schemas.INT8_SCHEMA).field('i64', Schemas.INT64_SCHEMA).field('f32', Schemas.FLOAT32_SCHEMA)
  .field('b', Schemas.BOOLEAN_SCHEMA).field('s', Schemas.STRING_SCHEMA).field('d', ConnectDate.SCHEMA)
  .field('dec', Decimal.schema(2)).field('arr', SchemaBuilder.array(Schemas.INT32_SCHEMA).build())
  .field('raw', Schemas.BYTES_SCHEMA).field('keep', Schemas.STRING_SCHEMA)
  .build();

function row(): Struct {
  return new Struct(ROW).put('i8', 5).put('i64', 9n).put('f32', 1.5).put('b', true).put('s', 'secret')
    .put('d', new Date(86_400_000)).put('dec', new DecimalValue(1234n, 2)).put('arr', [1]).put('raw', new Uint8Array([1])).put('keep', 'k');
}

function mask(configs: Record<string, string>, part: 'key' | 'value' = 'value'): MaskField<SinkRecord> {
  const t = new MaskField<SinkRecord>(part);
  t.configure(configs);
  return t;
}

const sink = (value: unknown, schema = ROW as typeof ROW | null) => new SinkRecord('t', 0, null, null, schema, value, 0n);

describe('MaskField', () => {
  it('masks each field with its type\'s null value, leaving the others', () => {
    const v = mask({ fields: 'i8,i64,f32,b,s,d,dec,arr' }).apply(sink(row())).value as Struct;
    expect([v.get('i8'), v.get('i64'), v.get('f32'), v.get('b'), v.get('s'), v.get('arr')]).toEqual([0, 0n, 0, false, '', []]);
    expect((v.get('d') as Date).getTime()).toBe(0);
    expect(v.get('dec')).toEqual(new DecimalValue(0n, 0));
    expect(v.get('keep')).toBe('k');
  });

  it('masks with a replacement converted to the field\'s type', () => {
    const v = mask({ fields: 'i8,i64,f32,s,dec', replacement: '300.7' }).apply(sink(row())).value as Struct;
    expect([v.get('i8'), v.get('i64'), v.get('f32'), v.get('s')]).toEqual([44, 300n, Math.fround(300.7), '300.7']);
    expect(v.get('dec')).toEqual(new DecimalValue(3007n, 1));
  });

  it('masks schemaless maps, adding named fields that are missing as null', () => {
    const value = new Map<string, unknown>([['n', 5n], ['s', 'x'], ['keep', 1n]]);
    expect(mask({ fields: 'n,s,gone' }).apply(sink(value, null)).value).toEqual(
      new Map<string, unknown>([['n', 0n], ['s', ''], ['keep', 1n], ['gone', null]]),
    );
  });

  it('fails for values it cannot mask, and for a replacement that does not fit', () => {
    expect(() => mask({ fields: 'raw' }).apply(sink(row()))).toThrow('Cannot mask value of type: class [B');
    expect(() => mask({ fields: 'b', replacement: 'x' }).apply(sink(row()))).toThrow(
      'Cannot mask value of type class java.lang.Boolean with custom replacement.',
    );
    expect(() => mask({ fields: 'i64', replacement: 'abc' }).apply(sink(row()))).toThrow('Unable to convert abc (class java.lang.String) to a number');
  });

  it('requires a struct or map: a tombstone fails, as in Kafka', () => {
    expect(() => mask({ fields: 's' }).apply(sink(null))).toThrow('Only Struct objects supported for [mask fields], found: null');
  });

  it('masks the key with the Key variant', () => {
    const out = mask({ fields: 's' }, 'key').apply(new SinkRecord('t', 0, ROW, row(), null, 'v', 0n));
    expect((out.key as Struct).get('s')).toBe('');
    expect(out.value).toBe('v');
  });

  it('validates its config with Kafka\'s messages', () => {
    expect(() => mask({ fields: '' })).toThrow("Configuration 'fields' must not be empty. Valid values include: any non-empty value");
    expect(() => mask({ fields: 'a,' })).toThrow("Configuration 'fields' values must not be empty.");
    expect(() => mask({ fields: 'a', replacement: '' })).toThrow('Invalid value  for configuration replacement: String must be non-empty');
  });
});

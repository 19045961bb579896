import { describe, expect, it } from 'vitest';
import { ConfigError, DataError } from '../../../src/api/errors.js';
import { SinkRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { ExtractField } from '../../../src/transforms/extract-field.js';

const INNER = SchemaBuilder.struct().field('x', Schemas.INT32_SCHEMA).field('a.b', Schemas.STRING_SCHEMA).build();
const ROW = SchemaBuilder.struct().field('id', Schemas.INT64_SCHEMA)
  .field('n', SchemaBuilder.int32().optional().defaultValue(5).build())
  .field('inner', SchemaBuilder.struct().field('x', Schemas.INT32_SCHEMA).field('a.b', Schemas.STRING_SCHEMA).optional().build())
  .build();

function row(inner = true): Struct {
  const s = new Struct(ROW).put('id', 7n);
  if (inner) s.put('inner', new Struct(ROW.field('inner')!.schema).put('x', 1).put('a.b', 'dot'));
  return s;
}

function extract(configs: Record<string, string>, part: 'key' | 'value' = 'value'): ExtractField<SinkRecord> {
  const t = new ExtractField<SinkRecord>(part);
  t.configure(configs);
  return t;
}

const sink = (value: unknown, schema = ROW as typeof ROW | null) => new SinkRecord('t', 0, null, null, schema, value, 0n);

describe('ExtractField', () => {
  it('replaces a struct value with one field, and its schema with the field\'s', () => {
    const out = extract({ field: 'id' }).apply(sink(row()));
    expect(out.value).toBe(7n);
    expect(out.valueSchema).toBe(Schemas.INT64_SCHEMA);
  });

  it('applies field defaults unless replace.null.with.default is false', () => {
    expect(extract({ field: 'n' }).apply(sink(row())).value).toBe(5);
    expect(extract({ field: 'n', 'replace.null.with.default': 'false' }).apply(sink(row())).value).toBeNull();
  });

  it('reads nested fields with field.syntax.version=V2, backticks for names with dots', () => {
    expect(extract({ field: 'inner.x', 'field.syntax.version': 'V2' }).apply(sink(row())).value).toBe(1);
    expect(extract({ field: 'inner.`a.b`', 'field.syntax.version': 'v2' }).apply(sink(row())).value).toBe('dot');
    expect(extract({ field: 'inner.x', 'field.syntax.version': 'V2' }).apply(sink(row(false))).value).toBeNull();
    const map = new Map<string, unknown>([['a', new Map([['b', 3n]])]]);
    expect(extract({ field: 'a.b', 'field.syntax.version': 'V2' }).apply(sink(map, null)).value).toBe(3n);
  });

  it('takes a dotted name as one field with V1', () => {
    const map = new Map<string, unknown>([['a.b', 1n]]);
    expect(extract({ field: 'a.b' }).apply(sink(map, null)).value).toBe(1n);
  });

  it('fails for an unknown field with a schema, naming it', () => {
    expect(() => extract({ field: 'nope' }).apply(sink(row()))).toThrow(new DataError('Unknown field: nope'));
  });

  it('passes null through and extracts from a key with the Key variant', () => {
    expect(extract({ field: 'id' }).apply(sink(null, null)).value).toBeNull();
    const record = new SinkRecord('t', 0, ROW, row(), null, 'v', 0n);
    expect(extract({ field: 'id' }, 'key').apply(record).key).toBe(7n);
  });

  it('rejects a bad syntax version and an unclosed backtick at configure time', () => {
    expect(() => extract({ field: 'a', 'field.syntax.version': 'V3' })).toThrow(ConfigError);
    expect(() => extract({ field: '`a.b', 'field.syntax.version': 'V2' })).toThrow(
      'Incomplete backtick pair in path: [`a.b], consider adding a backslash before backtick at position 0 to escape it',
    );
  });
});

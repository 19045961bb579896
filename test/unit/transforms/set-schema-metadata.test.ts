import { describe, expect, it } from 'vitest';
import { SinkRecord } from '../../../src/data/record.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { SetSchemaMetadata } from '../../../src/transforms/set-schema-metadata.js';

const ROW = SchemaBuilder.struct().name('old').version(1).doc('a row')
  .field('n', SchemaBuilder.int32().optional().defaultValue(3).build()).build();

function ssm(configs: Record<string, string>, part: 'key' | 'value' = 'value'): SetSchemaMetadata<SinkRecord> {
  const t = new SetSchemaMetadata<SinkRecord>(part);
  t.configure(configs);
  return t;
}

describe('SetSchemaMetadata', () => {
  it('sets the name and version, keeping doc and fields, and rebuilds the struct on the new schema', () => {
    const out = ssm({ 'schema.name': 'com.example.Row', 'schema.version': '2' }).apply(
      new SinkRecord('t', 0, null, null, ROW, new Struct(ROW).put('n', 1), 0n),
    );
    expect([out.valueSchema!.name, out.valueSchema!.version, out.valueSchema!.doc]).toEqual(['com.example.Row', 2, 'a row']);
    expect((out.value as Struct).schema).toBe(out.valueSchema);
    expect((out.value as Struct).get('n')).toBe(1);
  });

  it('keeps a null field null when replace.null.with.default is false', () => {
    const record = new SinkRecord('t', 0, null, null, ROW, new Struct(ROW), 0n);
    expect((ssm({ 'schema.version': '9' }).apply(record).value as Struct).getWithoutDefault('n')).toBe(3);
    expect((ssm({ 'schema.version': '9', 'replace.null.with.default': 'false' }).apply(record).value as Struct).getWithoutDefault('n')).toBeNull();
  });

  it('renames the key schema with the Key variant', () => {
    const out = ssm({ 'schema.name': 'K' }, 'key').apply(new SinkRecord('t', 0, ROW, new Struct(ROW), null, null, 0n));
    expect(out.keySchema!.name).toBe('K');
  });

  it('fails as Kafka 4.3 does: without a schema, and for a schema that is not a struct', () => {
    expect(() => ssm({ 'schema.name': 'x' }).apply(new SinkRecord('t', 0, null, null, null, new Map(), 0n))).toThrow(
      'Schema required for [updating schema metadata]',
    );
    expect(() => ssm({ 'schema.name': 'x' }).apply(new SinkRecord('t', 0, null, null, Schemas.STRING_SCHEMA, 's', 0n))).toThrow(
      'Cannot list fields on non-struct type',
    );
  });

  it('needs a name or a version', () => {
    expect(() => ssm({})).toThrow('Neither schema name nor version configured');
    expect(() => ssm({ 'schema.version': 'two' })).toThrow('Invalid value two for configuration schema.version: Not a number of type INT');
  });
});

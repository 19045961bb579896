import { describe, expect, it } from 'vitest';
import { DataError } from '../../../../src/api/errors.js';
import { SinkRecord, SourceRecord } from '../../../../src/data/record.js';
import { SchemaBuilder } from '../../../../src/data/schema-builder.js';
import { Schemas } from '../../../../src/data/schemas.js';
import { Struct } from '../../../../src/data/struct.js';
import {
  requireMap,
  requireMapOrNull,
  requireSchema,
  requireSinkRecord,
  requireStruct,
  requireStructOrNull,
} from '../../../../src/transforms/util/requirements.js';
import { copySchemaBasics } from '../../../../src/transforms/util/schema-util.js';

describe('Requirements', () => {
  it('accepts what is required and names the Java class of anything else, as Kafka does', () => {
    const struct = new Struct(SchemaBuilder.struct().field('a', Schemas.INT32_SCHEMA).build()).put('a', 1);
    expect(requireStruct(struct, 'p')).toBe(struct);
    expect(requireMap(new Map(), 'p')).toEqual(new Map());
    expect(requireMapOrNull(null, 'p')).toBeNull();
    expect(requireStructOrNull(undefined, 'p')).toBeNull();
    expect(() => requireMap(5n, 'purpose')).toThrow(new DataError('Only Map objects supported in absence of schema for [purpose], found: java.lang.Long'));
    expect(() => requireMap(null, 'purpose')).toThrow('found: null');
    expect(() => requireStruct(new Map(), 'purpose')).toThrow(new DataError('Only Struct objects supported for [purpose], found: java.util.HashMap'));
    expect(() => requireStruct(new Uint8Array(1), 'purpose')).toThrow('found: [B');
    expect(() => requireSchema(null, 'purpose')).toThrow(new DataError('Schema required for [purpose]'));
  });

  it('tells sink records from source records', () => {
    const sink = new SinkRecord('t', 0, null, null, null, null, 0n);
    expect(requireSinkRecord(sink, 'offset field')).toBe(sink);
    const source = new SourceRecord({}, {}, 't', null, null, null, null, null);
    expect(() => requireSinkRecord(source, 'offset field')).toThrow(
      new DataError('Only SinkRecord supported for [offset field], found: org.apache.kafka.connect.source.SourceRecord'),
    );
  });
});

describe('copySchemaBasics', () => {
  it('copies name, version, doc and parameters, not optionality or default', () => {
    const source = SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).name('m').version(3).doc('d')
      .parameter('k', 'v').optional().build();
    const copy = copySchemaBasics(source).build();
    expect([copy.type, copy.name, copy.version, copy.doc, copy.parameters, copy.optional]).toEqual(['MAP', 'm', 3, 'd', { k: 'v' }, false]);
    expect(copy.valueSchema).toBe(Schemas.INT32_SCHEMA);
    expect(copySchemaBasics(source, SchemaBuilder.struct()).build().type).toBe('STRUCT');
  });
});

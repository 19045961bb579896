// Avro schema -> Connect schema, for schemas that did not come from Connect (as AvroData maps
// them) and for schemas that did (a Connect -> Avro -> Connect round trip gives the schema back).
import { describe, expect, it } from 'vitest';
import { DEFAULT_AVRO_DATA_OPTIONS } from '../../../../src/converters/avro/avro-constants.js';
import { avroSchemaToString, parseAvroSchema } from '../../../../src/converters/avro/avro-schema.js';
import { fromConnectSchema } from '../../../../src/converters/avro/from-connect.js';
import { toConnectSchema } from '../../../../src/converters/avro/to-connect.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue } from '../../../../src/data/logical.js';
import { type Schema, Type } from '../../../../src/data/schema.js';
import { SchemaBuilder } from '../../../../src/data/schema-builder.js';
import { Schemas } from '../../../../src/data/schemas.js';

function connect(avroText: string, version: number | null = null, options = DEFAULT_AVRO_DATA_OPTIONS): Schema {
  return toConnectSchema(parseAvroSchema(avroText), version, options);
}

const USER = JSON.stringify({
  type: 'record',
  name: 'User',
  namespace: 'com.acme',
  doc: 'a user',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'email', type: ['null', 'string'], default: null },
    { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
    { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
    { name: 'either', type: ['int', 'string', 'null'] },
    { name: 'tags', type: { type: 'array', items: 'string' }, default: [] },
    { name: 'score', type: 'double', default: 1.5 },
    { name: 'again', type: 'Color' },
  ],
});

describe('toConnectSchema: plain Avro schemas', () => {
  const user = connect(USER, 7);

  it('maps a record to a struct named by its full name, with the registry version', () => {
    expect(user.type).toBe(Type.STRUCT);
    expect(user.name).toBe('com.acme.User');
    expect(user.version).toBe(7);
    expect(user.parameters).toEqual({ 'io.confluent.connect.avro.record.doc': 'a user' });
    expect(user.fields().map((f) => f.name)).toEqual(['id', 'email', 'color', 'hash', 'either', 'tags', 'score', 'again']);
    expect(user.field('id')!.schema.type).toBe(Type.INT64);
  });

  it('maps a union of null and one type to an optional', () => {
    const email = user.field('email')!.schema;
    expect([email.type, email.optional, email.defaultValue]).toEqual([Type.STRING, true, null]);
  });

  it('maps an enum to a string with io.confluent.connect.avro.Enum parameters', () => {
    const color = user.field('color')!.schema;
    expect(color.type).toBe(Type.STRING);
    expect(color.name).toBe('com.acme.Color');
    expect(color.parameters).toEqual({
      'io.confluent.connect.avro.Enum': 'com.acme.Color',
      'io.confluent.connect.avro.Enum.RED': 'RED',
      'io.confluent.connect.avro.Enum.GREEN': 'GREEN',
    });
    // A later reference by name is the same enum.
    expect(user.field('again')!.schema.equals(color)).toBe(true);
  });

  it('maps fixed to bytes', () => {
    expect(user.field('hash')!.schema.type).toBe(Type.BYTES);
  });

  it('maps a general union to an io.confluent.connect.avro.Union struct', () => {
    const either = user.field('either')!.schema;
    expect(either.type).toBe(Type.STRUCT);
    expect(either.name).toBe('io.confluent.connect.avro.Union');
    expect(either.optional).toBe(true);
    expect(either.fields().map((f) => [f.name, f.schema.type, f.schema.optional])).toEqual([
      ['int', Type.INT32, true],
      ['string', Type.STRING, true],
    ]);
  });

  it('carries Avro field defaults, flagged as coming from Avro', () => {
    const score = user.field('score')!.schema;
    expect(score.defaultValue).toBe(1.5);
    expect(score.parameters).toEqual({ 'io.confluent.connect.avro.field.default': 'true' });
    expect(user.field('tags')!.schema.defaultValue).toEqual([]);
  });

  it('reads logical types that other producers write', () => {
    const schema = connect(JSON.stringify({
      type: 'record', name: 'L', fields: [
        { name: 'd', type: { type: 'int', logicalType: 'date' } },
        { name: 't', type: { type: 'int', logicalType: 'time-millis' } },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'dec', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 2 } },
      ],
    }));
    expect(schema.field('d')!.schema.equals(ConnectDate.SCHEMA)).toBe(true);
    expect(schema.field('t')!.schema.equals(ConnectTime.SCHEMA)).toBe(true);
    expect(schema.field('ts')!.schema.equals(ConnectTimestamp.SCHEMA)).toBe(true);
    expect(schema.field('dec')!.schema.equals(Decimal.builder(2).parameter('connect.decimal.precision', '10').build())).toBe(true);
  });

  it('rejects a standalone null and a decimal without a scale, saying why', () => {
    expect(() => connect('"null"')).toThrow('Standalone null schemas are not supported by this converter');
    expect(() => connect('{"type":"bytes","logicalType":"decimal"}')).toThrow('scale must be specified and must be a number.');
    expect(() => connect('{"type":"record","name":"R","fields":[{"name":"a","type":"Nope"}]}')).toThrow('undefined name "Nope"');
  });

  it('names enum union members by their simple name, or full name with enhanced.avro.schema.support', () => {
    const text = JSON.stringify(['string', { type: 'record', name: 'a.b.Rec', fields: [{ name: 'x', type: 'int' }] }]);
    expect(connect(text).fields().map((f) => f.name)).toEqual(['string', 'Rec']);
    expect(connect(text, null, { ...DEFAULT_AVRO_DATA_OPTIONS, enhancedSchemaSupport: true }).fields().map((f) => f.name)).toEqual(['string', 'a.b.Rec']);
  });
});

describe('Connect -> Avro -> Connect', () => {
  const address = SchemaBuilder.struct().name('com.example.Address').version(2).doc('where').field('street', Schemas.STRING_SCHEMA).optional().build();
  const full = SchemaBuilder.struct()
    .name('com.example.Everything')
    .version(1)
    .field('i8', Schemas.INT8_SCHEMA)
    .field('i16', Schemas.INT16_SCHEMA)
    .field('i32', SchemaBuilder.int32().defaultValue(42).build())
    .field('i64', SchemaBuilder.int64().defaultValue(7n).build())
    .field('f32', Schemas.FLOAT32_SCHEMA)
    .field('f64', Schemas.OPTIONAL_FLOAT64_SCHEMA)
    .field('bool', Schemas.BOOLEAN_SCHEMA)
    .field('str', SchemaBuilder.string().optional().defaultValue('dflt').build())
    .field('bytes', Schemas.BYTES_SCHEMA)
    .field('dec', Decimal.builder(3).defaultValue(new DecimalValue(-1234n, 3)).build())
    .field('date', ConnectDate.SCHEMA)
    .field('time', ConnectTime.SCHEMA)
    .field('ts', ConnectTimestamp.builder().optional().build())
    .field('list', SchemaBuilder.array(Schemas.OPTIONAL_STRING_SCHEMA).build())
    .field('smap', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).build())
    .field('imap', SchemaBuilder.map(Schemas.INT64_SCHEMA, Schemas.STRING_SCHEMA).optional().build())
    .field('address', address)
    .field('params', SchemaBuilder.string().parameter('length', '10').doc('a doc').build())
    .build();

  it('gives the same Connect schema back', () => {
    const text = avroSchemaToString(fromConnectSchema(full, DEFAULT_AVRO_DATA_OPTIONS));
    const back = connect(text, 99);
    for (const f of full.fields()) expect(back.field(f.name)!.schema.equals(f.schema), f.name).toBe(true);
    expect(back.equals(full)).toBe(true);
  });

  it('parses its own output to an equal Avro schema text', () => {
    const text = avroSchemaToString(fromConnectSchema(full, DEFAULT_AVRO_DATA_OPTIONS));
    expect(avroSchemaToString(parseAvroSchema(text))).toBe(text);
  });
});

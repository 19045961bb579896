// Connect schema -> Avro schema text, checked against what Confluent's AvroData writes (the
// expected strings are the Avro Schema.toString() output of AvroData.fromConnectSchema).
import { describe, expect, it } from 'vitest';
import { avroSchemaToString } from '../../../../src/converters/avro/avro-schema.js';
import { DEFAULT_AVRO_DATA_OPTIONS } from '../../../../src/converters/avro/avro-constants.js';
import { fromConnectSchema } from '../../../../src/converters/avro/from-connect.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue } from '../../../../src/data/logical.js';
import type { Schema } from '../../../../src/data/schema.js';
import { SchemaBuilder } from '../../../../src/data/schema-builder.js';
import { Schemas } from '../../../../src/data/schemas.js';

function avro(schema: Schema, options = DEFAULT_AVRO_DATA_OPTIONS): unknown {
  return JSON.parse(avroSchemaToString(fromConnectSchema(schema, options)));
}

describe('fromConnectSchema: primitives', () => {
  it('maps each Connect primitive to its Avro type', () => {
    expect(avro(Schemas.INT32_SCHEMA)).toBe('int');
    expect(avro(Schemas.INT64_SCHEMA)).toBe('long');
    expect(avro(Schemas.FLOAT32_SCHEMA)).toBe('float');
    expect(avro(Schemas.FLOAT64_SCHEMA)).toBe('double');
    expect(avro(Schemas.BOOLEAN_SCHEMA)).toBe('boolean');
    expect(avro(Schemas.STRING_SCHEMA)).toBe('string');
    expect(avro(Schemas.BYTES_SCHEMA)).toBe('bytes');
  });

  it('keeps int8 and int16 as int with connect.type', () => {
    expect(avro(Schemas.INT8_SCHEMA)).toEqual({ type: 'int', 'connect.type': 'int8' });
    expect(avro(Schemas.INT16_SCHEMA)).toEqual({ type: 'int', 'connect.type': 'int16' });
  });

  it('makes an optional a union with null first, and null second when it has a default', () => {
    expect(avro(Schemas.OPTIONAL_STRING_SCHEMA)).toEqual(['null', 'string']);
    expect(avro(SchemaBuilder.string().optional().defaultValue('x').build())).toEqual([{ type: 'string', 'connect.default': 'x' }, 'null']);
  });

  it('writes connect.doc, connect.version, connect.parameters and connect.name', () => {
    const schema = SchemaBuilder.string().name('com.example.Code').version(3).doc('a code').parameter('k', 'v').build();
    expect(avroSchemaToString(fromConnectSchema(schema, DEFAULT_AVRO_DATA_OPTIONS))).toBe(
      '{"type":"string","connect.doc":"a code","connect.version":3,"connect.parameters":{"k":"v"},"connect.name":"com.example.Code"}',
    );
  });

  it('writes no connect.* properties with connect.meta.data=false', () => {
    const schema = SchemaBuilder.string().name('com.example.Code').version(3).doc('a code').build();
    expect(avro(schema, { ...DEFAULT_AVRO_DATA_OPTIONS, connectMetaData: false })).toBe('string');
  });
});

describe('fromConnectSchema: logical types', () => {
  it('writes Decimal as bytes with scale, precision 64 and logicalType decimal', () => {
    expect(avroSchemaToString(fromConnectSchema(Decimal.schema(2), DEFAULT_AVRO_DATA_OPTIONS))).toBe(
      '{"type":"bytes","scale":2,"precision":64,"connect.version":1,"connect.parameters":{"scale":"2"},"connect.name":"org.apache.kafka.connect.data.Decimal","logicalType":"decimal"}',
    );
  });

  it('takes the precision from connect.decimal.precision', () => {
    const schema = Decimal.builder(3).parameter('connect.decimal.precision', '10').build();
    expect(avro(schema)).toMatchObject({ type: 'bytes', scale: 3, precision: 10, logicalType: 'decimal' });
  });

  it('writes Date, Time and Timestamp with their Avro logical types', () => {
    expect(avroSchemaToString(fromConnectSchema(ConnectDate.SCHEMA, DEFAULT_AVRO_DATA_OPTIONS))).toBe(
      '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Date","logicalType":"date"}',
    );
    expect(avroSchemaToString(fromConnectSchema(ConnectTime.SCHEMA, DEFAULT_AVRO_DATA_OPTIONS))).toBe(
      '{"type":"int","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Time","logicalType":"time-millis"}',
    );
    expect(avroSchemaToString(fromConnectSchema(ConnectTimestamp.SCHEMA, DEFAULT_AVRO_DATA_OPTIONS))).toBe(
      '{"type":"long","connect.version":1,"connect.name":"org.apache.kafka.connect.data.Timestamp","logicalType":"timestamp-millis"}',
    );
  });
});

describe('fromConnectSchema: containers', () => {
  it('maps arrays, string-keyed maps to Avro maps, other keys to arrays of MapEntry records', () => {
    expect(avro(SchemaBuilder.array(Schemas.INT32_SCHEMA).build())).toEqual({ type: 'array', items: 'int' });
    expect(avro(SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT64_SCHEMA).build())).toEqual({ type: 'map', values: 'long' });
    expect(avro(SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.STRING_SCHEMA).build())).toEqual({
      type: 'array',
      items: {
        type: 'record',
        name: 'MapEntry',
        namespace: 'io.confluent.connect.avro',
        fields: [
          { name: 'key', type: 'int' },
          { name: 'value', type: 'string' },
        ],
      },
    });
    // An optional string key is not an Avro map key either.
    expect(avro(SchemaBuilder.map(Schemas.OPTIONAL_STRING_SCHEMA, Schemas.STRING_SCHEMA).build())).toMatchObject({ type: 'array' });
  });

  it('names a struct from its Connect name, with connect.name', () => {
    const schema = SchemaBuilder.struct().name('com.example.Person').field('name', Schemas.STRING_SCHEMA).build();
    expect(avroSchemaToString(fromConnectSchema(schema, DEFAULT_AVRO_DATA_OPTIONS))).toBe(
      '{"type":"record","name":"Person","namespace":"com.example","fields":[{"name":"name","type":"string"}],"connect.name":"com.example.Person"}',
    );
  });

  it('names unnamed structs ConnectDefault, ConnectDefault2, ... in the default namespace', () => {
    const inner = SchemaBuilder.struct().field('x', Schemas.INT32_SCHEMA).build();
    const other = SchemaBuilder.struct().field('y', Schemas.INT32_SCHEMA).build();
    const outer = SchemaBuilder.struct().field('a', inner).field('b', other).field('c', inner).build();
    expect(avro(outer)).toEqual({
      type: 'record',
      name: 'ConnectDefault',
      namespace: 'io.confluent.connect.avro',
      fields: [
        { name: 'a', type: { type: 'record', name: 'ConnectDefault2', fields: [{ name: 'x', type: 'int' }] } },
        { name: 'b', type: { type: 'record', name: 'ConnectDefault3', fields: [{ name: 'y', type: 'int' }] } },
        // The same schema again is the same Avro type, written by name.
        { name: 'c', type: 'ConnectDefault2' },
      ],
    });
  });

  it('gives optional fields a null default and required fields with defaults their default', () => {
    const schema = SchemaBuilder.struct()
      .name('r.R')
      .field('opt', Schemas.OPTIONAL_INT32_SCHEMA)
      .field('withDefault', SchemaBuilder.int32().defaultValue(5).build())
      .field('bytes', SchemaBuilder.bytes().defaultValue(new Uint8Array([0x41, 0xe9])).build())
      .field('price', Decimal.builder(1).defaultValue(new DecimalValue(15n, 1)).build())
      .build();
    const json = avro(schema) as { fields: unknown[] };
    expect(json.fields).toEqual([
      { name: 'opt', type: ['null', 'int'], default: null },
      { name: 'withDefault', type: { type: 'int', 'connect.default': 5 }, default: 5 },
      { name: 'bytes', type: { type: 'bytes', 'connect.default': 'Aé' }, default: 'Aé' },
      {
        name: 'price',
        type: {
          type: 'bytes', scale: 1, precision: 64, 'connect.version': 1, 'connect.parameters': { scale: '1' },
          'connect.default': '\u000f', 'connect.name': 'org.apache.kafka.connect.data.Decimal', logicalType: 'decimal',
        },
        default: '\u000f',
      },
    ]);
  });

  it('writes an optional struct as a union of null and the record', () => {
    const inner = SchemaBuilder.struct().name('a.In').field('x', Schemas.INT32_SCHEMA).optional().build();
    const schema = SchemaBuilder.struct().name('a.Out').field('in', inner).build();
    expect((avro(schema) as { fields: unknown[] }).fields).toEqual([
      { name: 'in', type: ['null', { type: 'record', name: 'In', fields: [{ name: 'x', type: 'int' }], 'connect.name': 'a.In' }], default: null },
    ]);
  });

  it('writes a Connect Union struct back as an Avro union', () => {
    const union = SchemaBuilder.struct()
      .name('io.confluent.connect.avro.Union')
      .field('int', Schemas.OPTIONAL_INT32_SCHEMA)
      .field('string', Schemas.OPTIONAL_STRING_SCHEMA)
      .build();
    expect(avro(union)).toEqual(['int', 'string']);
  });

  it('writes an enum back as an Avro enum with enhanced.avro.schema.support', () => {
    const schema = SchemaBuilder.string()
      .name('com.example.Color')
      .parameter('io.confluent.connect.avro.Enum', 'com.example.Color')
      .parameter('io.confluent.connect.avro.Enum.RED', 'RED')
      .parameter('io.confluent.connect.avro.Enum.GREEN', 'GREEN')
      .build();
    expect(avro(schema, { ...DEFAULT_AVRO_DATA_OPTIONS, enhancedSchemaSupport: true })).toMatchObject({
      type: 'enum', name: 'Color', namespace: 'com.example', symbols: ['RED', 'GREEN'],
    });
    expect(avro(schema)).toMatchObject({ type: 'string' });
  });

  it('scrubs invalid names with scrub.invalid.names', () => {
    const schema = SchemaBuilder.struct().name('my-ns.1Rec').field('a-b', Schemas.INT32_SCHEMA).build();
    const json = avro(schema, { ...DEFAULT_AVRO_DATA_OPTIONS, scrubInvalidNames: true }) as { name: string; namespace: string; fields: { name: string }[] };
    expect([json.namespace, json.name, json.fields[0]!.name]).toEqual(['my_ns', '_1Rec', 'a_b']);
  });

});

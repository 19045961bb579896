// Connect values through Avro binary and back (AvroData + avsc), and the Confluent wire format.
import { describe, expect, it } from 'vitest';
import { AvroData } from '../../../../src/converters/avro/avro-data.js';
import { frame, unframe } from '../../../../src/converters/avro/wire-format.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue } from '../../../../src/data/logical.js';
import type { Schema } from '../../../../src/data/schema.js';
import { SchemaBuilder } from '../../../../src/data/schema-builder.js';
import { Schemas } from '../../../../src/data/schemas.js';
import { Struct } from '../../../../src/data/struct.js';

/** Encode with the schema AvroData made, decode with the same text (as a reader given the id would). */
function roundTrip(schema: Schema, value: unknown, data = new AvroData()): { bytes: Buffer; schema: Schema; value: unknown } {
  const write = data.fromConnectSchema(schema);
  const bytes = write.codec.encode(data.fromConnectData(schema, write.avro, value));
  const read = data.toConnectSchema(write.text, null);
  return { bytes, schema: read.connect, value: data.toConnectData(read, read.codec.decode(bytes)) };
}

describe('Avro values', () => {
  it('encodes primitives as Avro binary', () => {
    expect(roundTrip(Schemas.INT32_SCHEMA, -3).bytes).toEqual(Buffer.from([0x05])); // zig-zag
    expect(roundTrip(Schemas.STRING_SCHEMA, 'hé').bytes).toEqual(Buffer.from([0x06, 0x68, 0xc3, 0xa9]));
    expect(roundTrip(Schemas.BOOLEAN_SCHEMA, true).bytes).toEqual(Buffer.from([0x01]));
    expect(roundTrip(Schemas.OPTIONAL_INT64_SCHEMA, null).bytes).toEqual(Buffer.from([0x00])); // union branch 0: null
    expect(roundTrip(Schemas.OPTIONAL_INT64_SCHEMA, 1n).bytes).toEqual(Buffer.from([0x02, 0x02])); // branch 1, long 1
  });

  it('round-trips every Connect type', () => {
    const inner = SchemaBuilder.struct().name('com.example.Inner').field('n', Schemas.INT32_SCHEMA).optional().build();
    const schema = SchemaBuilder.struct()
      .name('com.example.All')
      .field('i8', Schemas.INT8_SCHEMA)
      .field('i16', Schemas.INT16_SCHEMA)
      .field('i32', Schemas.INT32_SCHEMA)
      .field('i64', Schemas.INT64_SCHEMA)
      .field('f32', Schemas.FLOAT32_SCHEMA)
      .field('f64', Schemas.FLOAT64_SCHEMA)
      .field('bool', Schemas.BOOLEAN_SCHEMA)
      .field('str', Schemas.STRING_SCHEMA)
      .field('bytes', Schemas.BYTES_SCHEMA)
      .field('dec', Decimal.schema(2))
      .field('date', ConnectDate.SCHEMA)
      .field('time', ConnectTime.SCHEMA)
      .field('ts', ConnectTimestamp.SCHEMA)
      .field('list', SchemaBuilder.array(Schemas.OPTIONAL_STRING_SCHEMA).build())
      .field('smap', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.FLOAT64_SCHEMA).build())
      .field('imap', SchemaBuilder.map(Schemas.INT32_SCHEMA, inner).build())
      .field('inner', inner)
      .field('missing', inner)
      .build();
    const value = new Struct(schema)
      .put('i8', -128)
      .put('i16', 32767)
      .put('i32', -2147483648)
      .put('i64', -(2n ** 63n))
      .put('f32', 1.5)
      .put('f64', Math.PI)
      .put('bool', false)
      .put('str', 'ünïcødé ✓')
      .put('bytes', new Uint8Array([0, 255, 7]))
      .put('dec', new DecimalValue(-123456789012345678901234567890n, 2))
      .put('date', new Date(Date.UTC(2024, 1, 29)))
      .put('time', new Date(13 * 3600_000 + 1))
      .put('ts', new Date(1_700_000_000_123))
      .put('list', ['a', null, 'c'])
      .put('smap', new Map([['x', 1.25], ['y', -0]]))
      .put('imap', new Map([[1, new Struct(inner).put('n', 10)], [2, null]]))
      .put('inner', new Struct(inner).put('n', 5));
    const back = roundTrip(schema, value);
    expect(back.schema.equals(schema)).toBe(true);
    expect((back.value as Struct).equals(value)).toBe(true);
    expect(String(back.value)).toBe(String(value));
  });

  it('reads an Avro enum as its symbol and a union into the Union struct', () => {
    const data = new AvroData();
    const text = JSON.stringify({
      type: 'record', name: 'E', fields: [
        { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
        { name: 'either', type: ['int', 'string'] },
        { name: 'fix', type: { type: 'fixed', name: 'F', size: 2 } },
      ],
    });
    const read = data.toConnectSchema(text, null);
    const bytes = read.codec.encode({ color: 'GREEN', either: { string: 'yes' }, fix: Buffer.from([1, 2]) });
    const value = data.toConnectData(read, read.codec.decode(bytes)) as Struct;
    expect(value.get('color')).toBe('GREEN');
    expect(value.getStruct('either')!.get('string')).toBe('yes');
    expect(value.getStruct('either')!.get('int')).toBe(null);
    expect(value.get('fix')).toEqual(new Uint8Array([1, 2]));
  });

  it('rejects values that do not fit, naming the type', () => {
    const data = new AvroData();
    const write = data.fromConnectSchema(Schemas.INT32_SCHEMA);
    expect(() => data.fromConnectData(Schemas.INT32_SCHEMA, write.avro, 'x')).toThrow('Invalid type for INT32');
    expect(() => data.fromConnectData(Schemas.INT32_SCHEMA, write.avro, null)).toThrow('Found null value for non-optional schema');
    const dec = Decimal.schema(2);
    expect(() => data.fromConnectData(dec, data.fromConnectSchema(dec).avro, new DecimalValue(1n, 3))).toThrow(/scale/i);
  });
});

describe('wire format', () => {
  it('is magic byte 0, a big-endian 4-byte schema id, then the payload', () => {
    const framed = frame(0x01020304, Buffer.from([0xaa, 0xbb]));
    expect([...framed]).toEqual([0, 1, 2, 3, 4, 0xaa, 0xbb]);
    const { schemaId, payload } = unframe(framed);
    expect(schemaId).toBe(0x01020304);
    expect([...payload]).toEqual([0xaa, 0xbb]);
  });

  it('rejects a message that does not start with the magic byte', () => {
    expect(() => unframe(Buffer.from('{"json":true}'))).toThrow('Unknown magic byte!');
    expect(() => unframe(Buffer.from([0, 0, 0]))).toThrow('Unknown magic byte!');
  });
});

/**
 * MsgPackConverter: plain MessagePack by default (readable by any MessagePack library: checked
 * with msgpackr's own standard-mode unpack), the schema envelope with schemas.enable=true (every
 * Connect type back as it went in), msgpackr record structures when configured, and errors that
 * name the topic.
 */
import { pack, Unpackr } from 'msgpackr';
import { describe, expect, it } from 'vitest';
import { JsonConverter } from '../../../src/converters/json.js';
import { MsgPackConverter } from '../../../src/converters/msgpack/msgpack-converter.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue } from '../../../src/data/logical.js';
import { SchemaBuilder } from '../../../src/data/schema-builder.js';
import { Schemas } from '../../../src/data/schemas.js';
import { Struct } from '../../../src/data/struct.js';
import { registerBuiltins } from '../../../src/plugins/builtins.js';

const hex = (b: Uint8Array | null) => (b === null ? null : Buffer.from(b).toString('hex'));
/** A plain MessagePack reader, as another application would use. */
const standard = new Unpackr({ useRecords: false, mapsAsObjects: false, int64AsType: 'bigint' });

function converter(configs: Record<string, string> = {}, isKey = false): MsgPackConverter {
  const c = new MsgPackConverter();
  c.configure(configs, isKey);
  return c;
}

function errorOf(run: () => unknown): Error {
  try {
    run();
  } catch (e) {
    return e as Error;
  }
  throw new Error('expected an error');
}

const ROW = SchemaBuilder.struct()
  .name('shop.Order')
  .field('i8', Schemas.INT8_SCHEMA)
  .field('i16', Schemas.INT16_SCHEMA)
  .field('i32', Schemas.INT32_SCHEMA)
  .field('i64', Schemas.INT64_SCHEMA)
  .field('big', Schemas.INT64_SCHEMA)
  .field('f32', Schemas.FLOAT32_SCHEMA)
  .field('f64', Schemas.FLOAT64_SCHEMA)
  .field('whole', Schemas.FLOAT64_SCHEMA)
  .field('ok', Schemas.BOOLEAN_SCHEMA)
  .field('name', Schemas.STRING_SCHEMA)
  .field('raw', Schemas.BYTES_SCHEMA)
  .field('tags', SchemaBuilder.array(Schemas.STRING_SCHEMA).build())
  .field('counts', SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.INT64_SCHEMA).build())
  .field('nested', SchemaBuilder.struct().field('x', Schemas.OPTIONAL_STRING_SCHEMA).build())
  .field('missing', Schemas.OPTIONAL_INT32_SCHEMA)
  .field('price', Decimal.schema(2))
  .field('day', ConnectDate.SCHEMA)
  .field('at', ConnectTime.SCHEMA)
  .field('ts', ConnectTimestamp.SCHEMA)
  .build();

function row(): Struct {
  return new Struct(ROW)
    .put('i8', -128)
    .put('i16', 32767)
    .put('i32', -2147483648)
    .put('i64', 42n)
    .put('big', 2n ** 63n - 1n)
    .put('f32', Math.fround(0.1))
    .put('f64', 0.1)
    .put('whole', 3)
    .put('ok', true)
    .put('name', 'ünïcødé 🚀')
    .put('raw', new Uint8Array([0, 255, 7]))
    .put('tags', ['a', 'b'])
    .put('counts', new Map([[1, 9007199254740993n], [-2, -1n]]))
    .put('nested', new Struct(ROW.field('nested')!.schema).put('x', null))
    .put('price', DecimalValue.parse('-1234.56'))
    .put('day', new Date(Date.UTC(2024, 1, 29)))
    .put('at', new Date(12 * 3600_000 + 34))
    .put('ts', new Date(Date.UTC(2026, 10, 24, 3, 30, 0, 123)));
}

describe('MsgPackConverter: registration and configuration', () => {
  it('is registered as a converter and a header converter, by class name and by the alias MsgPack', () => {
    const registry = registerBuiltins();
    expect(registry.converter('MsgPack').className).toBe('dev.sluice.connect.converters.MsgPackConverter');
    expect(registry.newConverter('dev.sluice.connect.converters.MsgPackConverter')).toBeInstanceOf(MsgPackConverter);
    expect(registry.headerConverter('MsgPack').create()).toBeInstanceOf(MsgPackConverter);
  });

  it('defaults to schemaless, no record structures', () => {
    expect(new MsgPackConverter().config().parse({ 'converter.type': 'value' })).toMatchObject({
      'schemas.enable': false,
      'schemas.cache.size': 1000,
      'msgpack.shared.structures': false,
      'msgpack.structures': '[]',
    });
  });

  it('rejects a malformed msgpack.structures, naming the key', () => {
    for (const bad of ['[["a"]', '{"a":1}', '[["a","a"]]', '[[]]', '[[1]]']) {
      const error = errorOf(() => converter({ 'msgpack.shared.structures': 'true', 'msgpack.structures': bad }));
      expect(error.name).toBe('ConfigException');
      expect(error.message).toContain('msgpack.structures');
    }
  });
});

describe('MsgPackConverter: schemaless (default)', () => {
  const c = converter();

  it('writes standard MessagePack that any reader decodes', () => {
    expect(hex(c.fromConnectData('t', null, null, new Map([['a', 1]])))).toBe('81a16101');
    expect(hex(c.fromConnectData('t', null, null, 'hi'))).toBe('a26869');
    expect(hex(c.fromConnectData('t', null, null, new Uint8Array([1, 2])))).toBe('c4020102');
    expect(hex(c.fromConnectData('t', null, null, [true, null, 1.5]))).toBe('93c3c0cb3ff8000000000000');
    expect(hex(c.fromConnectData('t', null, null, -1))).toBe('ff');
    const written = c.fromConnectData('t', null, null, new Map<unknown, unknown>([['seq', 5n], [7, ['x']]]))!;
    expect(standard.unpack(written)).toEqual(new Map<unknown, unknown>([['seq', 5n], [7, ['x']]]));
  });

  it('keeps a bigint a 64-bit integer, and an integral number beyond 32 bits an integer', () => {
    expect(hex(c.fromConnectData('t', null, null, 7n))).toBe('d30000000000000007');
    expect(c.toConnectData('t', null, c.fromConnectData('t', null, null, 7n)).value).toBe(7n);
    expect(hex(c.fromConnectData('t', null, null, 2 ** 40))).toBe('d30000010000000000');
    expect(c.toConnectData('t', null, c.fromConnectData('t', null, null, 2 ** 40)).value).toBe(2n ** 40n);
    expect(c.toConnectData('t', null, c.fromConnectData('t', null, null, 4294967295)).value).toBe(4294967295);
  });

  it('reads maps back as Maps with no schema, and any MessagePack map too', () => {
    const value = new Map<unknown, unknown>([['user', 'u-1'], ['n', new Map([['deep', [1, 2]]])]]);
    expect(c.toConnectData('t', null, c.fromConnectData('t', null, null, value))).toEqual({ schema: null, value });
    expect(c.toConnectData('t', null, pack({ a: { b: 1 } })).value).toEqual(new Map([['a', new Map([['b', 1]])]]));
  });

  it('writes a struct as a map of its fields, in order, and logical values in Connect\'s physical form', () => {
    const written = c.fromConnectData('t', null, ROW, row())!;
    const read = standard.unpack(written) as Map<string, unknown>;
    expect([...read.keys()]).toEqual(ROW.fields().map((f) => f.name));
    expect(read.get('big')).toBe(2n ** 63n - 1n);
    expect(read.get('price')).toEqual(Buffer.from(Decimal.fromLogical(Decimal.schema(2), DecimalValue.parse('-1234.56'))));
    expect(read.get('day')).toBe(19782);
    expect(read.get('ts')).toBe(BigInt(Date.UTC(2026, 10, 24, 3, 30, 0, 123)));
    expect(read.get('missing')).toBeNull();
  });

  it('turns null into a tombstone and back', () => {
    expect(c.fromConnectData('t', null, null, null)).toBeNull();
    expect(c.toConnectData('t', null, null)).toEqual({ schema: null, value: null });
  });
});

describe('MsgPackConverter: schemas.enable=true', () => {
  const c = converter({ 'schemas.enable': 'true' });

  it('brings every Connect type back exactly, with its schema', () => {
    const written = c.fromConnectData('orders', null, ROW, row());
    const read = c.toConnectData('orders', null, written);
    expect(read.schema!.equals(ROW)).toBe(true);
    const struct = read.value as Struct;
    expect(struct.equals(row())).toBe(true);
    expect(struct.get('big')).toBe(2n ** 63n - 1n);
    expect(struct.get('f32')).toBe(Math.fround(0.1));
    expect((struct.get('counts') as Map<number, bigint>).get(1)).toBe(9007199254740993n);
    expect(struct.get('price')).toEqual(DecimalValue.parse('-1234.56'));
  });

  it('writes a {schema, payload} map whose schema is JsonConverter\'s schema JSON', () => {
    const envelope = standard.unpack(c.fromConnectData('t', null, Schemas.INT64_SCHEMA, 9007199254740993n)!) as Map<string, unknown>;
    expect([...envelope.keys()]).toEqual(['schema', 'payload']);
    expect(envelope.get('schema')).toBe('{"type":"int64","optional":false}');
    expect(envelope.get('payload')).toBe(9007199254740993n);
    const json = new JsonConverter();
    json.configure({}, false);
    const structEnvelope = standard.unpack(c.fromConnectData('t', null, ROW, row())!) as Map<string, unknown>;
    expect(structEnvelope.get('schema')).toBe(json.asJsonSchema(ROW));
  });

  it('writes a null schema for a schemaless value, and reads it back schemaless', () => {
    const written = c.fromConnectData('t', null, null, new Map([['k', 1]]));
    expect(standard.unpack(written!)).toEqual(new Map<string, unknown>([['schema', null], ['payload', new Map([['k', 1]])]]));
    expect(c.toConnectData('t', null, written)).toEqual({ schema: null, value: new Map([['k', 1]]) });
  });

  it('restores float types that MessagePack carried as ints', () => {
    const read = c.toConnectData('t', null, c.fromConnectData('t', null, Schemas.FLOAT32_SCHEMA, 2));
    expect(read).toEqual({ schema: Schemas.FLOAT32_SCHEMA, value: 2 });
  });

  it('works as a header converter', () => {
    const h = registerBuiltins().headerConverter('MsgPack').create();
    h.configure({ 'schemas.enable': 'true' });
    const bytes = h.fromConnectHeader('t', 'when', ConnectTimestamp.SCHEMA, new Date(1700000000000));
    expect(h.toConnectHeader('t', 'when', bytes)).toEqual({ schema: ConnectTimestamp.SCHEMA, value: new Date(1700000000000) });
  });
});

describe('MsgPackConverter: errors name the topic', () => {
  it('for data that is not MessagePack', () => {
    // An array of two holding one element: the data ends early.
    const error = errorOf(() => converter().toConnectData('orders', null, Buffer.from([0x92, 0x01])));
    expect(error.name).toBe('DataException');
    expect(error.message).toMatch(/^Failed to deserialize MessagePack data from topic orders: /);
  });

  it('for plain MessagePack read with schemas.enable=true', () => {
    const error = errorOf(() => converter({ 'schemas.enable': 'true' }).toConnectData('orders', null, pack({ id: 1 })));
    expect(error.message).toBe(
      'Failed to deserialize MessagePack data from topic orders: MsgPackConverter with schemas.enable requires "schema" and ' +
        '"payload" fields and may not contain additional fields. If you are trying to deserialize plain MessagePack data, ' +
        'set schemas.enable=false in your converter configuration.',
    );
  });

  it('for a payload that does not match its schema', () => {
    const forged = pack(new Map<string, unknown>([['schema', '{"type":"int8","optional":false}'], ['payload', 300]]));
    expect(() => converter({ 'schemas.enable': 'true' }).toConnectData('orders', null, forged)).toThrow(
      'Failed to deserialize MessagePack data from topic orders: Expected INT8 but the MessagePack data holds the number 300',
    );
  });

  it('for a value that does not fit its schema, or that MessagePack cannot carry', () => {
    expect(() => converter().fromConnectData('orders', null, Schemas.INT32_SCHEMA, 'x')).toThrow(
      'Failed to serialize to MessagePack for topic orders: Invalid type for INT32: class java.lang.String',
    );
    expect(() => converter().fromConnectData('orders', null, null, new Set([1]))).toThrow(
      'Failed to serialize to MessagePack for topic orders: MessagePack cannot carry a value of class Set without a schema',
    );
    expect(() => converter().fromConnectData('orders', null, Schemas.INT32_SCHEMA, null)).toThrow(/topic orders: Conversion error: null value/);
  });
});

describe('MsgPackConverter: shared record structures', () => {
  const structures = JSON.stringify([['id', 'name', 'ts']]);
  const schema = SchemaBuilder.struct().field('id', Schemas.INT64_SCHEMA).field('name', Schemas.STRING_SCHEMA).field('ts', Schemas.INT64_SCHEMA).build();
  const value = new Struct(schema).put('id', 1n).put('name', 'n').put('ts', 2n);
  const shared = { 'msgpack.shared.structures': 'true', 'msgpack.structures': structures };

  it('writes a struct of a listed shape without its field names, readable by a reader with the same list', () => {
    const plain = converter().fromConnectData('t', null, schema, value)!;
    const withRecords = converter(shared).fromConnectData('t', null, schema, value)!;
    expect(withRecords.length).toBeLessThan(plain.length);
    expect(Buffer.from(withRecords).includes(Buffer.from('name'))).toBe(false);
    // A different converter instance (another task, another worker) configured alike reads it.
    expect(converter(shared).toConnectData('t', null, withRecords).value).toEqual(new Map<string, unknown>([['id', 1], ['name', 'n'], ['ts', 2]]));
  });

  it('never grows the list at run time: other shapes carry their own definition', () => {
    const writer = converter(shared);
    const other = SchemaBuilder.struct().field('x', Schemas.INT32_SCHEMA).build();
    const first = writer.fromConnectData('t', null, other, new Struct(other).put('x', 1))!;
    const second = writer.fromConnectData('t', null, other, new Struct(other).put('x', 2))!;
    expect(Buffer.from(second).includes(Buffer.from('x'))).toBe(true);
    const freshReader = converter(shared);
    expect(freshReader.toConnectData('t', null, second).value).toEqual(new Map([['x', 2]]));
    expect(freshReader.toConnectData('t', null, first).value).toEqual(new Map([['x', 1]]));
  });

  it('keeps schemas and types through records with schemas.enable=true', () => {
    const c = converter({ ...shared, 'schemas.enable': 'true' });
    const read = c.toConnectData('t', null, c.fromConnectData('t', null, schema, value));
    expect(read.schema!.equals(schema)).toBe(true);
    expect((read.value as Struct).equals(value)).toBe(true);
  });

  it('tells a reader without the structures what is wrong, naming the topic', () => {
    const written = converter(shared).fromConnectData('orders', null, schema, value)!;
    const error = errorOf(() => converter().toConnectData('orders', null, written));
    expect(error.message).toMatch(/^Failed to deserialize MessagePack data from topic orders: .*msgpack\.structures/);
  });
});

describe('MsgPackConverter: schemaless values that need converting deep inside', () => {
  it('converts only what must change, wherever it sits in arrays and maps', () => {
    const c = converter();
    const value = new Map<unknown, unknown>([
      ['plain', ['a', 1]],
      ['deep', [1, new Map([['big', 2 ** 40], ['n', null]])]],
      ['last', 2 ** 33],
    ]);
    const read = standard.unpack(c.fromConnectData('t', null, null, value)!) as Map<string, unknown>;
    expect(read).toEqual(new Map<unknown, unknown>([
      ['plain', ['a', 1]],
      ['deep', [1, new Map<string, unknown>([['big', 2n ** 40n], ['n', null]])]],
      ['last', 2n ** 33n],
    ]));
    // The caller's value is left as it was.
    expect((value.get('deep') as unknown[])[1]).toEqual(new Map([['big', 2 ** 40], ['n', null]]));
  });
});

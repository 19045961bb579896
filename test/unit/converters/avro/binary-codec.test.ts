// The one-pass Avro codecs (binary-read.ts, binary-write.ts) against the generic path they stand
// in for (avsc's codec + AvroData's value conversion): same values read, same bytes written, same
// errors, over every Connect type, plain Avro schemas, edge values and broken bytes. Then the
// converter's own fast path (cached schema, views over a shared frame) through a stub registry.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import avro from 'avsc';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvroConverter } from '../../../../src/converters/avro/avro-converter.js';
import { AvroData, type AvroReadSchema } from '../../../../src/converters/avro/avro-data.js';
import { Tap } from '../../../../src/converters/avro/binary-read.js';
import { Sink } from '../../../../src/converters/avro/binary-write.js';
import { frame } from '../../../../src/converters/avro/wire-format.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue } from '../../../../src/data/logical.js';
import { type Schema, valuesEqual } from '../../../../src/data/schema.js';
import { SchemaBuilder } from '../../../../src/data/schema-builder.js';
import { Schemas } from '../../../../src/data/schemas.js';
import { Struct } from '../../../../src/data/struct.js';

/** What the generic path reads, or the message it throws. */
function genericRead(data: AvroData, read: AvroReadSchema, bytes: Buffer): { value?: unknown; error?: string } {
  try {
    return { value: data.toConnectData(read, read.codec.decode(bytes)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

function directRead(read: AvroReadSchema, bytes: Buffer): { value?: unknown; error?: string } {
  expect(read.reader).not.toBeNull();
  try {
    return { value: read.reader!(new Tap(), bytes, 0, bytes.length) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** The generic path's bytes for a Connect value, or the message it throws. */
function genericWrite(data: AvroData, schema: Schema, value: unknown): { bytes?: Buffer; error?: string } {
  const write = data.fromConnectSchema(schema);
  try {
    return { bytes: write.codec.encode(data.fromConnectData(schema, write.avro, value)) };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** One sink for every write, so that records span slabs and move when a slab fills up. */
const sharedSink = new Sink();

function directWrite(data: AvroData, schema: Schema, value: unknown): { bytes?: Buffer; error?: string } {
  const write = data.fromConnectSchema(schema);
  expect(write.writer).not.toBeNull();
  const sink = sharedSink;
  sink.begin();
  try {
    write.writer!(sink, value);
    return { bytes: sink.take() };
  } catch (e) {
    sink.abandon();
    return { error: (e as Error).message };
  }
}

/** Both directions agree with the generic path for `value`, and the value round-trips. */
function expectSame(schema: Schema, value: unknown, data = new AvroData()): void {
  const g = genericWrite(data, schema, value);
  const d = directWrite(data, schema, value);
  expect(d).toEqual(g);
  if (!g.bytes) return;
  const read = data.toConnectSchema(data.fromConnectSchema(schema).text, null);
  const gr = genericRead(data, read, g.bytes);
  const dr = directRead(read, g.bytes);
  expect(dr.error).toBe(gr.error);
  expect(valuesEqual(dr.value, gr.value)).toBe(true);
  expect(String(dr.value)).toBe(String(gr.value));
}

const inner = SchemaBuilder.struct().name('com.example.Inner').field('n', Schemas.INT32_SCHEMA).optional().build();
const everything = SchemaBuilder.struct()
  .name('com.example.All')
  .version(2)
  .field('i8', Schemas.INT8_SCHEMA)
  .field('i16', Schemas.INT16_SCHEMA)
  .field('i32', SchemaBuilder.int32().defaultValue(42).build())
  .field('i64', Schemas.INT64_SCHEMA)
  .field('f32', Schemas.FLOAT32_SCHEMA)
  .field('f64', Schemas.OPTIONAL_FLOAT64_SCHEMA)
  .field('bool', Schemas.BOOLEAN_SCHEMA)
  .field('str', SchemaBuilder.string().optional().defaultValue('dflt').build())
  .field('bytes', Schemas.BYTES_SCHEMA)
  .field('dec', Decimal.schema(2))
  .field('date', ConnectDate.SCHEMA)
  .field('time', ConnectTime.SCHEMA)
  .field('ts', ConnectTimestamp.SCHEMA)
  .field('ots', SchemaBuilder.int64().name(ConnectTimestamp.LOGICAL_NAME).version(1).optional().build())
  .field('list', SchemaBuilder.array(Schemas.OPTIONAL_STRING_SCHEMA).build())
  .field('smap', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.FLOAT64_SCHEMA).build())
  .field('imap', SchemaBuilder.map(Schemas.INT32_SCHEMA, inner).build())
  .field('inner', inner)
  .field('missing', inner)
  .build();

function everythingValue(i: number): Struct {
  return new Struct(everything)
    .put('i8', -128 + (i % 256))
    .put('i16', 32767 - i)
    .put('i64', i % 2 ? -(2n ** 63n) + BigInt(i) : 2n ** 62n + BigInt(i))
    .put('f32', 1.5 * i)
    .put('f64', i % 3 ? Math.PI * i : null)
    .put('bool', i % 2 === 0)
    .put('str', i % 4 ? `ünïcødé ✓ ${i}`.repeat(i % 5) : null)
    .put('bytes', new Uint8Array([0, 255, i & 255]))
    .put('dec', new DecimalValue(-123456789012345678901234567890n * BigInt(i + 1), 2))
    .put('date', new Date(Date.UTC(2024, 1, 29) + i * 86_400_000))
    .put('time', new Date(13 * 3600_000 + i))
    .put('ts', new Date(1_700_000_000_123 - i * 1_000_000_000_000))
    .put('ots', i % 2 ? new Date(i) : null)
    .put('list', i % 3 ? ['a', null, 'c'.repeat(i)] : [])
    .put('smap', new Map([['x', 1.25], ['y', -0], [`k${i}`, i]]))
    .put('imap', new Map([[1, new Struct(inner).put('n', 10)], [2, null]]))
    .put('inner', new Struct(inner).put('n', i));
}

describe('one-pass codecs against the generic path', () => {
  it('every Connect type, many values', () => {
    const data = new AvroData();
    for (let i = 0; i < 40; i++) expectSame(everything, everythingValue(i), data);
  });

  it('primitives at the top level and at their limits', () => {
    const cases: [Schema, unknown[]][] = [
      [Schemas.INT32_SCHEMA, [0, -1, 1, 63, 64, -64, -65, 2 ** 31 - 1, -(2 ** 31), 123456]],
      [Schemas.INT8_SCHEMA, [-128, 127, 0]],
      [Schemas.INT16_SCHEMA, [-32768, 32767]],
      [Schemas.INT64_SCHEMA, [0n, -1n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 52n, -(2n ** 52n), 2n ** 53n + 1n, 2n ** 48n, -(2n ** 49n) - 3n, 5, -7, 2 ** 60]],
      [Schemas.FLOAT32_SCHEMA, [0, -0, 1.1, Number.NaN, Infinity, 3.4e38]],
      [Schemas.FLOAT64_SCHEMA, [0, -0, Math.E, Number.NaN, -Infinity, Number.MAX_VALUE]],
      [Schemas.BOOLEAN_SCHEMA, [true, false]],
      [Schemas.STRING_SCHEMA, ['', 'a', 'x'.repeat(15), 'x'.repeat(16), 'y'.repeat(63), 'y'.repeat(64), 'z'.repeat(5000), 'é', '\u{1F600}', 'abc\u0000def',
        ...[21, 22, 32, 63, 64, 100, 2730, 2731, 3000].map((n) => 'é'.repeat(n)), '\u{1F600}'.repeat(40), `${'x'.repeat(63)}é`, `é${'x'.repeat(200)}`]],
      [Schemas.BYTES_SCHEMA, [new Uint8Array(0), new Uint8Array(300).fill(7)]],
      [ConnectTimestamp.SCHEMA, [new Date(0), new Date(-1), new Date(8.64e15), new Date(-8.64e15)]],
      [ConnectDate.SCHEMA, [new Date(0), new Date(-86_400_000 * 365)]],
      [Decimal.schema(0), [new DecimalValue(0n, 0), new DecimalValue(-1n, 0), new DecimalValue(2n ** 100n, 0)]],
    ];
    const data = new AvroData();
    for (const [schema, values] of cases) for (const v of values) expectSame(schema, v, data);
  });

  it('writes a lone surrogate as U+FFFD (valid UTF-8), where avsc writes its 3-byte form', () => {
    expect(directWrite(new AvroData(), Schemas.STRING_SCHEMA, 'a\ud800').bytes).toEqual(Buffer.from([0x08, 0x61, 0xef, 0xbf, 0xbd]));
  });

  it('the same errors for values that do not fit', () => {
    const data = new AvroData();
    const bad: [Schema, unknown][] = [
      [Schemas.INT32_SCHEMA, 'x'],
      [Schemas.INT32_SCHEMA, 1.5],
      [Schemas.INT8_SCHEMA, 200],
      [Schemas.INT64_SCHEMA, 2n ** 63n],
      [Schemas.INT64_SCHEMA, 1.5],
      [Schemas.STRING_SCHEMA, 5],
      [Schemas.BOOLEAN_SCHEMA, 1],
      [Schemas.BYTES_SCHEMA, 'bytes'],
      [Schemas.FLOAT64_SCHEMA, 1n],
      [Decimal.schema(2), new DecimalValue(1n, 3)],
      [Decimal.schema(2), 1.5],
      [ConnectTimestamp.SCHEMA, 5],
      [ConnectTimestamp.SCHEMA, new Date(Number.NaN)],
      [ConnectDate.SCHEMA, new Date(5)],
      [ConnectTime.SCHEMA, new Date(-5)],
      [everything, new Struct(inner).put('n', 1)],
      [everything, { i8: 1 }],
      [everything, new Struct(everything)],
      [SchemaBuilder.array(Schemas.STRING_SCHEMA).build(), ['a', null]],
      [SchemaBuilder.array(Schemas.STRING_SCHEMA).build(), 'not an array'],
      [SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.INT32_SCHEMA).build(), { a: 1 }],
    ];
    for (const [schema, value] of bad) {
      const g = genericWrite(data, schema, value);
      expect(g.error, `${schema} ${String(value)}`).toBeDefined();
      expect(directWrite(data, schema, value)).toEqual(g);
    }
  });

  it('enums and unions from enhanced schema support and Connect Union structs', () => {
    const options = { enhancedSchemaSupport: true };
    const data = new AvroData(100, options);
    const text = JSON.stringify({
      type: 'record', name: 'E', namespace: 'x.y', fields: [
        { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
        { name: 'either', type: ['int', 'string', { type: 'record', name: 'R', fields: [{ name: 'a', type: 'long' }] }] },
        { name: 'maybe', type: ['null', 'int', 'string'] },
      ],
    });
    const read = data.toConnectSchema(text, null);
    const schema = read.connect;
    const union = schema.field('either')!.schema;
    const maybe = schema.field('maybe')!.schema;
    const rSchema = union.field('x.y.R')!.schema;
    const values = [
      new Struct(schema).put('color', 'GREEN').put('either', new Struct(union).put('int', 5)).put('maybe', null),
      new Struct(schema).put('color', 'RED').put('either', new Struct(union).put('string', 's')).put('maybe', new Struct(maybe).put('string', 'm')),
      new Struct(schema).put('color', 'RED').put('either', new Struct(union).put('x.y.R', new Struct(rSchema).put('a', 9n))).put('maybe', new Struct(maybe)),
    ];
    for (const v of values) expectSame(schema, v, data);
    // A symbol the enum does not have is refused by both.
    const g = genericWrite(data, schema, new Struct(schema).put('color', 'BLUE').put('either', new Struct(union).put('int', 1)));
    expect(g.error).toBeDefined();
    expect(directWrite(data, schema, new Struct(schema).put('color', 'BLUE').put('either', new Struct(union).put('int', 1))).error).toBeDefined();
  });

  it('reads plain Avro schemas (not written by Connect) as the generic path does', () => {
    const data = new AvroData();
    const schema = {
      type: 'record', name: 'P', namespace: 'com.acme', fields: [
        { name: 'id', type: 'long' },
        { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
        { name: 'day', type: { type: 'int', logicalType: 'date' } },
        { name: 'tm', type: { type: 'int', logicalType: 'time-millis' } },
        { name: 'amount', type: { type: 'bytes', logicalType: 'decimal', precision: 10, scale: 3 } },
        { name: 'color', type: { type: 'enum', name: 'Color', symbols: ['RED', 'GREEN'] } },
        { name: 'hash', type: { type: 'fixed', name: 'Hash', size: 4 } },
        { name: 'either', type: ['int', 'string', 'null'] },
        { name: 'late', type: ['string', 'null'], default: 'x' },
        { name: 'tags', type: { type: 'array', items: 'string' } },
        { name: 'attrs', type: { type: 'map', values: ['null', 'double'] } },
        { name: 'f', type: 'float' },
        { name: 'small', type: { type: 'int', 'connect.type': 'int8' } },
        { name: 'sub', type: { type: 'record', name: 'Sub', fields: [{ name: 'again', type: 'Color' }] } },
      ],
    };
    const text = JSON.stringify(schema);
    const read = data.toConnectSchema(text, 4);
    const type = avro.Type.forSchema(schema as avro.Schema, { wrapUnions: true });
    for (let i = 0; i < 30; i++) {
      const bytes = type.toBuffer({
        id: i * 1_000_003 - 500,
        ts: 1_700_000_000_000 + i,
        day: 19000 + i,
        tm: 1000 * i,
        amount: Buffer.from([i, 0x10]),
        color: i % 2 ? 'RED' : 'GREEN',
        hash: Buffer.from([1, 2, 3, i]),
        either: i % 3 === 0 ? null : i % 3 === 1 ? { int: i } : { string: `s${i}` },
        late: i % 2 ? { string: 'v' } : null,
        tags: Array.from({ length: i % 4 }, (_, k) => `t${k}`),
        attrs: Object.fromEntries(Array.from({ length: i % 3 }, (_, k) => [`a${k}`, k % 2 ? null : { double: k / 3 }])),
        f: i / 7,
        small: i - 10,
        sub: { again: 'GREEN' },
      });
      const g = genericRead(data, read, bytes);
      const d = directRead(read, bytes);
      expect(d.error).toBe(g.error);
      expect(valuesEqual(d.value, g.value)).toBe(true);
      expect(String(d.value)).toBe(String(g.value));
    }
    // An int8 field holding 300 fails as Struct.put would make it fail.
    const over = type.toBuffer({
      id: 1, ts: 1, day: 1, tm: 1, amount: Buffer.from([1]), color: 'RED', hash: Buffer.alloc(4), either: null, late: null,
      tags: [], attrs: {}, f: 0, small: 300, sub: { again: 'RED' },
    });
    const g = genericRead(data, read, over);
    expect(g.error).toMatch(/INT8/);
    expect(directRead(read, over)).toEqual(g);
  });

  it('refuses timestamps a JavaScript Date cannot hold, with the generic path\'s message', () => {
    const data = new AvroData();
    const schema = { type: 'record', name: 'T', fields: [{ name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } }] };
    const read = data.toConnectSchema(JSON.stringify(schema), null);
    const type = avro.Type.forSchema(schema as avro.Schema);
    for (const ts of [8.64e15, -8.64e15, 8.64e15 + 1, -(2 ** 52), 2 ** 52]) {
      const bytes = type.toBuffer({ ts });
      const g = genericRead(data, read, bytes);
      expect(directRead(read, bytes).error).toBe(g.error);
      if (!g.error) expect(String(directRead(read, bytes).value)).toBe(String(g.value));
    }
    const huge = Buffer.from([0xfe, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01]); // 2^63 - 1
    expect(directRead(read, huge).error).toBe(genericRead(data, read, huge).error);
    expect(directRead(read, huge).error).toMatch(/outside the range of a JavaScript Date/);
  });

  it('reads longs of every size, and blocks with byte sizes (negative counts)', () => {
    const data = new AvroData();
    const text = JSON.stringify({ type: 'record', name: 'L', fields: [{ name: 'xs', type: { type: 'array', items: 'long' } }] });
    const read = data.toConnectSchema(text, null);
    const longs = [0n, 1n, -1n, 2n ** 48n - 1n, 2n ** 48n, -(2n ** 48n), 2n ** 49n, 2n ** 55n + 7n, 2n ** 63n - 1n, -(2n ** 63n)];
    const zz = (n: bigint) => BigInt.asUintN(64, (n << 1n) ^ (n >> 63n));
    const varint = (u: bigint) => {
      const out: number[] = [];
      while (u > 0x7fn) {
        out.push(Number(u & 0x7fn) | 0x80);
        u >>= 7n;
      }
      out.push(Number(u));
      return out;
    };
    const items = longs.flatMap((n) => varint(zz(n)));
    // One block written with a negative count and its byte size, as Avro allows.
    const bytes = Buffer.from([...varint(zz(-BigInt(longs.length))), ...varint(zz(BigInt(items.length))), ...items, 0]);
    const d = directRead(read, bytes);
    expect(d.error).toBeUndefined();
    expect((d.value as Struct).get('xs')).toEqual(longs);
    expect(valuesEqual(d.value, genericRead(data, read, bytes).value)).toBe(true);
  });

  it('reports broken bytes as the generic path does', () => {
    const data = new AvroData();
    const read = data.toConnectSchema(JSON.stringify({
      type: 'record', name: 'B', fields: [{ name: 's', type: 'string' }, { name: 'u', type: ['null', 'int'] }, { name: 'd', type: 'double' }],
    }), null);
    const good = read.codec.encode({ s: 'hello', u: { int: 3 }, d: 1.5 });
    const broken = [
      good.subarray(0, 3), // truncated inside the string
      good.subarray(0, good.length - 1), // truncated inside the double
      Buffer.concat([good, Buffer.from([1])]), // trailing data
      Buffer.from([...good.subarray(0, 6), 0x08, ...good.subarray(7)]), // union index 4
      Buffer.from([0x7f]), // string length -64
      Buffer.alloc(0),
    ];
    for (const bytes of broken) {
      const g = genericRead(data, read, bytes);
      expect(g.error, bytes.toString('hex')).toBeDefined();
      expect(directRead(read, bytes).error).toBe(g.error);
    }
  });
});

// ---------------------------------------------------------------------------------------------

/** A stub of the Confluent API (register, lookup, by id) served from this process. */
async function stubRegistry() {
  const schemas: string[] = [];
  const idOf = (schema: string) => (schemas.indexOf(schema) + 1 || schemas.push(schema));
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify(body));
  };
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (d: Buffer) => (text += d));
    req.on('end', () => {
      const path = (req.url ?? '').split('?')[0]!;
      const byId = /^\/schemas\/ids\/(\d+)$/.exec(path);
      if (req.method === 'GET' && byId) {
        const schema = schemas[Number(byId[1]) - 1];
        return schema ? answer(res, 200, { schema }) : answer(res, 404, { error_code: 40403, message: 'Schema not found' });
      }
      const subject = /^\/subjects\/([^/]+)(\/versions)?$/.exec(path);
      if (req.method === 'POST' && subject) {
        const { schema } = JSON.parse(text) as { schema: string };
        const id = idOf(schema);
        return subject[2] ? answer(res, 200, { id }) : answer(res, 200, { subject: decodeURIComponent(subject[1]!), id, version: id, schema });
      }
      answer(res, 404, { error_code: 404, message: 'no stub' });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise<void>((ok) => server.close(() => ok())) };
}

describe('AvroConverter one-pass path', () => {
  let registry: Awaited<ReturnType<typeof stubRegistry>>;
  beforeAll(async () => {
    registry = await stubRegistry();
  });
  afterAll(async () => {
    await registry.close();
  });

  it('writes and reads what the generic path does, from Buffers and from views over a shared frame', async () => {
    const writer = new AvroConverter();
    writer.configure({ 'schema.registry.url': registry.url }, false);
    const reader = new AvroConverter();
    reader.configure({ 'schema.registry.url': registry.url }, false);
    expect(reader.keepsInputBytes).toBe(false);
    expect(reader.returnsNewValues).toBe(true);
    const first = await writer.fromConnectDataAsync('t', null, everything, everythingValue(0));
    await reader.toConnectDataAsync('t', null, first);
    const data = new AvroData();
    const write = data.fromConnectSchema(everything);
    // Every record into one frame, read back through views over it (as the sink pipeline hands them).
    const frameBytes = new Uint8Array(new SharedArrayBuffer(64 * 1024));
    let at = 3;
    const views: Uint8Array[] = [];
    const expected: unknown[] = [];
    const written: [Uint8Array, Buffer][] = [];
    for (let i = 0; i < 30; i++) {
      const value = everythingValue(i);
      const bytes = writer.fromConnectData('t', null, everything, value)!;
      const id = (bytes[1]! << 24) | (bytes[2]! << 16) | (bytes[3]! << 8) | bytes[4]!;
      const body = write.codec.encode(data.fromConnectData(everything, write.avro, value));
      expect(Buffer.from(bytes)).toEqual(frame(id, body));
      written.push([bytes, frame(id, body)]);
      // The generic read of the same bytes, with the version the reader gets from the registry (the id, in the stub).
      const read = data.toConnectSchema(write.text, id);
      expected.push(data.toConnectData(read, read.codec.decode(body)));
      frameBytes.set(bytes, at);
      views.push(new Uint8Array(frameBytes.buffer, at, bytes.length));
      at += bytes.length + 1;
      const back = reader.toConnectData('t', null, bytes);
      expect(back.schema!.equals(read.connect)).toBe(true);
      expect((back.value as Struct).equals(expected[i])).toBe(true);
    }
    views.forEach((view, i) => expect((reader.toConnectData('t', null, view).value as Struct).equals(expected[i])).toBe(true));
    // Messages handed out earlier are views of the writer's slab: later writes never touch them.
    for (let i = 0; i < 3000; i++) writer.fromConnectData('t', null, everything, everythingValue(i % 40));
    for (const [bytes, want] of written) expect(Buffer.from(bytes)).toEqual(want);
    // A tombstone, a null for a required schema, and a message from another topic (its own lookup).
    expect(writer.fromConnectData('t', null, inner, null)).toBeNull();
    expect(() => writer.fromConnectData('t', null, everything, null)).toThrow('Found null value for non-optional schema');
    const other = await writer.fromConnectDataAsync('u', null, everything, everythingValue(3));
    // (async: the stub answers on this thread, so a blocking registry call would wait for nothing)
    expect(String((await reader.toConnectDataAsync('u', null, other)).value)).toBe(String(expected[3]));
    expect(String(reader.toConnectData('u', null, other).value)).toBe(String(expected[3]));
    expect(String(reader.toConnectData('t', null, views[3]!).value)).toBe(String(expected[3]));
    expect(() => reader.toConnectData('t', null, Buffer.from([0, 0, 0, 0]))).toThrow('Unknown magic byte!');
  });
});

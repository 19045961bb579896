// AvroConverter against a real Schema Registry (Apicurio's Confluent-compatible API, started by
// test/helpers/registry.ts) and the real Kafka broker of the integration project: values are
// converted, produced, consumed and converted back by a second converter that knows nothing but
// the registry URL, as a sink would.
import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AvroConverter } from '../../src/converters/avro/avro-converter.js';
import { frame } from '../../src/converters/avro/wire-format.js';
import { ConnectDate, ConnectTime, ConnectTimestamp, Decimal, DecimalValue } from '../../src/data/logical.js';
import { SchemaBuilder } from '../../src/data/schema-builder.js';
import type { Schema } from '../../src/data/schema.js';
import { Schemas } from '../../src/data/schemas.js';
import { Struct } from '../../src/data/struct.js';
import { bootstrap, consumeAll, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';
import { startTestRegistry, type TestRegistry } from '../helpers/registry.js';
import { freePort, startStandalone, waitFor, writeProperties } from '../helpers/sluice-process.js';

let registry: TestRegistry;

interface AvroJavaModule {
  runAvroCheck(caseDir: string): Promise<string>;
}
// Plain JavaScript without type declarations (see test/helpers/registry.ts).
const AVRO_JAVA_MODULE: string = new URL('../../scripts/registry/avro-java.mjs', import.meta.url).href;

beforeAll(async () => {
  registry = await startTestRegistry();
});

afterAll(async () => {
  await registry?.stop();
});

function converter(isKey: boolean, configs: Record<string, string> = {}): AvroConverter {
  const c = new AvroConverter();
  c.configure({ 'schema.registry.url': registry.url, ...configs }, isKey);
  return c;
}

async function registryGet(path: string): Promise<unknown> {
  const res = await fetch(registry.url + path);
  return res.json();
}

async function registerByHand(subject: string, schema: unknown): Promise<number> {
  const res = await fetch(`${registry.url}/subjects/${encodeURIComponent(subject)}/versions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(schema) }),
  });
  expect(res.status).toBe(200);
  return ((await res.json()) as { id: number }).id;
}

/** Produces the converted values to a new topic and returns the consumed value bytes. */
async function throughKafka(topic: string, messages: { key?: Uint8Array | null; value: Uint8Array | null }[]) {
  await createTopic(topic);
  await produce(topic, messages.map((m) => ({ key: m.key ? Buffer.from(m.key) : null, value: m.value ? Buffer.from(m.value) : null })));
  return consumeAll(topic, messages.length);
}

const inner = SchemaBuilder.struct().name('com.example.Inner').field('n', Schemas.INT32_SCHEMA).optional().build();
const everything = SchemaBuilder.struct()
  .name('com.example.Everything')
  .version(3)
  .doc('every Connect type')
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
  .field('ts', ConnectTimestamp.builder().optional().build())
  .field('list', SchemaBuilder.array(Schemas.OPTIONAL_STRING_SCHEMA).build())
  .field('smap', SchemaBuilder.map(Schemas.STRING_SCHEMA, Schemas.FLOAT64_SCHEMA).build())
  .field('imap', SchemaBuilder.map(Schemas.INT64_SCHEMA, inner).build())
  .field('inner', inner)
  .build();

function everythingValue(i: number): Struct {
  return new Struct(everything)
    .put('i8', -128 + i)
    .put('i16', 32767 - i)
    .put('i32', -2147483648 + i)
    .put('i64', 2n ** 62n + BigInt(i))
    .put('f32', 1.5 * i)
    .put('f64', i % 2 === 0 ? null : Math.E)
    .put('bool', i % 2 === 0)
    .put('str', `ünïcødé ${i}`)
    .put('bytes', new Uint8Array([0, 255, i]))
    .put('dec', new DecimalValue(-123456789012345678901234567890n + BigInt(i), 2))
    .put('date', new Date(Date.UTC(2024, 1, 29 - i)))
    .put('time', new Date(13 * 3600_000 + i))
    .put('ts', new Date(1_700_000_000_123 + i))
    .put('list', ['a', null, `c${i}`])
    .put('smap', new Map([['x', 1.25], ['y', i]]))
    .put('imap', new Map([[BigInt(i), new Struct(inner).put('n', i)], [-1n, null]]))
    .put('inner', i === 0 ? null : new Struct(inner).put('n', i));
}

describe('AvroConverter with a Schema Registry and Kafka', () => {
  it('round-trips every Connect type, key and value, through the registry and a topic', async () => {
    const topic = uniqueTopic('avro-all');
    const keyWriter = converter(true);
    const valueWriter = converter(false);
    const values = [0, 1, 2].map(everythingValue);
    const messages = values.map((v, i) => ({
      key: keyWriter.fromConnectData(topic, null, Schemas.STRING_SCHEMA, `key-${i}`),
      value: valueWriter.fromConnectData(topic, null, everything, v),
    }));
    const tombstone = valueWriter.fromConnectData(topic, null, everything.optional ? everything : null, null);
    expect(tombstone).toBeNull();

    const consumed = await throughKafka(topic, messages);

    // A fresh converter pair: everything it knows comes from the message and the registry.
    const keyReader = converter(true);
    const valueReader = converter(false);
    consumed.forEach((m, i) => {
      expect(m.value![0]).toBe(0); // magic byte
      const key = keyReader.toConnectData(topic, null, m.key);
      expect(key.value).toBe(`key-${i}`);
      const value = valueReader.toConnectData(topic, null, m.value);
      expect(value.schema!.equals(everything)).toBe(true);
      expect((value.value as Struct).equals(values[i])).toBe(true);
    });

    // TopicNameStrategy: <topic>-key and <topic>-value, one version each.
    const subjects = (await registryGet('/subjects')) as string[];
    expect(subjects).toEqual(expect.arrayContaining([`${topic}-key`, `${topic}-value`]));
    expect(await registryGet(`/subjects/${topic}-value/versions`)).toEqual([1]);
    const registered = (await registryGet(`/subjects/${topic}-value/versions/latest`)) as { schema: string };
    expect(JSON.parse(registered.schema)).toMatchObject({ type: 'record', name: 'Everything', namespace: 'com.example', 'connect.version': 3, 'connect.doc': 'every Connect type' });
  });

  it('reads through the async API as through the blocking one', async () => {
    const topic = uniqueTopic('avro-async');
    const writer = converter(false);
    const bytes = (await writer.fromConnectDataAsync(topic, null, everything, everythingValue(5)))!;
    const back = await converter(false).toConnectDataAsync(topic, null, bytes);
    expect((back.value as Struct).equals(everythingValue(5))).toBe(true);
  });

  it('puts schemas under the subject the strategy names', async () => {
    const topic = uniqueTopic('avro-strategy');
    const schema = SchemaBuilder.struct().name('com.example.Order').field('id', Schemas.INT64_SCHEMA).build();
    const order = new Struct(schema).put('id', 7n);

    const byRecord = converter(false, { 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' });
    const byTopicRecord = converter(false, { 'value.subject.name.strategy': 'TopicRecordNameStrategy' });
    const keyByRecord = converter(true, { 'key.subject.name.strategy': 'RecordNameStrategy' });
    const consumed = await throughKafka(topic, [
      { value: byRecord.fromConnectData(topic, null, schema, order) },
      { value: byTopicRecord.fromConnectData(topic, null, schema, order) },
      { key: keyByRecord.fromConnectData(topic, null, Schemas.STRING_SCHEMA, 'k'), value: null },
    ]);

    const subjects = (await registryGet('/subjects')) as string[];
    expect(subjects).toContain('com.example.Order');
    expect(subjects).toContain(`${topic}-com.example.Order`);
    expect(subjects).toContain('string'); // a primitive key's "record name" is its Avro type
    expect(subjects).not.toContain(`${topic}-value`);

    const reader = converter(false, { 'value.subject.name.strategy': 'RecordNameStrategy' });
    for (const m of consumed.slice(0, 2)) {
      const read = reader.toConnectData(topic, null, m.value);
      expect(read.schema!.name).toBe('com.example.Order');
      expect((read.value as Struct).get('id')).toBe(7n);
      expect(read.schema!.version).toBe(1); // the registry version, found under the record-name subject
    }
    expect(() => converter(false, { 'value.subject.name.strategy': 'com.example.MyStrategy' })).toThrow(/value.subject.name.strategy/);
  });

  it('with auto.register.schemas=false uses a schema registered beforehand, and says so when there is none', async () => {
    const topic = uniqueTopic('avro-preregistered');
    const schema = SchemaBuilder.struct().name('com.example.Reading').field('celsius', Schemas.FLOAT64_SCHEMA).build();
    // Registered by hand, as an operator would: same schema, written differently.
    const id = await registerByHand(`${topic}-value`, {
      fields: [{ type: 'double', name: 'celsius' }],
      'connect.name': 'com.example.Reading',
      namespace: 'com.example',
      name: 'Reading',
      type: 'record',
    });
    // Apicurio matches a lookup on the exact text unless asked to normalize (Confluent's registry
    // compares parsed schemas either way), hence normalize.schemas=true.
    const writer = converter(false, { 'auto.register.schemas': 'false', 'normalize.schemas': 'true' });
    const bytes = writer.fromConnectData(topic, null, schema, new Struct(schema).put('celsius', 21.5))!;
    expect(Buffer.from(bytes).readInt32BE(1)).toBe(id);
    expect(await registryGet(`/subjects/${encodeURIComponent(`${topic}-value`)}/versions`)).toEqual([1]);

    const other = SchemaBuilder.struct().name('com.example.Other').field('x', Schemas.INT32_SCHEMA).build();
    let error: Error | undefined;
    try {
      writer.fromConnectData(`${topic}-x`, null, other, new Struct(other).put('x', 1));
    } catch (e) {
      error = e as Error;
    }
    expect(error?.name).toBe('DataException');
    expect(error?.message).toContain(`Failed to serialize Avro data from topic ${topic}-x`);
    expect(error?.message).toContain(`subject "${topic}-x-value"`);
    expect(error?.message).toContain(registry.url);
    expect(error?.message).toMatch(/HTTP 404 \(error code 4040[13]\)/);
  });

  it('with use.latest.version writes with the latest registered schema', async () => {
    const topic = uniqueTopic('avro-latest');
    const subject = `${topic}-value`;
    await registerByHand(subject, { type: 'record', name: 'Item', namespace: 'com.example', fields: [{ name: 'sku', type: 'string' }] });
    const v2 = await registerByHand(subject, {
      type: 'record', name: 'Item', namespace: 'com.example',
      fields: [{ name: 'sku', type: 'string' }, { name: 'qty', type: 'int', default: 1 }],
    });
    const v1Connect = SchemaBuilder.struct().name('com.example.Item').field('sku', Schemas.STRING_SCHEMA).build();
    const writer = converter(false, { 'auto.register.schemas': 'false', 'use.latest.version': 'true' });
    const [m] = await throughKafka(topic, [{ value: writer.fromConnectData(topic, null, v1Connect, new Struct(v1Connect).put('sku', 'A-1')) }]);
    expect(m!.value!.readInt32BE(1)).toBe(v2);

    const read = converter(false).toConnectData(topic, null, m!.value);
    expect(read.schema!.version).toBe(2);
    expect((read.value as Struct).get('sku')).toBe('A-1');
    expect((read.value as Struct).get('qty')).toBe(1); // the new field's default
  });

  it('reads old records with their own (older) schema after the schema evolved', async () => {
    const topic = uniqueTopic('avro-evolution');
    const v1 = SchemaBuilder.struct().name('com.example.Customer').field('name', Schemas.STRING_SCHEMA).build();
    const v2 = SchemaBuilder.struct()
      .name('com.example.Customer')
      .field('name', Schemas.STRING_SCHEMA)
      .field('tier', SchemaBuilder.string().defaultValue('basic').build())
      .build();
    const before = converter(false).fromConnectData(topic, null, v1, new Struct(v1).put('name', 'old'));
    const after = converter(false).fromConnectData(topic, null, v2, new Struct(v2).put('name', 'new').put('tier', 'gold'));
    const consumed = await throughKafka(topic, [{ value: before }, { value: after }]);
    expect(consumed[0]!.value!.readInt32BE(1)).not.toBe(consumed[1]!.value!.readInt32BE(1));
    expect(await registryGet(`/subjects/${topic}-value/versions`)).toEqual([1, 2]);

    // One reader for the whole topic, as a sink task has: each record comes out with its writer's schema.
    const reader = converter(false);
    const old = reader.toConnectData(topic, null, consumed[0]!.value);
    const current = reader.toConnectData(topic, null, consumed[1]!.value);
    expect(old.schema!.fields().map((f) => f.name)).toEqual(['name']);
    expect(old.schema!.version).toBe(1);
    expect((old.value as Struct).get('name')).toBe('old');
    expect(current.schema!.fields().map((f) => f.name)).toEqual(['name', 'tier']);
    expect(current.schema!.version).toBe(2);
    expect(current.schema!.field('tier')!.schema.defaultValue).toBe('basic');
    expect((current.value as Struct).get('tier')).toBe('gold');
  });

  it('writes bytes that the Java Apache Avro library reads and writes back identically', async () => {
    // The schema text is the one sluice registered; Java parses it (validating names and defaults),
    // decodes the payload, and re-encodes the datum: equal bytes mean both encoders agree.
    const topic = uniqueTopic('avro-java');
    const union = SchemaBuilder.struct()
      .name('io.confluent.connect.avro.Union')
      .field('int', Schemas.OPTIONAL_INT32_SCHEMA)
      .field('string', Schemas.OPTIONAL_STRING_SCHEMA)
      .build();
    const cases: [string, Schema, unknown][] = [
      ['everything0', everything, everythingValue(0)],
      ['everything1', everything, everythingValue(1)],
      ['string', Schemas.STRING_SCHEMA, 'plain ✓'],
      ['optional-long', Schemas.OPTIONAL_INT64_SCHEMA, -(2n ** 63n)],
      ['union', union, new Struct(union).put('string', 'in a union')],
      ['int-map', SchemaBuilder.map(Schemas.INT32_SCHEMA, Schemas.BOOLEAN_SCHEMA).build(), new Map([[1, true], [-2, false]])],
    ];
    const dir = await mkdtemp(join(tmpdir(), 'sluice-avro-java-'));
    try {
      const writer = converter(false);
      const payloads = new Map<string, Buffer>();
      for (const [name, schema, value] of cases) {
        const bytes = Buffer.from(writer.fromConnectData(`${topic}-${name}`, null, schema, value)!);
        const { schema: text } = (await registryGet(`/schemas/ids/${bytes.readInt32BE(1)}`)) as { schema: string };
        payloads.set(name, bytes.subarray(5));
        await writeFile(join(dir, `${name}.avsc`), text);
        await writeFile(join(dir, `${name}.bin`), bytes.subarray(5));
      }
      const { runAvroCheck } = (await import(AVRO_JAVA_MODULE)) as AvroJavaModule;
      expect(await runAvroCheck(dir)).toBe(`checked ${cases.length}`);
      for (const [name] of cases) {
        expect(await readFile(join(dir, `${name}.java.bin`)), name).toEqual(payloads.get(name));
      }
      // What Java read, in Avro's JSON encoding: exact longs, logical types as their carriers.
      const everything1 = await readFile(join(dir, 'everything1.json'), 'utf8');
      expect(everything1).toContain('"i64":4611686018427387905');
      expect(everything1).toContain('"i8":-127');
      expect(everything1).toContain('"date":19781'); // 2024-02-28 as days since the epoch
      expect(everything1).toContain('"ts":{"long":1700000000124}');
      expect(everything1).toContain('"inner":{"com.example.Inner":{"n":1}}');
      expect(await readFile(join(dir, 'union.json'), 'utf8')).toBe('{"string":"in a union"}');
      expect(await readFile(join(dir, 'optional-long.json'), 'utf8')).toBe('{"long":-9223372036854775808}');
      expect(await readFile(join(dir, 'int-map.json'), 'utf8')).toBe('[{"key":1,"value":true},{"key":-2,"value":false}]');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('carries records through a sluice worker configured with value.converter=io.confluent.connect.avro.AvroConverter', async () => {
    // The converter as users configure it: by its Confluent class name, with value.converter.*
    // settings, running inside sluice's task threads (where registry calls block, see http.ts).
    const dir = await mkdtemp(join(tmpdir(), 'sluice-avro-e2e-'));
    const topic = uniqueTopic('avro-e2e');
    const input = join(dir, 'input.txt');
    const output = join(dir, 'output.txt');
    const lines = Array.from({ length: 200 }, (_, i) => `line ${i} ✓`);
    await writeFile(input, lines.join('\n') + '\n');
    const restPort = await freePort();
    const worker = writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': bootstrap(),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'io.confluent.connect.avro.AvroConverter',
      'value.converter.schema.registry.url': registry.url,
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': 1000,
      listeners: `http://127.0.0.1:${restPort}`,
    });
    const source = writeProperties(join(dir, 'source.properties'), {
      name: 'avro-source', 'connector.class': 'FileStreamSource', 'tasks.max': 1, file: input, topic,
    });
    const sink = writeProperties(join(dir, 'sink.properties'), {
      name: 'avro-sink', 'connector.class': 'FileStreamSink', 'tasks.max': 1, file: output, topics: topic,
    });
    const run = startStandalone(dir, worker, [source, sink], restPort, 'sluice.log');
    try {
      await waitFor('all lines in the sink file', () => existsSync(output) && readFileSync(output, 'utf8').split('\n').filter(Boolean).length >= lines.length, 90_000);
      expect(readFileSync(output, 'utf8').split('\n').filter(Boolean)).toEqual(lines);
      // On the topic: Confluent's wire format, under the subject <topic>-value.
      const [first] = await consumeAll(topic, 1);
      expect(first!.value![0]).toBe(0);
      const decoded = converter(false).toConnectData(topic, null, first!.value);
      expect(decoded.value).toBe(lines[0]);
      expect((await registryGet(`/subjects/${topic}-value/versions/latest`)) as { schema: string }).toMatchObject({ schema: '"string"' }); // FileStreamSource's Schema.STRING_SCHEMA
    } catch (e) {
      throw new Error(`${(e as Error).message}\n--- sluice log ---\n${readFileSync(run.logFile, 'utf8').slice(-4000)}`);
    } finally {
      run.proc.kill('SIGTERM');
      await run.exited;
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('names the topic, the schema id and the registry when an id is unknown', async () => {
    const topic = uniqueTopic('avro-unknown-id');
    const bytes = frame(987654, Buffer.from([2]));
    expect(() => converter(false).toConnectData(topic, null, bytes)).toThrow(
      new RegExp(`Failed to deserialize data for topic ${topic} to Avro: Schema Registry at ${registry.url.replace(/[.]/g, '\\.')} answered HTTP 404 \\(error code 40403\\) to GET /schemas/ids/987654`),
    );
    expect(() => converter(false).toConnectData(topic, null, Buffer.from('plain text'))).toThrow('Unknown magic byte!');
  });

  it('names every URL when no registry answers, and fails over to one that does', async () => {
    const down = `http://127.0.0.1:${await closedPort()}`;
    const schema = Schemas.STRING_SCHEMA;
    const lonely = new AvroConverter();
    lonely.configure({ 'schema.registry.url': down }, false);
    expect(() => lonely.fromConnectData('t-down', null, schema, 'x')).toThrow(
      `Failed to serialize Avro data from topic t-down: Could not reach the Schema Registry to POST /subjects/t-down-value/versions for subject "t-down-value": no answer from ${down} (connect ECONNREFUSED`,
    );
    await expect(lonely.toConnectDataAsync('t-down', null, frame(1, Buffer.from([0])))).rejects.toThrow(`Could not reach the Schema Registry to GET /schemas/ids/1: no answer from ${down}`);

    const failover = new AvroConverter();
    failover.configure({ 'schema.registry.url': `${down},${registry.url}` }, false);
    const bytes = failover.fromConnectData('t-failover', null, schema, 'x');
    expect(converter(false).toConnectData('t-failover', null, bytes).value).toBe('x');
  });

  it('sends basic auth credentials from basic.auth.user.info or the URL without breaking requests', async () => {
    // Apicurio runs without authentication here, so this only shows the credentials are accepted
    // and stripped from the URL (fetch refuses URLs with credentials); the header is unit-tested.
    const withInfo = converter(false, { 'basic.auth.credentials.source': 'USER_INFO', 'basic.auth.user.info': 'fred:secret' });
    expect(withInfo.fromConnectData('t-auth', null, Schemas.STRING_SCHEMA, 'x')).not.toBeNull();
    const inUrl = new AvroConverter();
    inUrl.configure({ 'schema.registry.url': registry.url.replace('http://', 'http://fred:secret@') }, false);
    expect(inUrl.fromConnectData('t-auth', null, Schemas.STRING_SCHEMA, 'y')).not.toBeNull();
  });
});

/** A port nobody listens on (one the OS just handed out and took back). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  await new Promise((ok) => server.close(ok));
  return port;
}

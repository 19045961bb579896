// AvroConverter in ns/record (tinybench): toConnectData (Confluent wire format → Struct) and
// fromConnectData (Struct → wire format) of ~200 B records with the avro-convert scenario's schema
// (bench/lib/avro.mjs: longs, a timestamp-millis, strings, a boolean, a double, an array and an
// optional union), 1000 records per call, with the schema id already cached (the steady state of
// a task: the registry is asked once per schema). For reference it also times the generic path
// (avsc's decoder/encoder plus AvroData's value conversion: what the converter does for schemas its
// one-pass codecs do not cover, and did for all before them) and avsc alone on the same bytes
// (decode to / encode from a plain object, no Connect values).
//
// Besides wall time per record it reports CPU time per record (process.cpuUsage over the same
// calls): on a machine shared with other work the CPU figure is the steadier one.
//
// The registry is a stub served from this process (the converter's blocking HTTP path runs its
// fetch in a helper thread, so the stub answers while the caller waits); it is asked only while
// warming up.
//
//   node test/fixtures/ts-run.mjs bench/micro/avro.bench.ts [--time ms] [--quick] [--only text]
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import avro from 'avsc';
import { Bench } from 'tinybench';
import { AvroConverter } from '../../src/converters/avro/avro-converter.js';
import { AvroData } from '../../src/converters/avro/avro-data.js';
import { frame, unframe } from '../../src/converters/avro/wire-format.js';
import type { Schema } from '../../src/data/schema.js';

const PER_CALL = 1000;
const TOPIC = 'events';

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/** The avro-convert scenario's record (bench/lib/avro.mjs EVENT_SCHEMA). */
const EVENT_SCHEMA = {
  type: 'record',
  name: 'Event',
  namespace: 'dev.sluice.bench',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'user', type: 'string' },
    { name: 'action', type: 'string' },
    { name: 'page', type: 'string' },
    { name: 'ok', type: 'boolean' },
    { name: 'score', type: 'double' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};
const NOTE = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua '.repeat(3);

function event(i: number) {
  return {
    id: i,
    ts: 1_700_000_000_000 + i,
    user: `user-${(i * 7919) % 100000}`,
    action: ['view', 'click', 'scroll', 'purchase', 'login', 'logout'][i % 6]!,
    page: `/p/${(i * 7919) % 100000}`,
    ok: i % 17 !== 0,
    score: (i % 1000) / 10,
    tags: [`a${i % 13}`, `b${i % 7}`],
    note: NOTE.slice(i % 40, (i % 40) + 140), // ~200 B records, as in the end-to-end scenario
  };
}

/** A stub of the Confluent API for one subject: register, lookup, by id. */
async function stubRegistry(): Promise<{ url: string; close(): Promise<void> }> {
  const schemas: string[] = [];
  const idOf = (schema: string) => {
    let i = schemas.indexOf(schema);
    if (i < 0) i = schemas.push(schema) - 1;
    return i + 1;
  };
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { 'Content-Type': 'application/vnd.schemaregistry.v1+json' });
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
      answer(res, 404, { error_code: 404, message: `no stub for ${req.method} ${path}` });
    });
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((ok) => server.close(() => ok())) };
}

let sink = 0;

async function main(): Promise<void> {
  const time = Number(arg('--time', process.argv.includes('--quick') ? '300' : '1000'));
  const only = arg('--only', '');
  const registry = await stubRegistry();
  // Bytes as a producer writes them: avsc with the registered schema, in Confluent's wire format.
  const type = avro.Type.forSchema(EVENT_SCHEMA as avro.Schema);
  const schemaText = JSON.stringify(EVENT_SCHEMA);
  const reg = await fetch(`${registry.url}/subjects/${TOPIC}-value/versions`, { method: 'POST', body: JSON.stringify({ schema: schemaText }) });
  const schemaId = ((await reg.json()) as { id: number }).id;
  const inputs = Array.from({ length: PER_CALL }, (_, i) => {
    const body = type.toBuffer(event(i));
    const out = Buffer.allocUnsafe(5 + body.length);
    out[0] = 0;
    out.writeInt32BE(schemaId, 1);
    body.copy(out, 5);
    return out;
  });
  const bodies = inputs.map((b) => b.subarray(5));
  const plain = bodies.map((b) => type.fromBuffer(b));

  const conv = new AvroConverter();
  conv.configure({ 'schema.registry.url': registry.url }, false);
  // Warm the caches through the async path (the stub lives on this thread's event loop).
  const first = await conv.toConnectDataAsync(TOPIC, null, inputs[0]!);
  await conv.fromConnectDataAsync(TOPIC, null, first.schema, first.value);
  const decoded = inputs.map((b) => conv.toConnectData(TOPIC, null, b));
  const bytesAvg = inputs.reduce((n, b) => n + b.length, 0) / inputs.length;

  // The generic path on the same schemas: avsc's codec and AvroData's conversion of its objects.
  const data = new AvroData();
  const read = data.toConnectSchema(schemaText, 1);
  const connectSchema = decoded[0]!.schema as Schema;
  const write = data.fromConnectSchema(connectSchema);

  type Row = { case: string; calls: number; ms: number; cpuUs: number };
  const rows: Row[] = [];
  const bench = new Bench({ time, warmupTime: Math.min(300, time) });
  const add = (name: string, fn: () => void) => {
    if (only && !name.includes(only)) return;
    const row: Row = { case: name, calls: 0, ms: 0, cpuUs: 0 };
    rows.push(row);
    bench.add(name, () => {
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      fn();
      row.ms += performance.now() - t0;
      const c = process.cpuUsage(c0);
      row.cpuUs += c.user + c.system;
      row.calls++;
    });
  };
  add('AvroConverter.toConnectData (wire format → Struct)', () => {
    for (let i = 0; i < PER_CALL; i++) if (conv.toConnectData(TOPIC, null, inputs[i]!).value !== null) sink++;
  });
  add('AvroConverter.fromConnectData (Struct → wire format)', () => {
    for (let i = 0; i < PER_CALL; i++) sink += conv.fromConnectData(TOPIC, null, decoded[i]!.schema, decoded[i]!.value)?.length ?? 0;
  });
  add('generic path: avsc decode + AvroData.toConnectData', () => {
    for (let i = 0; i < PER_CALL; i++) if (data.toConnectData(read, read.codec.decode(unframe(inputs[i]!).payload)) !== null) sink++;
  });
  add('generic path: AvroData.fromConnectData + avsc encode', () => {
    for (let i = 0; i < PER_CALL; i++) sink += frame(schemaId, write.codec.encode(data.fromConnectData(connectSchema, write.avro, decoded[i]!.value))).length;
  });
  add('avsc alone: fromBuffer (Avro → plain object)', () => {
    for (let i = 0; i < PER_CALL; i++) if (type.fromBuffer(bodies[i]!) !== null) sink++;
  });
  add('avsc alone: toBuffer (plain object → Avro)', () => {
    for (let i = 0; i < PER_CALL; i++) sink += type.toBuffer(plain[i]).length;
  });

  // tinybench 2.x warms up with warmup(); later versions warm up inside run() (and `warmup` is an option).
  const warmup = (bench as unknown as { warmup?: unknown }).warmup;
  if (typeof warmup === 'function') await (warmup as () => Promise<void>).call(bench);
  for (const r of rows) r.calls = r.ms = r.cpuUs = 0;
  await bench.run();
  await registry.close();
  console.log(`AvroConverter, ${PER_CALL} records of ~${bytesAvg.toFixed(0)} B per call (schema id cached), ~${time} ms per case (ns/record, lower is better)`);
  console.table(rows.map((r) => ({
    case: r.case,
    'ns/record': ((r.ms * 1e6) / (r.calls * PER_CALL)).toFixed(0),
    'CPU ns/record': ((r.cpuUs * 1e3) / (r.calls * PER_CALL)).toFixed(0),
  })));
  if (sink === -1) console.log('');
}

await main();

// Converters in ns/record (tinybench): toConnectData (bytes → Connect) and fromConnectData
// (Connect → bytes) of each built-in converter, 1000 values per call: ~200 B JSON objects for
// JsonConverter (with and without schemas) and MessagePack, 100-character strings, 8-byte longs.
// AvroConverter has its own file, avro.bench.ts (a registry stub in the process, schema id cached).
//
//   node test/fixtures/ts-run.mjs bench/micro/converters.bench.ts [--time ms] [--only text]
//
// The benchmark times its own calls, so its table does not depend on tinybench's result fields.
import { Bench } from 'tinybench';
import type { Converter } from '../../src/api/converter.js';
import { registerBuiltins } from '../../src/plugins/builtins.js';

const PER_CALL = 1000;
const registry = registerBuiltins();

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

function converter(name: string, configs: Record<string, string> = {}): Converter {
  const c = registry.converter(name).create();
  c.configure(configs, false);
  return c;
}

const EVENT_SCHEMA = {
  type: 'struct', optional: false, name: 'event',
  fields: [
    { field: 'id', type: 'int64', optional: false },
    { field: 'ts', type: 'int64', optional: false },
    { field: 'user', type: 'string', optional: false },
    { field: 'action', type: 'string', optional: false },
    { field: 'score', type: 'double', optional: false },
    { field: 'note', type: 'string', optional: true },
  ],
};

function event(i: number): Record<string, unknown> {
  return { id: i, ts: 1_700_000_000_000 + i, user: `user-${i % 97}`, action: 'view', score: (i % 1000) / 10 + 0.5, note: 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod' };
}

/** Each case: a converter and the bytes it reads (its own writes of the same values are measured too). */
const CASES: { name: string; make: () => Converter; bytes: (i: number) => Uint8Array }[] = [
  { name: 'JsonConverter schemas.enable=false (~200 B object)', make: () => converter('JsonConverter', { 'schemas.enable': 'false' }), bytes: (i) => Buffer.from(JSON.stringify(event(i))) },
  { name: 'JsonConverter schemas.enable=true (~200 B struct)', make: () => converter('JsonConverter'), bytes: (i) => Buffer.from(JSON.stringify({ schema: EVENT_SCHEMA, payload: event(i) })) },
  { name: 'StringConverter (100 chars)', make: () => converter('StringConverter'), bytes: (i) => Buffer.from(`${i}`.padEnd(100, 'x')) },
  { name: 'ByteArrayConverter (100 B)', make: () => converter('ByteArrayConverter'), bytes: (i) => Buffer.alloc(100, i & 255) },
  { name: 'LongConverter', make: () => converter('LongConverter'), bytes: (i) => { const b = Buffer.alloc(8); b.writeBigInt64BE(BigInt(i) * 1_000_003n); return b; } },
  {
    name: 'MsgPackConverter (~200 B map)',
    make: () => converter('MsgPack'),
    bytes: (i) => { const json = converter('JsonConverter', { 'schemas.enable': 'false' }); const v = json.toConnectData('t', null, Buffer.from(JSON.stringify(event(i)))); return converter('MsgPack').fromConnectData('t', null, null, v.value)!; },
  },
];

let sink = 0;

async function main(): Promise<void> {
  const time = Number(arg('--time', process.argv.includes('--quick') ? '300' : '1000'));
  const only = arg('--only', '');
  const bench = new Bench({ time, warmupTime: Math.min(300, time) });
  const rows: { converter: string; direction: string; calls: number; ms: number }[] = [];
  for (const c of CASES) {
    if (only && !c.name.includes(only)) continue;
    const conv = c.make();
    const inputs = Array.from({ length: PER_CALL }, (_, i) => c.bytes(i));
    const decoded = inputs.map((b) => conv.toConnectData('events', null, b));
    const read = { converter: c.name, direction: 'bytes → Connect', calls: 0, ms: 0 };
    const write = { converter: c.name, direction: 'Connect → bytes', calls: 0, ms: 0 };
    rows.push(read, write);
    bench.add(`${c.name} read`, () => {
      const t0 = performance.now();
      for (let i = 0; i < PER_CALL; i++) if (conv.toConnectData('events', null, inputs[i]!).value !== null) sink++;
      read.ms += performance.now() - t0;
      read.calls++;
    });
    bench.add(`${c.name} write`, () => {
      const t0 = performance.now();
      for (let i = 0; i < PER_CALL; i++) sink += conv.fromConnectData('events', null, decoded[i]!.schema, decoded[i]!.value)?.length ?? 0;
      write.ms += performance.now() - t0;
      write.calls++;
    });
  }
  // tinybench 2.x warms up with warmup(); later versions warm up inside run() (and `warmup` is an option).
  const warmup = (bench as unknown as { warmup?: unknown }).warmup;
  if (typeof warmup === 'function') await (warmup as () => Promise<void>).call(bench);
  for (const r of rows) r.calls = r.ms = 0;
  await bench.run();
  console.log(`Converters, ${PER_CALL} values per call, ~${time} ms per case (ns/record, lower is better)`);
  console.table(rows.map((r) => ({ converter: r.converter, direction: r.direction, 'ns/record': ((r.ms * 1e6) / (r.calls * PER_CALL)).toFixed(0) })));
  if (sink === -1) console.log('');
}

await main();

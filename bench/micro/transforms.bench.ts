// SMT kernels in ns/record (tinybench): each built-in transformation and predicate, configured as a
// user would, applied to 1000 records per call, schemaless (maps decoded by JsonConverter from
// ~200 B JSON, as smt-chain-5 sees them) and schema-full (Structs), plus the smt-chain-5 chain.
//
// Then smt-chain-5 from a batch frame of 1000 records (bench/lib's json-200B data: 10 % carry the
// `drop` header), as the sink host runs it: decode only (sinkRecordsOf), decode + the per-record
// chain (TransformationChain.apply on each SinkRecord), and decode + the compiled chain
// (transformedSinkRecordsOf). The chain's own cost is the difference to "decode only".
//
//   node test/fixtures/ts-run.mjs bench/micro/transforms.bench.ts [--time ms] [--only text]
//
// The benchmark times its own calls, so its table does not depend on tinybench's result fields.
import { Bench } from 'tinybench';
import { JsonConverter } from '../../src/converters/json.js';
import { Headers } from '../../src/data/headers.js';
import { SinkRecord } from '../../src/data/record.js';
import type { Transformation, Predicate } from '../../src/api/transformation.js';
import { registerBuiltins } from '../../src/plugins/builtins.js';
import { ConnectorConfig } from '../../src/config/connector-config.js';
import { TransformationChain } from '../../src/transforms/chain.js';
import { CompiledChain } from '../../src/transforms/batch/compiled-chain.js';
import { RecordBatch } from '../../src/data/batch.js';
import { BatchWriter } from '../../src/data/batch-writer.js';
import { StringConverter } from '../../src/converters/string.js';
import { SimpleHeaderConverter } from '../../src/converters/simple-header.js';
import { sinkRecordsOf, transformedSinkRecordsOf } from '../../src/engine/batch-records.js';
import type { TaskConverters } from '../../src/engine/task-converters.js';

const PER_CALL = 1000;
const T = 'org.apache.kafka.connect.transforms';
const registry = registerBuiltins();

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

/** 1000 records whose values are decoded from ~200 B JSON objects, with or without a schema. */
function records(withSchema: boolean): SinkRecord[] {
  const json = new JsonConverter();
  json.configure({ 'schemas.enable': String(withSchema) }, false);
  const schema = {
    type: 'struct', optional: false, name: 'event',
    fields: [
      { field: 'id', type: 'int64', optional: false },
      { field: 'ts', type: 'int64', optional: false, name: 'org.apache.kafka.connect.data.Timestamp', version: 1 },
      { field: 'user', type: 'string', optional: false },
      { field: 'action', type: 'string', optional: false },
      { field: 'page', type: 'string', optional: true },
      { field: 'score', type: 'double', optional: false },
      { field: 'note', type: 'string', optional: true },
    ],
  };
  return Array.from({ length: PER_CALL }, (_, i) => {
    const payload = { id: i, ts: 1_700_000_000_000 + i, user: `user-${i % 97}`, action: 'view', page: `/p/${i}`, score: (i % 1000) / 10, note: 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do' };
    const text = withSchema ? JSON.stringify({ schema, payload }) : JSON.stringify(payload);
    const sv = json.toConnectData('events', null, Buffer.from(text));
    const headers = new Headers();
    if (i % 10 === 0) headers.addString('drop', '1');
    return new SinkRecord('events', i % 6, null, null, sv.schema, sv.value, BigInt(i), 1_700_000_000_000 + i, 'CreateTime', headers);
  });
}

function transformation(cls: string, configs: Record<string, string>): Transformation<SinkRecord> {
  const t = registry.transformation(cls).create() as Transformation<SinkRecord>;
  t.configure(configs);
  return t;
}

function predicate(cls: string, configs: Record<string, string>): Predicate<SinkRecord> {
  const p = registry.predicate(cls).create() as Predicate<SinkRecord>;
  p.configure(configs);
  return p;
}

const KERNELS: { name: string; make: () => (r: SinkRecord) => unknown; schemaless?: boolean; schema?: boolean }[] = [
  { name: 'InsertField$Value (static + topic)', make: () => { const t = transformation(`${T}.InsertField$Value`, { 'static.field': 'pipeline', 'static.value': 'bench', 'topic.field': 'topic' }); return (r) => t.apply(r); } },
  { name: 'ReplaceField$Value (exclude 1, rename 1)', make: () => { const t = transformation(`${T}.ReplaceField$Value`, { exclude: 'page', renames: 'user:user_name' }); return (r) => t.apply(r); } },
  { name: 'MaskField$Value (1 string field)', make: () => { const t = transformation(`${T}.MaskField$Value`, { fields: 'user' }); return (r) => t.apply(r); } },
  { name: 'TimestampConverter$Value (ts → string)', make: () => { const t = transformation(`${T}.TimestampConverter$Value`, { field: 'ts', 'target.type': 'string', format: "yyyy-MM-dd'T'HH:mm:ss.SSS" }); return (r) => t.apply(r); } },
  { name: 'Cast$Value (score → int32)', make: () => { const t = transformation(`${T}.Cast$Value`, { spec: 'score:int32' }); return (r) => t.apply(r); } },
  { name: 'ExtractField$Value (user)', make: () => { const t = transformation(`${T}.ExtractField$Value`, { field: 'user' }); return (r) => t.apply(r); } },
  { name: 'HoistField$Value', make: () => { const t = transformation(`${T}.HoistField$Value`, { field: 'event' }); return (r) => t.apply(r); } },
  { name: 'Flatten$Value (flat input)', make: () => { const t = transformation(`${T}.Flatten$Value`, {}); return (r) => t.apply(r); } },
  { name: 'ValueToKey (id)', make: () => { const t = transformation(`${T}.ValueToKey`, { fields: 'id' }); return (r) => t.apply(r); } },
  { name: 'SetSchemaMetadata$Value', schemaless: false, make: () => { const t = transformation(`${T}.SetSchemaMetadata$Value`, { 'schema.name': 'renamed', 'schema.version': '2' }); return (r) => t.apply(r); } },
  { name: 'RegexRouter', make: () => { const t = transformation(`${T}.RegexRouter`, { regex: '(.*)', replacement: '$1-copy' }); return (r) => t.apply(r); } },
  { name: 'TimestampRouter', make: () => { const t = transformation(`${T}.TimestampRouter`, {}); return (r) => t.apply(r); } },
  { name: 'InsertHeader', make: () => { const t = transformation(`${T}.InsertHeader`, { header: 'origin', 'value.literal': 'bench' }); return (r) => t.apply(r); } },
  { name: 'DropHeaders', make: () => { const t = transformation(`${T}.DropHeaders`, { headers: 'drop' }); return (r) => t.apply(r); } },
  { name: 'HeaderFrom$Value (copy user)', make: () => { const t = transformation(`${T}.HeaderFrom$Value`, { fields: 'user', headers: 'user', operation: 'copy' }); return (r) => t.apply(r); } },
  { name: 'Filter', make: () => { const t = transformation(`${T}.Filter`, {}); return (r) => t.apply(r); } },
  { name: 'predicate TopicNameMatches', make: () => { const p = predicate(`${T}.predicates.TopicNameMatches`, { pattern: 'ev.*' }); return (r) => p.test(r); } },
  { name: 'predicate HasHeaderKey', make: () => { const p = predicate(`${T}.predicates.HasHeaderKey`, { name: 'drop' }); return (r) => p.test(r); } },
  { name: 'predicate RecordIsTombstone', make: () => { const p = predicate(`${T}.predicates.RecordIsTombstone`, {}); return (r) => p.test(r); } },
  {
    name: 'smt-chain-5 (InsertField, ReplaceField, MaskField, TimestampConverter, Filter+HasHeaderKey)',
    make: () => {
      const chain = smtChain5();
      return (r) => chain.apply(r);
    },
  },
];

/** smt-chain-5's connector config (bench/lib/scenarios.mjs), as TransformationChain builds it. */
function smtChain5(): TransformationChain<SinkRecord> {
  const config = new ConnectorConfig({
    name: 'bench', 'connector.class': 'Null', topics: 'events',
    transforms: 'insert,replace,mask,timestamp,drop',
    'transforms.insert.type': `${T}.InsertField$Value`, 'transforms.insert.static.field': 'pipeline', 'transforms.insert.static.value': 'bench',
    'transforms.replace.type': `${T}.ReplaceField$Value`, 'transforms.replace.exclude': 'page',
    'transforms.mask.type': `${T}.MaskField$Value`, 'transforms.mask.fields': 'user',
    'transforms.timestamp.type': `${T}.TimestampConverter$Value`, 'transforms.timestamp.field': 'ts',
    'transforms.timestamp.target.type': 'string', 'transforms.timestamp.format': "yyyy-MM-dd'T'HH:mm:ss.SSS",
    'transforms.drop.type': `${T}.Filter`, 'transforms.drop.predicate': 'hasDrop',
    predicates: 'hasDrop', 'predicates.hasDrop.type': `${T}.predicates.HasHeaderKey`, 'predicates.hasDrop.name': 'drop',
  }, registry);
  return TransformationChain.fromConfig<SinkRecord>(config, registry);
}

/** The values bench/lib/kafka.mjs produceJson writes for json-200B (every 10th with a `drop` header), in one frame. */
function smtFrame(): Uint8Array {
  const users = Array.from({ length: 97 }, (_, i) => `user-${(i * 7919) % 100000}`);
  const actions = ['view', 'click', 'scroll', 'purchase', 'login', 'logout'];
  const filler = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ';
  const values = Array.from({ length: PER_CALL }, (_, i) => {
    const head = `{"id":${i},"ts":${1700000000000 + i},"user":"${users[i % users.length]}","action":"${actions[i % actions.length]}","page":"/p/${(i * 7919) % 100000}","ok":${i % 17 !== 0},"score":${(i % 1000) / 10},"tags":["a${i % 13}","b${i % 7}"],"note":"`;
    const room = Math.max(0, 200 - head.length - 2);
    let note = '';
    while (note.length < room) note += filler;
    return Buffer.from(`${head}${note.slice(i % 40, i % 40 + room)}"}`);
  });
  const target = new Uint8Array(BatchWriter.estimate(PER_CALL, values.reduce((n, v) => n + v.length + 16, 0), ['events']));
  const w = new BatchWriter().reset(target, PER_CALL);
  values.forEach((v, i) => w.append('events', i % 6, i, 1_700_000_000_000 + i, null, v, i % 10 === 0 ? [['drop', Buffer.from('1')]] : null));
  return target.subarray(0, w.finish());
}

function smtConverters(): TaskConverters {
  const value = new JsonConverter();
  value.configure({ 'schemas.enable': 'false' }, false);
  const key = new StringConverter();
  key.configure({}, true);
  const header = new SimpleHeaderConverter();
  header.configure({});
  return { key, value, header };
}

/** smt-chain-5 from a frame: what each call does to one frame of PER_CALL records (returns the survivors). */
const FRAME_RUNS: { name: string; make: () => (batch: RecordBatch, converters: TaskConverters) => number }[] = [
  { name: 'smt-chain-5 from a frame: decode only', make: () => (b, c) => sinkRecordsOf(b, c).length },
  {
    name: 'smt-chain-5 from a frame: decode + per-record chain',
    make: () => {
      const chain = smtChain5();
      return (b, c) => {
        let n = 0;
        for (const r of sinkRecordsOf(b, c)) if (chain.apply(r) !== null) n++;
        return n;
      };
    },
  },
  {
    name: 'smt-chain-5 from a frame: decode + compiled chain',
    make: () => {
      const chain = CompiledChain.compile(smtChain5());
      return (b, c) => transformedSinkRecordsOf(b, c, chain).length;
    },
  },
];

let sink = 0; // keeps results observable

function cpuMsSince(start: NodeJS.CpuUsage): number {
  const d = process.cpuUsage(start);
  return (d.user + d.system) / 1000;
}

async function main(): Promise<void> {
  const time = Number(arg('--time', process.argv.includes('--quick') ? '300' : '1000'));
  const only = arg('--only', '');
  const bench = new Bench({ time, warmupTime: Math.min(300, time) });
  const rows: { kernel: string; data: string; calls: number; ms: number; cpuMs: number }[] = [];
  const inputs = { schemaless: records(false), struct: records(true) };
  for (const k of KERNELS) {
    for (const data of ['schemaless', 'struct'] as const) {
      if (data === 'schemaless' && k.schemaless === false) continue;
      const name = `${k.name} · ${data}`;
      if (only && !name.includes(only)) continue;
      const apply = k.make();
      const input = inputs[data];
      const row = { kernel: k.name, data, calls: 0, ms: 0, cpuMs: 0 };
      rows.push(row);
      bench.add(name, () => {
        const t0 = performance.now();
        const c0 = process.cpuUsage();
        for (let i = 0; i < input.length; i++) if (apply(input[i]!) !== null) sink++;
        row.ms += performance.now() - t0;
        row.cpuMs += cpuMsSince(c0);
        row.calls++;
      });
    }
  }
  const frame = smtFrame();
  const batch = new RecordBatch();
  const converters = smtConverters();
  for (const f of FRAME_RUNS) {
    if (only && !f.name.includes(only)) continue;
    const run = f.make();
    const row = { kernel: f.name, data: 'frame', calls: 0, ms: 0, cpuMs: 0 };
    rows.push(row);
    bench.add(f.name, () => {
      const t0 = performance.now();
      const c0 = process.cpuUsage();
      batch.reset(frame); // every record selected again
      sink += run(batch, converters);
      row.ms += performance.now() - t0;
      row.cpuMs += cpuMsSince(c0);
      row.calls++;
    });
  }
  // tinybench 2.x warms up with warmup(); later versions warm up inside run() (and `warmup` is an option).
  const warmup = (bench as unknown as { warmup?: unknown }).warmup;
  if (typeof warmup === 'function') await (warmup as () => Promise<void>).call(bench);
  for (const r of rows) r.calls = r.ms = r.cpuMs = 0;
  await bench.run();
  console.log(`SMT kernels, ${PER_CALL} records per call, ~${time} ms per kernel (ns/record, lower is better)`);
  // CPU time (the process's, GC threads included) moves less than wall time on a busy machine.
  console.table(rows.map((r) => ({
    kernel: r.kernel, data: r.data,
    'ns/record': ((r.ms * 1e6) / (r.calls * PER_CALL)).toFixed(0),
    'CPU ns/record': ((r.cpuMs * 1e6) / (r.calls * PER_CALL)).toFixed(0),
  })));
  if (!only || FRAME_RUNS.some((f) => f.name.includes(only))) interleavedFrameRuns(frame, batch, converters);
  if (sink === -1) console.log('');
}

/**
 * The frame runs again, interleaved (each round runs every one of them on the same frames), so
 * that drift on a shared machine hits all alike; min and median CPU of the rounds.
 */
function interleavedFrameRuns(frame: Uint8Array, batch: RecordBatch, converters: TaskConverters): void {
  const rounds = Number(arg('--rounds', process.argv.includes('--quick') ? '15' : '40'));
  const framesPerRound = 20;
  const runs = FRAME_RUNS.map((f) => ({ name: f.name, run: f.make(), cpu: [] as number[] }));
  for (let r = 0; r < rounds; r++) {
    for (const x of runs) {
      const c0 = process.cpuUsage();
      for (let k = 0; k < framesPerRound; k++) {
        batch.reset(frame);
        sink += x.run(batch, converters);
      }
      x.cpu.push((cpuMsSince(c0) * 1e6) / (framesPerRound * PER_CALL));
    }
  }
  console.log(`smt-chain-5 from a frame, ${rounds} interleaved rounds of ${framesPerRound} frames (CPU ns/record)`);
  console.table(runs.map((x) => {
    const sorted = [...x.cpu].sort((a, b) => a - b);
    return { run: x.name, min: sorted[0]!.toFixed(0), median: sorted[Math.floor(sorted.length / 2)]!.toFixed(0) };
  }));
}

await main();

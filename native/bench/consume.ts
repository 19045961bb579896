/**
 * Records/s from Kafka into JS through the native consumer and its ring, with the JS side doing
 * what a byte-for-byte sink does at the least: read every record's columns (offset, partition,
 * value length, timestamp) through RecordBatch views, and store offsets once per frame.
 *
 *   npm run bench:native:consume -- --bootstrap 127.0.0.1:9092 --topic T --count 2000000
 *     [--group G] [--records-per-frame 5000] [--ring-mb 64] [--batch-timeout-ms 20]
 *     [--thread main|worker] [--sink-ns-per-record NS] [-X key=value …]
 *
 * Prints one JSON line like native-bench's: records/s, MB/s and CPU seconds per million records
 * (process-wide: JS thread, native consumer thread and librdkafka's threads).
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { RecordBatch } from '../../src/data/batch.js';
import { threadCpu } from './common.js';
import { createNativeRing, decodeEvent, FrameKind, NativeConsumer, nativeAddon } from '../../src/kafka/native.js';

interface Options {
  bootstrap: string;
  topic: string;
  count: number;
  group: string;
  recordsPerFrame: number;
  ringBytes: number;
  batchTimeoutMs: number;
  /** Simulated sink work: spin this many ns per record (0 = none). */
  sinkNs: number;
  overrides: Record<string, string>;
}

function parse(argv: string[]): { opts: Options; thread: string } {
  const { values } = parseArgs({
    args: argv,
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      count: { type: 'string' },
      group: { type: 'string' },
      'records-per-frame': { type: 'string', default: '5000' },
      'ring-mb': { type: 'string', default: '64' },
      'batch-timeout-ms': { type: 'string', default: '20' },
      thread: { type: 'string', default: 'worker' },
      'sink-ns-per-record': { type: 'string', default: '0' },
      X: { type: 'string', short: 'X', multiple: true, default: [] },
    },
  });
  if (!values.bootstrap || !values.topic || !values.count) throw new Error('consume needs --bootstrap, --topic and --count');
  const overrides: Record<string, string> = {};
  for (const kv of values.X ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new Error(`-X expects key=value, got ${kv}`);
    overrides[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return {
    thread: values.thread!,
    opts: {
      bootstrap: values.bootstrap,
      topic: values.topic,
      count: Number(values.count),
      group: values.group ?? `sluice-bench-${Date.now().toString(36)}`,
      recordsPerFrame: Number(values['records-per-frame']),
      ringBytes: Number(values['ring-mb']) << 20,
      batchTimeoutMs: Number(values['batch-timeout-ms']),
      sinkNs: Number(values['sink-ns-per-record']),
      overrides,
    },
  };
}

/** Runs in the thread that reads the ring (a worker by default, like a task thread). */
async function consume(o: Options): Promise<Record<string, unknown>> {
  const ring = createNativeRing(o.ringBytes);
  const consumer = new NativeConsumer({
    config: { 'bootstrap.servers': o.bootstrap, 'group.id': o.group, 'auto.offset.reset': 'earliest', ...o.overrides },
    topics: [o.topic],
    ring,
    maxRecordsPerFrame: o.recordsPerFrame,
    batchTimeoutMs: o.batchTimeoutMs,
  });
  const batch = new RecordBatch();
  const sleeper = new Int32Array(new SharedArrayBuffer(4));
  const next = new Float64Array(1024).fill(-1); // next offset per partition, stored once per frame
  let records = 0;
  let bytes = 0;
  let checksum = 0;
  let frames = 0;
  let start = 0;
  let cpu0 = process.cpuUsage();
  while (records < o.count) {
    const frame = ring.read(30_000);
    if (frame === null) throw new Error(`no data for 30 s after ${records} records`);
    if (ring.frameKind === FrameKind.EVENT) {
      const ev = decodeEvent(frame);
      ring.release();
      if (ev.type === 'error' && ev.fatal) throw new Error(ev.message);
      if (ev.type === 'revoke') consumer.rebalanceDone(ev.seq);
      continue;
    }
    if (start === 0) {
      // The clock starts at the first frame: group join and first fetch are not throughput.
      start = performance.now();
      cpu0 = process.cpuUsage();
    }
    batch.reset(frame);
    const n = batch.count;
    if (o.sinkNs > 0) {
      // A sink that takes sinkNs per record, waiting on I/O (sleeps, no CPU): paces the reader at
      // 1e9 / sinkNs records/s (against a schedule, so sleep overshoot does not add up), so
      // librdkafka's prefetch queue fills up as it does in front of a slower sink. A reader
      // starved by the fetcher falls behind the schedule and the rate drops below the pace.
      const due = start + ((records + n) * o.sinkNs) / 1e6;
      const wait = due - performance.now();
      if (wait > 0) Atomics.wait(sleeper, 0, 0, wait);
    }
    const offs = batch.offsets;
    const parts = batch.partitions;
    const vlen = batch.valueLengths;
    const ts = batch.timestamps;
    for (let i = 0; i < n; i++) {
      const len = vlen[i]!;
      bytes += len > 0 ? len : 0;
      checksum += ts[i]! > 0 ? 1 : 0;
      next[parts[i]!] = offs[i]! + 1;
    }
    records += n;
    frames++;
    ring.release();
    const flushed = [];
    for (let p = 0; p < next.length; p++) if (next[p]! >= 0) flushed.push({ topic: o.topic, partition: p, offset: next[p]! });
    consumer.storeOffsets(flushed);
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const threads = threadCpu();
  await consumer.close();
  return {
    mode: 'sluice-native-consume',
    records,
    bytes,
    frames,
    records_per_frame: Math.round(records / frames),
    seconds: Number(seconds.toFixed(3)),
    records_per_sec: Math.round(records / seconds),
    mb_per_sec: Number((bytes / seconds / 1e6).toFixed(2)),
    cpu_user_s: Number((cpu.user / 1e6).toFixed(3)),
    cpu_sys_s: Number((cpu.system / 1e6).toFixed(3)),
    cpu_s_per_million: Number((((cpu.user + cpu.system) / 1e6 / records) * 1e6).toFixed(3)),
    checksum,
    threads,
    librdkafka: nativeAddon().librdkafkaVersion,
  };
}

if (isMainThread) {
  const { opts, thread } = parse(process.argv.slice(2));
  if (thread === 'main') {
    console.log(JSON.stringify(await consume(opts)));
  } else {
    const worker = new Worker(new URL(import.meta.url), { workerData: opts });
    worker.on('message', (m) => console.log(JSON.stringify(m)));
    worker.on('error', (e) => {
      console.error(e);
      process.exitCode = 1;
    });
  }
} else {
  parentPort!.postMessage(await consume(workerData as Options));
}

/**
 * Records/s from JS into Kafka through a ring and the native producer, counting every delivery
 * report: JS builds BatchWriter frames of 100-byte values (what a batch-aware source task does)
 * and reads the report ring between frames.
 *
 *   npm run bench:native:produce -- --bootstrap 127.0.0.1:9092 --topic T --count 2000000
 *     [--size 100] [--records-per-frame 5000] [--ring-mb 16] [--zero-copy] [--partitions 3]
 *     [-X key=value …]
 *
 * The topic should exist (native-bench produce --partitions P creates one). Prints one JSON line.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { parseArgs } from 'node:util';
import { BatchWriter } from '../../src/data/batch-writer.js';
import { createNativeRing, decodeEvent, DeliveryReports, FrameKind, NativeProducer } from '../../src/kafka/native.js';
import { threadCpu } from './common.js';

interface Options {
  bootstrap: string;
  topic: string;
  count: number;
  size: number;
  recordsPerFrame: number;
  ringBytes: number;
  copy: boolean;
  partitions: number;
  overrides: Record<string, string>;
}

function parse(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      bootstrap: { type: 'string' },
      topic: { type: 'string' },
      count: { type: 'string' },
      size: { type: 'string', default: '100' },
      'records-per-frame': { type: 'string', default: '5000' },
      'ring-mb': { type: 'string', default: '16' },
      'zero-copy': { type: 'boolean', default: false },
      partitions: { type: 'string', default: '0' },
      X: { type: 'string', short: 'X', multiple: true, default: [] },
    },
  });
  if (!values.bootstrap || !values.topic || !values.count) throw new Error('produce needs --bootstrap, --topic and --count');
  const overrides: Record<string, string> = {};
  for (const kv of values.X ?? []) {
    const eq = kv.indexOf('=');
    overrides[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return {
    bootstrap: values.bootstrap,
    topic: values.topic,
    count: Number(values.count),
    size: Number(values.size),
    recordsPerFrame: Number(values['records-per-frame']),
    ringBytes: Number(values['ring-mb']) << 20,
    copy: !values['zero-copy'],
    partitions: Number(values.partitions),
    overrides,
  };
}

async function produce(o: Options): Promise<Record<string, unknown>> {
  const producer = new NativeProducer({
    config: { 'bootstrap.servers': o.bootstrap, ...o.overrides },
    input: createNativeRing(o.ringBytes),
    reports: createNativeRing(o.ringBytes),
    copy: o.copy,
  });
  const input = producer.input;
  const reports = producer.reports;
  const dr = new DeliveryReports();
  const writer = new BatchWriter();
  const value = new Uint8Array(o.size).fill(120);
  const frameBytes = BatchWriter.estimate(o.recordsPerFrame, o.recordsPerFrame * o.size, [o.topic]);
  let acked = 0;
  let failed = 0;
  let firstError = '';
  const drain = (): void => {
    for (let f = reports.tryRead(); f !== null; f = reports.tryRead()) {
      if (reports.frameKind === FrameKind.DELIVERY_REPORTS) {
        dr.reset(f);
        acked += dr.count;
        for (let i = 0; i < dr.count; i++) {
          if (dr.errorCode(i) !== 0) {
            failed++;
            firstError ||= `error ${dr.errorCode(i)}`;
          }
        }
      } else {
        const ev = decodeEvent(f);
        if (ev.type === 'error') firstError ||= ev.message;
      }
      reports.release();
    }
  };
  const start = performance.now();
  const cpu0 = process.cpuUsage();
  let written = 0;
  let threads = threadCpu();
  const now = Date.now();
  while (written < o.count) {
    drain();
    const view = input.reserve(frameBytes, 5);
    if (view === null) continue; // full: read reports, then try again
    writer.reset(view, o.recordsPerFrame);
    const n = Math.min(o.recordsPerFrame, o.count - written);
    for (let i = 0; i < n; i++) {
      const p = o.partitions > 0 ? (written + i) % o.partitions : -1;
      writer.append(o.topic, p, 0, now, null, value);
    }
    input.commit(writer.finish(), FrameKind.BATCH);
    written += n;
    // Per-thread CPU while librdkafka's threads still exist (they end with the producer).
    if (written % (50 * o.recordsPerFrame) === 0) threads = threadCpu();
  }
  input.close();
  while (acked < o.count) {
    drain();
    if (reports.isEnded) break;
    const f = reports.read(10_000);
    if (f === null) {
      if (reports.isEnded) break;
      throw new Error(`no delivery report for 10 s; ${acked} of ${o.count} acknowledged`);
    }
    // put it back through drain's path
    if (reports.frameKind === FrameKind.DELIVERY_REPORTS) {
      dr.reset(f);
      acked += dr.count;
      for (let i = 0; i < dr.count; i++) if (dr.errorCode(i) !== 0) failed++;
    }
    reports.release();
  }
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpu0);
  const stats = producer.stats();
  await producer.close();
  return {
    mode: o.copy ? 'sluice-native-produce-copy' : 'sluice-native-produce-zero-copy',
    records: acked,
    failed,
    first_error: firstError || undefined,
    seconds: Number(seconds.toFixed(3)),
    records_per_sec: Math.round(acked / seconds),
    mb_per_sec: Number(((acked * o.size) / seconds / 1e6).toFixed(2)),
    cpu_s_per_million: Number((((cpu.user + cpu.system) / 1e6 / acked) * 1e6).toFixed(3)),
    queue_full_retries: stats.queueFullRetries,
    report_frames: stats.reportFrames,
    threads,
  };
}

if (isMainThread) {
  const opts = parse(process.argv.slice(2));
  const worker = new Worker(new URL(import.meta.url), { workerData: opts });
  worker.on('message', (m) => console.log(JSON.stringify(m)));
  worker.on('error', (e) => {
    console.error(e);
    process.exitCode = 1;
  });
} else {
  parentPort!.postMessage(await produce(workerData as Options));
}

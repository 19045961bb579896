// Ring and batch-frame micro-benchmarks (tinybench).
//
//   node test/fixtures/ts-run.mjs bench/micro/ring.bench.ts [--time ms] [--quick] [--ring bytes] [--only text]
//
// 1. records/s through a RingBuffer, producer in a worker thread, consumer on this thread, frames of
//    1000 records, values of 100 B and 1 KB (key null):
//      producer "copy":  memcpy of a prebuilt batch frame per frame (what the native consumer does)
//      producer "build": BatchWriter.append per record (the JS producer path)
//      consumer "columns": RecordBatch.reset + read offset, timestamp, partition, value length and the
//                          first value byte of every record (no allocation per record)
//      consumer "views":   the same plus valueView(i) per record (one small allocation each)
// 2. the cost of reading a batch's columns with no ring and no thread (ns/record).
//
// The file starts itself as the producer Worker (new Worker(import.meta.url)).
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { Bench } from 'tinybench';
import { RecordBatch } from '../../src/data/batch.js';
import { BatchWriter } from '../../src/data/batch-writer.js';
import { RingBuffer } from '../../src/engine/ring/ring-buffer.js';

const PER_FRAME = 1000;
const TOPICS = ['bench-a', 'bench-b', 'bench-c'];

interface ProducerData {
  buffer: SharedArrayBuffer;
  mode: 'copy' | 'build';
  valueSize: number;
}

/** One frame of PER_FRAME records with `valueSize`-byte values; its offsets start at `base`. */
function buildFrame(w: BatchWriter, target: Uint8Array, value: Uint8Array, base: number): number {
  w.reset(target, PER_FRAME);
  for (let i = 0; i < PER_FRAME; i++) {
    w.append(TOPICS[i % 3]!, i & 7, base + i, 1_700_000_000_000 + base + i, null, value);
  }
  return w.finish();
}

function frameBytes(valueSize: number): number {
  return BatchWriter.estimate(PER_FRAME, PER_FRAME * valueSize, TOPICS);
}

/** --ring <bytes> sets the ring's data region; by default 4 MiB or 8 frames, whichever is larger. */
function ringCapacity(valueSize: number): number {
  const i = process.argv.indexOf('--ring');
  if (i >= 0) return Math.max(Number(process.argv[i + 1]), 2 * frameBytes(valueSize) + 16);
  return Math.max(4 << 20, 8 * frameBytes(valueSize));
}

function valueOf(size: number): Uint8Array {
  const v = new Uint8Array(size);
  for (let k = 0; k < size; k++) v[k] = (k * 31) & 255;
  return v;
}

// ─── producer thread ───────────────────────────────────────────────────────────────────────────
function producerMain({ buffer, mode, valueSize }: ProducerData): void {
  const ring = RingBuffer.attach(buffer);
  const w = new BatchWriter();
  const value = valueOf(valueSize);
  const size = frameBytes(valueSize);
  const template = new Uint8Array(size);
  const templateLength = buildFrame(w, template, value, 0);
  let base = 0;
  for (;;) {
    // runs until the consumer cancels: reserve() then returns null
    const view = ring.reserve(size);
    if (view === null) break;
    if (mode === 'copy') {
      view.set(template.subarray(0, templateLength));
      ring.commit(templateLength);
    } else {
      ring.commit(buildFrame(w, view, value, base));
      base += PER_FRAME;
    }
  }
  parentPort!.postMessage('done');
}

if (!isMainThread) producerMain(workerData as ProducerData);

// ─── consumer / driver ─────────────────────────────────────────────────────────────────────────
interface Scenario {
  name: string;
  records: number;
  elapsedMs: number;
}

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(name);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}

/** --only <text>: run the scenarios whose name contains it. */
function selected(name: string): boolean {
  const i = process.argv.indexOf('--only');
  return i < 0 || name.includes(process.argv[i + 1] ?? '');
}

let sink = 0; // keeps the reads observable

/** Read `frames` frames and touch every record's columns. */
function consumeColumns(ring: RingBuffer, batch: RecordBatch, frames: number): number {
  let records = 0;
  for (let f = 0; f < frames; f++) {
    const frame = ring.read();
    if (frame === null) throw new Error('ring ended');
    batch.reset(frame);
    const { offsets, timestamps, partitions, valueLengths, valueOffsets, bytes } = batch;
    const p = batch.payloadStart;
    let s = 0;
    for (let i = 0; i < batch.count; i++) {
      s += offsets[i]! + timestamps[i]! + partitions[i]! + valueLengths[i]! + bytes[p + valueOffsets[i]!]!;
    }
    sink += s;
    records += batch.count;
    ring.release();
  }
  return records;
}

function consumeViews(ring: RingBuffer, batch: RecordBatch, frames: number): number {
  let records = 0;
  for (let f = 0; f < frames; f++) {
    const frame = ring.read();
    if (frame === null) throw new Error('ring ended');
    batch.reset(frame);
    let s = 0;
    for (let i = 0; i < batch.count; i++) {
      const v = batch.valueView(i)!;
      s += batch.offset(i) + batch.partition(i) + v[0]! + v.length;
    }
    sink += s;
    records += batch.count;
    ring.release();
  }
  return records;
}

async function main(): Promise<void> {
  const time = arg('--time', process.argv.includes('--quick') ? 300 : 2000);
  const framesPerIteration = 100; // 100,000 records per measured call
  const bench = new Bench({ time, warmupTime: Math.min(500, time) });
  const scenarios: Scenario[] = [];

  for (const valueSize of [100, 1000]) {
    for (const mode of ['copy', 'build'] as const) {
      for (const reader of ['columns', 'views'] as const) {
        if (mode === 'build' && reader === 'views') continue;
        const name = `ring ${valueSize} B, producer ${mode}, consumer ${reader}`;
        if (!selected(name)) continue;
        const sc: Scenario = { name, records: 0, elapsedMs: 0 };
        scenarios.push(sc);
        let ring: RingBuffer;
        let worker: Worker;
        let exited: Promise<unknown>;
        const batch = new RecordBatch();
        const consume = reader === 'columns' ? consumeColumns : consumeViews;
        bench.add(
          name,
          () => {
            const t0 = performance.now();
            sc.records += consume(ring, batch, framesPerIteration);
            sc.elapsedMs += performance.now() - t0;
          },
          {
            beforeAll: async () => {
              ring = RingBuffer.create(ringCapacity(valueSize));
              worker = new Worker(new URL(import.meta.url), { workerData: { buffer: ring.buffer, mode, valueSize } satisfies ProducerData });
              exited = new Promise((resolve) => worker.once('exit', resolve));
              // the first frame proves the producer is up; warm-up and runs share one producer
              consume(ring, batch, 1);
              sc.records = 0;
              sc.elapsedMs = 0;
            },
            afterAll: async () => {
              ring.cancel();
              await exited;
            },
          },
        );
      }
    }
  }

  // column reads alone: one frame in memory, no ring, no thread
  for (const valueSize of [100, 1000]) {
    const name = `read columns of a ${PER_FRAME}-record frame, ${valueSize} B values`;
    if (!selected(name)) continue;
    const sc: Scenario = { name, records: 0, elapsedMs: 0 };
    scenarios.push(sc);
    const target = new Uint8Array(frameBytes(valueSize));
    const length = buildFrame(new BatchWriter(), target, valueOf(valueSize), 0);
    const frame = target.subarray(0, length);
    const batch = new RecordBatch();
    bench.add(name, () => {
      const t0 = performance.now();
      for (let rep = 0; rep < 100; rep++) {
        batch.reset(frame);
        const { offsets, timestamps, partitions, valueLengths, valueOffsets, bytes } = batch;
        const p = batch.payloadStart;
        let s = 0;
        for (let i = 0; i < batch.count; i++) {
          s += offsets[i]! + timestamps[i]! + partitions[i]! + valueLengths[i]! + bytes[p + valueOffsets[i]!]!;
        }
        sink += s;
        sc.records += batch.count;
      }
      sc.elapsedMs += performance.now() - t0;
    });
  }

  // tinybench 2.x warms up with warmup(); later versions warm up inside run() (and `warmup` is an option).
  const warmup = (bench as unknown as { warmup?: unknown }).warmup;
  if (typeof warmup === 'function') await (warmup as () => Promise<void>).call(bench);
  for (const sc of scenarios) {
    sc.records = 0;
    sc.elapsedMs = 0;
  }
  await bench.run();
  console.table(bench.table());
  console.table(
    scenarios.map((sc) => ({
      scenario: sc.name,
      'records/s': Math.round((sc.records / sc.elapsedMs) * 1000).toLocaleString('en-US'),
      'ns/record': ((sc.elapsedMs * 1e6) / sc.records).toFixed(1),
    })),
  );
  if (sink === 42) console.log('');
}

if (isMainThread) await main();

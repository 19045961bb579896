// The JS cost of a JSON sink, per record, with no Kafka: what sink-file-1KB-json spends on the task
// thread after the native consumer has written a frame.
//
//   node test/fixtures/ts-run.mjs bench/micro/sink-json.bench.ts [--rounds 5] [--frames 50] [--young 0,96] [--stage file-sink]
//
// Stages, each over frames of 1000 JSON values of ~1 KB (the bench's json-1KB data set):
//   decode       JsonConverter (schemas.enable=false) toConnectData per value view
//   materialize  sinkRecordsOf: SinkRecords through the task's converters (decode included)
//   file-sink    materialize + FileStreamSinkTask.put + flush to /dev/null (per-record sinks' path)
//   print-lines  ValueLinePrinter (values printed from their bytes) + FileStreamSinkTask.putValueLines
//                + flush to /dev/null: what the scenario runs since FileStreamSink takes printed lines
//   smt-chain-5  print-lines over the smt-chain-5 scenario's records (~200 B JSON, a `drop` header
//                on every 10th) through its five transforms (bench/lib/scenarios.mjs SMT_CHAIN_5)
//   print-200B   print-lines over smt-chain-5's records without the transforms: the floor under it
// Each stage runs in a fresh worker thread per young-generation size (--young, MB; 0 = V8's
// default), since task threads run with resourceLimits.maxYoungGenerationSizeMb (engine/task-pool).
// Reported: median CPU and wall ns/record of --rounds rounds and the thread's GC share. CPU time
// is the figure to compare when the machine is busy.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import { PerformanceObserver } from 'node:perf_hooks';
import { RecordBatch } from '../../src/data/batch.js';
import { BatchWriter } from '../../src/data/batch-writer.js';
import { JsonConverter } from '../../src/converters/json.js';
import { StringConverter } from '../../src/converters/string.js';
import { SimpleHeaderConverter } from '../../src/converters/simple-header.js';
import { sinkRecordsOf } from '../../src/engine/batch-records.js';
import { ValueLinePrinter } from '../../src/engine/value-lines.js';
import { CompiledChain } from '../../src/transforms/batch/compiled-chain.js';
import { TransformationChain } from '../../src/transforms/chain.js';
import type { SinkRecord } from '../../src/data/record.js';
import { ConnectorConfig } from '../../src/config/connector-config.js';
import { registerBuiltins } from '../../src/plugins/builtins.js';
import { FileStreamSinkTask } from '../../src/connectors/file/file-stream-sink-task.js';
import type { TaskConverters } from '../../src/engine/task-converters.js';
// @ts-expect-error: plain JavaScript modules of the bench runner
import { jsonValue } from '../lib/json-values.mjs';
// @ts-expect-error: plain JavaScript modules of the bench runner
import { SMT_CHAIN_5 } from '../lib/scenarios.mjs';

const PER_FRAME = 1000;
const STAGES = ['decode', 'materialize', 'file-sink', 'print-lines', 'smt-chain-5', 'print-200B'] as const;
type Stage = (typeof STAGES)[number];

interface Result {
  nsPerRecord: number[];
  cpuNsPerRecord: number[];
  gcShare: number;
}

interface Job {
  stage: Stage;
  rounds: number;
  frames: number;
}

function buildFrames(count: number, stage: Stage): Uint8Array[] {
  const w = new BatchWriter();
  const frames: Uint8Array[] = [];
  const smt = stage === 'smt-chain-5' || stage === 'print-200B';
  const drop: [string, Uint8Array][] = [['drop', Buffer.from('1')]];
  for (let f = 0; f < count; f++) {
    const values = Array.from({ length: PER_FRAME }, (_, i) => jsonValue(f * PER_FRAME + i, smt ? 200 : 1000));
    const target = new Uint8Array(BatchWriter.estimate(PER_FRAME, values.reduce((n, v) => n + v.length + 16, 0), ['bench']));
    w.reset(target, PER_FRAME);
    values.forEach((v, i) => w.append('bench', i & 3, f * PER_FRAME + i, 1_700_000_000_000 + i, null, v, smt && (f * PER_FRAME + i) % 10 === 0 ? drop : undefined));
    frames.push(target.subarray(0, w.finish()));
  }
  return frames;
}

function converters(): TaskConverters {
  const value = new JsonConverter();
  value.configure({ 'schemas.enable': 'false' }, false);
  const key = new StringConverter();
  key.configure({}, true);
  const header = new SimpleHeaderConverter();
  header.configure({});
  return { key, value, header };
}

let sink = 0; // keeps results observable

/**
 * CPU time of the calling thread in ms (utime + stime from /proc/thread-self/stat, 10 ms ticks):
 * unlike wall time, it hardly moves when other processes share the cores.
 */
function threadCpuMs(): number {
  const stat = readFileSync('/proc/thread-self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

async function runStage({ stage, rounds, frames: frameCount }: Job): Promise<Result> {
  const frames = buildFrames(frameCount, stage);
  const conv = converters();
  const batch = new RecordBatch();
  const registry = registerBuiltins();
  const connector = { name: 'bench', 'connector.class': 'FileStreamSink', ...(stage === 'smt-chain-5' ? SMT_CHAIN_5 : {}) };
  const chain = TransformationChain.fromConfig<SinkRecord>(new ConnectorConfig(connector, registry), registry);
  const printer = new ValueLinePrinter(conv, CompiledChain.compile(chain));
  const task = new FileStreamSinkTask();
  await task.start({ file: '/dev/null' });
  let gcMs = 0;
  const obs = new PerformanceObserver((list) => {
    for (const e of list.getEntries()) gcMs += e.duration;
  });
  obs.observe({ entryTypes: ['gc'] });
  const once = async (): Promise<void> => {
    for (const frame of frames) {
      batch.reset(frame);
      if (stage === 'decode') {
        for (let i = 0; i < batch.count; i++) sink += conv.value.toConnectData('bench', null, batch.valueView(i)).value === null ? 1 : 0;
      } else if (stage === 'materialize') {
        sink += sinkRecordsOf(batch, conv).length;
      } else if (stage === 'file-sink') {
        await task.put(sinkRecordsOf(batch, conv));
        await task.flush(new Map());
      } else {
        for (let from = 0; from < batch.count; from += 500) {
          const { lines } = printer.print(batch, from, Math.min(batch.count, from + 500));
          await task.putValueLines(lines);
        }
        await task.flush(new Map());
      }
    }
  };
  await once(); // warm-up
  const nsPerRecord: number[] = [];
  const cpuNsPerRecord: number[] = [];
  let busyMs = 0;
  gcMs = 0;
  for (let r = 0; r < rounds; r++) {
    const t0 = performance.now();
    const c0 = threadCpuMs();
    await once();
    const ms = performance.now() - t0;
    cpuNsPerRecord.push(((threadCpuMs() - c0) * 1e6) / (frameCount * PER_FRAME));
    busyMs += ms;
    nsPerRecord.push((ms * 1e6) / (frameCount * PER_FRAME));
  }
  await new Promise((r) => setTimeout(r, 10)); // let the observer deliver the last entries
  obs.disconnect();
  await task.stop();
  return { nsPerRecord, cpuNsPerRecord, gcShare: gcMs / busyMs };
}

function arg(name: string, fallback: string): string {
  const i = process.argv.indexOf(name);
  return i >= 0 ? process.argv[i + 1]! : fallback;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main(): Promise<void> {
  const rounds = Number(arg('--rounds', '5'));
  const frames = Number(arg('--frames', '50'));
  const youngs = arg('--young', '0,96').split(',').map(Number);
  console.log(`sink-json micro-benchmark: ${frames} frames × ${PER_FRAME} records of ~1 KB JSON (smt-chain-5: ~200 B), ${rounds} rounds (median)`);
  console.log('| stage | young gen MB | CPU ns/record (median) | wall ns/record (median) | records/s (wall) | GC share |');
  console.log('|---|---|---|---|---|---|');
  const only = arg('--stage', '');
  for (const stage of STAGES.filter((s) => !only || s === only)) {
    for (const young of youngs) {
      const worker = new Worker(new URL(import.meta.url), {
        workerData: { stage, rounds, frames } satisfies Job,
        ...(young > 0 ? { resourceLimits: { maxYoungGenerationSizeMb: young } } : {}),
      });
      const result = await new Promise<Result>((resolve, reject) => {
        worker.once('message', resolve);
        worker.once('error', reject);
      });
      await worker.terminate();
      const ns = median(result.nsPerRecord);
      const cpu = median(result.cpuNsPerRecord);
      console.log(`| ${stage} | ${young || 'default'} | ${cpu.toFixed(0)} | ${ns.toFixed(0)} | ${(1e9 / ns / 1000).toFixed(1)}k | ${(100 * result.gcShare).toFixed(0)} % |`);
    }
  }
}

if (isMainThread) await main();
else parentPort!.postMessage(await runStage(workerData as Job));

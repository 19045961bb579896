// End-to-end latency at half of the peak rate (issue: p50/p99 at 50 % load), for sluice and Apache
// Kafka Connect alike: a worker runs a latency-recording null sink on an empty topic; once its
// consumer has joined, native-bench produces 100 B records at a fixed rate (CreateTime stamped at
// produce time, linger.ms=1); the sink records arrival time minus timestamp per record (1 ms
// resolution) and writes its histogram when the worker stops. Both systems see the same traffic
// shape; each is driven at half of its own peak rate from sink-null-100B in the same invocation.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as hdr from 'hdr-histogram-js';
import { cacheRoot } from '../../scripts/kafka/maven.mjs';
import { freePort } from '../../scripts/kafka/broker.mjs';
import { CommittedReader, sleep } from './kafka.mjs';
import { runToEnd, startProcess } from './proc.mjs';
import { PARTITIONS } from './scenarios.mjs';
import { KC_JVM_OPTS, writeProps } from './systems.mjs';

const LATENCY_SINK_SOURCES = ['LatencySinkConnector.java', 'LatencySinkTask.java'];
/** Bump when the Java sources change, so a cached build is not reused. */
const LATENCY_SINK_BUILD = 2;
/** Warm-up records (values of this size, not counted by the sinks) prove the group has formed. */
const WARMUP_VALUE_BYTES = 10;
const WARMUP_RECORDS = 60;
const VALUE_BYTES = 100;
const MAX_TRACKED_MS = 3_600_000;

/** Compiles bench/peer/java (the Kafka Connect latency sink) against the Connect jars, once. */
export function latencySinkClasses(root, kcLibs) {
  const dir = join(cacheRoot(), 'bench-peer', `classes-${LATENCY_SINK_BUILD}`);
  const marker = join(dir, 'dev', 'sluice', 'bench', 'LatencySinkTask.class');
  if (existsSync(marker)) return dir;
  mkdirSync(dir, { recursive: true });
  const src = join(root, 'bench', 'peer', 'java', 'dev', 'sluice', 'bench');
  execFileSync('javac', ['-d', dir, '-cp', join(kcLibs, '*'), ...LATENCY_SINK_SOURCES.map((f) => join(src, f))], { stdio: 'pipe' });
  return dir;
}

async function connectorRunning(restPort, name) {
  try {
    const res = await fetch(`http://127.0.0.1:${restPort}/connectors/${encodeURIComponent(name)}/status`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return false;
    const st = await res.json();
    if (st.tasks?.some((t) => t.state === 'FAILED')) throw new Error(`task FAILED: ${String(st.tasks.find((t) => t.state === 'FAILED').trace).split('\n')[0]}`);
    return st.connector?.state === 'RUNNING' && st.tasks?.length > 0 && st.tasks.every((t) => t.state === 'RUNNING');
  } catch (err) {
    if (String(err.message).startsWith('task FAILED')) throw err;
    return false;
  }
}

/** Merges the per-task files (sluice: hdr histograms; Kafka Connect: 1 ms buckets) into one histogram. */
function mergeLatencyFiles(dir, prefix) {
  const merged = hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_TRACKED_MS, numberOfSignificantValueDigits: 3 });
  let files = 0;
  for (const name of readdirSync(dir)) {
    if (!name.startsWith(`${prefix}.task-`)) continue;
    files++;
    const data = JSON.parse(readFileSync(join(dir, name), 'utf8'));
    if (data.histogram) merged.add(hdr.decodeFromCompressedBase64(data.histogram));
    for (const [ms, count] of data.buckets ?? []) merged.recordValueWithCount(ms, count);
  }
  return { merged, files };
}

/**
 * One latency run of `system` at `rate` records/s for `seconds`. Returns a row with p50/p99/p99.9/max
 * in ms and the records counted, or { ok: false, error }.
 */
export async function runLatency({ system, rate, seconds, run, ctx }) {
  const runDir = join(ctx.workDir, 'runs', `latency-${system}-${run}`);
  mkdirSync(runDir, { recursive: true });
  const name = `bench-latency-${system}-r${run}-${ctx.tag}`;
  const topic = `bench-latency-${system}-r${run}-${ctx.tag}`;
  const count = Math.max(1, Math.round(rate * seconds));
  const row = { system, run, rate, seconds, records_produced: count, ok: false };
  ctx.createdTopics.add(topic);
  await ctx.client.createTopic(topic, PARTITIONS);
  const restPort = await freePort();
  const prefix = 'latency';
  const worker = writeProps(join(runDir, 'worker.properties'), {
    'bootstrap.servers': ctx.bootstrap,
    'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    'offset.storage.file.filename': join(runDir, 'connect.offsets'),
    'offset.flush.interval.ms': 1000,
    listeners: `http://127.0.0.1:${restPort}`,
  });
  const connectorClass = system === 'sluice' ? 'Null' : 'dev.sluice.bench.LatencySinkConnector';
  const connector = writeProps(join(runDir, 'connector.properties'), {
    name, 'connector.class': connectorClass, 'tasks.max': ctx.tasks, topics: topic, 'latency.file': join(runDir, prefix),
    'latency.value.size': VALUE_BYTES,
  });
  const log = join(runDir, system === 'kc' ? 'connect.log' : 'sluice.log');
  const h =
    system === 'sluice'
      ? startProcess(process.execPath, [join(ctx.sluiceRoot, 'bin', 'sluice.js'), 'standalone', worker, connector], { logFile: log, cwd: runDir })
      : startProcess(
          ctx.javaBin,
          [...KC_JVM_OPTS, ctx.kcLog4j(join(runDir, 'log4j2.properties'), log), '-cp', `${ctx.kcClasspath({})}:${ctx.latencySinkClasses()}`, 'org.apache.kafka.connect.cli.ConnectStandalone', worker, connector],
          { logFile: join(runDir, 'connect.out'), cwd: runDir },
        );
  try {
    const deadline = performance.now() + ctx.startTimeoutS * 1000;
    while (!(await connectorRunning(restPort, name))) {
      if (h.exitInfo) throw new Error(`the worker exited before it ran (see ${log})`);
      if (performance.now() > deadline) throw new Error(`the connector was not RUNNING within ${ctx.startTimeoutS} s (see ${log})`);
      await sleep(250);
    }
    // Warm-up: traffic starts only once the sink has consumed and committed these (the group has
    // formed and owns every partition); the sinks do not count them.
    const warm = await runToEnd(ctx.nativeBench, ['produce', '--bootstrap', ctx.bootstrap, '--topic', topic, '--count', String(WARMUP_RECORDS), '--size', String(WARMUP_VALUE_BYTES), '--linger-ms', '1', '--acks', '1']);
    if (warm.code !== 0) throw new Error(`native-bench produce (warm-up) failed: ${warm.stderr.trim().split('\n').pop()}`);
    const committed = new CommittedReader(ctx.bootstrap, `connect-${name}`, topic, PARTITIONS);
    await committed.connect();
    try {
      const joinDeadline = performance.now() + 120_000;
      while ((await committed.sum().catch(() => 0)) < WARMUP_RECORDS) {
        if (h.exitInfo) throw new Error(`the worker exited during the warm-up (see ${log})`);
        if (performance.now() > joinDeadline) throw new Error(`the warm-up records were not committed within 120 s (see ${log})`);
        await sleep(250);
      }
    } finally {
      await committed.close();
    }
    const produced = await runToEnd(ctx.nativeBench, [
      'produce', '--bootstrap', ctx.bootstrap, '--topic', topic, '--count', String(count), '--size', String(VALUE_BYTES),
      '--rate', String(Math.round(rate)), '--linger-ms', '1', '--acks', '1',
    ]);
    if (produced.code !== 0) throw new Error(`native-bench produce failed: ${produced.stderr.trim().split('\n').pop()}`);
    row.producer = JSON.parse(produced.stdout.trim().split('\n').pop());
    // Let the sink drain what is in flight, then stop it cleanly: the histogram is written on stop.
    await sleep(3000);
  } catch (err) {
    row.error = err.message;
  } finally {
    await h.stop({ graceMs: 20_000 });
  }
  if (row.error) return row;
  const { merged, files } = mergeLatencyFiles(runDir, prefix);
  if (files === 0) return { ...row, error: `no latency file was written (see ${log})` };
  Object.assign(row, {
    ok: merged.totalCount > 0,
    records_counted: merged.totalCount,
    p50_ms: merged.getValueAtPercentile(50),
    p99_ms: merged.getValueAtPercentile(99),
    p999_ms: merged.getValueAtPercentile(99.9),
    max_ms: merged.maxValue,
  });
  if (!row.ok) row.error = 'the sink counted no records';
  return row;
}

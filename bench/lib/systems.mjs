// One run of one system on one scenario: sluice or Apache Kafka Connect (a standalone worker,
// measured from the outside through Kafka), or the native-bench ceiling (measured by itself).
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../../scripts/kafka/broker.mjs';
import { CommittedReader, sleep } from './kafka.mjs';
import { TreeCpu, peakRssKb, startProcess } from './proc.mjs';
import { PARTITIONS } from './scenarios.mjs';
import { measureWindow } from './stats.mjs';

/**
 * The JVM flags connect-standalone.sh would use: KAFKA_HEAP_OPTS="-Xms256M -Xmx2G" (set by
 * connect-standalone.sh) and kafka-run-class.sh's default KAFKA_JVM_PERFORMANCE_OPTS.
 */
export const KC_JVM_OPTS = [
  '-Xms256M',
  '-Xmx2G',
  '-server',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:MaxInlineLevel=15',
  '-Djava.awt.headless=true',
];

export const OFFSET_FLUSH_INTERVAL_MS = 1000;

/** Writes `props` as a .properties file (key=value lines) and returns its path. */
export function writeProps(file, props) {
  writeFileSync(file, Object.entries(props).map(([k, v]) => `${k}=${v}`).join('\n') + '\n');
  return file;
}

function substitute(props, vars) {
  const out = {};
  for (const [k, v] of Object.entries(props)) out[k] = typeof v === 'string' && v.startsWith('$') && v.slice(1) in vars ? vars[v.slice(1)] : v;
  return out;
}

/** Connector and task state from the worker's REST API (same API on both workers). */
async function failedTaskTrace(restPort, name) {
  try {
    const res = await fetch(`http://127.0.0.1:${restPort}/connectors/${encodeURIComponent(name)}/status`, { signal: AbortSignal.timeout(2000) });
    if (!res.ok) return null;
    const st = await res.json();
    if (st.connector?.state === 'FAILED') return `connector FAILED: ${firstLine(st.connector.trace)}`;
    const bad = (st.tasks ?? []).find((t) => t.state === 'FAILED');
    return bad ? `task ${bad.id} FAILED: ${firstLine(bad.trace)}` : null;
  } catch {
    return null; // not up yet, or busy
  }
}

const firstLine = (s) => String(s ?? '').split('\n')[0].slice(0, 300);

/**
 * sluice or Kafka Connect on a sink, source or mirror scenario. `spec` is the system's entry of
 * the scenario (connector configs, note). Returns a result row (never throws for a failed run).
 */
export async function runWorker({ system, scenario, spec, dataset, run, ctx, onProgress }) {
  const runDir = join(ctx.workDir, 'runs', `${scenario.name}-${system}-${run}`);
  mkdirSync(runDir, { recursive: true });
  const name = `bench-${scenario.name}-${system}-r${run}-${ctx.tag}`;
  const total = dataset.records;
  const restPort = await freePort();
  const row = {
    system,
    run,
    connector_name: name,
    note: spec.note,
    records: total,
    value_bytes: dataset.valueBytes,
    loadavg_start: loadavg().map((x) => +x.toFixed(2)),
    log: join(runDir, system === 'kc' ? 'connect.log' : 'sluice.log'),
  };

  // What the run writes, and how its progress is read.
  const alias = `r${run}${ctx.tag}`;
  let destTopic = null;
  // The scenario is in the name: two source scenarios in one invocation must not reuse (a just deleted) topic.
  if (scenario.kind === 'source') destTopic = `bench-${scenario.name}-${system}-r${run}-${ctx.tag}`;
  if (scenario.kind === 'mirror') destTopic = `${alias}.${dataset.topic}`;
  const vars = {
    OUT: join(runDir, 'out.txt'),
    IN: dataset.file,
    TOPIC: destTopic,
    SRC: dataset.topic,
    ALIAS: alias,
    BOOTSTRAP: ctx.bootstrap,
    ...ctx.vars, // REGISTRY_CCOMPAT_URL, REGISTRY_V2_URL, AVRO_PLUGIN_PATH (avro-convert)
  };
  const worker = {
    'bootstrap.servers': ctx.bootstrap,
    ...scenario.worker,
    ...substitute(spec.worker ?? {}, vars), // a system's own worker settings (avro-convert's converters)
    'offset.storage.file.filename': join(runDir, 'connect.offsets'),
    'offset.flush.interval.ms': OFFSET_FLUSH_INTERVAL_MS,
    listeners: `http://127.0.0.1:${restPort}`,
  };
  const connector = {
    name,
    'tasks.max': ctx.tasks,
    ...(scenario.kind === 'sink' ? { topics: dataset.topic } : {}),
    ...substitute(spec.connector, vars),
  };
  const workerFile = writeProps(join(runDir, 'worker.properties'), worker);
  const connectorFile = writeProps(join(runDir, 'connector.properties'), connector);
  row.worker_config = worker;
  row.connector_config = connector;

  let reader = null;
  let readProgress;
  try {
    if (scenario.kind === 'sink') {
      reader = new CommittedReader(ctx.bootstrap, `connect-${name}`, dataset.topic, PARTITIONS);
      await reader.connect();
      readProgress = () => reader.sum();
      row.progress_measure = `committed offsets of group connect-${name}`;
    } else {
      ctx.createdTopics.add(destTopic);
      await ctx.client.createTopic(destTopic, PARTITIONS);
      readProgress = () => ctx.client.highWatermarkSum(destTopic, PARTITIONS);
      row.progress_measure = `high watermarks of ${destTopic}`;
    }
  } catch (err) {
    await reader?.close().catch(() => {});
    return { ...row, ok: false, error: `could not prepare the run: ${err.message}` };
  }

  let cmd;
  let args;
  if (system === 'sluice') {
    cmd = process.execPath;
    // SLUICE_BENCH_NODE_ARGS adds node flags to sluice's runs, e.g. "--cpu-prof --cpu-prof-dir=/tmp/p"
    // to profile a scenario (profiles then include every task thread).
    const nodeArgs = (process.env.SLUICE_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
    args = [...nodeArgs, join(ctx.sluiceRoot, 'bin', 'sluice.js'), 'standalone', workerFile, connectorFile];
  } else {
    cmd = ctx.javaBin;
    args = [...KC_JVM_OPTS, ctx.kcLog4j(join(runDir, 'log4j2.properties'), row.log), '-cp', ctx.kcClasspath(spec), 'org.apache.kafka.connect.cli.ConnectStandalone', workerFile, connectorFile];
  }
  row.command = [cmd, ...args].join(' ');

  const samples = [];
  const h = startProcess(cmd, args, { logFile: system === 'kc' ? join(runDir, 'connect.out') : row.log, cwd: runDir });
  const cpu = new TreeCpu(h.pid);
  const brokerCpu = ctx.brokerPid ? new TreeCpu(ctx.brokerPid) : null;
  let lastChange = performance.now();
  let lastN = -1;
  let nextStatusAt = performance.now() + 1000;
  try {
    for (;;) {
      const tA = performance.now();
      const n = await readProgress().catch(() => (samples.length ? samples[samples.length - 1].n : 0));
      const tB = performance.now();
      const c = cpu.read();
      samples.push({ t: ((tA + tB) / 2 - h.startedAt) / 1000, n, cpu: c, bcpu: brokerCpu?.read() ?? null });
      onProgress?.(n, total, samples);
      if (n >= total) break;
      if (h.exitInfo) throw new Error(`the worker exited before the end (${h.exitInfo.signal ?? `exit code ${h.exitInfo.code}`}); see ${row.log}`);
      if (n !== lastN) {
        lastN = n;
        lastChange = tB;
      }
      const idleS = (tB - lastChange) / 1000;
      const limit = n > 0 ? ctx.stallS : ctx.startTimeoutS;
      if (idleS > limit) throw new Error(`no progress for ${limit} s at ${n} of ${total} records (${n > 0 ? 'stalled' : 'never started'}); see ${row.log}`);
      if (tB >= nextStatusAt) {
        nextStatusAt = tB + 1000;
        const failed = await failedTaskTrace(restPort, name);
        if (failed) throw new Error(`${failed} (see ${row.log})`);
      }
      if (ctx.aborted()) throw new Error('interrupted');
      await sleep(Math.max(0, ctx.pollMs - (performance.now() - tA)));
    }
    row.peak_rss_kb = peakRssKb(h.pid);
    const w = measureWindow(samples, total, scenario.kind === 'sink' ? 'commit' : 'continuous');
    if (w.method === 'failed') throw new Error('too few progress points to measure a window');
    Object.assign(row, {
      ok: true,
      records_per_sec: w.records_per_sec,
      mb_per_sec: (w.records_per_sec * dataset.valueBytes) / 1e6,
      cpu_s_per_million: w.cpu_s_per_million,
      window: {
        method: w.method,
        from: +w.window_from.toFixed(4),
        to: +w.window_to.toFixed(4),
        records: w.window_records,
        seconds: +w.window_s.toFixed(3),
        cpu_seconds_span: +w.cpu_window_s.toFixed(3),
        cpu_cores: w.cpu_cores != null ? +w.cpu_cores.toFixed(3) : null,
        cpu_note: w.cpu_note,
      },
      startup_s: w.startup_s,
      done_s: w.done_s,
      e2e_records_per_sec: w.e2e_records_per_sec,
      cpu_total_s: w.cpu_total_s,
      cpu_total_s_per_million: w.cpu_total_s != null ? (w.cpu_total_s * 1e6) / total : null,
      // The co-located broker's CPU over the same span (it shares the 2 cores).
      broker_cpu_s_per_million: w.broker_cpu_s_per_million,
    });
  } catch (err) {
    row.ok = false;
    row.error = err.message;
    row.peak_rss_kb ??= peakRssKb(h.pid);
  } finally {
    row.loadavg_end = loadavg().map((x) => +x.toFixed(2));
    row.samples = thin(samples);
    const exit = await h.stop({ graceMs: 20_000 });
    row.exit = exit.signal ?? exit.code;
    // After the stop: a source that wrote more records than lines, or a sink whose group ends
    // short of the topic, shows here.
    row.final_progress = await readProgress().catch(() => null);
    await reader?.close().catch(() => {});
    rmSync(vars.OUT, { force: true });
    if (destTopic) {
      await ctx.client.deleteTopic(destTopic);
      ctx.createdTopics.delete(destTopic);
    }
  }
  return row;
}

/** Keeps the progress points (where n changed), plus one sample a second, for the raw record. */
function thin(samples) {
  const out = [];
  let lastN = null;
  let lastT = -Infinity;
  for (const s of samples) {
    if (s.n !== lastN || s.t - lastT >= 1) {
      out.push([+s.t.toFixed(3), s.n, s.cpu != null ? +s.cpu.toFixed(2) : null]);
      lastN = s.n;
      lastT = s.t;
    }
  }
  return out;
}

/** native-bench (librdkafka alone) doing the scenario's Kafka work: its own JSON line is the figure. */
export async function runCeiling({ scenario, spec, dataset, run, ctx, onProgress }) {
  const total = dataset.records;
  const group = `nb-${scenario.name}-r${run}-${ctx.tag}`;
  const row = { system: 'ceiling', run, records: total, value_bytes: dataset.valueBytes, loadavg_start: loadavg().map((x) => +x.toFixed(2)) };
  let destTopic = null;
  let args;
  const common = ['--bootstrap', ctx.bootstrap, '--count', String(total), '--verbose'];
  if (spec.mode === 'consume') {
    args = ['consume', ...common, '--topic', dataset.topic, '--group', group];
    row.note = 'native-bench consume';
  } else if (spec.mode === 'produce') {
    destTopic = `bench-nb-produce-r${run}-${ctx.tag}`;
    args = ['produce', ...common, '--topic', destTopic, '--size', String(dataset.valueBytes), '--partitions', String(PARTITIONS), '--acks', 'all', '--linger-ms', '50'];
    row.note = 'native-bench produce (no file reading)';
  } else {
    destTopic = `bench-nb-mirror-r${run}-${ctx.tag}`;
    ctx.createdTopics.add(destTopic);
    try {
      await ctx.client.createTopic(destTopic, PARTITIONS);
    } catch (err) {
      return { ...row, ok: false, error: `could not create ${destTopic}: ${err.message}` };
    }
    args = ['mirror', ...common, '--topic', dataset.topic, '--to-topic', destTopic, '--group', group, '--acks', 'all', '--linger-ms', '50'];
    row.note = 'native-bench mirror';
  }
  if (destTopic) ctx.createdTopics.add(destTopic);
  row.command = [ctx.nativeBench, ...args].join(' ');
  const brokerCpu = ctx.brokerPid ? new TreeCpu(ctx.brokerPid) : null;
  const brokerCpu0 = brokerCpu?.read() ?? null;
  const h = startProcess(ctx.nativeBench, args);
  // --verbose prints "consumed N / M (R/s)" once a second on stderr.
  const timer = setInterval(() => {
    const m = /(\d+) \/ (\d+) \(\d+\/s\)\s*$/.exec((h.stderr ?? '').slice(-300));
    onProgress?.(m ? Number(m[1]) : 0, total);
  }, 500);
  try {
    const exit = await Promise.race([
      h.exited,
      (async () => {
        while (!h.exitInfo) {
          if (ctx.aborted()) throw new Error('interrupted');
          await sleep(200);
        }
        return h.exitInfo;
      })(),
    ]);
    const line = h.stdout.trim().split('\n').filter((l) => l.startsWith('{')).pop();
    if (exit.code !== 0 || !line) throw new Error(`native-bench ${args[0]} failed (${exit.signal ?? `exit ${exit.code}`}): ${(h.stderr ?? '').trim().split('\n').slice(-3).join(' | ')}`);
    const r = JSON.parse(line);
    Object.assign(row, {
      ok: true,
      records_per_sec: r.records_per_sec,
      mb_per_sec: (r.records_per_sec * dataset.valueBytes) / 1e6,
      cpu_s_per_million: r.cpu_s_per_million,
      peak_rss_kb: r.max_rss_kb,
      window: { method: 'native-bench (first message to last)', seconds: r.seconds, records: r.records },
      native: r,
    });
    // Over native-bench's whole life (connect, metadata, group join included): a slight overcount.
    const b1 = brokerCpu?.read() ?? null;
    if (brokerCpu0 != null && b1 != null) row.broker_cpu_s_per_million = ((b1 - brokerCpu0) * 1e6) / total;
  } catch (err) {
    row.ok = false;
    row.error = err.message;
    await h.stop({ graceMs: 5_000 });
  } finally {
    clearInterval(timer);
    row.loadavg_end = loadavg().map((x) => +x.toFixed(2));
    if (destTopic) {
      await ctx.client.deleteTopic(destTopic);
      ctx.createdTopics.delete(destTopic);
    }
  }
  return row;
}

#!/usr/bin/env node
// The end-to-end benchmark suite: sluice, Apache Kafka Connect 4.3.1 and the native-bench ceiling
// side by side on the same broker, topics and settings (shared/reference/performance.md §7).
//
//   npm run bench [-- --scenarios sink-null-100B,sink-null-1KB --runs 3 --records N --quick]
//
// Plain Node ESM: needs only `npm run build` (for sluice itself), Java 17+ and Maven (for Kafka
// and Kafka Connect, via scripts/kafka), and native-bench (built with make if missing).
// Writes bench/results/<date>-<host>.json and bench/results/latest.md. See bench/README.md.
import { spawnSync } from 'node:child_process';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, writeSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { randomBytes } from 'node:crypto';
import { freePort, isAlive, startBroker } from '../scripts/kafka/broker.mjs';
import { javaBin, log4jConfig, resolveArtifacts } from '../scripts/kafka/maven.mjs';
import { BrokerClient, librdkafkaVersion } from './lib/kafka.mjs';
import { mirrorLibsDir } from './lib/mirror-jars.mjs';
import { fillAvroTopic, kcAvroPluginPath, registryUnavailable, startBenchRegistry, writeSluiceValueSink } from './lib/avro.mjs';
import { killAllSync, runToEnd, stopAll } from './lib/proc.mjs';
import { Progress, fmtRate } from './lib/progress.mjs';
import { SYSTEMS, SYSTEM_TITLES, aggregate, machineInfo, markdown, resultFile, writeOutputs } from './lib/report.mjs';
import { DATASETS, PARTITIONS, SCENARIOS, SCENARIO_NAMES } from './lib/scenarios.mjs';
import { runCeiling, runWorker } from './lib/systems.mjs';
import { latencySinkClasses, runLatency } from './lib/latency.mjs';
import { median } from './lib/stats.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

const USAGE = `usage: npm run bench [-- options]    (or: node bench/run.mjs [options])

  --scenarios a,b,...   scenarios to run (default: all)
                        ${SCENARIO_NAMES.join(', ')}
  --systems a,b,...     sluice, kc, ceiling (default: all three)
  --runs N              runs per system and scenario (default 3); the median is reported
  --records N           records in every data set (default: 20M × 100 B, 5M × 1 KB,
                        1M × 1 KB JSON, 2M × 200 B JSON, 5M file lines, 5M × 200 B Avro,
                        mirror 1M; --quick: 3M, 1M, 200k, 300k, 1M, 1.5M, 300k)
  --quick               the small sizes above, to check that everything works
  --bootstrap H:P       use this broker instead of starting one (topics are created with a
                        unique suffix and deleted at the end)
  --tasks N             tasks.max for sluice and Kafka Connect (default 1)
  --poll-ms MS          how often progress is sampled (default 50)
  --pause S             seconds of rest between runs (default 2)
  --stall S             fail a run after S seconds without progress (default 60)
  --work-dir DIR        where topics' broker, data files and run logs go (default: a new
                        temporary directory, removed at the end)
  --keep                keep the work directory (logs of every run) instead of removing it
  --out DIR             results directory (default bench/results)
  --latency-seconds S   after sink-null-100B: p50/p99 latency at half of each worker's
                        peak rate, S seconds of traffic per run (default 10, --quick 5)
  --no-latency          skip the latency runs
  --help
`;

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      scenarios: { type: 'string' },
      systems: { type: 'string', default: SYSTEMS.join(',') },
      runs: { type: 'string', default: '3' },
      records: { type: 'string' },
      quick: { type: 'boolean', default: false },
      bootstrap: { type: 'string' },
      tasks: { type: 'string', default: '1' },
      'poll-ms': { type: 'string', default: '50' },
      pause: { type: 'string', default: '2' },
      stall: { type: 'string', default: '60' },
      'work-dir': { type: 'string' },
      keep: { type: 'boolean', default: false },
      out: { type: 'string', default: join(ROOT, 'bench', 'results') },
      'latency-seconds': { type: 'string' },
      'no-latency': { type: 'boolean', default: false },
      help: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (err) {
  process.stderr.write(`bench: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

function fail(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}
function positiveInt(flag, text) {
  const n = Number(String(text).replace(/_/g, ''));
  if (!Number.isInteger(n) || n < 1) fail(`--${flag} expects a positive integer, got "${text}"`);
  return n;
}

const runs = positiveInt('runs', opts.runs);
const tasks = positiveInt('tasks', opts.tasks);
const pollMs = positiveInt('poll-ms', opts['poll-ms']);
const pauseS = Number(opts.pause);
const stallS = positiveInt('stall', opts.stall);
const recordsOverride = opts.records ? positiveInt('records', opts.records) : null;
const systems = opts.systems.split(',').map((s) => s.trim()).filter(Boolean);
for (const s of systems) if (!SYSTEMS.includes(s)) fail(`unknown system "${s}" (expected ${SYSTEMS.join(', ')})`);
const scenarioNames = opts.scenarios ? opts.scenarios.split(',').map((s) => s.trim()).filter(Boolean) : SCENARIO_NAMES;
for (const s of scenarioNames) if (!SCENARIO_NAMES.includes(s)) fail(`unknown scenario "${s}" (expected one of ${SCENARIO_NAMES.join(', ')})`);
const scenarios = SCENARIOS.filter((s) => scenarioNames.includes(s.name));

// ---------------------------------------------------------------------------------------------
// Cleanup: every child (workers, native-bench) is stopped, topics deleted or the broker's data
// dir removed, on success, failure and Ctrl-C alike.

const progress = new Progress();
const state = { broker: null, client: null, workDir: null, ownWorkDir: false, createdTopics: new Set(), aborted: false, cleaned: null };
state.registry = null; // avro-convert's Schema Registry (lib/avro.mjs)

function cleanup() {
  state.cleaned ??= (async () => {
    progress.done();
    await stopAll({ graceMs: 10_000 }).catch(() => {});
    if (state.client) {
      if (!state.broker) for (const t of state.createdTopics) await state.client.deleteTopic(t).catch(() => {});
      await state.client.close().catch(() => {});
    }
    await state.registry?.stop().catch(() => {});
    await state.broker?.stop().catch(() => {});
    if (state.workDir && !opts.keep) {
      // A directory given with --work-dir stays; what the runner put in it goes.
      if (state.ownWorkDir) rmSync(state.workDir, { recursive: true, force: true });
      else for (const name of ['kafka', 'runs', 'sluice', 'registry', 'sluice-plugins', 'runner.pid', ...Object.keys(DATASETS).map((k) => `${k}.txt`)]) rmSync(join(state.workDir, name), { recursive: true, force: true });
    }
    else if (state.workDir) process.stderr.write(`bench: work directory kept: ${state.workDir}\n`);
  })();
  return state.cleaned;
}

let signals = 0;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, () => {
    if (++signals > 1) {
      killAllSync();
      process.exit(130);
    }
    state.aborted = true;
    progress.log(`bench: ${sig}: stopping every process it started and cleaning up (again to force)...`);
    cleanup().finally(() => process.exit(130));
  });
}
process.on('exit', () => killAllSync());

// ---------------------------------------------------------------------------------------------

async function main() {
  const startedAt = new Date();
  const mainJs = join(ROOT, 'dist', 'cli', 'main.js');
  if (systems.includes('sluice')) {
    if (!existsSync(mainJs)) fail('sluice is not built: run `npm run build` first.');
    const newest = newestMtime(join(ROOT, 'src'));
    if (newest > statSync(mainJs).mtimeMs) progress.log('bench: warning: src/ has files newer than dist/: run `npm run build` to measure the current code.');
  }

  const nativeBench = join(ROOT, 'native-bench', 'native-bench');
  if (systems.includes('ceiling') || needsNativeFill()) {
    if (!existsSync(nativeBench)) {
      progress.log('bench: building native-bench (make -C native-bench) ...');
      const r = spawnSync('make', ['-C', join(ROOT, 'native-bench')], { stdio: ['ignore', 'inherit', 'inherit'] });
      if (r.status !== 0 || !existsSync(nativeBench)) fail('could not build native-bench (make -C native-bench failed).');
    }
  }


  let kcLibs = null;
  if (systems.includes('kc')) kcLibs = (await resolveArtifacts('connect')).libsDir;

  removeStaleWorkDirs();
  state.workDir = opts['work-dir'] ? resolve(opts['work-dir']) : mkdtempSync(join(tmpdir(), 'sluice-bench-'));
  state.ownWorkDir = !opts['work-dir'];
  mkdirSync(state.workDir, { recursive: true });
  writeFileSync(join(state.workDir, 'runner.pid'), `${process.pid}\n`);
  if (opts.keep) writeFileSync(join(state.workDir, 'keep'), '');

  // sluice runs from a copy of dist/ made now: colleagues rebuild dist/ while the suite runs,
  // and one invocation must measure one build.
  let sluiceRoot = null;
  let sluiceBuiltAt = null;
  if (systems.includes('sluice')) {
    progress.stage('copying dist/ (the sluice build to measure) ...');
    ({ dir: sluiceRoot, builtAt: sluiceBuiltAt } = await snapshotSluice(join(state.workDir, 'sluice')));
  }
  // What this sluice build can do (plugins registered by dist/plugins/builtins.js).
  const caps = await sluiceCaps(sluiceRoot ?? ROOT);

  let bootstrap = opts.bootstrap;
  if (!bootstrap) {
    progress.stage('starting a local Apache Kafka 4.3.1 broker ...');
    state.broker = await startBroker({ port: await freePort(), controllerPort: await freePort(), dataDir: join(state.workDir, 'kafka') });
    bootstrap = state.broker.bootstrap;
    progress.log(`bench: broker on ${bootstrap} (started in ${(state.broker.startupMs / 1000).toFixed(1)} s, data in ${join(state.workDir, 'kafka')})`);
  }
  state.client = new BrokerClient(bootstrap);
  await state.client.connect();

  const tag = randomBytes(3).toString('hex');
  const coLocated = /^(127\.|localhost|\[?::1\]?)/.test(bootstrap);
  const machine = machineInfo({ root: ROOT, javaBin: javaBin(), bootstrap, coLocated, librdkafka: librdkafkaVersion() });
  // What was measured is that copy of dist/, not the commit: note when it was built.
  machine.sluice_dist_built_at = sluiceBuiltAt ? new Date(sluiceBuiltAt).toISOString() : null;

  // avro-convert's Schema Registry: started before the data sets (its data set registers a schema),
  // stopped once the last scenario that needs it has run (or at cleanup).
  const env = {};
  if (scenarios.some((s) => s.registry)) {
    env.registrySkip = await registryUnavailable();
    if (!env.registrySkip) {
      progress.stage('starting the Schema Registry (Apicurio Registry 3.0.9) for avro-convert ...');
      try {
        state.registry = await startBenchRegistry(join(state.workDir, 'registry'));
        progress.log(`bench: Schema Registry at ${state.registry.ccompatUrl} (pid ${state.registry.pid})`);
      } catch (err) {
        env.registrySkip = `the Schema Registry did not start: ${err.message.split('\n')[0]}`;
      }
    }
  }

  // Data sets, once per invocation.
  const datasets = {};
  for (const sc of scenarios) {
    if (!sc.data || datasets[sc.data] || sc.skipAll?.(caps, env)) continue;
    datasets[sc.data] = await makeDataset(sc.data, { bootstrap, nativeBench, tag });
    if (state.aborted) return;
  }

  const mirrorLibs = systems.includes('kc') && scenarios.some((s) => s.kind === 'mirror') ? await mirrorLibsDir().catch((err) => err) : null;
  const avroPlugin = systems.includes('kc') && state.registry ? await kcAvroPluginPath(kcLibs).catch((err) => err) : null;

  const ctx = {
    root: ROOT,
    sluiceRoot,
    bootstrap,
    workDir: state.workDir,
    client: state.client,
    createdTopics: state.createdTopics,
    tag,
    tasks,
    pollMs,
    stallS,
    startTimeoutS: Math.max(120, stallS),
    nativeBench,
    brokerPid: state.broker?.pid ?? null,
    javaBin: javaBin(),
    kcLog4j: (configFile, logFile) => log4jConfig(configFile, logFile),
    latencySinkClasses: () => latencySinkClasses(ROOT, kcLibs),
    kcClasspath: (spec) => (spec.mirror ? `${join(kcLibs, '*')}:${join(mirrorLibs, '*')}` : join(kcLibs, '*')),
    aborted: () => state.aborted,
    vars: {
      REGISTRY_CCOMPAT_URL: state.registry?.ccompatUrl,
      REGISTRY_V2_URL: state.registry?.v2Url,
      AVRO_PLUGIN_PATH: typeof avroPlugin === 'string' ? avroPlugin : undefined,
      SLUICE_PLUGIN_PATH: state.registry && sluiceRoot ? writeSluiceValueSink(join(state.workDir, 'sluice-plugins'), sluiceRoot) : undefined,
    },
  };

  const report = {
    suite: 'sluice end-to-end benchmark',
    format: 1,
    started_at: startedAt.toISOString(),
    options: { scenarios: scenarioNames, systems, runs, quick: opts.quick, records: recordsOverride, tasks, poll_ms: pollMs, pause_s: pauseS, offset_flush_interval_ms: 1000, partitions: PARTITIONS },
    machine,
    sluice_capabilities: caps,
    datasets: Object.fromEntries(Object.entries(datasets).map(([k, d]) => [k, { ...d, file: d.file ? relative(state.workDir, d.file) : undefined }])),
    scenarios: [],
  };

  // Plan: scenarios in order; inside one, run 1 of every system, then run 2, ... (interleaved,
  // so slow drift of the shared machine hits all three alike).
  const plan = [];
  for (const sc of scenarios) {
    const entry = { name: sc.name, what: sc.what, kind: sc.kind, data: sc.data, systems: {} };
    report.scenarios.push(entry);
    const skipAll = sc.skipAll?.(caps, env);
    if (skipAll) {
      entry.skipped = skipAll;
      continue;
    }
    let ds = datasets[sc.data];
    // A scenario may move only the first part of its data set (the run ends at that count).
    const limit = recordsOverride ? null : sc.limit?.[opts.quick ? 'quick' : 'records'];
    if (limit && limit < ds.records) ds = { ...ds, records: limit };
    entry.records = ds.records;
    entry.value_bytes = ds.valueBytes;
    for (const sys of systems) {
      const spec = sys === 'sluice' ? sc.sluice(caps) : sc[sys];
      if (spec.skip) entry.systems[sys] = { skipped: spec.skip };
      else if (sys === 'kc' && spec.mirror && mirrorLibs instanceof Error) entry.systems[sys] = { skipped: `connect-mirror jars unavailable: ${mirrorLibs.message.split('\n')[0]}` };
      else if (sys === 'kc' && spec.avroPlugin && avroPlugin instanceof Error) entry.systems[sys] = { skipped: `Apicurio's AvroConverter or the bench/peer sink unavailable: ${avroPlugin.message.split('\n')[0]}` };
      else entry.systems[sys] = { runs: [] };
    }
    for (let run = 1; run <= runs; run++) {
      for (const sys of systems) if (entry.systems[sys].runs) plan.push({ sc, entry, sys, run, ds });
    }
  }

  let step = 0;
  for (const p of plan) {
    if (state.aborted) return;
    step++;
    const { sc, entry, sys, run, ds } = p;
    const spec = sys === 'sluice' ? sc.sluice(caps) : sc[sys];
    progress.stage(`[${step}/${plan.length}] ${sc.name} · ${SYSTEM_TITLES[sys]} · run ${run}/${runs}`);
    const onProgress = (n, total) => progress.update(n, total);
    const row =
      sys === 'ceiling'
        ? await runCeiling({ scenario: sc, spec, dataset: ds, run, ctx, onProgress })
        : await runWorker({ system: sys, scenario: sc, spec, dataset: ds, run, ctx, onProgress });
    if (state.aborted) return;
    entry.systems[sys].runs.push(row);
    progress.log(
      row.ok
        ? `  ${sc.name.padEnd(26)} ${SYSTEM_TITLES[sys].padEnd(21)} run ${run}: ${fmtRate(row.records_per_sec).padStart(6)} rec/s  ${row.mb_per_sec.toFixed(1).padStart(6)} MB/s  ` +
            `${row.cpu_s_per_million != null ? row.cpu_s_per_million.toFixed(2) : '?'} CPU-s/M  RSS ${row.peak_rss_kb ? Math.round(row.peak_rss_kb / 1024) : '?'} MB` +
            `${row.window?.method === 'coarse' ? '  (coarse window)' : ''}  load ${row.loadavg_start[0]}`
        : `  ${sc.name.padEnd(26)} ${SYSTEM_TITLES[sys].padEnd(21)} run ${run}: FAILED: ${row.error}`,
    );
    if (state.registry && !plan.slice(step).some((q) => q.sc.registry)) {
      await state.registry.stop().catch(() => {});
      state.registry = null;
    }
    if (pauseS > 0 && step < plan.length) await new Promise((ok) => setTimeout(ok, pauseS * 1000));
  }
  if (!opts['no-latency']) report.latency = await latencyRuns(report, ctx);
  progress.done();

  report.finished_at = new Date().toISOString();
  const distNow = existsSync(join(ROOT, 'dist')) ? newestMtime(join(ROOT, 'dist')) : null;
  if (sluiceBuiltAt && distNow && distNow > sluiceBuiltAt) {
    progress.log(`bench: note: dist/ was rebuilt during the suite; the figures are those of the build copied at the start (${machine.sluice_dist_built_at}).`);
  }
  report.loadavg_at_end = loadavg().map((x) => +x.toFixed(2));
  aggregate(report.scenarios);
  mkdirSync(opts.out, { recursive: true });
  const file = resultFile(opts.out, report.started_at.slice(0, 10), machine.host);
  report.json_file = relative(ROOT, file);
  writeOutputs(report, opts.out);
  process.stdout.write(`${markdown(report)}\n`);
  process.stderr.write(`bench: wrote ${relative(process.cwd(), file)}, the same .md beside it and ${relative(process.cwd(), join(opts.out, 'latest.md'))}\n`);
}

/**
 * p50/p99 end-to-end latency of sluice and Kafka Connect, each at half of its own median peak rate
 * in sink-null-100B of this invocation (see lib/latency.mjs); `runs` runs each, medians reported.
 */
async function latencyRuns(report, ctx) {
  const peak = report.scenarios.find((sc) => sc.name === 'sink-null-100B');
  if (!peak) return { skipped: 'sink-null-100B did not run, so there is no peak rate to halve' };
  const seconds = opts['latency-seconds'] ? Number(opts['latency-seconds']) : opts.quick ? 5 : 10;
  const out = { seconds, systems: {} };
  for (const sys of systems.filter((s) => s !== 'ceiling')) {
    const rates = (peak.systems[sys]?.runs ?? []).filter((r) => r.ok).map((r) => r.records_per_sec);
    if (rates.length === 0) {
      out.systems[sys] = { skipped: 'no successful sink-null-100B run' };
      continue;
    }
    const rate = Math.round(median(rates) / 2);
    const entry = { rate, runs: [] };
    out.systems[sys] = entry;
    for (let run = 1; run <= runs; run++) {
      if (state.aborted) return out;
      progress.stage(`latency · ${SYSTEM_TITLES[sys]} · ${fmtRate(rate)} rec/s · run ${run}/${runs}`);
      let row;
      try {
        row = await runLatency({ system: sys, rate, seconds, run, ctx });
      } catch (err) {
        row = { ok: false, error: err.message };
      }
      entry.runs.push(row);
      progress.log(row.ok
        ? `  latency ${SYSTEM_TITLES[sys].padEnd(21)} run ${run}: p50 ${row.p50_ms} ms  p99 ${row.p99_ms} ms  p99.9 ${row.p999_ms} ms  max ${row.max_ms} ms  (${row.records_counted} records at ${fmtRate(rate)}/s)`
        : `  latency ${SYSTEM_TITLES[sys].padEnd(21)} run ${run}: FAILED: ${row.error}`);
    }
    const ok = entry.runs.filter((r) => r.ok);
    if (ok.length) {
      entry.p50_ms = median(ok.map((r) => r.p50_ms));
      entry.p99_ms = median(ok.map((r) => r.p99_ms));
      entry.p999_ms = median(ok.map((r) => r.p999_ms));
      entry.max_ms = median(ok.map((r) => r.max_ms));
    }
  }
  return out;
}

/** Temporary work dirs of earlier runners that were killed (SIGKILL leaves no chance to clean up). */
function removeStaleWorkDirs() {
  for (const name of readdirSync(tmpdir())) {
    if (!name.startsWith('sluice-bench-')) continue;
    const dir = join(tmpdir(), name);
    let pid;
    try {
      pid = Number(readFileSync(join(dir, 'runner.pid'), 'utf8'));
    } catch {
      continue; // not ours, or kept with --keep before pid files existed
    }
    if (!pid || isAlive(pid)) continue;
    if (existsSync(join(dir, 'keep'))) continue;
    progress.log(`bench: removing ${dir}, left behind by runner ${pid} which no longer runs`);
    rmSync(dir, { recursive: true, force: true });
  }
}

function needsNativeFill() {
  return scenarios.some((s) => s.data && DATASETS[s.data].fill === 'native');
}

/**
 * Copies dist/, bin/, package.json and the native addon into `dir`, with node_modules linked
 * (module resolution walks up from dist/ to it, and the addon is found as native/build/... above
 * dist/). Waits until dist/ has been still for 3 s, and copies again if it changed meanwhile.
 */
async function snapshotSluice(dir) {
  const dist = join(ROOT, 'dist');
  for (let attempt = 0; attempt < 40; attempt++) {
    const before = newestMtime(dist);
    if (Date.now() - before < 3000) {
      await new Promise((ok) => setTimeout(ok, 1000));
      continue;
    }
    rmSync(dir, { recursive: true, force: true });
    mkdirSync(dir, { recursive: true });
    cpSync(dist, join(dir, 'dist'), { recursive: true });
    cpSync(join(ROOT, 'bin'), join(dir, 'bin'), { recursive: true });
    cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
    for (const build of ['Release', 'Debug']) {
      const addon = join(ROOT, 'native', 'build', build, 'sluice_native.node');
      if (existsSync(addon)) {
        mkdirSync(join(dir, 'native', 'build', build), { recursive: true });
        cpSync(addon, join(dir, 'native', 'build', build, 'sluice_native.node'));
      }
    }
    symlinkSync(join(ROOT, 'node_modules'), join(dir, 'node_modules'), 'dir');
    if (newestMtime(dist) === before) return { dir, builtAt: before };
  }
  throw new Error('dist/ kept changing for 40 s (a build in progress?): cannot take a consistent copy of sluice to measure');
}

async function sluiceCaps(root) {
  const caps = { nullSink: false, datagenSource: false, mirrorSource: false, transforms: false, plugins: [] };
  try {
    const { registerBuiltins } = await import(pathToFileURL(join(root, 'dist', 'plugins', 'builtins.js')).href);
    const reg = registerBuiltins();
    const has = (name, kinds) => {
      try {
        return reg.find(name, kinds) !== null;
      } catch {
        return true; // ambiguous alias: something answers to it
      }
    };
    caps.nullSink = has('Null', ['sink']);
    caps.datagenSource = has('Datagen', ['source']);
    caps.mirrorSource = has('MirrorSourceConnector', ['source']) || has('MirrorSource', ['source']);
    caps.transforms = reg.plugins(['transformation']).length > 0;
    caps.plugins = reg.plugins(['source', 'sink', 'transformation']).map((d) => d.className);
  } catch (err) {
    caps.error = `could not load dist/plugins/builtins.js: ${err.message}`;
  }
  return caps;
}

function newestMtime(dir) {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    newest = Math.max(newest, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return newest;
}

/** Pre-fills a topic (native-bench produce or JSON values) or writes the source's input file. */
async function makeDataset(key, { bootstrap, nativeBench, tag }) {
  const def = DATASETS[key];
  const records = recordsOverride ?? (opts.quick ? def.quick : def.records);
  const ds = { key, records, valueBytes: def.valueBytes };
  const t0 = performance.now();
  if (def.kind === 'file') {
    ds.file = join(state.workDir, `${key}.txt`);
    progress.stage(`data: writing ${records.toLocaleString('en-US')} lines of ${def.lineBytes} B to ${ds.file}`);
    writeLines(ds.file, records, def.lineBytes);
    ds.prefill = { seconds: +((performance.now() - t0) / 1000).toFixed(2), bytes: statSync(ds.file).size };
  } else {
    ds.topic = opts.bootstrap ? `bench-${key}-${tag}` : `bench-${key}`;
    state.createdTopics.add(ds.topic);
    if (def.fill === 'native') {
      progress.stage(`data: native-bench produce ${records.toLocaleString('en-US')} × ${def.valueBytes} B → ${ds.topic} (${PARTITIONS} partitions)`);
      const args = ['produce', '--bootstrap', bootstrap, '--topic', ds.topic, '--count', String(records), '--size', String(def.valueBytes), '--partitions', String(PARTITIONS), '--linger-ms', '50', '--acks', 'all'];
      const r = await runToEnd(nativeBench, args);
      const line = r.stdout.trim().split('\n').pop();
      if (r.code !== 0 || !line?.startsWith('{')) throw new Error(`pre-filling ${ds.topic} failed: ${r.stderr.trim().split('\n').slice(-3).join(' | ')}`);
      ds.prefill = JSON.parse(line);
    } else if (def.fill === 'avro') {
      progress.stage(`data: producing ${records.toLocaleString('en-US')} Avro records of ${def.valueBytes} B → ${ds.topic}`);
      const r = await fillAvroTopic({ client: state.client, ccompatUrl: state.registry.ccompatUrl, topic: ds.topic, partitions: PARTITIONS, count: records, size: def.valueBytes, onProgress: (n, total) => progress.update(n, total) });
      ds.prefill = { seconds: +((performance.now() - t0) / 1000).toFixed(2), tool: 'node-rdkafka producer, avsc', schema_id: r.schemaId, subject: r.subject, registry: state.registry.ccompatUrl };
    } else {
      progress.stage(`data: producing ${records.toLocaleString('en-US')} JSON values of ${def.valueBytes} B → ${ds.topic}`);
      await state.client.createTopic(ds.topic, PARTITIONS);
      await state.client.produceJson(ds.topic, PARTITIONS, records, def.valueBytes, (n, total) => progress.update(n, total), { dropHeaderEvery: def.dropHeaderEvery });
      ds.prefill = { seconds: +((performance.now() - t0) / 1000).toFixed(2), tool: 'node-rdkafka producer' };
    }
    const hw = await state.client.highWatermarkSum(ds.topic, PARTITIONS);
    if (hw !== records) throw new Error(`topic ${ds.topic} holds ${hw} records after pre-fill, expected ${records} (is it left over from another run? use a fresh --work-dir or broker)`);
  }
  progress.log(`bench: data set ${key}: ${records.toLocaleString('en-US')} records of ${def.valueBytes} B ready (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
  return ds;
}

/** `count` lines of exactly `lineBytes` bytes (newline included), each distinct. */
function writeLines(file, count, lineBytes) {
  const fd = openSync(file, 'w');
  try {
    const pad = 'abcdefghijklmnopqrstuvwxyz0123456789'.repeat(Math.ceil(lineBytes / 36) + 1);
    const perChunk = Math.max(1, Math.floor((4 << 20) / lineBytes));
    const buf = Buffer.allocUnsafe(perChunk * lineBytes);
    for (let i = 0; i < count; ) {
      let o = 0;
      const end = Math.min(count, i + perChunk);
      for (; i < end; i++) {
        const head = `{"seq":${i},"pad":"`;
        const line = `${head}${pad.slice(i % 36, i % 36 + lineBytes - head.length - 3)}"}`;
        o += buf.write(line, o, 'latin1');
        buf[o++] = 10;
      }
      writeSync(fd, buf, 0, o);
    }
  } finally {
    closeSync(fd);
  }
}

try {
  await main();
  await cleanup();
} catch (err) {
  progress.done();
  if (!state.aborted) process.stderr.write(`bench: ${err.stack ?? err.message}\n`);
  await cleanup();
  process.exitCode = 1;
}

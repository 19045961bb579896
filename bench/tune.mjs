#!/usr/bin/env node
// `sluice tune`: runs one connector at tasks.max = 1 … 2 × cores and reports throughput and CPU per
// setting, so tasks.max is measured rather than guessed.
//
//   sluice tune worker.properties connector.properties [--tasks 1,2,4] [--seconds 15] [--json FILE]
//
// Each setting runs in a fresh `sluice standalone` process against the worker's broker:
//   sink connectors read their topics from the beginning under a new consumer group (the
//     connector's name + "-tune-…"), so the connector's own group and offsets are never touched;
//     the sink writes where its config says (point a file sink at /dev/null to measure only reads).
//   source connectors run with a fresh offset file and an extra RegexRouter that sends every
//     record to a scratch topic (deleted afterwards), so no real topic receives tune traffic.
// Throughput = records committed (sink) or produced (source) per second over the measured window,
// after a warm-up; CPU = utime+stime of the worker's process tree over the same window.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { BrokerClient, CommittedReader, sleep } from './lib/kafka.mjs';
import { freePort } from '../scripts/kafka/broker.mjs';
import { startProcess, stopAll, TreeCpu } from './lib/proc.mjs';
import { writeProps } from './lib/systems.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const SLUICE_BIN = join(ROOT, 'bin', 'sluice.js');
const TUNE_PARTITIONS = 6;
const POLL_MS = 100;
const TUNE_FLUSH_INTERVAL_MS = 100;

const USAGE = `usage: sluice tune worker.properties connector.properties [options]
  --tasks a,b,...   tasks.max values to try (default: 1 … 2 × cores)
  --seconds S       measured seconds per setting (default 15)
  --warmup S        seconds after the first record moves before measuring (default 3)
  --json FILE       also write the results as JSON
  --help`;

function parseArgs(argv) {
  const opts = { files: [], tasks: null, seconds: 15, warmup: 3, json: null };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--help' || a === '-h') {
      console.log(USAGE);
      process.exit(0);
    } else if (a === '--tasks') opts.tasks = argv[++i].split(',').map(Number);
    else if (a === '--seconds') opts.seconds = Number(argv[++i]);
    else if (a === '--warmup') opts.warmup = Number(argv[++i]);
    else if (a === '--json') opts.json = argv[++i];
    else if (a.startsWith('--')) fail(`unknown option ${a}\n${USAGE}`);
    else opts.files.push(a);
  }
  if (opts.files.length !== 2) fail(USAGE);
  if (opts.tasks && opts.tasks.some((t) => !Number.isInteger(t) || t < 1)) fail('--tasks takes positive integers, e.g. --tasks 1,2,4');
  if (!(opts.seconds > 0)) fail('--seconds must be a positive number');
  if (!(opts.warmup >= 0)) fail('--warmup must be a number of seconds, 0 or more');
  return opts;
}

function fail(message) {
  console.error(`sluice tune: ${message}`);
  process.exit(2);
}

async function loadDist(path) {
  return import(pathToFileURL(join(ROOT, 'dist', path)).href);
}

/** Reads the two config files with sluice's own parser (file:line errors) and finds the connector's kind. */
async function loadConfigs(workerFile, connectorFile) {
  const { loadPropertiesFile, loadConnectorFile } = await loadDist('config/properties.js');
  const { registerBuiltins } = await loadDist('plugins/builtins.js');
  const { loadPluginPath } = await loadDist('plugins/plugin-path.js');
  const { props: worker } = await loadPropertiesFile(workerFile);
  const file = await loadConnectorFile(connectorFile);
  const connector = { ...file.config, name: file.name ?? file.config.name };
  const bootstrap = worker['bootstrap.servers'];
  if (!bootstrap) fail(`${workerFile}: bootstrap.servers is not set`);
  if (!connector.name) fail(`${connectorFile}: name is not set`);
  const registry = registerBuiltins();
  const pluginPath = (worker['plugin.path'] ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  await loadPluginPath(registry, pluginPath);
  let kind;
  try {
    kind = registry.connector(connector['connector.class'] ?? '').kind;
  } catch (err) {
    fail(`${connectorFile}: connector.class: ${err.message}`);
  }
  return { worker, connector, bootstrap, kind };
}

/** One setting: start a worker, measure, stop it. */
async function runSetting({ tasks, worker, connector, bootstrap, kind, seconds, warmup, client, tag, sinkTopics, sinkTotal }) {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-tune-'));
  const name = `${connector.name}-tune-${tag}-t${tasks}`;
  const restPort = await freePort();
  const workerProps = {
    ...worker,
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    // Sinks show progress through their commits: commit often, so a short run has many points.
    'offset.flush.interval.ms': TUNE_FLUSH_INTERVAL_MS,
    listeners: `http://127.0.0.1:${restPort}`,
  };
  const connectorProps = { ...connector, name, 'tasks.max': tasks };
  let scratchTopic = null;
  const readers = [];
  let progress;
  if (kind === 'source') {
    scratchTopic = `sluice-tune-${tag}-t${tasks}`;
    await client.createTopic(scratchTopic, TUNE_PARTITIONS);
    const aliases = (connector.transforms ?? '').split(',').map((a) => a.trim()).filter(Boolean);
    Object.assign(connectorProps, {
      transforms: [...aliases, 'sluiceTuneRoute'].join(','),
      'transforms.sluiceTuneRoute.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.sluiceTuneRoute.regex': '.*',
      'transforms.sluiceTuneRoute.replacement': scratchTopic,
    });
    progress = () => client.highWatermarkSum(scratchTopic, TUNE_PARTITIONS);
  } else {
    for (const { topic, partitions } of sinkTopics) {
      const r = new CommittedReader(bootstrap, `connect-${name}`, topic, partitions);
      await r.connect();
      readers.push(r);
    }
    progress = async () => (await Promise.all(readers.map((r) => r.sum()))).reduce((a, b) => a + b, 0);
  }
  const log = join(dir, 'sluice.log');
  const h = startProcess(process.execPath, [SLUICE_BIN, 'standalone', writeProps(join(dir, 'worker.properties'), workerProps), writeProps(join(dir, 'connector.properties'), connectorProps)], { logFile: log });
  const cpu = new TreeCpu(h.pid);
  const result = { tasks, ok: false };
  try {
    const started = performance.now();
    let first = null;
    let last = null;
    for (;;) {
      await sleep(POLL_MS);
      if (h.exitInfo) throw new Error(`the worker exited (${h.exitInfo.signal ?? `code ${h.exitInfo.code}`}); see ${log}`);
      const n = await progress().catch(() => null);
      if (n === null) continue;
      const t = performance.now();
      const sample = { t, n, cpu: cpu.read() };
      if (n === 0 && t - started > 60_000) throw new Error(`no records moved within 60 s; see ${log}`);
      // The window opens after the warm-up that follows the first record moved.
      if (first === null && n > 0) first = { ...sample, warm: false };
      if (first && !first.warm && t - first.t >= warmup * 1000) Object.assign(first, sample, { warm: true });
      if (first?.warm) last = sample;
      if (last && (last.t - first.t >= seconds * 1000 || (kind === 'sink' && n >= sinkTotal))) break;
      if (kind === 'sink' && n >= sinkTotal && !first?.warm) throw new Error(`the topics hold too few records (${sinkTotal}) to measure past the warm-up: use a larger topic`);
    }
    const s = (last.t - first.t) / 1000;
    const records = last.n - first.n;
    const cpuS = last.cpu != null && first.cpu != null ? last.cpu - first.cpu : null;
    if (!(s > 0 && records > 0)) {
      throw new Error('the run ended before two progress points: the topic is too small to measure at this speed (use a larger topic)');
    }
    Object.assign(result, {
      ok: true,
      records_per_sec: records / s,
      cpu_cores: cpuS != null ? cpuS / s : null,
      cpu_s_per_million: cpuS != null ? (cpuS * 1e6) / records : null,
      window_s: s,
      records,
    });
  } catch (err) {
    result.error = err.message;
  } finally {
    await h.stop({ graceMs: 10_000 });
    for (const r of readers) await r.close().catch(() => {});
    if (scratchTopic) await client.deleteTopic(scratchTopic).catch(() => {});
    if (result.ok) rmSync(dir, { recursive: true, force: true });
  }
  return result;
}

function fmt(n, digits = 0) {
  return n == null ? '—' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const cores = availableParallelism();
  const settings = opts.tasks ?? Array.from({ length: 2 * cores }, (_, i) => i + 1);
  const { worker, connector, bootstrap, kind } = await loadConfigs(opts.files[0], opts.files[1]);
  const client = new BrokerClient(bootstrap);
  await client.connect();
  const tag = Date.now().toString(36);
  let sinkTopics = [];
  let sinkTotal = Infinity;
  if (kind === 'sink') {
    if (connector['topics.regex']) fail('tune measures sinks with `topics`, not `topics.regex`');
    const names = (connector.topics ?? '').split(',').map((t) => t.trim()).filter(Boolean);
    if (names.length === 0) fail(`${opts.files[1]}: topics is not set`);
    sinkTopics = await Promise.all(names.map(async (topic) => ({ topic, partitions: await client.partitionCount(topic) })));
    const ends = await Promise.all(sinkTopics.map(({ topic, partitions }) => client.highWatermarkSum(topic, partitions)));
    sinkTotal = ends.reduce((a, b) => a + b, 0);
    console.log(`sluice tune: sink ${connector.name} over ${names.join(', ')} (${sinkTotal.toLocaleString('en-US')} records), read from the beginning under new groups`);
  } else {
    console.log(`sluice tune: source ${connector.name}, routed to scratch topics`);
  }
  console.log(`tasks.max ${settings.join(', ')} on ${cores} cores, ${opts.seconds} s each after a ${opts.warmup} s warm-up\n`);
  const results = [];
  for (const tasks of settings) {
    process.stdout.write(`tasks.max=${tasks} … `);
    const r = await runSetting({ tasks, worker, connector, bootstrap, kind, seconds: opts.seconds, warmup: opts.warmup, client, tag, sinkTopics, sinkTotal });
    results.push(r);
    console.log(r.ok ? `${fmt(r.records_per_sec)} records/s, ${fmt(r.cpu_cores, 2)} cores busy` : `failed: ${r.error}`);
  }
  await client.close();
  const ok = results.filter((r) => r.ok);
  console.log('\n| tasks.max | records/s | CPU cores busy | CPU-s per 1M records | records/s per busy core |');
  console.log('|---|---|---|---|---|');
  for (const r of results) {
    if (!r.ok) console.log(`| ${r.tasks} | failed: ${r.error} | | | |`);
    else console.log(`| ${r.tasks} | ${fmt(r.records_per_sec)} | ${fmt(r.cpu_cores, 2)} | ${fmt(r.cpu_s_per_million, 2)} | ${r.cpu_cores ? fmt(r.records_per_sec / r.cpu_cores) : '—'} |`);
  }
  if (ok.length > 0) {
    const fastest = ok.reduce((a, b) => (b.records_per_sec > a.records_per_sec ? b : a));
    const efficient = ok.filter((r) => r.cpu_cores).reduce((a, b) => (b.records_per_sec / b.cpu_cores > a.records_per_sec / a.cpu_cores ? b : a), ok[0]);
    console.log(`\nfastest: tasks.max=${fastest.tasks} (${fmt(fastest.records_per_sec)} records/s, ${fmt(fastest.tasks / cores, 2)} tasks per core)`);
    console.log(`least CPU per record: tasks.max=${efficient.tasks} (${fmt(efficient.cpu_s_per_million, 2)} CPU-s per 1M records)`);
  }
  if (opts.json) {
    writeFileSync(opts.json, JSON.stringify({ date: new Date().toISOString(), cores, connector: connector.name, kind, seconds: opts.seconds, results }, null, 2) + '\n');
    console.log(`\nwrote ${opts.json}`);
  }
  process.exitCode = ok.length === results.length ? 0 : 1;
}

for (const sig of ['SIGINT', 'SIGTERM']) {
  process.once(sig, () => {
    void stopAll({ graceMs: 5000 }).finally(() => process.exit(130));
  });
}

main().catch(async (err) => {
  console.error(`sluice tune: ${err.message}`);
  await stopAll({ graceMs: 5000 });
  process.exit(1);
});

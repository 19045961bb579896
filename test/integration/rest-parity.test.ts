// REST parity with Apache Kafka Connect 4.3.1: the real ConnectStandalone (jars from Maven Central,
// scripts/kafka/maven.mjs) and `sluice standalone` run side by side against the test broker and
// get the same request sequence. Status codes must be equal; bodies must have the same shape
// (keys and value types) and, where the step says so, the same values once what is naturally
// different (connector/topic/file names, worker ids, versions, traces) is normalized.
//
// Every difference found is either fixed in sluice or listed in KNOWN_DIFFERENCES with the
// reason; a listed difference that no longer occurs fails the test too, so the list stays true.
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, createTopic, produce } from '../helpers/kafka.js';
import { freePort, startStandalone, waitFor, writeProperties, type SluiceRun } from '../helpers/sluice-process.js';

interface MavenModule {
  resolveArtifacts(set: string, options?: { quiet?: boolean }): Promise<{ classpath: string }>;
  log4jConfig(configFile: string, logFile: string, options?: { level?: string }): string;
  javaBin(): string;
}
const MAVEN_MODULE: string = new URL('../../scripts/kafka/maven.mjs', import.meta.url).href;

type System = 'kc' | 'sluice';
const SYSTEMS: readonly System[] = ['kc', 'sluice'];

interface Reply {
  status: number;
  body: unknown;
}

/** What a step compares beyond the status code. */
type Compare = 'exact' | 'shape' | 'status';

/**
 * Differences kept on purpose, by step name. Each must still occur (a fixed one is removed from
 * here), and the reason is what the README documents.
 */
const KNOWN_DIFFERENCES: Record<string, string> = {
  'plugin config keys':
    'Kafka Connect 4.x lists connector.plugin.version and key/value/header.converter.plugin.version (KIP-891, choosing among installed plugin versions); sluice loads one version of each plugin and has no such keys.',
  'validate: ConnectorConfig as KIP-891 reshaped it':
    "Kafka Connect 4.x inserts the *.plugin.version keys into the Common group (so order_in_group of later keys is higher) and gives key/value/header.converter the worker's converter as default and value, recommending the installed converters; sluice's ConnectorConfig (src/config/connector-config.ts) has no plugin versions and leaves them unset. To do: the converter defaults and recommendations.",
  'GET /connectors/{sink}/tasks-config':
    'Kafka Connect 4.0 removed this endpoint (KIP-970, deprecated in 3.7); sluice keeps serving it so 3.x tooling goes on working. Nothing else uses the path.',
  'POST /connectors without connector.class':
    "The message prints the config as Java's HashMap.toString does; HashMap orders keys by hash bucket, sluice prints them in the order given. Same words otherwise.",
  'POST restart of an unknown connector':
    'Kafka Connect 4.3.1 answers 500 with a NullPointerException message (StandaloneHerder.restartConnector goes on after reporting the 404); sluice answers the 404 "Connector <name> not found" it meant to.',
  'PUT stop of an unknown connector':
    "Kafka Connect's StandaloneHerder answers 500 (IllegalArgumentException from its config store) for a connector that does not exist; sluice answers 404 \"Connector <name> not found\" like every other connector endpoint.",
};

interface Context {
  sys: System;
  url: string;
  /** Unique per system: connector names, topics and files are built from it. */
  tag: string;
  dir: string;
  workerId?: string;
}

let dir: string;
let kc: { proc: ChildProcess; log: string } | undefined;
let sluice: SluiceRun | undefined;
const ctx = {} as Record<System, Context>;
const mismatches: { step: string; detail: string }[] = [];
const seenDifferences = new Set<string>();

async function call(c: Context, method: string, path: string, body?: unknown, rawBody?: string): Promise<Reply> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (body !== undefined || rawBody !== undefined) headers['content-type'] = 'application/json';
  const res = await fetch(`${c.url}${path}`, {
    method,
    headers,
    body: rawBody ?? (body === undefined ? undefined : JSON.stringify(body)),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  let parsed: unknown = text === '' ? undefined : text;
  try {
    if (text !== '') parsed = JSON.parse(text);
  } catch {
    // not JSON: compared as text
  }
  return { status: res.status, body: parsed };
}

/** Replace what differs by nature between the two workers with placeholders. */
function normalize(c: Context, value: unknown): unknown {
  if (value === undefined) return undefined;
  let text = JSON.stringify(value);
  text = text.split(c.tag).join('<tag>').split(c.dir).join('<dir>');
  if (c.workerId) text = text.split(c.workerId).join('<worker>');
  return JSON.parse(text, (key, v: unknown) => {
    if (key === 'trace' && typeof v === 'string') return '<trace>';
    if (key === 'version' && typeof v === 'string') return '<version>';
    if (key === 'last_modified' && typeof v === 'number') return '<time>';
    return v;
  });
}

/** Keys and value types, recursively; arrays by the set of their element shapes. */
function shapeOf(value: unknown): unknown {
  if (value === null) return 'null';
  if (Array.isArray(value)) {
    const shapes = [...new Set(value.map((v) => JSON.stringify(shapeOf(v))))].sort();
    return shapes.map((s) => JSON.parse(s) as unknown);
  }
  if (typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>)
        .sort(([a], [b]) => (a < b ? -1 : 1))
        .map(([k, v]) => [k, shapeOf(v)]),
    );
  }
  return typeof value;
}

/** Sorted keys, so objects compare regardless of key order (Jackson's HashMap order is arbitrary). */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) =>
    v && typeof v === 'object' && !Array.isArray(v)
      ? Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : 1)))
      : v,
  );
}

/**
 * Send the same request to both workers (built per system by `request`) and compare. Returns both
 * replies, normalized, for further checks.
 */
async function step(
  name: string,
  compare: Compare,
  request: (c: Context) => { method: string; path: string; body?: unknown; raw?: string },
  options: { sortArrays?: boolean } = {},
): Promise<Record<System, Reply>> {
  const replies = {} as Record<System, Reply>;
  await Promise.all(
    SYSTEMS.map(async (sys) => {
      const r = request(ctx[sys]);
      const reply = await call(ctx[sys], r.method, r.path, r.body, r.raw);
      let body = normalize(ctx[sys], reply.body);
      if (options.sortArrays && Array.isArray(body)) body = [...body].map((b) => canonical(b)).sort().map((b) => JSON.parse(b) as unknown);
      replies[sys] = { status: reply.status, body };
    }),
  );
  const problems: string[] = [];
  if (replies.kc.status !== replies.sluice.status) problems.push(`status ${replies.kc.status} (Kafka Connect) vs ${replies.sluice.status} (sluice)`);
  const kcBody = replies.kc.body;
  const slBody = replies.sluice.body;
  if (compare === 'exact' && canonical(kcBody) !== canonical(slBody)) {
    problems.push(`body\n  Kafka Connect: ${canonical(kcBody)}\n  sluice:        ${canonical(slBody)}`);
  } else if (compare === 'shape' && canonical(shapeOf(kcBody)) !== canonical(shapeOf(slBody))) {
    problems.push(
      `body shape\n  Kafka Connect: ${canonical(shapeOf(kcBody))}\n  sluice:        ${canonical(shapeOf(slBody))}\n` +
        `  (Kafka Connect: ${canonical(kcBody).slice(0, 600)})\n  (sluice: ${canonical(slBody).slice(0, 600)})`,
    );
  }
  if (problems.length > 0) difference(name, problems.join('; '));
  return replies;
}

/** Poll one system until `check` holds for GET `path`. */
async function until(c: Context, path: string, what: string, check: (body: any) => boolean, timeoutMs = 30_000): Promise<any> {
  let last: unknown;
  try {
    return await waitFor(
      `${c.sys}: ${what}`,
      async () => {
        const r = await call(c, 'GET', path);
        last = r.body;
        return r.status === 200 && check(r.body) ? r.body : undefined;
      },
      timeoutMs,
      200,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
  }
}

const bothUntil = (path: (c: Context) => string, what: string, check: (body: any) => boolean, timeoutMs = 30_000) =>
  Promise.all(SYSTEMS.map((sys) => until(ctx[sys], path(ctx[sys]), what, check, timeoutMs)));

const running = (s: any): boolean => s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t: any) => t.state === 'RUNNING');

function logs(): string {
  const kcLog = kc && existsSync(kc.log) ? readFileSync(kc.log, 'utf8').split('\n').slice(-40).join('\n') : '(none)';
  const slLog = sluice && existsSync(sluice.logFile) ? readFileSync(sluice.logFile, 'utf8').split('\n').slice(-40).join('\n') : '(none)';
  return `--- Kafka Connect log ---\n${kcLog}\n--- sluice log ---\n${slLog}`;
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-parity-'));
  const maven = (await import(MAVEN_MODULE)) as MavenModule;
  const { classpath } = await maven.resolveArtifacts('connect', { quiet: true });
  const run = Date.now().toString(36);
  for (const sys of SYSTEMS) {
    const port = await freePort();
    const sysDir = join(dir, sys);
    const c: Context = { sys, url: `http://127.0.0.1:${port}`, tag: `p${sys === 'kc' ? 'k' : 's'}${run}`, dir: sysDir };
    ctx[sys] = c;
    rmSync(sysDir, { recursive: true, force: true });
    // Same worker config for both.
    const { mkdirSync } = await import('node:fs');
    mkdirSync(sysDir, { recursive: true });
    writeProperties(join(sysDir, 'worker.properties'), {
      'bootstrap.servers': bootstrap(),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': join(sysDir, 'offsets.dat'),
      'offset.flush.interval.ms': 500,
      listeners: `http://127.0.0.1:${port}`,
    });
  }
  const kcLog = join(dir, 'kc', 'connect.log');
  const kcProc = spawn(
    maven.javaBin(),
    [
      '-Xms128M', '-Xmx512M', '-XX:+UseSerialGC', '-XX:TieredStopAtLevel=1', '-Djava.awt.headless=true',
      maven.log4jConfig(join(dir, 'kc', 'log4j2.properties'), kcLog),
      '-cp', classpath, 'org.apache.kafka.connect.cli.ConnectStandalone', join(dir, 'kc', 'worker.properties'),
    ],
    { stdio: ['ignore', 'ignore', 'ignore'], cwd: join(dir, 'kc') },
  );
  kc = { proc: kcProc, log: kcLog };
  sluice = startStandalone(ctx.sluice.dir, join(ctx.sluice.dir, 'worker.properties'), [], Number(new URL(ctx.sluice.url).port));
  try {
    // Kafka Connect scans its classpath for plugins first: 10-30 s on a busy 2-core machine.
    await bothUntil(() => '/health', 'startup', (b) => b.status === 'healthy', 100_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logs()}`);
  }
}, 150_000);

afterAll(async () => {
  for (const proc of [kc?.proc, sluice?.proc]) {
    if (proc && proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await new Promise((r) => proc.once('exit', r));
    }
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('REST parity with Apache Kafka Connect 4.3.1 (standalone)', () => {
  it('answers the same request sequence with the same status codes and body shapes', async () => {
    const src = (c: Context) => `${c.tag}-src`;
    const sink = (c: Context) => `${c.tag}-sink`;
    const topic = (c: Context) => `${c.tag}-topic`;
    const sinkTopic = (c: Context) => `${c.tag}-sinktopic`;
    const inFile = (c: Context) => join(c.dir, 'in.txt');
    const outFile = (c: Context) => join(c.dir, 'out.txt');
    for (const sys of SYSTEMS) {
      writeFileSync(inFile(ctx[sys]), 'one\ntwo\nthree\n');
      await createTopic(topic(ctx[sys]));
      await createTopic(sinkTopic(ctx[sys]));
    }

    // --- worker ---
    await step('GET /', 'shape', () => ({ method: 'GET', path: '/' }));
    await step('GET /health', 'exact', () => ({ method: 'GET', path: '/health' }));
    await step('GET /connectors (none)', 'exact', () => ({ method: 'GET', path: '/connectors' }));
    await step('GET /connectors?expand=status (none)', 'exact', () => ({ method: 'GET', path: '/connectors?expand=status' }));

    // --- plugins ---
    const plugins = await step('GET /connector-plugins', 'shape', () => ({ method: 'GET', path: '/connector-plugins' }));
    for (const cls of ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'org.apache.kafka.connect.file.FileStreamSourceConnector']) {
      expect((plugins.sluice.body as any[]).map((p) => p.class)).toContain(cls);
      expect((plugins.kc.body as any[]).map((p) => p.class)).toContain(cls);
    }
    await step('GET /connector-plugins?connectorsOnly=false', 'shape', () => ({ method: 'GET', path: '/connector-plugins?connectorsOnly=false' }));
    const sinkConfig = await step('GET /connector-plugins/FileStreamSinkConnector/config', 'shape', () => ({
      method: 'GET',
      path: '/connector-plugins/FileStreamSinkConnector/config',
    }));
    {
      const names = (r: Reply): string[] => (r.body as any[]).map((k) => k.name).sort();
      const missing = names(sinkConfig.kc).filter((n) => !names(sinkConfig.sluice).includes(n));
      if (missing.length > 0) difference('plugin config keys', `keys only Kafka Connect lists: ${missing.join(', ')}`);
      const file = (r: Reply) => (r.body as any[]).find((k) => k.name === 'file');
      await expectSame('plugin config: the file key', file(sinkConfig.kc), file(sinkConfig.sluice));
    }
    await step('GET /connector-plugins/Nope/config', 'exact', () => ({ method: 'GET', path: '/connector-plugins/Nope/config' }));
    const validate = await step('PUT /connector-plugins/FileStreamSinkConnector/config/validate', 'status', (c) => ({
      method: 'PUT',
      path: '/connector-plugins/FileStreamSinkConnector/config/validate',
      body: { 'connector.class': 'FileStreamSink', name: sink(c), file: outFile(c), 'tasks.max': 'x' },
    }));
    {
      // Config by config: the same definition and value (documentation aside), keys listed by both.
      const byName = (r: Reply) =>
        new Map<string, any>((r.body as any).configs.map((c: any) => [c.definition?.name ?? c.value?.name, c]));
      const kcConfigs = byName(validate.kc);
      const slConfigs = byName(validate.sluice);
      const onlyKc = [...kcConfigs.keys()].filter((n) => !slConfigs.has(n) && !n.endsWith('plugin.version'));
      const onlySl = [...slConfigs.keys()].filter((n) => !kcConfigs.has(n));
      if (onlyKc.length + onlySl.length > 0) {
        difference('validate: config keys', `only Kafka Connect: ${onlyKc.join(', ')}; only sluice: ${onlySl.join(', ')}`);
      }
      for (const [name, kcConfig] of kcConfigs) {
        const slConfig = slConfigs.get(name);
        if (slConfig === undefined) continue;
        const strip = (c: any) => ({ ...c, definition: c.definition && { ...c.definition, documentation: typeof c.definition.documentation } });
        // What Kafka 4.x's KIP-891 changed in ConnectorConfig, set aside to compare the rest.
        const converter = name.endsWith('.converter');
        const kip891 = (c: any) => ({
          definition: c.definition && { ...c.definition, order_in_group: 0, default_value: converter ? null : c.definition.default_value },
          value: c.value && (converter ? { ...c.value, value: null, recommended_values: [] } : c.value),
        });
        if (canonical(strip(kcConfig)) !== canonical(strip(slConfig)) && canonical(kip891(strip(kcConfig))) === canonical(kip891(strip(slConfig)))) {
          difference('validate: ConnectorConfig as KIP-891 reshaped it', name);
          continue;
        }
        await expectSame(`validate: ${name}`, strip(kcConfig), strip(slConfig));
      }
      const { error_count: kcErrors, groups: kcGroups } = validate.kc.body as any;
      const { error_count: slErrors, groups: slGroups } = validate.sluice.body as any;
      await expectSame('validate: error_count and groups', { kcErrors, kcGroups }, { kcErrors: slErrors, kcGroups: slGroups });
    }
    await step('PUT validate with a mismatching connector.class', 'exact', () => ({
      method: 'PUT',
      path: '/connector-plugins/FileStreamSourceConnector/config/validate',
      body: { 'connector.class': 'FileStreamSink' },
    }));

    // --- a source connector ---
    const sourceConfig = (c: Context) => ({ 'connector.class': 'FileStreamSource', file: inFile(c), topic: topic(c), 'tasks.max': '1' });
    await step('POST /connectors (source)', 'exact', (c) => ({ method: 'POST', path: '/connectors', body: { name: src(c), config: sourceConfig(c) } }));
    await step('POST /connectors (exists)', 'exact', (c) => ({ method: 'POST', path: '/connectors', body: { name: src(c), config: sourceConfig(c) } }));
    await step('POST /connectors without connector.class', 'exact', (c) => ({ method: 'POST', path: '/connectors', body: { name: `${c.tag}-bad`, config: { file: 'x' } } }));
    await step('POST /connectors with malformed JSON', 'shape', () => ({ method: 'POST', path: '/connectors', raw: '{"name": ' }));
    const statuses = await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING', running);
    SYSTEMS.forEach((sys, i) => (ctx[sys].workerId = statuses[i].connector.worker_id));
    await step('GET /connectors/{source}', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}` }));
    await step('GET /connectors/{source}/config', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/config` }));
    await step('GET /connectors/{source}/status', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/status` }));
    await step('GET /connectors?expand=status&expand=info', 'exact', () => ({ method: 'GET', path: '/connectors?expand=status&expand=info' }));
    await step('GET /connectors?expand=info', 'exact', () => ({ method: 'GET', path: '/connectors?expand=info' }));
    await step('GET /connectors/{source}/tasks', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/tasks` }));
    await step('GET /connectors/{source}/tasks/0/status', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/tasks/0/status` }));
    await step('GET /connectors/{source}/tasks/7/status', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/tasks/7/status` }));

    // Offsets: readable while running, changeable only when stopped.
    await bothUntil((c) => `/connectors/${src(c)}/offsets`, 'source offsets committed', (b) => b.offsets.length > 0 && b.offsets[0].offset.position === 14);
    await step('GET /connectors/{source}/offsets', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/offsets` }));
    // Its records are acknowledged, so both have recorded the topic as active.
    await step('GET /connectors/{source}/topics', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/topics` }));
    const sourceOffsets = (c: Context, position: number | null) => ({
      offsets: [{ partition: { filename: inFile(c) }, offset: position === null ? null : { position } }],
    });
    await step('PATCH /connectors/{source}/offsets while running', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${src(c)}/offsets`,
      body: sourceOffsets(c, 4),
    }));
    await step('DELETE /connectors/{source}/offsets while running', 'exact', (c) => ({ method: 'DELETE', path: `/connectors/${src(c)}/offsets` }));

    // PATCH config.
    await step('PATCH /connectors/{source}/config', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${src(c)}/config`,
      body: { 'batch.size': '100', 'tasks.max': null },
    }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING after patch', running);

    // Pause, resume, stop.
    await step('PUT /connectors/{source}/pause', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${src(c)}/pause` }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source PAUSED', (s) => s.connector.state === 'PAUSED' && s.tasks.every((t: any) => t.state === 'PAUSED'));
    await step('GET /connectors/{source}/status (paused)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/status` }));
    await step('PUT /connectors/{source}/resume', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${src(c)}/resume` }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING after resume', running);

    // Restarts.
    await step('POST /connectors/{source}/restart', 'exact', (c) => ({ method: 'POST', path: `/connectors/${src(c)}/restart` }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING after restart', running);
    await step('POST /connectors/{source}/restart?includeTasks=true', 'exact', (c) => ({
      method: 'POST',
      path: `/connectors/${src(c)}/restart?includeTasks=true`,
    }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING after restart with tasks', running);
    await step('POST /connectors/{source}/restart?onlyFailed=true', 'exact', (c) => ({
      method: 'POST',
      path: `/connectors/${src(c)}/restart?onlyFailed=true`,
    }));
    await step('POST /connectors/{source}/restart?includeTasks=true&onlyFailed=true', 'exact', (c) => ({
      method: 'POST',
      path: `/connectors/${src(c)}/restart?includeTasks=true&onlyFailed=true`,
    }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING', running);
    await step('POST /connectors/{source}/tasks/0/restart', 'exact', (c) => ({ method: 'POST', path: `/connectors/${src(c)}/tasks/0/restart` }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING', running);

    await step('PUT /connectors/{source}/stop', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${src(c)}/stop` }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source STOPPED', (s) => s.connector.state === 'STOPPED');
    await step('GET /connectors/{source}/status (stopped)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/status` }));
    await step('GET /connectors/{source} (stopped)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}` }));
    await step('PATCH /connectors/{source}/offsets with no offsets', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${src(c)}/offsets`,
      body: { offsets: [] },
    }));
    await step('PATCH /connectors/{source}/offsets (stopped)', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${src(c)}/offsets`,
      body: sourceOffsets(c, 4),
    }));
    await step('GET /connectors/{source}/offsets (altered)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/offsets` }));
    await step('DELETE /connectors/{source}/offsets (stopped)', 'exact', (c) => ({ method: 'DELETE', path: `/connectors/${src(c)}/offsets` }));
    await step('GET /connectors/{source}/offsets (reset)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/offsets` }));
    await step('PUT /connectors/{source}/resume (from stopped)', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${src(c)}/resume` }));
    await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING after stop', running);

    // --- a sink connector ---
    for (const sys of SYSTEMS) await produce(sinkTopic(ctx[sys]), [{ value: 'a' }, { value: 'b' }]);
    const sinkConfigOf = (c: Context) => ({ 'connector.class': 'FileStreamSink', file: outFile(c), topics: sinkTopic(c) });
    await step('PUT /connectors/{sink}/config (create)', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${sink(c)}/config`, body: sinkConfigOf(c) }));
    await bothUntil((c) => `/connectors/${sink(c)}/offsets`, 'sink offsets committed', (b) => b.offsets.length === 1 && b.offsets[0].offset.kafka_offset === 2);
    await step('GET /connectors/{sink}/offsets', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/offsets` }));
    await step('GET /connectors/{sink}/topics', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/topics` }));
    await step('PUT /connectors/{sink}/topics/reset', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${sink(c)}/topics/reset` }));
    await step('GET /connectors/{sink}/topics (reset)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/topics` }));
    await step('PUT /connectors/{sink}/config (update)', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${sink(c)}/config`, body: sinkConfigOf(c) }));
    await step('PUT /connectors/{sink}/stop', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${sink(c)}/stop` }));
    await bothUntil((c) => `/connectors/${sink(c)}/status`, 'sink STOPPED', (s) => s.connector.state === 'STOPPED');
    const sinkOffsets = (c: Context, offset: unknown) => ({
      offsets: [{ partition: { kafka_topic: sinkTopic(c), kafka_partition: 0 }, offset }],
    });
    await step('PATCH /connectors/{sink}/offsets', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${sink(c)}/offsets`,
      body: sinkOffsets(c, { kafka_offset: 1 }),
    }));
    await step('GET /connectors/{sink}/offsets (altered)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/offsets` }));
    await step('PATCH /connectors/{sink}/offsets with a bad partition', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${sink(c)}/offsets`,
      body: { offsets: [{ partition: { kafka_topic: sinkTopic(c), kafka_partition: 'x' }, offset: { kafka_offset: 1 } }] },
    }));
    await step('PATCH /connectors/{sink}/offsets without kafka_offset', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${sink(c)}/offsets`,
      body: sinkOffsets(c, { offset: 1 }),
    }));
    await step('PATCH /connectors/{sink}/offsets resetting a partition', 'exact', (c) => ({
      method: 'PATCH',
      path: `/connectors/${sink(c)}/offsets`,
      body: sinkOffsets(c, null),
    }));
    await step('GET /connectors/{sink}/offsets (partition reset)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/offsets` }));
    await step('DELETE /connectors/{sink}/offsets', 'exact', (c) => ({ method: 'DELETE', path: `/connectors/${sink(c)}/offsets` }));
    await step('GET /connectors/{sink}/offsets (reset)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/offsets` }));

    // --- initial_state ---
    for (const state of ['STOPPED', 'PAUSED'] as const) {
      const lower = state.toLowerCase();
      const name = (c: Context) => `${c.tag}-${lower}`;
      await step(`POST /connectors with initial_state ${state}`, 'exact', (c) => ({
        method: 'POST',
        path: '/connectors',
        body: { name: name(c), config: { ...sinkConfigOf(c), file: join(c.dir, `${lower}.txt`) }, initial_state: state },
      }));
      const state0 = state === 'STOPPED' ? 'STOPPED' : 'PAUSED';
      await bothUntil((c) => `/connectors/${name(c)}/status`, `${state0} from creation`, (s) => s.connector.state === state0 && s.tasks.every((t: any) => t.state === state0));
      await step(`GET status after initial_state ${state}`, 'exact', (c) => ({ method: 'GET', path: `/connectors/${name(c)}/status` }));
      await step(`DELETE the ${lower} connector`, 'exact', (c) => ({ method: 'DELETE', path: `/connectors/${name(c)}` }));
    }
    await step('GET /connectors/{sink}/tasks-config', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/tasks-config` }));

    // --- loggers ---
    await step('GET /admin/loggers', 'status', () => ({ method: 'GET', path: '/admin/loggers' }));
    await step('GET /admin/loggers/root', 'exact', () => ({ method: 'GET', path: '/admin/loggers/root' }));
    await step('GET /admin/loggers/{unknown}', 'exact', () => ({ method: 'GET', path: '/admin/loggers/no.such.logger' }));
    await step('PUT /admin/loggers/{namespace}', 'shape', () => ({ method: 'PUT', path: '/admin/loggers/org.example.parity', body: { level: 'DEBUG' } }));
    await step('GET /admin/loggers/{namespace} (set)', 'exact', () => ({ method: 'GET', path: '/admin/loggers/org.example.parity' }));
    await step('PUT /admin/loggers/{namespace} (same level)', 'exact', () => ({ method: 'PUT', path: '/admin/loggers/org.example.parity', body: { level: 'debug' } }));
    await step('PUT /admin/loggers/{namespace}?scope=cluster', 'exact', () => ({
      method: 'PUT',
      path: '/admin/loggers/org.example.parity?scope=cluster',
      body: { level: 'INFO' },
    }));
    await step('PUT /admin/loggers without a level', 'exact', () => ({ method: 'PUT', path: '/admin/loggers/root', body: {} }));
    await step('PUT /admin/loggers with an unknown level', 'exact', () => ({ method: 'PUT', path: '/admin/loggers/root', body: { level: 'LOUD' } }));

    // --- errors ---
    await step('GET /connectors/{unknown}', 'exact', () => ({ method: 'GET', path: '/connectors/nope' }));
    await step('GET /connectors/{unknown}/status', 'exact', () => ({ method: 'GET', path: '/connectors/nope/status' }));
    await step('GET /connectors/{unknown}/offsets', 'exact', () => ({ method: 'GET', path: '/connectors/nope/offsets' }));
    await step('PATCH /connectors/{unknown}/config', 'exact', () => ({ method: 'PATCH', path: '/connectors/nope/config', body: { a: 'b' } }));
    await step('PUT pause of an unknown connector', 'exact', () => ({ method: 'PUT', path: '/connectors/nope/pause' }));
    await step('PUT stop of an unknown connector', 'exact', () => ({ method: 'PUT', path: '/connectors/nope/stop' }));
    await step('POST restart of an unknown connector', 'exact', () => ({ method: 'POST', path: '/connectors/nope/restart' }));
    await step('POST restart?includeTasks=true of an unknown connector', 'exact', () => ({ method: 'POST', path: '/connectors/nope/restart?includeTasks=true' }));
    await step('DELETE /connectors/{unknown}', 'exact', () => ({ method: 'DELETE', path: '/connectors/nope' }));
    await step('GET an unknown path', 'exact', () => ({ method: 'GET', path: '/nope' }));
    await step('DELETE /connectors (method not allowed)', 'exact', () => ({ method: 'DELETE', path: '/connectors' }));

    // Kafka Connect answers 404 here but then goes on to start a task 7 that fails and stays in
    // the status: asked last, just before the connector is deleted. sluice does not copy that.
    await step('POST /connectors/{source}/tasks/7/restart', 'exact', (c) => ({ method: 'POST', path: `/connectors/${src(c)}/tasks/7/restart` }));

    // --- delete ---
    for (const name of [src, sink]) {
      await step(`DELETE /connectors/{${name === src ? 'source' : 'sink'}}`, 'exact', (c) => ({ method: 'DELETE', path: `/connectors/${name(c)}` }));
    }
    await step('GET /connectors (after delete)', 'exact', () => ({ method: 'GET', path: '/connectors' }));

    const stale = Object.keys(KNOWN_DIFFERENCES).filter((name) => !seenDifferences.has(name));
    const report = [
      ...mismatches.map((m) => `${m.step}: ${m.detail}`),
      ...stale.map((name) => `${name}: listed in KNOWN_DIFFERENCES but no longer differs (remove it)`),
    ];
    expect(report.join('\n\n')).toBe('');
  });
});

/** A difference: expected if listed in KNOWN_DIFFERENCES, a failure otherwise. */
function difference(step: string, detail: string): void {
  if (step in KNOWN_DIFFERENCES) seenDifferences.add(step);
  else mismatches.push({ step, detail });
}

async function expectSame(name: string, kcValue: unknown, slValue: unknown): Promise<void> {
  if (canonical(kcValue) !== canonical(slValue)) {
    difference(name, `\n  Kafka Connect: ${canonical(kcValue)}\n  sluice:        ${canonical(slValue)}`);
  }
}

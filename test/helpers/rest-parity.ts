// REST parity with Apache Kafka Connect 4.3.1, shared by both modes: the request sequence, and
// how each reply of Kafka Connect ('kc') and of sluice is compared. The test files start the two
// workers (test/integration/rest-parity.test.ts: ConnectStandalone and `sluice standalone`;
// rest-parity-distributed.test.ts: ConnectDistributed and `sluice distributed`, each in its own
// group with its own internal topics), fill in a ParityRun's contexts and call runParitySequence.
//
// Status codes must be equal; bodies must have the same shape (keys and value types) and, where
// the step says so, the same values once what is naturally different (connector/topic/file
// names, worker ids, versions, traces) is normalized. Every difference found is either fixed in
// sluice or listed in the mode's known differences with the reason; a listed difference that no
// longer occurs fails the test too, so the list stays true.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createTopic, produce } from './kafka.js';
import { waitFor } from './sluice-process.js';

export type System = 'kc' | 'sluice';
export const SYSTEMS: readonly System[] = ['kc', 'sluice'];
export type Mode = 'standalone' | 'distributed';

export interface Reply {
  status: number;
  body: unknown;
}

/** How long a status must hold after a restart or a config change before the sequence goes on. */
const SETTLE_MS = 1000;

/** What a step compares beyond the status code. */
type Compare = 'exact' | 'shape' | 'status';

export interface Context {
  sys: System;
  url: string;
  /** Unique per system: connector names, topics and files are built from it. */
  tag: string;
  /** Where the connectors' files are (in.txt, out.txt); replaced by <dir> in bodies. */
  dir: string;
  workerId?: string;
}

/**
 * Differences kept on purpose in both modes, by step name; the reason is what the README
 * documents. Each test file adds those of its mode.
 */
export const COMMON_KNOWN_DIFFERENCES: Record<string, string> = {
  'plugin config keys':
    'Kafka Connect 4.x lists connector.plugin.version and key/value/header.converter.plugin.version (KIP-891, choosing among installed plugin versions); sluice loads one version of each plugin and has no such keys.',
  'validate: ConnectorConfig as KIP-891 reshaped it':
    "Kafka Connect 4.x inserts the *.plugin.version keys into the Common group (so order_in_group of later keys is higher) and gives key/value/header.converter the worker's converter as default and value, recommending the installed converters; sluice's ConnectorConfig (src/config/connector-config.ts) has no plugin versions and leaves them unset. To do: the converter defaults and recommendations.",
  'GET /connectors/{sink}/tasks-config':
    'Kafka Connect 4.0 removed this endpoint (KIP-970, deprecated in 3.7); sluice keeps serving it so 3.x tooling goes on working. Nothing else uses the path.',
  'POST /connectors without connector.class':
    "The message prints the config as Java's HashMap.toString does; HashMap orders keys by hash bucket, sluice prints them in the order given. Same words otherwise.",
};

/** The two workers of one mode, and what their replies differed in. */
export class ParityRun {
  readonly ctx = {} as Record<System, Context>;
  private readonly mismatches: { step: string; detail: string }[] = [];
  private readonly seenDifferences = new Set<string>();

  constructor(
    readonly mode: Mode,
    private readonly knownDifferences: Record<string, string>,
  ) {}

  async call(c: Context, method: string, path: string, body?: unknown, rawBody?: string): Promise<Reply> {
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

  /**
   * Send the same request to both workers (built per system by `request`) and compare. Returns
   * both replies, normalized, for further checks.
   */
  async step(
    name: string,
    compare: Compare,
    request: (c: Context) => { method: string; path: string; body?: unknown; raw?: string },
    options: { sortArrays?: boolean } = {},
  ): Promise<Record<System, Reply>> {
    const replies = {} as Record<System, Reply>;
    await Promise.all(
      SYSTEMS.map(async (sys) => {
        const r = request(this.ctx[sys]);
        const reply = await this.call(this.ctx[sys], r.method, r.path, r.body, r.raw);
        let body = normalize(this.ctx[sys], reply.body);
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
    if (problems.length > 0) this.difference(name, problems.join('; '));
    return replies;
  }

  /**
   * Poll one system until `check` holds for GET `path` (answering `status`, 200 unless given) and,
   * with `stableMs`, has held that long: a restart goes through the config topic, so right after
   * the request the status may not have left RUNNING yet.
   */
  async until(c: Context, path: string, what: string, check: (body: any) => boolean, timeoutMs = 30_000, status = 200, stableMs = 0): Promise<any> {
    let last: unknown;
    let since: number | null = null;
    try {
      return await waitFor(
        `${c.sys}: ${what}`,
        async () => {
          const r = await this.call(c, 'GET', path);
          last = r.body;
          if (r.status !== status || !check(r.body)) {
            since = null;
            return undefined;
          }
          since ??= Date.now();
          return Date.now() - since >= stableMs ? (r.body ?? true) : undefined;
        },
        timeoutMs,
        200,
      );
    } catch (err) {
      throw new Error(`${(err as Error).message}; last: ${JSON.stringify(last)}`);
    }
  }

  bothUntil(path: (c: Context) => string, what: string, check: (body: any) => boolean, timeoutMs = 30_000, status = 200, stableMs = 0): Promise<any[]> {
    return Promise.all(SYSTEMS.map((sys) => this.until(this.ctx[sys], path(this.ctx[sys]), what, check, timeoutMs, status, stableMs)));
  }

  /** bothUntil a status that has held for a second (after a restart or a config change). */
  bothSettled(path: (c: Context) => string, what: string, check: (body: any) => boolean): Promise<any[]> {
    return this.bothUntil(path, what, check, 30_000, 200, SETTLE_MS);
  }

  /** A difference: expected if listed as known, a failure otherwise. */
  difference(step: string, detail: string): void {
    if (step in this.knownDifferences) this.seenDifferences.add(step);
    else this.mismatches.push({ step, detail });
  }

  expectSame(name: string, kcValue: unknown, slValue: unknown): void {
    if (canonical(kcValue) !== canonical(slValue)) {
      this.difference(name, `\n  Kafka Connect: ${canonical(kcValue)}\n  sluice:        ${canonical(slValue)}`);
    }
  }

  /** Every unlisted difference, and every listed one that did not occur; empty when all is as listed. */
  report(): string {
    const stale = Object.keys(this.knownDifferences).filter((name) => !this.seenDifferences.has(name));
    return [
      ...this.mismatches.map((m) => `${m.step}: ${m.detail}`),
      ...stale.map((name) => `${name}: listed as a known ${this.mode} difference but no longer differs (remove it)`),
    ].join('\n\n');
  }
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

const running = (s: any): boolean => s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t: any) => t.state === 'RUNNING');
// Kafka Connect's distributed worker reports the connector STOPPED a moment before its tasks' statuses go.
const stoppedWithoutTasks = (s: any): boolean => s.connector.state === 'STOPPED' && s.tasks.length === 0;

/**
 * The request sequence, the same in both modes. The contexts of `p` must be filled in and both
 * workers ready to take writes (in distributed mode: joined, holding their assignment).
 */
export async function runParitySequence(p: ParityRun): Promise<void> {
  const { ctx } = p;
  const step = p.step.bind(p);
  const bothUntil = p.bothUntil.bind(p);
  const bothSettled = p.bothSettled.bind(p);
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
    expect((plugins.sluice.body as any[]).map((pl) => pl.class)).toContain(cls);
    expect((plugins.kc.body as any[]).map((pl) => pl.class)).toContain(cls);
  }
  await step('GET /connector-plugins?connectorsOnly=false', 'shape', () => ({ method: 'GET', path: '/connector-plugins?connectorsOnly=false' }));
  const sinkConfig = await step('GET /connector-plugins/FileStreamSinkConnector/config', 'shape', () => ({
    method: 'GET',
    path: '/connector-plugins/FileStreamSinkConnector/config',
  }));
  {
    const names = (r: Reply): string[] => (r.body as any[]).map((k) => k.name).sort();
    const missing = names(sinkConfig.kc).filter((n) => !names(sinkConfig.sluice).includes(n));
    if (missing.length > 0) p.difference('plugin config keys', `keys only Kafka Connect lists: ${missing.join(', ')}`);
    const file = (r: Reply) => (r.body as any[]).find((k) => k.name === 'file');
    p.expectSame('plugin config: the file key', file(sinkConfig.kc), file(sinkConfig.sluice));
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
      p.difference('validate: config keys', `only Kafka Connect: ${onlyKc.join(', ')}; only sluice: ${onlySl.join(', ')}`);
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
        p.difference('validate: ConnectorConfig as KIP-891 reshaped it', name);
        continue;
      }
      p.expectSame(`validate: ${name}`, strip(kcConfig), strip(slConfig));
    }
    const { error_count: kcErrors, groups: kcGroups } = validate.kc.body as any;
    const { error_count: slErrors, groups: slGroups } = validate.sluice.body as any;
    p.expectSame('validate: error_count and groups', { kcErrors, kcGroups }, { kcErrors: slErrors, kcGroups: slGroups });
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
  await step('POST /connectors with an invalid config', 'exact', (c) => ({
    method: 'POST',
    path: '/connectors',
    body: { name: `${c.tag}-invalid`, config: { ...sourceConfig(c), 'tasks.max': 'x', 'errors.tolerance': 'some' } },
  }));
  await step('PUT /connectors/{name}/config with another name in the config', 'exact', (c) => ({
    method: 'PUT',
    path: `/connectors/${c.tag}-other/config`,
    body: { ...sourceConfig(c), name: `${c.tag}-else` },
  }));
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
  // Its records are acknowledged, so both have recorded the topic as active (in distributed mode
  // through the status topic, read back asynchronously).
  await bothUntil((c) => `/connectors/${src(c)}/topics`, 'source topic active', (b) => Object.values(b).some((v: any) => v.topics.length > 0));
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
  await bothSettled((c) => `/connectors/${src(c)}/status`, 'source RUNNING after patch', running);

  // Pause, resume, stop.
  await step('PUT /connectors/{source}/pause', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${src(c)}/pause` }));
  await bothUntil((c) => `/connectors/${src(c)}/status`, 'source PAUSED', (s) => s.connector.state === 'PAUSED' && s.tasks.every((t: any) => t.state === 'PAUSED'));
  await step('GET /connectors/{source}/status (paused)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/status` }));
  await step('PUT /connectors/{source}/resume', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${src(c)}/resume` }));
  await bothUntil((c) => `/connectors/${src(c)}/status`, 'source RUNNING after resume', running);

  // Restarts.
  await step('POST /connectors/{source}/restart', 'exact', (c) => ({ method: 'POST', path: `/connectors/${src(c)}/restart` }));
  await bothSettled((c) => `/connectors/${src(c)}/status`, 'source RUNNING after restart', running);
  await step('POST /connectors/{source}/restart?includeTasks=true', 'exact', (c) => ({
    method: 'POST',
    path: `/connectors/${src(c)}/restart?includeTasks=true`,
  }));
  await bothSettled((c) => `/connectors/${src(c)}/status`, 'source RUNNING after restart with tasks', running);
  await step('POST /connectors/{source}/restart?onlyFailed=true', 'exact', (c) => ({
    method: 'POST',
    path: `/connectors/${src(c)}/restart?onlyFailed=true`,
  }));
  await step('POST /connectors/{source}/restart?includeTasks=true&onlyFailed=true', 'exact', (c) => ({
    method: 'POST',
    path: `/connectors/${src(c)}/restart?includeTasks=true&onlyFailed=true`,
  }));
  await bothSettled((c) => `/connectors/${src(c)}/status`, 'source RUNNING', running);
  await step('POST /connectors/{source}/tasks/0/restart', 'exact', (c) => ({ method: 'POST', path: `/connectors/${src(c)}/tasks/0/restart` }));
  await bothSettled((c) => `/connectors/${src(c)}/status`, 'source RUNNING after the task restart', running);

  await step('PUT /connectors/{source}/stop', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${src(c)}/stop` }));
  await bothUntil((c) => `/connectors/${src(c)}/status`, 'source STOPPED', stoppedWithoutTasks);
  await step('GET /connectors/{source}/status (stopped)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/status` }));
  await step('GET /connectors/{source} (stopped)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}` }));
  await step('GET /connectors/{source}/tasks (stopped)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/tasks` }));
  // The stopped tasks' statuses go too (in distributed mode the leader deletes them after the rebalance).
  await bothUntil((c) => `/connectors/${src(c)}/tasks/0/status`, 'the stopped task status gone', () => true, 30_000, 404);
  await step('GET /connectors/{source}/tasks/0/status (stopped)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/tasks/0/status` }));
  await step('GET /connectors?expand=status (stopped)', 'exact', () => ({ method: 'GET', path: '/connectors?expand=status' }));
  // A restart leaves a stopped connector stopped.
  await step('POST /connectors/{source}/restart (stopped)', 'exact', (c) => ({ method: 'POST', path: `/connectors/${src(c)}/restart` }));
  await bothSettled((c) => `/connectors/${src(c)}/status`, 'source STOPPED after restart', stoppedWithoutTasks);
  await step('POST /connectors/{source}/restart?includeTasks=true (stopped)', 'exact', (c) => ({
    method: 'POST',
    path: `/connectors/${src(c)}/restart?includeTasks=true`,
  }));
  await bothSettled((c) => `/connectors/${src(c)}/status`, 'source STOPPED after restart with tasks', stoppedWithoutTasks);
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
  await bothUntil((c) => `/connectors/${sink(c)}/topics`, 'sink topic active', (b) => Object.values(b).some((v: any) => v.topics.length > 0));
  await step('GET /connectors/{sink}/topics', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/topics` }));
  await step('PUT /connectors/{sink}/topics/reset', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${sink(c)}/topics/reset` }));
  await bothUntil((c) => `/connectors/${sink(c)}/topics`, 'sink topics reset', (b) => Object.values(b).every((v: any) => v.topics.length === 0));
  await step('GET /connectors/{sink}/topics (reset)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${sink(c)}/topics` }));
  await step('PUT /connectors/{sink}/config (update)', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${sink(c)}/config`, body: sinkConfigOf(c) }));
  await step('PUT /connectors/{sink}/stop', 'exact', (c) => ({ method: 'PUT', path: `/connectors/${sink(c)}/stop` }));
  await bothUntil((c) => `/connectors/${sink(c)}/status`, 'sink STOPPED', stoppedWithoutTasks);
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
    await bothUntil((c) => `/connectors/${name(c)}/status`, `${state} from creation`, (s) => s.connector.state === state && s.tasks.every((t: any) => t.state === state));
    await step(`GET status after initial_state ${state}`, 'exact', (c) => ({ method: 'GET', path: `/connectors/${name(c)}/status` }));
    await step(`GET /connectors/{name} after initial_state ${state}`, 'exact', (c) => ({ method: 'GET', path: `/connectors/${name(c)}` }));
    await step(`GET offsets after initial_state ${state}`, 'exact', (c) => ({ method: 'GET', path: `/connectors/${name(c)}/offsets` }));
    await step(`DELETE offsets after initial_state ${state}`, 'exact', (c) => ({ method: 'DELETE', path: `/connectors/${name(c)}/offsets` }));
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
  // Cluster scope reaches every worker (in distributed mode through the config topic), this one too.
  await bothUntil(() => '/admin/loggers/org.example.parity', 'the cluster-scope level applied', (b) => b.level === 'INFO');
  await step('GET /admin/loggers/{namespace} (cluster scope)', 'exact', () => ({ method: 'GET', path: '/admin/loggers/org.example.parity' }));
  await step('PUT /admin/loggers without a level', 'exact', () => ({ method: 'PUT', path: '/admin/loggers/root', body: {} }));
  await step('PUT /admin/loggers with an unknown level', 'exact', () => ({ method: 'PUT', path: '/admin/loggers/root', body: { level: 'LOUD' } }));
  await step('PUT /admin/loggers?scope=cluster with an unknown level', 'exact', () => ({ method: 'PUT', path: '/admin/loggers/root?scope=cluster', body: { level: 'LOUD' } }));

  // --- errors ---
  await step('GET /connectors/{unknown}', 'exact', () => ({ method: 'GET', path: '/connectors/nope' }));
  await step('GET /connectors/{unknown}/config', 'exact', () => ({ method: 'GET', path: '/connectors/nope/config' }));
  await step('GET /connectors/{unknown}/status', 'exact', () => ({ method: 'GET', path: '/connectors/nope/status' }));
  await step('GET /connectors/{unknown}/tasks', 'exact', () => ({ method: 'GET', path: '/connectors/nope/tasks' }));
  await step('GET /connectors/{unknown}/tasks/0/status', 'exact', () => ({ method: 'GET', path: '/connectors/nope/tasks/0/status' }));
  await step('GET /connectors/{unknown}/offsets', 'exact', () => ({ method: 'GET', path: '/connectors/nope/offsets' }));
  await step('GET /connectors/{unknown}/topics', 'exact', () => ({ method: 'GET', path: '/connectors/nope/topics' }));
  await step('PATCH /connectors/{unknown}/config', 'exact', () => ({ method: 'PATCH', path: '/connectors/nope/config', body: { a: 'b' } }));
  await step('PUT pause of an unknown connector', 'exact', () => ({ method: 'PUT', path: '/connectors/nope/pause' }));
  await step('PUT resume of an unknown connector', 'exact', () => ({ method: 'PUT', path: '/connectors/nope/resume' }));
  await step('PUT stop of an unknown connector', 'exact', () => ({ method: 'PUT', path: '/connectors/nope/stop' }));
  await step('POST restart of an unknown connector', 'exact', () => ({ method: 'POST', path: '/connectors/nope/restart' }));
  await step('POST restart?includeTasks=true of an unknown connector', 'exact', () => ({ method: 'POST', path: '/connectors/nope/restart?includeTasks=true' }));
  await step('POST /connectors/{unknown}/tasks/0/restart', 'exact', () => ({ method: 'POST', path: '/connectors/nope/tasks/0/restart' }));
  await step('PATCH /connectors/{unknown}/offsets', 'exact', () => ({ method: 'PATCH', path: '/connectors/nope/offsets', body: { offsets: [] } }));
  await step('DELETE /connectors/{unknown}/offsets', 'exact', () => ({ method: 'DELETE', path: '/connectors/nope/offsets' }));
  await step('DELETE /connectors/{unknown}', 'exact', () => ({ method: 'DELETE', path: '/connectors/nope' }));
  await step('GET an unknown path', 'exact', () => ({ method: 'GET', path: '/nope' }));
  await step('DELETE /connectors (method not allowed)', 'exact', () => ({ method: 'DELETE', path: '/connectors' }));

  // Kafka Connect's standalone herder answers 404 here but then goes on to start a task 7 that
  // fails and stays in the status: asked last, just before the connector is deleted. sluice does
  // not copy that.
  await step('POST /connectors/{source}/tasks/7/restart', 'exact', (c) => ({ method: 'POST', path: `/connectors/${src(c)}/tasks/7/restart` }));

  // --- delete ---
  for (const [label, name] of [['source', src], ['sink', sink]] as const) {
    await step(`DELETE /connectors/{${label}}`, 'exact', (c) => ({ method: 'DELETE', path: `/connectors/${name(c)}` }));
  }
  await bothUntil(() => '/connectors', 'the connectors gone', (b) => Array.isArray(b) && b.length === 0);
  await step('GET /connectors (after delete)', 'exact', () => ({ method: 'GET', path: '/connectors' }));
  // The statuses go with the connector (in distributed mode once the status topic is read back).
  await bothUntil((c) => `/connectors/${src(c)}/status`, 'the source status gone', () => true, 30_000, 404);
  await step('GET /connectors/{source}/status (after delete)', 'exact', (c) => ({ method: 'GET', path: `/connectors/${src(c)}/status` }));
}

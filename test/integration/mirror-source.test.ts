/**
 * MirrorSourceConnector end to end through the CLI and a real broker (source and target are the
 * same cluster here, as in the mirror-1KB benchmark): every record of every partition arrives in
 * `<alias>.<topic>` on the same partition, in order, with its key, value, headers and timestamp;
 * the remote topic is created with as many partitions; a clean stop stores MirrorMaker's source
 * offsets and a restart replicates only what came after them. Once with pass-through converters
 * (whole frames move) and once with a transform that drops the tombstones (record by record).
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MessageHeader } from 'node-rdkafka';
import { describe, expect, it } from 'vitest';
import { messageCount } from '../helpers/kafka-inspect.js';
import { bootstrap, consumeAll, createTopic, produce, uniqueTopic, type ConsumedMessage, type TestMessage } from '../helpers/kafka.js';
import { cleanedUpRuns, freePort, startStandalone, waitFor, writeProperties } from '../helpers/sluice-process.js';

const BYTE_ARRAY = 'org.apache.kafka.connect.converters.ByteArrayConverter';
const { running, dirs } = cleanedUpRuns();

/** Records spread over 3 partitions, some with headers, some with null keys, one tombstone per partition. */
function records(from: number, count: number): TestMessage[] {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    return {
      partition: i % 3,
      key: i % 7 === 0 ? null : `key-${i}`,
      value: i % 500 === 499 ? null : Buffer.from(`value-${i}-${'x'.repeat(i % 50)}`),
      headers: i % 5 === 0 ? ([{ origin: Buffer.from(`h-${i}`) }, { empty: Buffer.alloc(0) }] as MessageHeader[]) : undefined,
    };
  });
}

/** What a user compares between source and target: per partition, the records in order. */
function byPartition(messages: ConsumedMessage[]): Map<number, unknown[]> {
  const out = new Map<number, unknown[]>();
  for (const m of [...messages].sort((a, b) => a.partition - b.partition || a.offset - b.offset)) {
    const list = out.get(m.partition) ?? [];
    list.push({
      key: m.key?.toString('utf8') ?? null,
      value: m.value?.toString('utf8') ?? null,
      timestamp: m.timestamp,
      headers: (m.headers ?? []).map((h) => Object.entries(h).map(([k, v]) => [k, Buffer.from(v as Buffer).toString('utf8')])),
    });
    out.set(m.partition, list);
  }
  return out;
}

async function runMirror(extra: Record<string, string>): Promise<void> {
  const dropsTombstones = extra['transforms'] !== undefined;
  const total = (n: number): number => (dropsTombstones ? n - Math.floor(n / 500) : n);
  const dir = mkdtempSync(join(tmpdir(), 'sluice-mirror-'));
  dirs.push(dir);
  const topic = uniqueTopic('mirror-src');
  const alias = `a${Date.now() % 100000}`;
  const remote = `${alias}.${topic}`;
  await createTopic(topic, 3);
  await produce(topic, records(0, 3000));
  const restPort = await freePort();
  const worker = writeProperties(join(dir, 'worker.properties'), {
    'bootstrap.servers': bootstrap(),
    'key.converter': BYTE_ARRAY,
    'value.converter': BYTE_ARRAY,
    'header.converter': BYTE_ARRAY,
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    'offset.flush.interval.ms': 500,
    listeners: `http://127.0.0.1:${restPort}`,
  });
  const connector = writeProperties(join(dir, 'mirror.properties'), {
    name: 'mirror',
    'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
    'tasks.max': 2,
    'source.cluster.alias': alias,
    'target.cluster.alias': 'here',
    'source.cluster.bootstrap.servers': bootstrap(),
    'target.cluster.bootstrap.servers': bootstrap(),
    topics: topic,
    'replication.factor': 1,
    'emit.offset-syncs.enabled': 'false',
    'sync.topic.configs.enabled': 'false',
    'sync.topic.acls.enabled': 'false',
    ...extra,
  });
  let run = startStandalone(dir, worker, [connector], restPort);
  running.push(run);
  const log = (): string => (existsSync(run.logFile) ? readFileSync(run.logFile, 'utf8') : '(no log)');
  try {
    // The connector creates the remote topic before its tasks start (a metadata request for a
    // missing topic would auto-create it with the broker's defaults).
    await waitFor('the mirror tasks to run', async () => {
      const r = await fetch(`${run.restUrl}/connectors/mirror/status`).catch(() => null);
      const body = r?.ok ? ((await r.json()) as { tasks: { state: string }[] }) : null;
      return body !== null && body.tasks.length === 2 && body.tasks.every((t) => t.state === 'RUNNING');
    }, 60_000, 200);
    await waitFor(`${remote} to hold the replicated records`, async () => (await messageCount(remote).catch(() => 0)) >= total(3000), 60_000, 250);
    const first = await consumeAll(remote, total(3000), 60_000);
    const source = await consumeAll(topic, 3000, 30_000);
    expect(new Set(first.map((m) => m.partition))).toEqual(new Set([0, 1, 2]));
    const expected = byPartition(dropsTombstones ? source.filter((m) => m.value !== null) : source);
    expect(byPartition(first)).toEqual(expected);

    const status = (await (await fetch(`${run.restUrl}/connectors/mirror/status`)).json()) as { tasks: { state: string }[] };
    // 3 partitions over tasks.max=2.
    expect(status.tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);

    run.proc.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
    const stored = JSON.parse(readFileSync(join(dir, 'connect.offsets'), 'utf8')) as {
      offsets: { key: [string, { cluster: string; topic: string; partition: number }]; value: { offset: number } }[];
    };
    const lastOffsets = new Map<number, number>();
    for (const m of source) lastOffsets.set(m.partition, Math.max(lastOffsets.get(m.partition) ?? -1, m.offset));
    expect(stored.offsets.map((o) => [o.key[0], o.key[1].cluster, o.key[1].topic, o.key[1].partition, o.value.offset]).sort())
      .toEqual([0, 1, 2].map((p) => ['mirror', alias, topic, p, lastOffsets.get(p)]).sort());

    // A restart replicates only what came after the stored offsets.
    await produce(topic, records(3000, 600));
    run = startStandalone(dir, worker, [connector], restPort, 'sluice-2.log');
    running.push(run);
    const all = await consumeAll(remote, total(3600), 60_000);
    expect(all).toHaveLength(total(3600));
    // Nothing more arrives: no record was replicated twice.
    await new Promise((r) => setTimeout(r, 1500));
    expect(await messageCount(remote)).toBe(total(3600));
    const values = all.map((m) => m.value?.toString('utf8'));
    expect(new Set(values.filter((v) => v !== undefined)).size).toBe(values.filter((v) => v !== undefined).length);
  } catch (err) {
    throw new Error(`${(err as Error).message}\n--- sluice log ---\n${log().slice(-5000)}`, { cause: err });
  }
}

describe('MirrorSourceConnector', () => {
  it('replicates every partition byte for byte, frame by frame, and resumes from its stored offsets', async () => {
    await runMirror({});
  });

  it('does the same record by record through a transform (dropped records still move the offsets on)', async () => {
    await runMirror({
      transforms: 'dropTombstones',
      'transforms.dropTombstones.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.dropTombstones.predicate': 'isTombstone',
      predicates: 'isTombstone',
      'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    });
  });

  it('picks up a new matching topic at the next refresh and replicates it too', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-mirror-refresh-'));
    dirs.push(dir);
    const prefix = uniqueTopic('mirror-refresh');
    const alias = `r${Date.now() % 100000}`;
    await createTopic(`${prefix}-a`, 1);
    await produce(`${prefix}-a`, [{ value: 'first topic' }]);
    const restPort = await freePort();
    const worker = writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': bootstrap(),
      'key.converter': BYTE_ARRAY,
      'value.converter': BYTE_ARRAY,
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      listeners: `http://127.0.0.1:${restPort}`,
    });
    const connector = writeProperties(join(dir, 'mirror.properties'), {
      name: 'mirror-refresh',
      'connector.class': 'MirrorSourceConnector',
      'tasks.max': 4,
      'source.cluster.alias': alias,
      'source.cluster.bootstrap.servers': bootstrap(),
      'target.cluster.bootstrap.servers': bootstrap(),
      topics: `${prefix}-.*`,
      'replication.factor': 1,
      'refresh.topics.interval.seconds': 1,
      'emit.offset-syncs.enabled': 'false',
      'sync.topic.configs.enabled': 'false',
      'sync.topic.acls.enabled': 'false',
    });
    const run = startStandalone(dir, worker, [connector], restPort);
    running.push(run);
    const log = (): string => (existsSync(run.logFile) ? readFileSync(run.logFile, 'utf8') : '(no log)');
    const tasks = async (): Promise<number> => {
      const r = await fetch(`${run.restUrl}/connectors/mirror-refresh/status`).catch(() => null);
      const body = r?.ok ? ((await r.json()) as { tasks: { state: string }[] }) : null;
      return body?.tasks.filter((t) => t.state === 'RUNNING').length ?? 0;
    };
    try {
      // One partition: one task, however high tasks.max is.
      await waitFor('one mirror task', async () => (await tasks()) === 1, 60_000, 200);
      await waitFor(`${alias}.${prefix}-a`, async () => (await messageCount(`${alias}.${prefix}-a`).catch(() => 0)) === 1, 30_000, 250);
      await createTopic(`${prefix}-b`, 2);
      await produce(`${prefix}-b`, [{ value: 'b0', partition: 0 }, { value: 'b1', partition: 1 }]);
      // Three partitions now: the tasks are reconfigured to three.
      await waitFor('three mirror tasks', async () => (await tasks()) === 3, 60_000, 250);
      await waitFor(`${alias}.${prefix}-b`, async () => (await messageCount(`${alias}.${prefix}-b`).catch(() => 0)) === 2, 30_000, 250);
      const replicated = await consumeAll(`${alias}.${prefix}-b`, 2);
      expect(replicated.map((m) => [m.partition, m.value!.toString()]).sort()).toEqual([[0, 'b0'], [1, 'b1']]);
      expect(await messageCount(`${alias}.${prefix}-a`)).toBe(1);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- sluice log ---\n${log().slice(-5000)}`, { cause: err });
    }
  });
});

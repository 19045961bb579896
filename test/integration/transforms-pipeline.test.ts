/**
 * Transformation chains on the task threads, through the real CLI and a real broker: what a user
 * with `transforms=...` in a connector config checks. Source side: records are reshaped and
 * rerouted before they are produced, and records a Filter drops still move the source offset on.
 * Sink side: a Filter with a predicate drops tombstones, the others reach the file, and the
 * consumer group's committed offsets cover the dropped records too; smt-chain-5's field
 * transforms on schemaless JSON (the compiled chain, in place) print what Kafka Connect prints;
 * and a batch-aware sink gets the chain run on the frame, with offsets committed under the topic
 * the records were read from, not the one a router gave them.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bootstrap, committedOffsets, consumeAll, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';
import { cleanedUpRuns, freePort, startStandalone, waitFor, writeProperties, type SluiceRun } from '../helpers/sluice-process.js';

const { running, dirs } = cleanedUpRuns('SIGTERM');

async function workerIn(dir: string, valueConverter: Record<string, string>): Promise<{ worker: string; restPort: number }> {
  const restPort = await freePort();
  const worker = writeProperties(join(dir, 'worker.properties'), {
    'bootstrap.servers': bootstrap(),
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    ...valueConverter,
    'offset.storage.file.filename': join(dir, 'connect.offsets'),
    'offset.flush.interval.ms': 500,
    listeners: `http://127.0.0.1:${restPort}`,
  });
  return { worker, restPort };
}

function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'sluice-smt-'));
  dirs.push(dir);
  return dir;
}

async function stop(run: SluiceRun): Promise<void> {
  run.proc.kill('SIGTERM');
  const { code } = await run.exited;
  expect(code).toBe(0);
}

describe('transformation chains in running connectors', () => {
  it('a source chain reshapes and reroutes every line before it is produced', async () => {
    const dir = tempDir();
    const input = join(dir, 'input.txt');
    const lines = Array.from({ length: 500 }, (_, i) => `line ${i}`);
    writeFileSync(input, lines.join('\n') + '\n');
    const topic = uniqueTopic('smt-src');
    const routed = `${topic}-routed`;
    await createTopic(routed);
    const { worker, restPort } = await workerIn(dir, {
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    const source = writeProperties(join(dir, 'source.properties'), {
      name: 'smt-source', 'connector.class': 'FileStreamSource', 'tasks.max': 1, file: input, topic,
      transforms: 'hoist,origin,route',
      'transforms.hoist.type': 'org.apache.kafka.connect.transforms.HoistField$Value',
      'transforms.hoist.field': 'line',
      'transforms.origin.type': 'org.apache.kafka.connect.transforms.InsertField$Value',
      'transforms.origin.static.field': 'origin',
      'transforms.origin.static.value': 'file',
      'transforms.route.type': 'org.apache.kafka.connect.transforms.RegexRouter',
      'transforms.route.regex': '(.*)',
      'transforms.route.replacement': '$1-routed',
    });
    const run = startStandalone(dir, worker, [source], restPort);
    running.push(run);
    const records = await consumeAll(routed, lines.length, 60_000);
    expect(records.map((r) => JSON.parse(r.value!.toString()))).toEqual(lines.map((line) => ({ line, origin: 'file' })));
    await stop(run);
  });

  it('records a source Filter drops still move the committed source offset on', async () => {
    const dir = tempDir();
    const input = join(dir, 'input.txt');
    writeFileSync(input, Array.from({ length: 300 }, (_, i) => `dropped ${i}`).join('\n') + '\n');
    const topic = uniqueTopic('smt-drop');
    await createTopic(topic);
    const { worker, restPort } = await workerIn(dir, { 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' });
    const source = writeProperties(join(dir, 'source.properties'), {
      name: 'smt-drop-source', 'connector.class': 'FileStreamSource', 'tasks.max': 1, file: input, topic,
      transforms: 'drop', 'transforms.drop.type': 'org.apache.kafka.connect.transforms.Filter',
    });
    const run = startStandalone(dir, worker, [source], restPort);
    running.push(run);
    const size = readFileSync(input).length;
    // FileStreamSource's offset is the byte position after the last line handed to Kafka Connect.
    await waitFor('the source offset to reach the end of the file', () => {
      try {
        return readFileSync(join(dir, 'connect.offsets'), 'utf8').includes(`"position":${size}`);
      } catch {
        return false;
      }
    }, 30_000);
    await stop(run);
    // Nothing was produced: a consumer of the topic finds it empty.
    await expect(consumeAll(topic, 1, 3000)).rejects.toThrow(/consumed 0 of 1/);
  });

  it('a sink Filter with a predicate drops tombstones; the rest reach the file and every offset is committed', async () => {
    const dir = tempDir();
    const topic = uniqueTopic('smt-sink');
    await createTopic(topic);
    const messages = Array.from({ length: 200 }, (_, i) => ({ key: `k${i}`, value: i % 4 === 0 ? null : `v${i}` }));
    await produce(topic, messages);
    const output = join(dir, 'out.txt');
    const { worker, restPort } = await workerIn(dir, { 'value.converter': 'org.apache.kafka.connect.storage.StringConverter' });
    const sink = writeProperties(join(dir, 'sink.properties'), {
      name: 'smt-sink', 'connector.class': 'FileStreamSink', 'tasks.max': 1, file: output, topics: topic,
      transforms: 'dropTombstones',
      'transforms.dropTombstones.type': 'org.apache.kafka.connect.transforms.Filter',
      'transforms.dropTombstones.predicate': 'isTombstone',
      predicates: 'isTombstone',
      'predicates.isTombstone.type': 'org.apache.kafka.connect.transforms.predicates.RecordIsTombstone',
    });
    const run = startStandalone(dir, worker, [sink], restPort);
    running.push(run);
    await waitFor('all 200 offsets committed', async () => (await committedOffsets('connect-smt-sink', topic))[0] === 200, 60_000);
    await stop(run);
    const written = readFileSync(output, 'utf8').split('\n').filter((l) => l !== '');
    expect(written).toEqual(messages.filter((m) => m.value !== null).map((m) => m.value));
  });

  it('a sink chain of field transforms on schemaless JSON: the survivors reach the file as Kafka Connect prints them', async () => {
    const dir = tempDir();
    const topic = uniqueTopic('smt-fields');
    await createTopic(topic, 2);
    // Every 5th record carries a `drop` header (the Filter's predicate); one header is not the filter's.
    const messages = Array.from({ length: 300 }, (_, i) => ({
      key: `k${i}`,
      value: JSON.stringify({ id: i, ts: 1_700_000_000_000 + i * 1000, user: `user-${i}`, page: `/p/${i}`, score: i / 2 }),
      partition: i % 2,
      headers: i % 5 === 0 ? [{ drop: Buffer.from('1') }] : [{ trace: Buffer.from(`t${i}`) }],
    }));
    await produce(topic, messages);
    const output = join(dir, 'out.txt');
    const { worker, restPort } = await workerIn(dir, {
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
    });
    const T = 'org.apache.kafka.connect.transforms';
    const sink = writeProperties(join(dir, 'sink.properties'), {
      name: 'smt-fields', 'connector.class': 'FileStreamSink', 'tasks.max': 1, file: output, topics: topic,
      transforms: 'insert,replace,mask,timestamp,drop',
      'transforms.insert.type': `${T}.InsertField$Value`, 'transforms.insert.static.field': 'pipeline', 'transforms.insert.static.value': 'bench',
      'transforms.replace.type': `${T}.ReplaceField$Value`, 'transforms.replace.exclude': 'page',
      'transforms.mask.type': `${T}.MaskField$Value`, 'transforms.mask.fields': 'user',
      'transforms.timestamp.type': `${T}.TimestampConverter$Value`, 'transforms.timestamp.field': 'ts',
      'transforms.timestamp.target.type': 'string', 'transforms.timestamp.format': "yyyy-MM-dd'T'HH:mm:ss.SSS",
      'transforms.drop.type': `${T}.Filter`, 'transforms.drop.predicate': 'hasDrop',
      predicates: 'hasDrop', 'predicates.hasDrop.type': `${T}.predicates.HasHeaderKey`, 'predicates.hasDrop.name': 'drop',
    });
    const run = startStandalone(dir, worker, [sink], restPort);
    running.push(run);
    await waitFor('all 300 offsets committed', async () => {
      const offsets = await committedOffsets('connect-smt-fields', topic);
      return (offsets[0] ?? 0) + (offsets[1] ?? 0) === 300;
    }, 60_000);
    await stop(run);
    const expected = (p: number): string[] => messages.flatMap((m, i) => {
      if (m.partition !== p || i % 5 === 0) return [];
      const ts = new Date(1_700_000_000_000 + i * 1000).toISOString().slice(0, -1);
      return [`{id=${i}, ts=${ts}, user=, score=${String(i / 2)}, pipeline=bench}`];
    });
    const written = readFileSync(output, 'utf8').split('\n').filter((l) => l !== '');
    // Partitions interleave in the file; each keeps its order.
    expect(written).toHaveLength(240);
    for (const p of [0, 1]) expect(written.filter((l) => expected(p).includes(l))).toEqual(expected(p));
  });

  it('a batch-aware sink runs a dropping and routing chain on the frame; offsets are committed under the topic read', async () => {
    const dir = tempDir();
    const topic = uniqueTopic('smt-frame');
    await createTopic(topic, 2);
    const messages = Array.from({ length: 400 }, (_, i) => ({
      key: `k${i}`, value: i % 4 === 0 ? null : `v${i}`, partition: i % 2,
      headers: i % 10 === 1 ? [{ skip: Buffer.from('y') }] : undefined,
    }));
    await produce(topic, messages);
    const { worker, restPort } = await workerIn(dir, { 'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter' });
    const T = 'org.apache.kafka.connect.transforms';
    const sink = writeProperties(join(dir, 'sink.properties'), {
      name: 'smt-frame', 'connector.class': 'Null', 'tasks.max': 1, topics: topic, 'log.every.records': 1_000_000,
      transforms: 'route,tombstones,skip',
      'transforms.route.type': `${T}.RegexRouter`, 'transforms.route.regex': '(.*)', 'transforms.route.replacement': '$1-routed',
      'transforms.tombstones.type': `${T}.Filter`, 'transforms.tombstones.predicate': 'isTombstone',
      'transforms.skip.type': `${T}.Filter`, 'transforms.skip.predicate': 'hasSkip',
      predicates: 'isTombstone,hasSkip',
      'predicates.isTombstone.type': `${T}.predicates.RecordIsTombstone`,
      'predicates.hasSkip.type': `${T}.predicates.HasHeaderKey`, 'predicates.hasSkip.name': 'skip',
    });
    const run = startStandalone(dir, worker, [sink], restPort);
    running.push(run);
    await waitFor('all 400 offsets committed under the topic read', async () => {
      const offsets = await committedOffsets('connect-smt-frame', topic);
      return (offsets[0] ?? 0) + (offsets[1] ?? 0) === 400;
    }, 60_000);
    await stop(run);
    // The null sink counted the survivors only: 400 less 100 tombstones less 40 with the header.
    expect(readFileSync(run.logFile, 'utf8')).toMatch(/NullSinkTask smt-frame-0 stopped: 260 records/);
  });
});

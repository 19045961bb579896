// The native consumer against a real broker: 1,000,000 records through the ring, byte for byte,
// offsets stored only for what the test "published", resumption in the same group, rebalances
// (cooperative hand-over without loss or duplicates), worker threads, and errors.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import Kafka from 'node-rdkafka';
import type { MessageHeader } from 'node-rdkafka';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { RecordBatch } from '../../src/data/batch.js';
import type { RingBuffer } from '../../src/engine/ring/ring-buffer.js';
import {
  ASSIGN_FROM_COMMITTED,
  createNativeRing,
  decodeEvent,
  FrameKind,
  NativeConsumer,
  type ConsumerEvent,
  type NativeTopicPartitionOffset,
} from '../../src/kafka/native.js';
import { bootstrap, committedOffsets, createTopic, uniqueTopic } from '../helpers/kafka.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TOTAL = 1_000_000;
const PARTITIONS = 3;
// Recent timestamps: with a fixed old one the broker's 7-day time retention deletes segments
// while a test still reads them (seen: every client stalled at the deleted range). Two hours back
// keeps BASE_TS + 1e6 ms clear of Kafka 4's one-hour limit on future timestamps.
const BASE_TS = Math.floor(Date.now() / 1000) * 1000 - 2 * 3600_000;
const VALUE_BYTES = 100;

// ─── the records: everything is a function of the record number i ─────────────────────────────
// i goes to partition i % 3 at offset floor(i / 3), so a consumed (partition, offset) names i.

// Empty (not null) keys and values are covered by native-producer.test.ts: node-rdkafka, which
// writes this topic, sends an empty Buffer as null.
const nullKey = (i: number) => i % 1000 === 7;
const nullValue = (i: number) => i % 1000 === 13;
const hasHeaders = (i: number) => i % 10 === 3;

function keyOf(i: number): Buffer | null {
  return nullKey(i) ? null : Buffer.from(`k${i}`);
}

const valueScratch = Buffer.alloc(VALUE_BYTES);
/** The 100-byte value of record i (a shared scratch buffer: copy it to keep it). */
function valueOf(i: number): Buffer | null {
  if (nullValue(i)) return null;
  const head = `v${i}:`;
  valueScratch.write(head, 0, 'latin1');
  for (let j = head.length; j < VALUE_BYTES; j++) valueScratch[j] = 97 + ((i + j) % 26);
  return valueScratch;
}

/** Produces records [0, total) with node-rdkafka (independent of the code under test). */
async function produceRecords(topic: string, total: number): Promise<void> {
  const producer = new Kafka.Producer({
    'metadata.broker.list': bootstrap(),
    'linger.ms': 50,
    'batch.num.messages': 10000,
    'queue.buffering.max.messages': 2_000_000,
    'queue.buffering.max.kbytes': 1_048_576,
    dr_cb: false,
  });
  await new Promise<void>((ok, fail) => producer.connect({ timeout: 30_000 }, (err) => (err ? fail(err) : ok())));
  try {
    for (let i = 0; i < total; i++) {
      const v = valueOf(i);
      const headers: MessageHeader[] | undefined = hasHeaders(i) ? [{ 'h-int': `x${i}` }, { 'h-empty': Buffer.alloc(0) }] : undefined;
      for (;;) {
        try {
          producer.produce(topic, i % PARTITIONS, v === null ? null : Buffer.from(v), keyOf(i), BASE_TS + i, undefined, headers);
          break;
        } catch (err) {
          if ((err as { code?: number }).code !== Kafka.CODES.ERRORS.ERR__QUEUE_FULL) throw err;
          producer.poll();
          await new Promise((r) => setTimeout(r, 5));
        }
      }
    }
    await new Promise<void>((ok, fail) => producer.flush(120_000, (err) => (err ? fail(err) : ok())));
  } finally {
    await new Promise<void>((ok) => producer.disconnect(() => ok()));
  }
}

/** Records in partition p of [0, total). */
const partitionSize = (total: number, p: number) => Math.floor((total - p + PARTITIONS - 1) / PARTITIONS);

// ─── checking frames ───────────────────────────────────────────────────────────────────────────

function sameBytes(frame: Uint8Array, start: number, len: number, expected: Buffer | null): boolean {
  if (expected === null) return len === -1;
  if (len !== expected.length) return false;
  for (let k = 0; k < len; k++) if (frame[start + k] !== expected[k]) return false;
  return true;
}

/** Checks record r of the batch against record i; returns a description of the first difference. */
function checkRecord(b: RecordBatch, r: number, i: number, topic: string): string | null {
  if (b.topic(r) !== topic) return `topic ${b.topic(r)}`;
  if (b.timestamp(r) !== BASE_TS + i || b.timestampType(r) !== 1) return `timestamp ${b.timestamp(r)}/${b.timestampType(r)}`;
  if (!sameBytes(b.bytes, b.keyStart(r), b.keyLength(r), keyOf(i))) return 'key';
  if (!sameBytes(b.bytes, b.valueStart(r), b.valueLength(r), valueOf(i))) return 'value';
  if (!hasHeaders(i)) return b.headerCount(r) === 0 ? null : `unexpected ${b.headerCount(r)} headers`;
  const h = b.headers(r);
  const seen: string[] = [];
  while (h.next()) seen.push(`${h.key()}=${h.valueLength < 0 ? 'null' : Buffer.from(h.valueView()!).toString()}`);
  const want = [`h-int=x${i}`, 'h-empty='];
  return seen.join(',') === want.join(',') ? null : `headers ${seen.join(',')}`;
}

interface ReadState {
  /** Next offset expected per partition (the first one read must equal it). */
  next: number[];
  read: number;
  problems: string[];
  events: ConsumerEvent[];
}

/**
 * Reads frames until `until(state)` holds: checks order and content of every record, hands each
 * frame's offsets to `afterFrame`, answers revocations after `onRevoke`.
 */
async function readFrames(
  consumer: NativeConsumer,
  topic: string,
  state: ReadState,
  until: (s: ReadState) => boolean,
  afterFrame: (flushed: NativeTopicPartitionOffset[]) => void,
  timeoutMs = 60_000,
): Promise<void> {
  const ring: RingBuffer = consumer.ring;
  const batch = new RecordBatch();
  const deadline = Date.now() + timeoutMs;
  while (!until(state)) {
    const frame = ring.tryRead() ?? (await ring.readAsync(Math.max(1, deadline - Date.now())));
    if (frame === null) throw new Error(`no frame (closed: ${ring.isClosed}) after ${state.read} records`);
    if (ring.frameKind === FrameKind.EVENT) {
      const ev = decodeEvent(frame);
      ring.release();
      state.events.push(ev);
      if (ev.type === 'revoke') consumer.rebalanceDone(ev.seq); // offsets are stored per frame already
      continue;
    }
    expect(ring.frameKind).toBe(FrameKind.BATCH);
    batch.reset(frame);
    if (state.read % 100_000 < batch.count) batch.validate(); // every section and record in bounds
    const touched = new Map<number, number>();
    for (let r = 0; r < batch.count; r++) {
      const p = batch.partition(r);
      const o = batch.offset(r);
      if (o !== state.next[p]) {
        if (state.problems.length < 10) state.problems.push(`partition ${p}: offset ${o}, expected ${state.next[p]}`);
      }
      state.next[p] = o + 1;
      touched.set(p, o + 1);
      const bad = checkRecord(batch, r, o * PARTITIONS + p, topic);
      if (bad !== null && state.problems.length < 10) state.problems.push(`partition ${p} offset ${o}: ${bad}`);
    }
    state.read += batch.count;
    ring.release();
    afterFrame([...touched].map(([partition, offset]) => ({ topic, partition, offset })));
  }
}

function consumerConfig(group: string, extra: Record<string, string | number | boolean> = {}) {
  return { 'bootstrap.servers': bootstrap(), 'group.id': group, 'auto.commit.interval.ms': 1000, ...extra };
}

// ─── worker-thread plumbing: the worker runs plain JS, transpiled from our TS sources ────────────

const WORKER_JS_ROOT = join(ROOT, 'native', 'build', 'test-js');

function transpileForWorkers(): void {
  // Inside the package, so native.ts finds native/build/Release by walking up from itself.
  for (const file of ['src/engine/ring/ring-buffer.ts', 'src/data/batch.ts', 'src/kafka/native.ts']) {
    const out = ts.transpileModule(readFileSync(join(ROOT, file), 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022 },
      fileName: file,
    }).outputText;
    const dest = join(WORKER_JS_ROOT, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(dest), { recursive: true });
    writeFileSync(dest, out);
  }
}

/** A task thread: reads `count` records with blocking reads, stores offsets per frame, commits. */
const WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
const { NativeConsumer, createNativeRing, FrameKind, decodeEvent, nativeAddon, NATIVE_WAKER } = await import(workerData.native);
const { RecordBatch } = await import(workerData.batch);
const { config, topic, count } = workerData;
const ring = createNativeRing(8 << 20);
const consumer = new NativeConsumer({ config, topics: [topic], ring });
const batch = new RecordBatch();
const next = [0, 0, 0];
let read = 0, frames = 0, waits = 0, outOfOrder = 0;
// Count the futex sleeps: the reader really blocks in the native waker.
const wait = NATIVE_WAKER.wait;
NATIVE_WAKER.wait = (...a) => { waits++; return wait(...a); };
while (read < count) {
  const frame = consumer.ring.read(30000);
  if (frame === null) throw new Error('no frame within 30 s');
  if (consumer.ring.frameKind === FrameKind.EVENT) {
    const ev = decodeEvent(frame);
    consumer.ring.release();
    if (ev.type === 'revoke') consumer.rebalanceDone(ev.seq);
    continue;
  }
  batch.reset(frame);
  const flushed = new Map();
  for (let r = 0; r < batch.count && read < count; r++, read++) {
    const p = batch.partition(r), o = batch.offset(r);
    if (o !== next[p]) outOfOrder++;
    next[p] = o + 1;
    flushed.set(p, o + 1);
  }
  frames++;
  consumer.ring.release();
  consumer.storeOffsets([...flushed].map(([partition, offset]) => ({ topic, partition, offset })));
}
consumer.commit();
await consumer.close();
parentPort.postMessage({ read, frames, waits, outOfOrder, next, closed: consumer.ring.isClosed, librdkafka: nativeAddon().librdkafkaVersion });
`;

/** A task thread that is terminated while it reads: it never calls close(). */
const ABANDONING_WORKER_SOURCE = `
import { parentPort, workerData } from 'node:worker_threads';
const { NativeConsumer, createNativeRing, FrameKind } = await import(workerData.native);
const consumer = new NativeConsumer({ config: workerData.config, topics: [workerData.topic], ring: createNativeRing(1 << 20) });
let records = 0;
for (;;) {
  const frame = consumer.ring.read(30000);
  if (frame === null) break;
  if (consumer.ring.frameKind === FrameKind.BATCH) records += new Int32Array(frame.buffer, frame.byteOffset, 4)[3];
  consumer.ring.release();
  if (records > 0) parentPort.postMessage(records);
}
`;

function startWorker(source: string, name: string, data: Record<string, unknown>): Worker {
  const script = join(WORKER_JS_ROOT, name);
  writeFileSync(script, source);
  return new Worker(script, {
    workerData: {
      ...data,
      native: pathToFileURL(join(WORKER_JS_ROOT, 'src/kafka/native.js')).href,
      batch: pathToFileURL(join(WORKER_JS_ROOT, 'src/data/batch.js')).href,
    },
  });
}

function runWorker(data: Record<string, unknown>): Promise<Record<string, unknown>> {
  const script = join(WORKER_JS_ROOT, 'consumer-worker.mjs');
  writeFileSync(script, WORKER_SOURCE);
  return new Promise((resolve, reject) => {
    const worker = new Worker(script, {
      workerData: {
        ...data,
        native: pathToFileURL(join(WORKER_JS_ROOT, 'src/kafka/native.js')).href,
        batch: pathToFileURL(join(WORKER_JS_ROOT, 'src/data/batch.js')).href,
      },
    });
    let result: Record<string, unknown> | undefined;
    worker.on('message', (m) => (result = m as Record<string, unknown>));
    worker.on('error', reject);
    worker.on('exit', (code) => (code === 0 && result ? resolve(result) : reject(new Error(`worker exited with ${code}`))));
  });
}

// ─── tests ─────────────────────────────────────────────────────────────────────────────────────

describe('NativeConsumer', () => {
  const topic = uniqueTopic('native-consumer');

  beforeAll(async () => {
    await createTopic(topic, PARTITIONS);
    await produceRecords(topic, TOTAL);
    transpileForWorkers();
  }, 300_000);

  afterAll(() => {
    // nothing to stop: every test closes its consumers
  });

  it('reads 1,000,000 records intact and in order, and a new member resumes right after the stored offsets', async () => {
    const group = uniqueTopic('native-group');
    const first = new NativeConsumer({ config: consumerConfig(group), topics: [topic], ring: createNativeRing(16 << 20) });
    const state: ReadState = { next: [0, 0, 0], read: 0, problems: [], events: [] };
    // The test "publishes" (stores) offsets only for the first 600,000 records it read.
    const published = [0, 0, 0];
    const started = performance.now();
    await readFrames(first, topic, state, (s) => s.read >= TOTAL, (flushed) => {
      if (state.read > 600_000) return;
      first.storeOffsets(flushed);
      for (const f of flushed) published[f.partition] = Number(f.offset);
    });
    const seconds = (performance.now() - started) / 1000;
    console.log(`native consumer: ${TOTAL} records in ${seconds.toFixed(2)} s (checking every byte), ${JSON.stringify(first.stats())}`);

    expect(state.problems).toEqual([]);
    expect(state.read).toBe(TOTAL);
    expect(state.next).toEqual([0, 1, 2].map((p) => partitionSize(TOTAL, p)));
    const assign = state.events.find((e) => e.type === 'assign');
    expect(assign).toMatchObject({ type: 'assign', seq: 1 });
    expect(assign!.partitions.map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    expect(first.assignment().length).toBe(PARTITIONS);

    await first.close();
    expect(first.ring.isClosed).toBe(true);
    expect(first.stats().running).toBe(false);
    // close() left the group committing exactly what was stored, nothing more.
    expect(await committedOffsets(group, topic)).toEqual({ 0: published[0], 1: published[1], 2: published[2] });
    expect(published.reduce((a, b) => a + b, 0)).toBeGreaterThan(550_000);
    expect(() => first.storeOffsets([{ topic, partition: 0, offset: 1 }])).toThrow(/closed/);

    // A new member of the group starts exactly there: nothing lost, nothing read twice beyond.
    const second = new NativeConsumer({ config: consumerConfig(group), topics: [topic], ring: createNativeRing(16 << 20) });
    const rest: ReadState = { next: [...published], read: 0, problems: [], events: [] };
    const remaining = TOTAL - published.reduce((a, b) => a + b, 0);
    await readFrames(second, topic, rest, (s) => s.read >= remaining, (flushed) => second.storeOffsets(flushed));
    expect(rest.problems).toEqual([]);
    expect(rest.read).toBe(remaining);
    expect(rest.next).toEqual([0, 1, 2].map((p) => partitionSize(TOTAL, p)));
    // Nothing more arrives.
    await new Promise((r) => setTimeout(r, 500));
    for (let f = second.ring.tryRead(); f !== null; f = second.ring.tryRead()) {
      expect(second.ring.frameKind).toBe(FrameKind.EVENT);
      second.ring.release();
    }
    // commitAsync() returns at once; its answer comes through commitResults(), and then the
    // offsets are the group's.
    expect(second.commitResults()).toEqual({ answers: 0, error: null });
    second.commitAsync();
    let answer = second.commitResults();
    for (const deadline = Date.now() + 10_000; answer.answers === 0 && Date.now() < deadline; answer = second.commitResults()) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(answer).toEqual({ answers: 1, error: null });
    expect(await committedOffsets(group, topic)).toEqual({ 0: rest.next[0], 1: rest.next[1], 2: rest.next[2] });
    // commit() is synchronous: the offsets are there when it returns.
    second.commit();
    expect(await committedOffsets(group, topic)).toEqual({ 0: rest.next[0], 1: rest.next[1], 2: rest.next[2] });
    await second.close();
  }, 240_000);

  it('runs in a worker thread: blocking reads through the native futex waker, storeOffsets and commit', async () => {
    const group = uniqueTopic('native-worker-group');
    const count = 200_000;
    const result = await runWorker({ config: consumerConfig(group), topic, count });
    expect(result).toMatchObject({ read: count, outOfOrder: 0, closed: true, librdkafka: '2.12.0' });
    expect(result.frames as number).toBeGreaterThan(count / 5000 - 1);
    expect(result.waits as number).toBeGreaterThan(0); // it slept at least once waiting for data
    const next = result.next as number[];
    expect(await committedOffsets(group, topic)).toEqual({ 0: next[0], 1: next[1], 2: next[2] });
  }, 120_000);

  it('cleans up when a worker is terminated mid-stream: the member leaves, a new one is assigned at once', async () => {
    const group = uniqueTopic('native-abandon-group');
    const config = consumerConfig(group, { 'session.timeout.ms': 45_000 });
    const worker = startWorker(ABANDONING_WORKER_SOURCE, 'abandoning-worker.mjs', { config, topic });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    const t0 = performance.now();
    await worker.terminate();
    const terminateMs = performance.now() - t0;
    expect(terminateMs).toBeLessThan(10_000);
    // Had the old member not left the group, this join would wait for its session to time out (45 s).
    const next = new NativeConsumer({ config, topics: [topic], ring: createNativeRing(1 << 20) });
    const state: ReadState = { next: [0, 0, 0], read: 0, problems: [], events: [] };
    const t1 = performance.now();
    await new Promise<void>((resolve, reject) => {
      const poll = async () => {
        while (!state.events.some((e) => e.type === 'assign')) {
          const f = next.ring.tryRead() ?? (await next.ring.readAsync(20_000));
          if (f === null) return reject(new Error('no assignment within 20 s'));
          if (next.ring.frameKind === FrameKind.EVENT) state.events.push(decodeEvent(f));
          next.ring.release();
        }
        resolve();
      };
      void poll();
    });
    expect(performance.now() - t1).toBeLessThan(15_000);
    const assign = state.events.find((e) => e.type === 'assign') as { partitions: unknown[] };
    expect(assign.partitions.length).toBe(PARTITIONS);
    await next.close();
  }, 120_000);

  it('hands partitions over cooperatively: the revoked side stores and acknowledges, nothing is lost or read twice', async () => {
    const coopTopic = uniqueTopic('native-coop');
    const total = 150_000;
    await createTopic(coopTopic, PARTITIONS);
    await produceRecords(coopTopic, total);
    const group = uniqueTopic('native-coop-group');
    const config = consumerConfig(group, { 'partition.assignment.strategy': 'cooperative-sticky', 'session.timeout.ms': 10_000 });
    // Small frames and a slow reader, so A is still busy when B joins.
    const a = new NativeConsumer({ config, topics: [coopTopic], ring: createNativeRing(1 << 20), maxRecordsPerFrame: 500 });
    const seen = new Uint8Array(total);
    const eventsA: ConsumerEvent[] = [];
    const eventsB: ConsumerEvent[] = [];
    let duplicates = 0;
    const readAll = async (c: NativeConsumer, stopAt: () => boolean, label: string, log: ConsumerEvent[]) => {
      const batch = new RecordBatch();
      while (!stopAt()) {
        const frame = c.ring.tryRead() ?? (await c.ring.readAsync(200));
        if (frame === null) continue;
        if (c.ring.frameKind === FrameKind.EVENT) {
          const ev = decodeEvent(frame);
          c.ring.release();
          log.push(ev);
          if (ev.type === 'revoke') c.rebalanceDone(ev.seq); // every record handed out so far is stored
          continue;
        }
        batch.reset(frame);
        const flushed = new Map<number, number>();
        for (let r = 0; r < batch.count; r++) {
          const i = batch.offset(r) * PARTITIONS + batch.partition(r);
          if (seen[i]++) duplicates++;
          flushed.set(batch.partition(r), batch.offset(r) + 1);
        }
        c.ring.release();
        c.storeOffsets([...flushed].map(([partition, offset]) => ({ topic: coopTopic, partition, offset })));
        // A reads slowly until B owns partitions, so the hand-over happens mid-stream.
        if (label === 'a' && !eventsB.some((e) => e.type === 'assign' && e.partitions.length > 0)) await new Promise((r) => setTimeout(r, 20));
      }
    };
    const count = () => seen.reduce((n, v) => n + (v > 0 ? 1 : 0), 0);
    let done = false;
    const runA = readAll(a, () => done, 'a', eventsA);
    // Let A own everything and read a while, then B joins and takes some partitions over.
    while (count() < 20_000) await new Promise((r) => setTimeout(r, 50));
    const b = new NativeConsumer({ config, topics: [coopTopic], ring: createNativeRing(8 << 20) });
    const runB = readAll(b, () => done, 'b', eventsB);
    const deadline = Date.now() + 90_000;
    while (count() < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    done = true;
    await Promise.all([runA, runB]);
    await Promise.all([a.close(), b.close()]);

    expect(count()).toBe(total);
    expect(duplicates).toBe(0);
    const revokedFromA = eventsA.filter((e) => e.type === 'revoke').flatMap((e) => (e as { partitions: unknown[] }).partitions);
    const assignedToB = eventsB.filter((e) => e.type === 'assign').flatMap((e) => (e as { partitions: { partition: number }[] }).partitions);
    expect(revokedFromA.length).toBeGreaterThan(0);
    expect(assignedToB.length).toBeGreaterThan(0);
    expect(eventsA.every((e) => e.type !== 'assign' || e.incremental)).toBe(true);
  }, 180_000);

  it('subscribes with a regex', async () => {
    const prefix = uniqueTopic('native-regex');
    const t = `${prefix}-a`;
    await createTopic(t, PARTITIONS);
    await produceRecords(t, 3);
    const c = new NativeConsumer({ config: consumerConfig(uniqueTopic('native-regex-group'), { 'topic.metadata.refresh.interval.ms': 1000 }), topics: new RegExp(`^${prefix}-.*`), ring: createNativeRing(1 << 20) });
    const state: ReadState = { next: [0, 0, 0], read: 0, problems: [], events: [] };
    await readFrames(c, t, state, (s) => s.read >= 3, () => {}, 30_000);
    expect(state.next).toEqual([1, 1, 1]);
    expect(state.problems).toEqual([]);
    await c.close();
  }, 60_000);

  it('reads a static assignment from the given offsets, with no group membership and no rebalance events', async () => {
    const t = uniqueTopic('native-assign');
    await createTopic(t, PARTITIONS);
    await produceRecords(t, 30); // 10 per partition: offsets 0..9
    const c = new NativeConsumer({
      config: consumerConfig(uniqueTopic('native-assign-group'), { 'enable.auto.commit': false }),
      topics: [],
      // Partition 0 from offset 4, partition 1 from its start, partition 2 from "committed" (none: auto.offset.reset=earliest).
      assignment: [{ topic: t, partition: 0, offset: 4 }, { topic: t, partition: 1, offset: -2 }, { topic: t, partition: 2, offset: ASSIGN_FROM_COMMITTED }],
      ring: createNativeRing(1 << 20),
    });
    const state: ReadState = { next: [4, 0, 0], read: 0, problems: [], events: [] };
    await readFrames(c, t, state, (s) => s.read >= 26, () => {}, 30_000);
    expect(state.next).toEqual([10, 10, 10]);
    expect(state.problems).toEqual([]);
    expect(state.events.filter((e) => e.type === 'assign' || e.type === 'revoke')).toEqual([]);
    expect(c.assignment().map((p) => p.partition).sort()).toEqual([0, 1, 2]);
    await c.close();
  }, 60_000);

  it('names the offending key of a bad configuration', () => {
    expect(() => new NativeConsumer({ config: { 'bootstrap.servers': bootstrap(), 'group.id': 'g', 'no.such.property': 'x' }, topics: [topic], ring: createNativeRing(1 << 16) })).toThrow(
      expect.objectContaining({ key: 'no.such.property', message: expect.stringMatching(/no\.such\.property.*No such configuration property/) }),
    );
    expect(() => new NativeConsumer({ config: { 'bootstrap.servers': bootstrap(), 'group.id': 'g', 'fetch.wait.max.ms': 'soon' }, topics: [topic], ring: createNativeRing(1 << 16) })).toThrow(
      expect.objectContaining({ key: 'fetch.wait.max.ms' }),
    );
    expect(() => new NativeConsumer({ config: { 'bootstrap.servers': bootstrap() }, topics: [topic], ring: createNativeRing(1 << 16) })).toThrow(/group\.id/);
  });

  it('reports an unreachable broker as error events and still closes', async () => {
    const c = new NativeConsumer({
      config: { 'bootstrap.servers': '127.0.0.1:1', 'group.id': 'nobody', 'reconnect.backoff.ms': 100 },
      topics: [topic],
      ring: createNativeRing(1 << 16),
    });
    // librdkafka's log lines come as log events, not on stderr; the first error event follows.
    let ev: ConsumerEvent | undefined;
    const logs: ConsumerEvent[] = [];
    while (ev === undefined) {
      const frame = await c.ring.readAsync(15_000);
      expect(frame).not.toBeNull();
      expect(c.ring.frameKind).toBe(FrameKind.EVENT);
      const e = decodeEvent(frame!);
      c.ring.release();
      if (e.type === 'log') logs.push(e);
      else ev = e;
    }
    expect(logs.every((l) => l.type === 'log' && typeof l.level === 'number' && l.facility.length > 0)).toBe(true);
    expect(ev).toMatchObject({ type: 'error', fatal: false });
    expect((ev as { name: string }).name).toMatch(/_TRANSPORT|_ALL_BROKERS_DOWN/);
    expect((ev as { message: string }).message).toMatch(/127\.0\.0\.1:1/);
    const t0 = Date.now();
    await c.close();
    expect(Date.now() - t0).toBeLessThan(10_000);
    expect(c.ring.isClosed).toBe(true);
  }, 30_000);
});

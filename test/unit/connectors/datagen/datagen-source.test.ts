import { afterEach, describe, expect, it } from 'vitest';
import { ConfigError, ConnectError } from '../../../../src/api/errors.js';
import type { OffsetStorageReader } from '../../../../src/api/source.js';
import { CONFIG_DEF } from '../../../../src/connectors/datagen/config.js';
import { DatagenSourceConnector } from '../../../../src/connectors/datagen/datagen-source-connector.js';
import { DatagenSourceTask, taskShare, TokenBucket } from '../../../../src/connectors/datagen/datagen-source-task.js';
import {
  fillerSlots, readSeq64, referenceBytesKey, referenceBytesValue, referenceJsonValue, seed32Of,
} from '../../../../src/connectors/datagen/generator.js';
import { JsonConverter } from '../../../../src/converters/json.js';
import type { SourceMap, SourceRecord } from '../../../../src/data/record.js';
import { Type } from '../../../../src/data/schema.js';

/** Committed offsets by task index, as an offset store would return them. */
class MemoryOffsetReader implements OffsetStorageReader {
  constructor(private readonly stored: Map<number, SourceMap> = new Map()) {}
  async offset(partition: SourceMap): Promise<SourceMap | null> {
    return this.stored.get(partition['task'] as number) ?? null;
  }
  async offsets(partitions: SourceMap[]): Promise<Map<SourceMap, SourceMap | null>> {
    return new Map(await Promise.all(partitions.map(async (p) => [p, await this.offset(p)] as const)));
  }
}

let tasks: DatagenSourceTask[] = [];
afterEach(() => {
  for (const t of tasks) t.stop();
  tasks = [];
});

async function startTask(props: Record<string, string>, stored?: Map<number, SourceMap>): Promise<DatagenSourceTask> {
  const task = new DatagenSourceTask();
  task.idleWaitMs = 10;
  const reader = new MemoryOffsetReader(stored);
  task.initialize({ configs: props, offsetStorageReader: () => reader });
  tasks.push(task);
  await task.start(props);
  return task;
}

/** Polls until the task says it is done (null); returns every record. */
async function drain(task: DatagenSourceTask): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for (;;) {
    const batch = await task.poll();
    if (batch === null) return out;
    out.push(...batch);
  }
}

const seqs = (records: SourceRecord[]): number[] => records.map((r) => r.sourceOffset!['seq'] as number);
const ascii = (bytes: unknown): string => Buffer.from(bytes as Uint8Array).toString('latin1');

function jsonText(value: unknown): string {
  const converter = new JsonConverter();
  converter.configure({ 'schemas.enable': 'false' }, false);
  return Buffer.from(converter.fromConnectData('t', null, null, value)!).toString('utf8');
}

describe('DatagenSourceTask, format=bytes', () => {
  it('makes record.size-byte values: the sequence as 8 bytes big-endian, then filler fixed by seed and sequence', async () => {
    const task = await startTask({ topic: 'bench', 'record.size': '24', 'batch.size': '3', count: '5' });
    const first = (await task.poll())!;
    expect(first).toHaveLength(3);
    // Pinned: a change of the filler generator changes every benchmark's data.
    expect(ascii(first[0]!.value)).toBe('\0\0\0\0\0\0\0\0sZAaYbZqFLI-BanL');
    expect(ascii(first[1]!.value)).toBe('\0\0\0\0\0\0\0\u00011-WHXlAxLZEn3LX2');
    const rest = (await task.poll())!;
    expect(seqs([...first, ...rest])).toEqual([0, 1, 2, 3, 4]);
    for (const r of [...first, ...rest]) {
      const seq = r.sourceOffset!['seq'] as number;
      expect(r.topic).toBe('bench');
      expect(r.kafkaPartition).toBeNull();
      expect(r.key).toBeNull();
      expect(r.keySchema).toBeNull();
      expect(r.valueSchema!.type).toBe(Type.BYTES);
      expect(r.valueSchema!.optional).toBe(true);
      expect(r.sourcePartition).toEqual({ task: 0 });
      expect(r.sourceOffset).toEqual({ seq });
      expect(typeof r.timestamp).toBe('number');
      const value = r.value as Uint8Array;
      expect(value.byteLength).toBe(24);
      expect(readSeq64(value)).toBe(seq);
      expect(value).toEqual(referenceBytesValue(0, 24, seq));
      expect(/^[A-Za-z0-9_-]{16}$/.test(ascii(value.subarray(8)))).toBe(true);
    }
    expect(await task.poll()).toBeNull(); // count reached
  });

  it('changes the filler with the seed, not the sequence bytes', async () => {
    const a = (await (await startTask({ topic: 't', 'record.size': '24', seed: '7', 'batch.size': '1' })).poll())!;
    expect(ascii(a[0]!.value)).toBe('\0\0\0\0\0\0\0\0NrRu7lqgcH9U9tm4');
    const big = (await (await startTask({ topic: 't', seed: '-9223372036854775808', 'batch.size': '2' })).poll())!;
    expect(big[1]!.value).toEqual(referenceBytesValue(seed32Of(-(2n ** 63n)), 100, 1));
  });

  it('puts the sequence in the key for key.pattern=sequence, as 8 bytes big-endian', async () => {
    const task = await startTask({ topic: 't', 'key.pattern': 'sequence', 'batch.size': '4' });
    const records = (await task.poll())!;
    expect(records.map((r) => r.key)).toEqual([0, 1, 2, 3].map(referenceBytesKey));
    expect(records[0]!.keySchema!.type).toBe(Type.BYTES);
    // Each key and value is its own view: nothing aliases a neighbour.
    expect(records.map((r) => readSeq64(r.value as Uint8Array))).toEqual([0, 1, 2, 3]);
    expect((records[1]!.key as Uint8Array).byteLength).toBe(8);
  });

  it('draws random keys below key.cardinality, the same for the same seed and sequence', async () => {
    const props = { topic: 't', 'key.pattern': 'random', 'key.cardinality': '10', 'batch.size': '500' };
    const keys = (await (await startTask(props)).poll())!.map((r) => readSeq64(r.key as Uint8Array));
    const again = (await (await startTask(props)).poll())!.map((r) => readSeq64(r.key as Uint8Array));
    expect(again).toEqual(keys);
    expect(new Set(keys)).toEqual(new Set([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]));
  });

  it('writes sequences past 2^32 correctly (resumed from a large offset)', async () => {
    const last = 2 ** 40 + 5;
    const task = await startTask({ topic: 't', 'batch.size': '2', 'key.pattern': 'sequence' }, new Map([[0, { seq: BigInt(last) }]]));
    const records = (await task.poll())!;
    expect(seqs(records)).toEqual([last + 1, last + 2]);
    expect(readSeq64(records[0]!.value as Uint8Array)).toBe(last + 1);
    expect(records[1]!.key).toEqual(referenceBytesKey(last + 2));
    expect(records[1]!.value).toEqual(referenceBytesValue(0, 100, last + 2));
  });

  it('builds the same values whether filler is copied per record or in runs across the pool wrap', async () => {
    const size = 4096;
    const slots = fillerSlots(size); // 256
    // One task (runs of the pool, wrapping inside the batch) …
    const one = (await (await startTask({ topic: 't', 'record.size': String(size), 'batch.size': String(slots + 10) })).poll())!;
    for (const i of [0, 1, slots - 1, slots, slots + 9]) expect(one[i]!.value).toEqual(referenceBytesValue(0, size, i));
    // … and task 1 of 3 (stride 3: one copy per record).
    const connector = new DatagenSourceConnector();
    connector.start({ topic: 't', 'record.size': String(size), 'batch.size': '5' });
    const strided = (await (await startTask(connector.taskConfigs(3)[1]!)).poll())!;
    expect(seqs(strided).slice(0, 3)).toEqual([1, 4, 7]);
    for (const r of strided) expect(r.value).toEqual(referenceBytesValue(0, size, r.sourceOffset!['seq'] as number));
  });
});

describe('DatagenSourceTask, format=json', () => {
  it('makes schemaless maps {seq, ts, user, action, payload} that JsonConverter writes in exactly record.size bytes', async () => {
    const task = await startTask({ topic: 't', format: 'json', 'key.pattern': 'sequence', 'batch.size': '200', seed: '3' });
    const records = (await task.poll())!;
    expect(records).toHaveLength(200);
    for (const r of records) {
      const seq = r.sourceOffset!['seq'] as number;
      const value = r.value as Map<string, unknown>;
      expect(r.valueSchema).toBeNull();
      expect(value).toBeInstanceOf(Map);
      expect([...value.keys()]).toEqual(['seq', 'ts', 'user', 'action', 'payload']);
      expect(value.get('seq')).toBe(seq);
      expect(value.get('ts')).toBe(r.timestamp);
      expect(value).toEqual(referenceJsonValue(seed32Of(3), 100, seq, r.timestamp!));
      expect(r.key).toBe(seq);
      expect(r.keySchema!.type).toBe(Type.INT64);
      const text = jsonText(value);
      expect(text).toMatch(/^\{"seq":\d+,"ts":\d{13},"user":"user-\d{1,3}","action":"[a-z_]+","payload":"x+"\}$/);
      expect(Buffer.byteLength(text)).toBe(100);
    }
    // Pinned: seq 0 under seed 3 is user-679 doing add_to_cart, padded with 18 x.
    expect(jsonText(records[0]!.value)).toBe(
      `{"seq":0,"ts":${records[0]!.timestamp},"user":"user-679","action":"add_to_cart","payload":"${'x'.repeat(18)}"}`,
    );
    expect(new Set(records.map((r) => (r.value as Map<string, unknown>).get('action'))).size).toBeGreaterThan(3);
  });

  it('keeps sizes exact as the sequence grows digits, and pads nothing when record.size is too small', async () => {
    const task = await startTask({ topic: 't', format: 'json', 'batch.size': '20', 'record.size': '300' }, new Map([[0, { seq: 90 }]]));
    for (const r of (await task.poll())!) expect(Buffer.byteLength(jsonText(r.value))).toBe(300); // 91 … 110
    const tiny = (await (await startTask({ topic: 't', format: 'json', 'record.size': '8', 'batch.size': '1' })).poll())!;
    expect((tiny[0]!.value as Map<string, unknown>).get('payload')).toBe('');
  });

  it('uses INT64 random keys below key.cardinality', async () => {
    const task = await startTask({ topic: 't', format: 'json', 'key.pattern': 'random', 'key.cardinality': '3', 'batch.size': '100' });
    const keys = (await task.poll())!.map((r) => r.key);
    expect(new Set(keys)).toEqual(new Set([0, 1, 2]));
  });
});

describe('DatagenSourceTask count, tasks and offsets', () => {
  it('splits count across tasks: task i emits i, i+T, …, and together they emit 0..count-1 once', async () => {
    expect([0, 1, 2].map((i) => taskShare(10, 3, i))).toEqual([4, 3, 3]);
    expect(taskShare(-1, 3, 0)).toBe(Infinity);
    const connector = new DatagenSourceConnector();
    connector.start({ topic: 't', count: '10', 'batch.size': '2' });
    const configs = connector.taskConfigs(3);
    expect(configs.map((c) => [c['datagen.task.index'], c['datagen.task.count']])).toEqual([['0', '3'], ['1', '3'], ['2', '3']]);
    const perTask = await Promise.all(configs.map(async (c) => seqs(await drain(await startTask(c)))));
    expect(perTask).toEqual([[0, 3, 6, 9], [1, 4, 7], [2, 5, 8]]);
    const partitions = await Promise.all(configs.map(async (c) => (await (await startTask({ ...c, count: '-1' })).poll())![0]!.sourcePartition));
    expect(partitions).toEqual([{ task: 0 }, { task: 1 }, { task: 2 }]);
  });

  it('returns batch.size records per poll while unbounded', async () => {
    const task = await startTask({ topic: 't' });
    expect((await task.poll())!).toHaveLength(2000);
    expect((await task.poll())!).toHaveLength(2000);
  });

  it('resumes after the last committed sequence and produces exactly the rest of count', async () => {
    expect(seqs(await drain(await startTask({ topic: 't', count: '10' }, new Map([[0, { seq: 6 }]]))))).toEqual([7, 8, 9]);
    expect(await drain(await startTask({ topic: 't', count: '10' }, new Map([[0, { seq: 9 }]])))).toEqual([]);
    // Task 1 of 2 owns 1, 3, 5, 7, 9.
    const connector = new DatagenSourceConnector();
    connector.start({ topic: 't', count: '10' });
    const task1 = connector.taskConfigs(2)[1]!;
    expect(seqs(await drain(await startTask(task1, new Map([[1, { seq: 5n }]]))))).toEqual([7, 9]);
    // Other tasks' offsets do not matter to it.
    expect(seqs(await drain(await startTask(task1, new Map([[0, { seq: 8 }]]))))).toEqual([1, 3, 5, 7, 9]);
  });

  it('refuses an offset that is not one of its sequences (tasks.max changed)', async () => {
    const connector = new DatagenSourceConnector();
    connector.start({ topic: 't', count: '10' });
    const task = new DatagenSourceTask();
    const reader = new MemoryOffsetReader(new Map([[1, { seq: 4 }]]));
    task.initialize({ configs: {}, offsetStorageReader: () => reader });
    const err = await task.start(connector.taskConfigs(2)[1]!).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ConnectError);
    expect((err as Error).message).toBe(
      'Stored offset {"seq":4} of source partition {"task":1} is not a sequence of task 1 of 2; was tasks.max changed? ' +
        'Use a new connector name to start over.',
    );
    const bad = new DatagenSourceTask();
    bad.initialize({ configs: {}, offsetStorageReader: () => new MemoryOffsetReader(new Map([[0, { seq: 'x' }]])) });
    await expect(bad.start({ topic: 't' })).rejects.toThrow('Stored offset {"seq":x} of source partition {"task":0}');
  });

  it('waits instead of spinning once done, and stop() ends that wait', async () => {
    const task = await startTask({ topic: 't', count: '0' });
    task.idleWaitMs = 10_000;
    const started = performance.now();
    const poll = task.poll();
    setTimeout(() => task.stop(), 30);
    expect(await poll).toBeNull();
    expect(performance.now() - started).toBeLessThan(2000);
    expect(await task.poll()).toBeNull();
  });
});

describe('DatagenSourceTask rate', () => {
  it('TokenBucket: starts empty, accrues rate per second up to one second of tokens', () => {
    let now = 0;
    const bucket = new TokenBucket(100, () => now);
    expect(bucket.take(10)).toBe(0);
    expect(bucket.msUntilToken()).toBe(10);
    now = 55;
    expect(bucket.take(10)).toBe(5);
    expect(bucket.msUntilToken()).toBeCloseTo(5, 6);
    now = 10_000; // idle for long: at most one second's worth
    expect(bucket.take(1000)).toBe(100);
    expect(bucket.take(1)).toBe(0);
  });

  it('paces rate records/s across tasks, within 0.5×–1.5× over about a second, without busy-waiting', async () => {
    const connector = new DatagenSourceConnector();
    connector.start({ topic: 't', rate: '2000' });
    const running = await Promise.all(connector.taskConfigs(2).map((c) => startTask(c)));
    const durationMs = 1000;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const counts = await Promise.all(
      running.map(async (task) => {
        let records = 0;
        let polls = 0;
        while (performance.now() - started < durationMs) {
          records += (await task.poll())?.length ?? 0;
          polls++;
        }
        return { records, polls };
      }),
    );
    const elapsed = performance.now() - started;
    const cpu = process.cpuUsage(cpuBefore);
    const total = counts[0]!.records + counts[1]!.records;
    const expected = (2000 * elapsed) / 1000;
    expect(total).toBeGreaterThanOrEqual(expected * 0.5);
    expect(total).toBeLessThanOrEqual(expected * 1.5);
    // Each task gets half.
    expect(Math.abs(counts[0]!.records - counts[1]!.records)).toBeLessThan(expected * 0.25);
    // A busy-waiting poll would loop hundreds of thousands of times and burn the whole second.
    for (const c of counts) expect(c.polls).toBeLessThan(5000);
    expect((cpu.user + cpu.system) / 1000).toBeLessThan(elapsed * 0.8);
  });

  it('paces slow rates one record at a time, and stop() cuts a wait short', async () => {
    const task = await startTask({ topic: 't', rate: '20', 'batch.size': '100' });
    task.idleWaitMs = 1000;
    const started = performance.now();
    let records = 0;
    while (records < 5) records += (await task.poll())?.length ?? 0;
    const elapsed = performance.now() - started;
    expect(records).toBe(5);
    expect(elapsed).toBeGreaterThanOrEqual(250 * 0.5 * 0.9); // 5 tokens at 20/s ≈ 250 ms
    expect(elapsed).toBeLessThanOrEqual(250 * 1.5 + 200);

    const slow = await startTask({ topic: 't', rate: '0.1' });
    slow.idleWaitMs = 5000;
    const t0 = performance.now();
    const poll = slow.poll();
    setTimeout(() => slow.stop(), 30);
    expect(await poll).toBeNull();
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('DatagenSourceConnector', () => {
  it('validates its config with ConfigDef messages', () => {
    const errors = (props: Record<string, string>): Record<string, string[]> =>
      Object.fromEntries(CONFIG_DEF.validate(props).filter((v) => v.errorMessages.length > 0).map((v) => [v.name, v.errorMessages]));
    expect(errors({ topic: 't' })).toEqual({});
    expect(errors({ topic: 't', format: 'json', 'key.pattern': 'random', 'key.cardinality': '5', rate: '1.5', count: '-1', seed: '-3' })).toEqual({});
    expect(errors({})).toEqual({ topic: ['Missing required configuration "topic" which has no default value.'] });
    expect(
      errors({
        topic: '', 'record.size': '4', count: '-2', rate: '0', 'key.pattern': 'hash', 'key.cardinality': '0',
        format: 'avro', 'batch.size': '0', seed: 'abc',
      }),
    ).toEqual({
      topic: ['Invalid value  for configuration topic: String must be non-empty'],
      'record.size': ['Invalid value 4 for configuration record.size: Value must be at least 8'],
      count: ['Invalid value -2 for configuration count: Value must be -1 (unbounded) or at least 0'],
      rate: ['Invalid value 0 for configuration rate: Value must be -1 (as fast as possible) or greater than 0'],
      'key.pattern': ['Invalid value hash for configuration key.pattern: String must be one of: none, sequence, random'],
      'key.cardinality': ['Invalid value 0 for configuration key.cardinality: Value must be at least 1'],
      format: ['Invalid value avro for configuration format: String must be one of: bytes, json'],
      'batch.size': ['Invalid value 0 for configuration batch.size: Value must be at least 1'],
      seed: ['Invalid value abc for configuration seed: Not a number of type LONG'],
    });
  });

  it('refuses to start on an invalid config, and hands out tasks.max task configs', () => {
    const connector = new DatagenSourceConnector();
    expect(() => connector.start({ count: '5' })).toThrow(ConfigError);
    expect(() => connector.start({ topic: 't', rate: '-5' })).toThrow(
      'Invalid value -5 for configuration rate: Value must be -1 (as fast as possible) or greater than 0',
    );
    connector.start({ topic: 't', count: '5', name: 'gen' });
    expect(connector.taskClass()).toBe(DatagenSourceTask);
    expect(connector.taskConfigs(2)).toEqual([
      { topic: 't', count: '5', name: 'gen', 'datagen.task.index': '0', 'datagen.task.count': '2' },
      { topic: 't', count: '5', name: 'gen', 'datagen.task.index': '1', 'datagen.task.count': '2' },
    ]);
    expect(connector.version()).toMatch(/^\d+\.\d+\.\d+/);
    for (const key of connector.config().configKeys()) expect(key.documentation.length).toBeGreaterThan(10);
  });
});

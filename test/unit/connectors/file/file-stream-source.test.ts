import { appendFile, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ConfigType } from '../../../../src/api/config-def.js';
import type { OffsetStorageReader } from '../../../../src/api/source.js';
import { FileStreamSourceConnector } from '../../../../src/connectors/file/file-stream-source-connector.js';
import { FileStreamSourceTask } from '../../../../src/connectors/file/file-stream-source-task.js';
import type { SourceMap, SourceRecord } from '../../../../src/data/record.js';
import { Type } from '../../../../src/data/schema.js';
import { RecordBatch } from '../../../../src/data/batch.js';
import { RawFrameSink } from '../../../../src/engine/raw-frame-sink.js';

/** Offsets as a committed offset store would return them, keyed by filename. */
class MemoryOffsetReader implements OffsetStorageReader {
  constructor(private readonly stored: Map<string | null, SourceMap> = new Map()) {}
  async offset(partition: SourceMap): Promise<SourceMap | null> {
    return this.stored.get(partition['filename'] as string | null) ?? null;
  }
  async offsets(partitions: SourceMap[]): Promise<Map<SourceMap, SourceMap | null>> {
    return new Map(await Promise.all(partitions.map(async (p) => [p, await this.offset(p)] as const)));
  }
}

let dir: string;
let tasks: FileStreamSourceTask[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-file-source-'));
});
afterEach(async () => {
  await Promise.all(tasks.map((t) => t.stop()));
  tasks = [];
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
const freshPath = (): string => join(dir, `input-${++counter}.txt`);

function startTask(props: Record<string, string>, reader = new MemoryOffsetReader(), task = new FileStreamSourceTask()) {
  task.idleWaitMs = 20;
  task.initialize({ configs: props, offsetStorageReader: () => reader });
  task.start(props);
  tasks.push(task);
  return task;
}

const lines = (records: SourceRecord[] | null): unknown[] => (records ?? []).map((r) => r.value);
const positions = (records: SourceRecord[] | null): unknown[] => (records ?? []).map((r) => r.sourceOffset!['position']);

describe('FileStreamSourceTask', () => {
  it('emits each line as a STRING record with its file position as the offset', async () => {
    const file = freshPath();
    await writeFile(file, 'alpha\nbeta\n');
    const task = startTask({ file, topic: 'lines' });
    const records = await task.poll();
    expect(lines(records)).toEqual(['alpha', 'beta']);
    expect(positions(records)).toEqual([6, 11]);
    const first = records![0]!;
    expect(first.topic).toBe('lines');
    expect(first.kafkaPartition).toBeNull();
    expect(first.key).toBeNull();
    expect(first.keySchema).toBeNull();
    expect(first.valueSchema!.type).toBe(Type.STRING);
    expect(first.sourcePartition).toEqual({ filename: file });
    expect(typeof first.timestamp).toBe('number');
  });

  it('splits on \\n, \\r\\n and a lone \\r, as Kafka Connect does', async () => {
    const file = freshPath();
    await writeFile(file, 'a\r\nb\rc\n\nd\r\n');
    const records = await startTask({ file, topic: 't' }).poll();
    expect(lines(records)).toEqual(['a', 'b', 'c', '', 'd']);
    expect(positions(records)).toEqual([3, 5, 7, 8, 11]);
  });

  it('holds back a partial last line until it is completed', async () => {
    const file = freshPath();
    await writeFile(file, 'done\npart');
    const task = startTask({ file, topic: 't' });
    expect(lines(await task.poll())).toEqual(['done']);
    expect(await task.poll()).toBeNull();
    await appendFile(file, 'ial\nnext\n');
    const records = await task.poll();
    expect(lines(records)).toEqual(['partial', 'next']);
    expect(positions(records)).toEqual([13, 18]);
  });

  it('holds back a trailing \\r until the next byte tells \\r from \\r\\n', async () => {
    const file = freshPath();
    await writeFile(file, 'x\r');
    const task = startTask({ file, topic: 't' });
    expect(await task.poll()).toBeNull();
    await appendFile(file, '\ny\n');
    const records = await task.poll();
    expect(lines(records)).toEqual(['x', 'y']);
    expect(positions(records)).toEqual([3, 5]);
  });

  it('returns at most batch.size records per poll', async () => {
    const file = freshPath();
    await writeFile(file, Array.from({ length: 7 }, (_, i) => `l${i}\n`).join(''));
    const task = startTask({ file, topic: 't', 'batch.size': '3' });
    expect(lines(await task.poll())).toEqual(['l0', 'l1', 'l2']);
    expect(lines(await task.poll())).toEqual(['l3', 'l4', 'l5']);
    expect(lines(await task.poll())).toEqual(['l6']);
    expect(await task.poll()).toBeNull();
  });

  it('resumes after the stored offset', async () => {
    const file = freshPath();
    await writeFile(file, 'one\ntwo\nthree\n');
    const first = startTask({ file, topic: 't' });
    const records = await first.poll();
    await first.stop();
    const committed = records![1]!.sourceOffset!; // after "two"
    const reader = new MemoryOffsetReader(new Map([[file, committed]]));
    const resumed = startTask({ file, topic: 't' }, reader);
    const rest = await resumed.poll();
    expect(lines(rest)).toEqual(['three']);
    expect(positions(rest)).toEqual([14]);
  });

  it('accepts a bigint position and rejects one of another type', async () => {
    const file = freshPath();
    await writeFile(file, 'ab\ncd\n');
    const big = startTask({ file, topic: 't' }, new MemoryOffsetReader(new Map([[file, { position: 3n }]])));
    expect(lines(await big.poll())).toEqual(['cd']);
    const bad = startTask({ file, topic: 't' }, new MemoryOffsetReader(new Map([[file, { position: '3' }]])));
    await expect(bad.poll()).rejects.toThrow('Offset position is the incorrect type');
  });

  it('counts offsets in bytes for multi-byte UTF-8', async () => {
    const file = freshPath();
    await writeFile(file, 'héllo\n日本\n');
    const records = await startTask({ file, topic: 't' }).poll();
    expect(lines(records)).toEqual(['héllo', '日本']);
    expect(positions(records)).toEqual([7, 14]);
  });

  it('reads lines longer than its buffer', async () => {
    const file = freshPath();
    const long = 'x'.repeat(600_000);
    await writeFile(file, `${long}\nshort\n`);
    const records = await startTask({ file, topic: 't' }).poll();
    expect(lines(records)).toEqual([long, 'short']);
    expect(positions(records)).toEqual([600_001, 600_007]);
  });

  it('waits for a file that does not exist yet', async () => {
    const file = freshPath();
    const task = startTask({ file, topic: 't' });
    const started = Date.now();
    expect(await task.poll()).toBeNull();
    expect(Date.now() - started).toBeGreaterThanOrEqual(15);
    await writeFile(file, 'late\n');
    expect(lines(await task.poll())).toEqual(['late']);
  });

  it('returns null after a short wait at end of file, and stop() cuts the wait short', async () => {
    const file = freshPath();
    await writeFile(file, 'only\n');
    const task = startTask({ file, topic: 't' });
    expect(lines(await task.poll())).toEqual(['only']);
    expect(await task.poll()).toBeNull();
    task.idleWaitMs = 60_000;
    const started = Date.now();
    const pending = task.poll();
    await new Promise((r) => setTimeout(r, 10));
    await task.stop();
    expect(await pending).toBeNull();
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(await task.poll()).toBeNull();
  });

  it('reads stdin when no file is set, with null offsets', async () => {
    const input = new PassThrough();
    class StdinTask extends FileStreamSourceTask {
      protected override stdinStream(): Readable {
        return input;
      }
    }
    const task = startTask({ topic: 't' }, new MemoryOffsetReader(), new StdinTask());
    input.write('from stdin\npar');
    const records = await task.poll();
    expect(lines(records)).toEqual(['from stdin']);
    expect(records![0]!.sourcePartition).toEqual({ filename: null });
    expect(records![0]!.sourceOffset).toEqual({ position: null });
    input.write('tial\n');
    expect(lines(await task.poll())).toEqual(['partial']);
  });

  it('rejects a config without a topic', () => {
    const task = new FileStreamSourceTask();
    expect(() => task.start({ file: 'x' })).toThrow('Missing required configuration "topic" which has no default value.');
  });
});

describe('FileStreamSourceConnector', () => {
  it('always creates one task with the connector\'s config', () => {
    const connector = new FileStreamSourceConnector();
    const props = { file: '/tmp/in', topic: 't' };
    connector.start(props);
    expect(connector.type).toBe('source');
    expect(connector.taskConfigs(5)).toEqual([props]);
    expect(connector.taskClass()).toBe(FileStreamSourceTask);
  });

  it('defines Kafka Connect\'s keys', () => {
    const def = new FileStreamSourceConnector().config();
    expect(def.names()).toEqual(['file', 'topic', 'batch.size']);
    expect(def.configKey('batch.size')).toMatchObject({ type: ConfigType.INT, defaultValue: 2000 });
    expect(() => new FileStreamSourceConnector().start({ topic: '' })).toThrow(
      'Invalid value  for configuration topic: String must be non-empty',
    );
  });
});

describe('FileStreamSourceTask.pollRaw (records written straight into frames)', () => {
  /** A RawFrameSink over a frame buffer of `bytes`, and a reader of what it holds. */
  function frameSink(bytes = 1 << 20, maxRecords = 1000) {
    const buf = new Uint8Array(bytes);
    const sink = new RawFrameSink().reset(buf, maxRecords);
    const read = (): { values: (string | null)[]; topics: string[]; offsets: unknown[] } => {
      const batch = RecordBatch.from(buf.subarray(0, sink.finish()));
      const values = Array.from({ length: batch.count }, (_, i) => {
        const v = batch.valueView(i);
        return v === null ? null : Buffer.from(v).toString('utf8');
      });
      const topics = Array.from({ length: batch.count }, (_, i) => batch.topic(i));
      return { values, topics, offsets: [...sink.offsets.values()].map((o) => o.offset) };
    };
    return { buf, sink, read };
  }

  it('writes the same values and final position that poll() returns as records', async () => {
    const file = freshPath();
    // \n, \r\n and a lone \r end lines; the last line waits for its terminator.
    await writeFile(file, 'alpha\r\nbeta\rgamma\n\ndélta\npartial');
    const viaPoll = await startTask({ file, topic: 'lines' }).poll();
    const { sink, read } = frameSink();
    const n = await startTask({ file, topic: 'lines' }).pollRaw(sink);
    expect(n).toBe(5);
    const raw = read();
    expect(raw.values).toEqual(lines(viaPoll));
    expect(raw.topics).toEqual(Array(5).fill('lines'));
    expect(raw.offsets).toEqual([{ position: positions(viaPoll).at(-1) }]);
  });

  it('re-encodes a line that is not valid UTF-8 exactly as StringConverter would encode poll()\'s string', async () => {
    const file = freshPath();
    const bad = Buffer.from([0x61, 0xff, 0x62, 0xc3]); // a, invalid, b, truncated sequence
    await writeFile(file, Buffer.concat([bad, Buffer.from('\nok\n')]));
    const { buf, sink } = frameSink();
    expect(await startTask({ file, topic: 't' }).pollRaw(sink)).toBe(2);
    const batch = RecordBatch.from(buf.subarray(0, sink.finish()));
    expect(Buffer.from(batch.valueView(0)!)).toEqual(Buffer.from(bad.toString('utf8'), 'utf8'));
    expect(Buffer.from(batch.valueView(1)!).toString()).toBe('ok');
  });

  it('stops at a full frame and hands the refused lines over next time, with positions to match', async () => {
    const file = freshPath();
    await writeFile(file, Array.from({ length: 10 }, (_, i) => `line-${i}`).join('\n') + '\n');
    const task = startTask({ file, topic: 't' });
    const first = frameSink(1 << 16, 4); // room for 4 records
    expect(await task.pollRaw(first.sink)).toBe(4);
    expect(first.read().values).toEqual(['line-0', 'line-1', 'line-2', 'line-3']);
    expect(first.read().offsets).toEqual([{ position: 28 }]);
    const second = frameSink();
    expect(await task.pollRaw(second.sink)).toBe(6);
    expect(second.read().values).toEqual(['line-4', 'line-5', 'line-6', 'line-7', 'line-8', 'line-9']);
    expect(second.read().offsets).toEqual([{ position: 70 }]);
  });
});

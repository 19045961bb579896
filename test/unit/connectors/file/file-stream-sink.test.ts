import { mkdtemp, open, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FileStreamSinkConnector } from '../../../../src/connectors/file/file-stream-sink-connector.js';
import { FileStreamSinkTask, valueToString } from '../../../../src/connectors/file/file-stream-sink-task.js';
import { SinkRecord } from '../../../../src/data/record.js';
import { Schema, Type } from '../../../../src/data/schema.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'sluice-file-sink-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

let counter = 0;
const freshPath = (): string => join(dir, `out-${++counter}.txt`);

const record = (value: unknown, offset = 0, valueSchema: Schema | null = null): SinkRecord =>
  new SinkRecord('t', 0, null, null, valueSchema, value, BigInt(offset));

describe('FileStreamSinkTask', () => {
  it('buffers put() and writes on flush(), one line per record', async () => {
    const file = freshPath();
    const task = new FileStreamSinkTask();
    await task.start({ file });
    await task.put([record('first'), record('second', 1)]);
    expect(await readFile(file, 'utf8')).toBe('');
    await task.flush(new Map());
    expect(await readFile(file, 'utf8')).toBe('first\nsecond\n');
    await task.put([record(null, 2), record(42, 3)]);
    await task.stop(); // stop writes what is still buffered
    expect(await readFile(file, 'utf8')).toBe('first\nsecond\nnull\n42\n');
  });

  it('flushes to a device that cannot be fsynced (file=/dev/null)', async () => {
    const task = new FileStreamSinkTask();
    await task.start({ file: '/dev/null' });
    await task.put([record('gone')]);
    await expect(task.flush(new Map())).resolves.toBeUndefined();
    await task.stop();
  });

  it('appends to an existing file', async () => {
    const file = freshPath();
    await writeFile(file, 'old\n');
    const task = new FileStreamSinkTask();
    await task.start({ file });
    await task.put([record('new')]);
    await task.flush(new Map());
    await task.stop();
    expect(await readFile(file, 'utf8')).toBe('old\nnew\n');
  });

  it('writes through a large buffer without waiting for flush(), one buffer behind', async () => {
    const file = freshPath();
    const task = new FileStreamSinkTask();
    await task.start({ file });
    const line = 'y'.repeat(1000);
    // The first put starts writing its buffer; the next one returns once that write is done.
    await task.put(Array.from({ length: 1100 }, (_, i) => record(line, i)));
    await task.put(Array.from({ length: 1100 }, (_, i) => record(line, i)));
    expect((await readFile(file, 'utf8')).length).toBeGreaterThanOrEqual(1100 * 1001);
    await task.stop();
    expect((await readFile(file, 'utf8')).length).toBe(2 * 1100 * 1001);
  });

  it('keeps every line in order across puts that do not fit the buffer, multi-byte text included', async () => {
    const file = freshPath();
    const task = new FileStreamSinkTask();
    await task.start({ file });
    const expected: string[] = [];
    // 300 KB puts (3 bytes per char) until past the write threshold, then one put larger than the buffer.
    for (let p = 0; p < 6; p++) {
      const lines = Array.from({ length: 100 }, (_, i) => `${p}:${i}:${'é€'.repeat(500)}`);
      expected.push(...lines);
      await task.put(lines.map((l, i) => record(l, i)));
    }
    const big = Array.from({ length: 2000 }, (_, i) => `big ${i} ${'€'.repeat(300)}`);
    expected.push(...big);
    await task.put(big.map((l, i) => record(l, i)));
    await task.flush(new Map());
    expect(await readFile(file, 'utf8')).toBe(expected.join('\n') + '\n');
    await task.stop();
  });

  it('takes lines the runtime printed (putValueLines), in order with put() and across the buffer', async () => {
    const file = freshPath();
    const task = new FileStreamSinkTask();
    await task.start({ file });
    await task.put([record('a')]);
    const printed = Buffer.from('b\nc\n');
    await task.putValueLines(printed);
    printed.fill(0x78); // the lines are valid only during the call: the task must have copied them
    await task.put([record('d')]);
    // Larger than the whole buffer, then more: written behind, nothing lost or reordered.
    const big = Buffer.from(`${'z'.repeat(999)}\n`.repeat(1500));
    await task.putValueLines(big);
    await task.putValueLines(Buffer.from('e\n'));
    await task.flush(new Map());
    expect(await readFile(file, 'utf8')).toBe(`a\nb\nc\nd\n${big.toString()}e\n`);
    await task.stop();
  });

  it('syncs in the background as it writes, and a failed background sync fails the next flush()', async () => {
    const file = freshPath();
    const task = new FileStreamSinkTask();
    await task.start({ file });
    const handle = Object.getPrototypeOf(await open(file, 'r').then(async (h) => (await h.close(), h))) as { datasync(): Promise<void> };
    const datasync = vi.spyOn(handle, 'datasync');
    const mb = Buffer.from(`${'q'.repeat(1023)}\n`.repeat(1024));
    for (let i = 0; i < 40; i++) await task.putValueLines(mb);
    await task.flush(new Map());
    expect(datasync).toHaveBeenCalled();
    expect((await stat(file)).size).toBe(40 * mb.length);
    // The kernel reports a write-back error to one sync only: the background one's must not be lost.
    datasync.mockRejectedValueOnce(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    for (let i = 0; i < 20; i++) await task.putValueLines(mb);
    await expect(task.flush(new Map())).rejects.toThrow(/EIO/);
    await expect(task.flush(new Map())).resolves.toBeUndefined();
    datasync.mockRestore();
    await task.stop();
  });

  it('writes to stdout when no file is set', async () => {
    const out = new PassThrough();
    const chunks: string[] = [];
    out.on('data', (c: Buffer) => chunks.push(c.toString()));
    class StdoutTask extends FileStreamSinkTask {
      protected override stdoutStream(): Writable {
        return out;
      }
    }
    const task = new StdoutTask();
    await task.start({});
    await task.put([record('to stdout')]);
    await task.flush(new Map());
    await task.stop();
    expect(chunks.join('')).toBe('to stdout\n');
  });

  it('names the file it cannot open', async () => {
    const file = join(dir, 'missing-dir', 'out.txt');
    await expect(new FileStreamSinkTask().start({ file })).rejects.toThrow(
      `Couldn't find or create file '${file}' for FileStreamSinkTask`,
    );
  });
});

describe('valueToString', () => {
  it('prints values as Java\'s println(record.value()) does', () => {
    expect(valueToString('s')).toBe('s');
    expect(valueToString(null)).toBe('null');
    expect(valueToString(7)).toBe('7');
    expect(valueToString(7n)).toBe('7');
    expect(valueToString(true)).toBe('true');
    expect(valueToString(['a', 1])).toBe('[a, 1]');
    expect(valueToString(new Map([['k', 'v'], ['n', null]]))).toBe('{k=v, n=null}');
    expect(valueToString({ a: 1, b: 'x' })).toBe('{a=1, b=x}');
    expect(valueToString(new Uint8Array([1, 255]))).toBe('[1, -1]');
    class Described {
      toString(): string {
        return 'Struct{a=1}';
      }
    }
    expect(valueToString(new Described())).toBe('Struct{a=1}');
  });

  it('prints FLOAT64 values as Double.toString does', () => {
    const f64 = new Schema({ type: Type.FLOAT64 });
    expect(valueToString(1, f64)).toBe('1.0');
    expect(valueToString(1.5, f64)).toBe('1.5');
    expect(valueToString(1e7, f64)).toBe('1.0E7');
    expect(valueToString(1.25e-5, f64)).toBe('1.25E-5');
    expect(valueToString(0, f64)).toBe('0.0');
    expect(valueToString(Number.NaN, f64)).toBe('NaN');
    expect(valueToString([1, 2], new Schema({ type: Type.ARRAY, valueSchema: f64 }))).toBe('[1.0, 2.0]');
  });
});

describe('FileStreamSinkConnector', () => {
  it('creates tasks.max identical task configs', () => {
    const connector = new FileStreamSinkConnector();
    const props = { file: '/tmp/out', topics: 'a' };
    connector.start(props);
    expect(connector.type).toBe('sink');
    expect(connector.taskConfigs(3)).toEqual([props, props, props]);
    expect(connector.taskClass()).toBe(FileStreamSinkTask);
    expect(connector.config().names()).toEqual(['file']);
  });
});

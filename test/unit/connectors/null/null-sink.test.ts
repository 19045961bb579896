import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/api/errors.js';
import type { OffsetMap } from '../../../../src/api/sink.js';
import { CONFIG_DEF } from '../../../../src/connectors/null/config.js';
import { NullSinkConnector } from '../../../../src/connectors/null/null-sink-connector.js';
import { NullSinkTask } from '../../../../src/connectors/null/null-sink-task.js';
import { SinkRecord } from '../../../../src/data/record.js';

/** A task whose progress lines are kept instead of written to stderr. */
class CapturingNullSinkTask extends NullSinkTask {
  readonly lines: string[] = [];
  protected override log(message: string): void {
    this.lines.push(message);
  }
}

const record = (key: unknown, value: unknown, offset = 0): SinkRecord =>
  new SinkRecord('t', 0, null, key, null, value, BigInt(offset));

const bytesRecords = (n: number, size: number): SinkRecord[] =>
  Array.from({ length: n }, (_, i) => record(null, new Uint8Array(size), i));

describe('NullSinkTask', () => {
  it('discards records, counting them and their key and value bytes', async () => {
    const task = new NullSinkTask();
    task.start({});
    task.put([record(new Uint8Array(8), new Uint8Array(100)), record(null, null, 1)]);
    task.put([record('key', 'héllo', 2), record(7, new Map([['a', 1]]), 3)]);
    task.put([]);
    expect(task.recordCount).toBe(4);
    // bytes: 8 + 100; strings by length (3 + 5); numbers, maps and nulls count 0.
    expect(task.byteCount).toBe(116);
    const offsets: OffsetMap = new Map([['t/0', { topic: 't', partition: 0, offset: 4n }]]);
    expect(await task.preCommit(offsets)).toBe(offsets); // everything put() saw is committable
    task.stop();
  });

  it('logs nothing unless log.every.records is set', () => {
    const task = new CapturingNullSinkTask();
    task.start({ name: 'quiet' });
    task.put(bytesRecords(10_000, 10));
    task.stop();
    expect(task.lines).toEqual([]);
  });

  it('logs progress each time another log.every.records records arrived, and once on stop', () => {
    const task = new CapturingNullSinkTask();
    task.start({ name: 'bench-sink', 'log.every.records': '3', 'null.task.index': '2' });
    task.put(bytesRecords(2, 10));
    expect(task.lines).toHaveLength(0);
    task.put(bytesRecords(2, 10)); // 4: past 3
    task.put(bytesRecords(5, 10)); // 9: past 6 and 9, one line
    task.put(bytesRecords(1, 10)); // 10
    task.put(bytesRecords(2, 10)); // 12: past 12
    task.stop();
    expect(task.lines.map((l) => l.slice(0, l.indexOf(';')))).toEqual([
      'NullSinkTask bench-sink-2 progress: 4 records, 40 bytes',
      'NullSinkTask bench-sink-2 progress: 9 records, 90 bytes',
      'NullSinkTask bench-sink-2 progress: 12 records, 120 bytes',
      'NullSinkTask bench-sink-2 stopped: 12 records, 120 bytes',
    ]);
    expect(task.lines[0]).toMatch(/; \d+ records\/s since the last line, \d+ records\/s overall$/);
  });

  it('writes progress lines to stderr in the runtime log format by default', () => {
    const task = new NullSinkTask();
    const written: string[] = [];
    const original = process.stderr.write.bind(process.stderr);
    process.stderr.write = ((chunk: string) => {
      written.push(chunk);
      return true;
    }) as typeof process.stderr.write;
    try {
      task.start({ name: 'n', 'log.every.records': '1' });
      task.put(bytesRecords(1, 5));
    } finally {
      process.stderr.write = original;
    }
    expect(written).toHaveLength(1);
    const line = JSON.parse(written[0]!) as Record<string, unknown>;
    expect(line).toMatchObject({ level: 30, name: 'sluice' });
    expect(line['msg']).toMatch(/^NullSinkTask n-0 progress: 1 records, 5 bytes; /);
  });

  it('starts over on a new start()', () => {
    const task = new NullSinkTask();
    task.start({});
    task.put(bytesRecords(3, 1));
    task.stop();
    task.start({});
    expect([task.recordCount, task.byteCount]).toEqual([0, 0]);
  });
});

describe('NullSinkConnector', () => {
  it('hands out tasks.max task configs, each naming its index', () => {
    const connector = new NullSinkConnector();
    connector.start({ name: 'sink', topics: 'a', 'log.every.records': '1000' });
    expect(connector.taskClass()).toBe(NullSinkTask);
    expect(connector.taskConfigs(3)).toEqual([0, 1, 2].map((i) => ({
      name: 'sink', topics: 'a', 'log.every.records': '1000', 'null.task.index': String(i),
    })));
    expect(connector.version()).toMatch(/^\d+\.\d+\.\d+/);
    expect(connector.config()).toBe(CONFIG_DEF);
  });

  it('validates log.every.records', () => {
    const connector = new NullSinkConnector();
    expect(() => connector.start({ 'log.every.records': '-1' })).toThrow(ConfigError);
    expect(() => connector.start({ 'log.every.records': '-1' })).toThrow(
      'Invalid value -1 for configuration log.every.records: Value must be at least 0',
    );
    expect(CONFIG_DEF.validate({ 'log.every.records': 'many' })[0]!.errorMessages).toEqual([
      'Invalid value many for configuration log.every.records: Not a number of type LONG',
      // As in Java, the validator then sees the unparsable value as null.
      'Invalid value null for configuration log.every.records: Value must be non-null',
    ]);
    expect(CONFIG_DEF.validate({})[0]!.errorMessages).toEqual([]);
  });
});

describe('NullSinkTask latency.file', () => {
  it('writes each record\'s age at arrival (now − timestamp) as a histogram when it stops', async () => {
    const { mkdtempSync, readFileSync, rmSync } = await import('node:fs');
    const { tmpdir } = await import('node:os');
    const { join } = await import('node:path');
    const hdr = await import('hdr-histogram-js');
    const dir = mkdtempSync(join(tmpdir(), 'null-latency-'));
    try {
      const task = new NullSinkTask();
      task.start({ 'latency.file': join(dir, 'lat'), 'null.task.index': '3' });
      const now = Date.now();
      // 90 records 20 ms old, 10 records 500 ms old, one without a timestamp (not counted).
      const records = [
        ...Array.from({ length: 90 }, (_, i) => new SinkRecord('t', 0, null, null, null, 'v', BigInt(i), now - 20)),
        ...Array.from({ length: 10 }, (_, i) => new SinkRecord('t', 0, null, null, null, 'v', BigInt(90 + i), now - 500)),
        new SinkRecord('t', 0, null, null, null, 'v', 100n, null),
      ];
      task.put(records);
      task.stop();
      const summary = JSON.parse(readFileSync(join(dir, 'lat.task-3.json'), 'utf8'));
      expect(summary.count).toBe(100);
      expect(summary.p50_ms).toBeGreaterThanOrEqual(20);
      expect(summary.p50_ms).toBeLessThan(100);
      expect(summary.p99_ms).toBeGreaterThanOrEqual(500);
      expect(summary.max_ms).toBeLessThan(700);
      // The histogram itself decodes, for merging across tasks.
      expect(hdr.decodeFromCompressedBase64(summary.histogram).totalCount).toBe(100);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

/**
 * The benchmark pair end to end through the real CLI and a real broker: Datagen (count=50,000,
 * json, sequence keys, two tasks) → a 3-partition topic → NullSink (two tasks). What a benchmark
 * relies on: the topic holds every sequence exactly once, with the key matching the value, each
 * value the configured size; the null sink's group commits the whole topic; on a clean stop the
 * source offsets name each task's last sequence.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageCount } from '../helpers/kafka-inspect.js';
import { bootstrap, committedOffsets, consumeAll, createTopic, uniqueTopic } from '../helpers/kafka.js';
import { cleanedUpRuns, freePort, startStandalone, waitFor, writeProperties } from '../helpers/sluice-process.js';

const COUNT = 50_000;
const RECORD_SIZE = 120;
const { running, dirs } = cleanedUpRuns();

const sum = (offsets: Record<number, number>): number => Object.values(offsets).reduce((a, b) => a + b, 0);

describe('standalone Datagen → Kafka → NullSink', () => {
  it('puts every sequence in the topic exactly once and the null sink commits them all', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-datagen-'));
    dirs.push(dir);
    const topic = uniqueTopic('datagen');
    await createTopic(topic, 3);
    const restPort = await freePort();
    const worker = writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': bootstrap(),
      'key.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable': 'false',
      'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
      'value.converter.schemas.enable': 'false',
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': 1000,
      listeners: `http://127.0.0.1:${restPort}`,
    });
    const source = writeProperties(join(dir, 'datagen.properties'), {
      name: 'datagen', 'connector.class': 'Datagen', 'tasks.max': 2, topic,
      count: COUNT, format: 'json', 'key.pattern': 'sequence', 'record.size': RECORD_SIZE,
    });
    // The sink keeps raw bytes, as a benchmark sink would.
    const sink = writeProperties(join(dir, 'null.properties'), {
      name: 'null-sink', 'connector.class': 'Null', 'tasks.max': 2, topics: topic,
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'log.every.records': 10_000,
    });
    const run = startStandalone(dir, worker, [source, sink], restPort);
    running.push(run);
    const log = (): string => (existsSync(run.logFile) ? readFileSync(run.logFile, 'utf8') : '(no log)');

    try {
      const messages = await consumeAll(topic, COUNT, 90_000);
      const seen = new Uint8Array(COUNT);
      let duplicates = 0;
      for (const m of messages) {
        const text = m.value!.toString('utf8');
        const value = JSON.parse(text) as { seq: number; ts: number; user: string; action: string; payload: string };
        expect(Number(m.key!.toString('utf8'))).toBe(value.seq);
        expect(value.seq).toBeGreaterThanOrEqual(0);
        expect(value.seq).toBeLessThan(COUNT);
        if (seen[value.seq]) duplicates++;
        seen[value.seq] = 1;
        expect(m.value!.length).toBe(RECORD_SIZE);
        expect(value.user).toMatch(/^user-\d+$/);
        expect(value.payload).toMatch(/^x+$/);
        expect(m.timestamp).toBe(value.ts);
      }
      expect(duplicates).toBe(0);
      expect(seen.every((v) => v === 1)).toBe(true);

      const committed = await waitFor(
        'the null sink group to commit every record',
        async () => {
          const offsets = await committedOffsets('connect-null-sink', topic);
          return sum(offsets) >= COUNT ? offsets : undefined;
        },
        60_000,
        500,
      );
      expect(sum(committed)).toBe(COUNT);
      // Nothing beyond count was produced.
      expect(await messageCount(topic)).toBe(COUNT);

      const status = (await (await fetch(`${run.restUrl}/connectors?expand=status`)).json()) as Record<
        string, { status: { tasks: { state: string }[] } }
      >;
      expect(status['datagen']!.status.tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
      expect(status['null-sink']!.status.tasks.map((t) => t.state)).toEqual(['RUNNING', 'RUNNING']);
      expect(log()).toMatch(/NullSinkTask null-sink-[01] progress: \d+ records, \d+ bytes/);

      run.proc.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
      // Task 0 emitted 0, 2, …, 49998; task 1 emitted 1, 3, …, 49999.
      const offsets = JSON.parse(readFileSync(join(dir, 'connect.offsets'), 'utf8')) as {
        offsets: { key: [string, { task: number }]; value: { seq: number } }[];
      };
      expect(offsets.offsets.map((o) => [o.key[1].task, o.value.seq]).sort()).toEqual([[0, COUNT - 2], [1, COUNT - 1]]);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n--- sluice log ---\n${log().slice(-5000)}`, { cause: err });
    }
  });
});

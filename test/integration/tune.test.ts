/**
 * `sluice tune` against the real broker: it runs a sink at each tasks.max asked for, reports a
 * throughput for each, and leaves the connector's own consumer group untouched (it reads under
 * groups of its own).
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrap, committedOffsets, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';
import { runCli, writeProperties } from '../helpers/sluice-process.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-tune-test-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('sluice tune', () => {
  it('measures a sink at each tasks.max and leaves its consumer group alone', async () => {
    const topic = uniqueTopic('tune');
    await createTopic(topic, 4);
    const value = 'x'.repeat(100);
    // Enough that a null sink at a few million records/s spans several 100 ms commits (300,000
    // records were moved between two progress polls on a fast day).
    for (let chunk = 0; chunk < 75; chunk++) {
      await produce(topic, Array.from({ length: 20_000 }, (_, i) => ({ value, partition: i % 4 })));
    }
    const worker = writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': bootstrap(),
      'key.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
      'value.converter': 'org.apache.kafka.connect.converters.ByteArrayConverter',
    });
    const connector = writeProperties(join(dir, 'null.properties'), { name: 'tuned', 'connector.class': 'Null', topics: topic });
    const json = join(dir, 'tune.json');
    const r = await runCli(['tune', worker, connector, '--tasks', '1,2', '--seconds', '1', '--warmup', '0', '--json', json], 180_000);
    expect(r.stderr).toBe('');
    expect(r.code, r.stdout).toBe(0);
    expect(r.stdout).toMatch(/\| 1 \| [\d,]+ \|/);
    expect(r.stdout).toMatch(/\| 2 \| [\d,]+ \|/);
    expect(r.stdout).toMatch(/fastest: tasks\.max=[12] /);
    const report = JSON.parse(readFileSync(json, 'utf8')) as { kind: string; results: { tasks: number; ok: boolean; records_per_sec: number }[] };
    expect(report.kind).toBe('sink');
    expect(report.results.map((x) => [x.tasks, x.ok])).toEqual([[1, true], [2, true]]);
    for (const x of report.results) expect(x.records_per_sec).toBeGreaterThan(0);
    expect(await committedOffsets('connect-tuned', topic)).toEqual({});
  });

  it('names the file and key when the connector config lacks topics', async () => {
    const worker = writeProperties(join(dir, 'w2.properties'), { 'bootstrap.servers': bootstrap() });
    const connector = writeProperties(join(dir, 'bad.properties'), { name: 'bad', 'connector.class': 'Null' });
    const r = await runCli(['tune', worker, connector], 60_000);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`${connector}: topics is not set`);
  });
});

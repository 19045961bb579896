/**
 * A sink task's thread dies (its plugin calls process.exit inside the task thread): the task is
 * FAILED with the reason in its trace, while the worker and a neighbouring sink task keep running.
 * The crashing plugin is loaded from plugin.path, as a user's own plugin would be.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { bootstrap, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';
import { freePort, startStandalone, waitFor, writeProperties, type SluiceRun } from '../helpers/sluice-process.js';

const SLUICE_API = pathToFileURL(resolve(import.meta.dirname, '..', '..', 'dist', 'index.js')).href;

const CRASHING_PLUGIN = `
import { ConfigDef, SinkConnector, SinkTask } from '${SLUICE_API}';

class CrashingSinkTask extends SinkTask {
  version() { return '1.0'; }
  start() {}
  stop() {}
  put(records) {
    // Ends this task's thread, as a native crash or a careless plugin would.
    for (const r of records) if (r.value === 'die') process.exit(3);
  }
}

class CrashingSinkConnector extends SinkConnector {
  version() { return '1.0'; }
  start(props) { this.props = props; }
  stop() {}
  taskClass() { return CrashingSinkTask; }
  taskConfigs(max) { return [{ ...this.props }]; }
  config() { return new ConfigDef(); }
}

export const plugins = [
  { kind: 'sink', className: 'dev.sluice.test.CrashingSinkConnector', version: '1.0', create: () => new CrashingSinkConnector() },
];
`;

let run: SluiceRun | undefined;
let dir: string | undefined;

afterAll(async () => {
  if (run && run.proc.exitCode === null) {
    run.proc.kill('SIGKILL');
    await run.exited;
  }
  if (dir && !process.env.KEEP_TEST_DIRS) rmSync(dir, { recursive: true, force: true });
});

function lines(file: string): string[] {
  return existsSync(file) ? readFileSync(file, 'utf8').split('\n').filter((l) => l.length > 0) : [];
}

describe('task threads', () => {
  it('marks a task FAILED when its thread dies, and its neighbour keeps running', async () => {
    dir = mkdtempSync(join(tmpdir(), 'sluice-thread-'));
    mkdirSync(join(dir, 'plugins'));
    writeFileSync(join(dir, 'plugins', 'crashing-sink.mjs'), CRASHING_PLUGIN);
    const crashTopic = uniqueTopic('crash');
    const okTopic = uniqueTopic('ok');
    await createTopic(crashTopic);
    await createTopic(okTopic);
    const out = join(dir, 'neighbour.txt');
    const restPort = await freePort();
    const worker = writeProperties(join(dir, 'worker.properties'), {
      'bootstrap.servers': bootstrap(),
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
      'offset.storage.file.filename': join(dir, 'connect.offsets'),
      'offset.flush.interval.ms': 1000,
      'plugin.path': join(dir, 'plugins'),
      listeners: `http://127.0.0.1:${restPort}`,
    });
    const crashing = writeProperties(join(dir, 'crashing.properties'), {
      name: 'crashing', 'connector.class': 'CrashingSink', topics: crashTopic,
    });
    const neighbour = writeProperties(join(dir, 'neighbour.properties'), {
      name: 'neighbour', 'connector.class': 'FileStreamSink', topics: okTopic, file: out,
    });
    run = startStandalone(dir, worker, [crashing, neighbour], restPort);
    const status = async (name: string) =>
      (await (await fetch(`${run!.restUrl}/connectors/${name}/status`)).json()) as {
        tasks: { state: string; trace?: string }[];
      };

    await produce(okTopic, Array.from({ length: 10 }, (_, i) => ({ value: `before-${i}` })));
    await produce(crashTopic, [{ value: 'fine' }]);
    await waitFor('the neighbour to write 10 lines', () => lines(out).length === 10, 60_000);
    expect((await status('crashing')).tasks[0]!.state).toBe('RUNNING');

    await produce(crashTopic, [{ value: 'die' }]);
    const failed = await waitFor('the crashing task to be FAILED', async () => {
      const s = await status('crashing');
      return s.tasks[0]!.state === 'FAILED' ? s.tasks[0]! : null;
    }, 60_000);
    expect(failed.trace).toMatch(/exit/i);

    // The neighbour, on its own thread, goes on.
    await produce(okTopic, Array.from({ length: 10 }, (_, i) => ({ value: `after-${i}` })));
    await waitFor('the neighbour to write 20 lines', () => lines(out).length === 20, 60_000);
    expect(lines(out)).toEqual([
      ...Array.from({ length: 10 }, (_, i) => `before-${i}`),
      ...Array.from({ length: 10 }, (_, i) => `after-${i}`),
    ]);
    expect((await status('neighbour')).tasks[0]!.state).toBe('RUNNING');

    run.proc.kill('SIGTERM');
    expect((await run.exited).code).toBe(0);
  });
});

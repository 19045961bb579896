/**
 * Statuses in distributed mode where they used to go wrong, checked as a user sees them (REST) and
 * as the status topic holds them:
 * - a connector whose taskConfigs() throws is FAILED, with the error in its trace (it used to stay
 *   RUNNING with no tasks, the error only in a log), and a fixed config brings it back;
 * - after DELETE, the connector's and its tasks' statuses stay deleted: the tasks shutting down
 *   must not write UNASSIGNED over the tombstones the leader wrote.
 * Two workers on the integration project's broker; the failing connector comes from plugin.path,
 * as a user's own plugin would.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDistributedWorker, type ClusterSettings, type DistributedWorker } from '../helpers/distributed-process.js';
import { messageCount } from '../helpers/kafka-inspect.js';
import { consumeAll, createTopic, uniqueTopic } from '../helpers/kafka.js';
import { restClient, type RestResponse } from '../helpers/rest-client.js';
import { waitFor } from '../helpers/sluice-process.js';

const SLUICE_API = pathToFileURL(resolve(import.meta.dirname, '..', '..', 'dist', 'index.js')).href;

const PLUGIN = `
import { ConfigDef, SourceConnector, SourceTask } from '${SLUICE_API}';

class IdleTask extends SourceTask {
  version() { return '1.0'; }
  start() {}
  async poll() { await new Promise((r) => setTimeout(r, 200)); return null; }
  stop() {}
}

class SplittingConnector extends SourceConnector {
  version() { return '1.0'; }
  start(props) { this.props = props; }
  stop() {}
  taskClass() { return IdleTask; }
  taskConfigs(max) {
    if (this.props['split.fails'] === 'true') throw new Error('cannot split the work: the table list is empty');
    return [{ ...this.props }];
  }
  config() { return new ConfigDef(); }
}

export const plugins = [
  { kind: 'source', className: 'dev.sluice.test.SplittingConnector', version: '1.0', create: () => new SplittingConnector() },
];
`;

const dir = mkdtempSync(join(tmpdir(), 'sluice-distributed-status-'));
const workers: DistributedWorker[] = [];
let settings: ClusterSettings;

interface Status {
  connector: { state: string; worker_id: string; trace?: string };
  tasks: { id: number; state: string; worker_id: string; trace?: string }[];
}

function logs(): string {
  return workers.map((w) => `--- ${w.name} (${w.workerId}) ---\n${w.log().slice(-4000)}`).join('\n');
}

async function withLogs(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    throw new Error(`${(err as Error).message}\n${logs()}`, { cause: err });
  }
}

/** Retries a write while the group rebalances (409), as a client would. */
function settled(what: string, call: () => Promise<RestResponse>): Promise<RestResponse> {
  return waitFor(what, async () => {
    const res = await call();
    if (res.status === 409) throw new Error(`409: ${JSON.stringify(res.body)}`);
    return res;
  }, 30_000, 250);
}

beforeAll(async () => {
  mkdirSync(join(dir, 'plugins'));
  writeFileSync(join(dir, 'plugins', 'splitting-connector.mjs'), PLUGIN);
  settings = {
    groupId: uniqueTopic('connect-status'),
    configTopic: uniqueTopic('connect-configs'),
    offsetTopic: uniqueTopic('connect-offsets'),
    statusTopic: uniqueTopic('connect-statuses'),
    extra: {
      'plugin.path': join(dir, 'plugins'),
      'scheduled.rebalance.max.delay.ms': 3000, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 1000,
    },
  };
  for (const name of ['s1', 's2']) workers.push(await startDistributedWorker(dir, name, settings));
  await withLogs(async () => {
    await Promise.all(workers.map((w) => waitFor(`${w.name} to serve REST`, async () => (await restClient(w.restUrl).get('/connectors')).status === 200, 60_000, 200)));
  });
}, 120_000);

afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  rmSync(dir, { recursive: true, force: true });
});

describe('distributed statuses', () => {
  it('reports a connector whose task configs cannot be generated as FAILED, with the error as its trace', () =>
    withLogs(async () => {
      const [a, b] = workers.map((w) => restClient(w.restUrl));
      const config = { 'connector.class': 'dev.sluice.test.SplittingConnector', 'tasks.max': '1', 'split.fails': 'true' };
      expect((await settled('the create', () => a!.post('/connectors', { name: 'splitter', config }))).status).toBe(201);

      // Any worker answers with the status the owner wrote.
      const failed = await waitFor('splitter to be FAILED', async () => {
        const res = await b!.get('/connectors/splitter/status');
        const s = res.body as Status;
        return res.status === 200 && s.connector.state === 'FAILED' ? s : undefined;
      }, 30_000, 250);
      expect(failed.connector.trace).toContain('cannot split the work: the table list is empty');
      expect(workers.map((w) => w.workerId)).toContain(failed.connector.worker_id);
      expect(failed.tasks).toEqual([]);
      // And it stays FAILED: nothing restarts a failed connector by itself.
      await new Promise((r) => setTimeout(r, 2_000));
      expect(((await a!.get('/connectors/splitter/status')).body as Status).connector.state).toBe('FAILED');

      // A config that works starts it again, with its task.
      const patched = await settled('the config fix', () => b!.put('/connectors/splitter/config', { ...config, 'split.fails': 'false' }));
      expect(patched.status).toBe(200);
      const running = await waitFor('splitter to run with its task', async () => {
        const s = (await a!.get('/connectors/splitter/status')).body as Status;
        return s.connector.state === 'RUNNING' && s.tasks.length === 1 && s.tasks[0]!.state === 'RUNNING' ? s : undefined;
      }, 30_000, 250);
      expect(running.connector.trace).toBeUndefined();

      expect((await settled('the delete', () => a!.delete('/connectors/splitter'))).status).toBe(204);
      await waitFor('splitter to be gone', async () => (await b!.get('/connectors/splitter/status')).status === 404, 15_000, 250);
    }), 90_000);

  it('keeps a deleted connector\'s statuses deleted while its tasks shut down', () =>
    withLogs(async () => {
      const [a, b] = workers.map((w) => restClient(w.restUrl));
      const topic = uniqueTopic('status-delete');
      await createTopic(topic, 1);
      const config = { 'connector.class': 'Datagen', 'tasks.max': '2', topic, rate: '20', format: 'json' };
      expect((await settled('the create', () => a!.post('/connectors', { name: 'doomed', config }))).status).toBe(201);
      // Two tasks on two workers: one of them shuts down on a worker that is not the leader.
      await waitFor('doomed to run on both workers', async () => {
        const s = (await b!.get('/connectors/doomed/status')).body as Status;
        return s.connector?.state === 'RUNNING' && s.tasks.length === 2 && s.tasks.every((t) => t.state === 'RUNNING') &&
          new Set(s.tasks.map((t) => t.worker_id)).size === 2;
      }, 30_000, 250);

      expect((await settled('the delete', () => b!.delete('/connectors/doomed'))).status).toBe(204);
      // Long enough for both tasks to stop and report (task.shutdown.graceful.timeout.ms is 5 s at most).
      await new Promise((r) => setTimeout(r, 4_000));
      for (const r of [a!, b!]) {
        expect((await r.get('/connectors/doomed/status')).status).toBe(404);
        expect((await r.get('/connectors/doomed/tasks/0/status')).status).toBe(404);
        expect((await r.get('/connectors/doomed/tasks/1/status')).status).toBe(404);
        expect((await r.get('/connectors')).body).not.toContain('doomed');
      }

      // In the status topic the last record of each of its keys is a tombstone (DESTROYED).
      const statusTopic = settings.statusTopic;
      const records = await consumeAll(statusTopic, await messageCount(statusTopic));
      const latest = new Map<string, string | null>();
      for (const r of records) latest.set(r.key!.toString(), r.value === null ? null : r.value.toString());
      const keys = ['status-connector-doomed', 'status-task-doomed-0', 'status-task-doomed-1'];
      for (const key of keys) expect(latest.has(key), `${key} was written`).toBe(true);
      expect(Object.fromEntries(keys.map((k) => [k, latest.get(k)]))).toEqual(Object.fromEntries(keys.map((k) => [k, null])));
    }), 90_000);
});

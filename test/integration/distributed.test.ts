/**
 * `sluice distributed` end to end: three worker processes in one group against the real broker.
 * A Datagen source (sequence numbers in its values) and a FileStreamSink are created through one
 * worker; every worker serves the config; tasks spread evenly; one worker is SIGKILLed under load
 * and its tasks come back RUNNING on the survivors; the sink's file holds every sequence number
 * up to a point, with few duplicates.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startDistributedWorker, type DistributedWorker } from '../helpers/distributed-process.js';
import { createTopic, uniqueTopic } from '../helpers/kafka.js';
import { restClient } from '../helpers/rest-client.js';
import { runCli, waitFor, writeProperties } from '../helpers/sluice-process.js';

const workers: DistributedWorker[] = [];
const dirs: string[] = [];

afterAll(async () => {
  for (const w of workers) if (w.proc.exitCode === null && w.proc.signalCode === null) w.proc.kill('SIGKILL');
  await Promise.all(workers.map((w) => w.exited));
  for (const d of dirs) rmSync(d, { recursive: true, force: true });
});

function clusterSettings(extra: Record<string, string | number> = {}) {
  return {
    groupId: uniqueTopic('connect-cluster'),
    configTopic: uniqueTopic('connect-configs'),
    offsetTopic: uniqueTopic('connect-offsets'),
    statusTopic: uniqueTopic('connect-status'),
    extra: { 'scheduled.rebalance.max.delay.ms': 3000, 'session.timeout.ms': 6000, 'heartbeat.interval.ms': 1000, ...extra },
  };
}

interface Status {
  connector: { state: string; worker_id: string };
  tasks: { id: number; state: string; worker_id: string }[];
}

/** Every `{seq=N, ...}` the sink wrote (a line cut by a killed writer still yields the next record). */
function sinkSeqs(file: string): number[] {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, 'utf8').matchAll(/\{seq=(\d+),/g)].map((m) => Number(m[1]));
}

describe('sluice distributed', () => {
  it('spreads work over the group and moves a killed worker\'s tasks to the survivors without losing records', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-distributed-'));
    dirs.push(dir);
    const cluster = clusterSettings({
      'offset.flush.interval.ms': 500,
      // The sink's consumer group must also notice the dead worker's consumer quickly.
      'consumer.session.timeout.ms': 6000,
      'consumer.heartbeat.interval.ms': 1000,
    });
    const topic = uniqueTopic('distributed-datagen');
    await createTopic(topic, 2);
    for (const name of ['w1', 'w2', 'w3']) workers.push(await startDistributedWorker(dir, name, cluster));
    const logs = (): string => workers.map((w) => `--- ${w.name} (${w.workerId}) ---\n${w.log().slice(-4000)}`).join('\n');
    const rest = workers.map((w) => restClient(w.restUrl));

    try {
      // Every worker is up and in the group (a write answers only once it holds an assignment).
      await Promise.all(rest.map((r, i) => waitFor(`worker ${workers[i]!.name} to serve REST`, async () => (await r.get('/connectors')).status === 200, 60_000, 200)));

      const output = join(dir, 'sink.txt');
      const sourceConfig = {
        'connector.class': 'dev.sluice.connect.datagen.DatagenSourceConnector',
        'tasks.max': '2', topic, format: 'json', 'record.size': '60', rate: '400', 'batch.size': '50',
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false',
      };
      const sinkConfig = {
        'connector.class': 'FileStreamSink', 'tasks.max': '2', topics: topic, file: output,
        'value.converter': 'org.apache.kafka.connect.json.JsonConverter', 'value.converter.schemas.enable': 'false',
      };
      const created = await waitFor('the source to be created through w1', async () => {
        const r = await rest[0]!.post('/connectors', { name: 'datagen', config: sourceConfig });
        return r.status === 201 ? r : undefined;
      }, 30_000, 250);
      expect(created.body.name).toBe('datagen');
      // A worker still joining makes the group rebalance, and writes answer 409 meanwhile: retry.
      const sinkCreated = await waitFor('the sink to be created through w2', async () => {
        const r = await rest[1]!.post('/connectors', { name: 'file-sink', config: sinkConfig });
        return r.status === 201 ? r : undefined;
      }, 30_000, 250);
      expect(sinkCreated.body.name).toBe('file-sink');
      const createdAt = Date.now();

      // The configs are visible through every other worker's REST within a second.
      await Promise.all(rest.map((r) => waitFor('the configs on every worker', async () => {
        const list = (await r.get('/connectors')).body as string[];
        return list.includes('datagen') && list.includes('file-sink');
      }, 1000, 50)));
      expect(Date.now() - createdAt).toBeLessThan(1500);
      expect((await rest[2]!.get('/connectors/datagen/config')).body).toMatchObject({ ...sourceConfig, name: 'datagen' });

      // Four tasks over three workers, at most one apart; every worker reports the same statuses.
      const ids = workers.map((w) => w.workerId);
      const running = async (r: (typeof rest)[number], name: string, alive: string[]): Promise<Status | undefined> => {
        const s = (await r.get(`/connectors/${name}/status`)).body as Status;
        const ok = s.connector?.state === 'RUNNING' && alive.includes(s.connector.worker_id) && s.tasks.length === 2 &&
          s.tasks.every((t) => t.state === 'RUNNING' && alive.includes(t.worker_id));
        return ok ? s : undefined;
      };
      const [source, sink] = await Promise.all([
        waitFor('datagen to run', () => running(rest[2]!, 'datagen', ids), 30_000, 200),
        waitFor('the sink to run', () => running(rest[0]!, 'file-sink', ids), 30_000, 200),
      ]);
      const perWorker = ids.map((id) => [...source.tasks, ...sink.tasks].filter((t) => t.worker_id === id).length);
      expect(Math.max(...perWorker) - Math.min(...perWorker), `tasks per worker: ${perWorker}`).toBeLessThanOrEqual(1);

      // Active topics (KIP-558) are shared through the status topic: any worker answers for both connectors.
      for (const [r, name] of [[rest[0]!, 'datagen'], [rest[2]!, 'file-sink']] as const) {
        await waitFor(`${name}'s active topics`, async () => {
          const body = (await r.get(`/connectors/${name}/topics`)).body as Record<string, { topics: string[] }>;
          return JSON.stringify(body) === JSON.stringify({ [name]: { topics: [topic] } });
        }, 15_000, 200);
      }

      // Under load, kill the worker running the most tasks (any if tied), without warning.
      await waitFor('records in the sink file', () => sinkSeqs(output).length > 500, 30_000, 200);
      const victim = workers[perWorker.indexOf(Math.max(...perWorker))]!;
      const survivors = workers.filter((w) => w !== victim);
      const survivorIds = survivors.map((w) => w.workerId);
      victim.proc.kill('SIGKILL');
      await victim.exited;
      const seenAtKill = sinkSeqs(output).length;

      // After the session timeout and the scheduled delay, its work runs on the survivors.
      const survivorRest = survivors.map((w) => restClient(w.restUrl));
      await Promise.all([
        waitFor('datagen to run on the survivors', () => running(survivorRest[0]!, 'datagen', survivorIds), 40_000, 250),
        waitFor('the sink to run on the survivors', () => running(survivorRest[1]!, 'file-sink', survivorIds), 40_000, 250),
      ]);
      await waitFor('the sink to keep receiving records', () => sinkSeqs(output).length > seenAtKill + 1000, 30_000, 200);

      // Stop generating, let the sink drain, then check the sequence numbers task by task. Right
      // after the failover the group may still be rebalancing (the sink's tasks moved too): a
      // write answers 409 meanwhile, so retry it as a client would.
      const paused = await waitFor('the pause to be accepted', async () => {
        const r = await survivorRest[0]!.put('/connectors/datagen/pause');
        return r.status === 409 ? undefined : r;
      }, 30_000, 250);
      expect(paused.status).toBe(202);
      let last = -1;
      const seqs = await waitFor('the sink to drain', () => {
        const now = sinkSeqs(output);
        const settled = now.length === last;
        last = now.length;
        return settled ? now : undefined;
      }, 20_000, 1500);
      const duplicates = seqs.length - new Set(seqs).size;
      for (const task of [0, 1]) {
        const mine = [...new Set(seqs.filter((s) => s % 2 === task))].sort((a, b) => a - b);
        expect(mine.length, `task ${task} produced records`).toBeGreaterThan(100);
        // Nothing lost: task N produced N, N+2, N+4, ... and every one of them up to its last reached the file.
        const max = mine[mine.length - 1]!;
        expect(mine.length, `task ${task}: ${(max - task) / 2 + 1 - mine.length} sequence numbers missing below ${max}`).toBe((max - task) / 2 + 1);
      }
      // Duplicates come only from what was produced or consumed after the last commit before the kill.
      expect(duplicates, `${duplicates} duplicates of ${seqs.length}`).toBeLessThan(seqs.length / 4);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${logs()}`, { cause: err });
    }
  }, 120_000);

  it('serves writes through any worker (forwarded to the leader) and leaves the group on SIGTERM', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-distributed-'));
    dirs.push(dir);
    const cluster = clusterSettings();
    const topic = uniqueTopic('distributed-forward');
    await createTopic(topic, 1);
    const pair = [await startDistributedWorker(dir, 'a', cluster), await startDistributedWorker(dir, 'b', cluster)];
    workers.push(...pair);
    const logs = (): string => pair.map((w) => `--- ${w.name} (${w.workerId}) ---\n${w.log().slice(-4000)}`).join('\n');
    const [a, b] = pair.map((w) => restClient(w.restUrl)) as [ReturnType<typeof restClient>, ReturnType<typeof restClient>];
    const config = { 'connector.class': 'Datagen', 'tasks.max': '2', topic, rate: '50', format: 'json' };
    const statusOn = async (r: typeof a, name: string): Promise<Status | undefined> => {
      const res = await r.get(`/connectors/${name}/status`);
      return res.status === 200 ? (res.body as Status) : undefined;
    };
    const allIn = (state: string) => (s: Status | undefined) => s && s.connector.state === state && s.tasks.length === 2 && s.tasks.every((t) => t.state === state);

    try {
      // While a worker joins (the second one makes the group rebalance), writes answer 409 rebalance: retry them.
      const rebalancing = (res: { status: number; body?: { message?: string } }): boolean =>
        res.status === 409 && (res.body?.message ?? '').startsWith('Cannot complete request because of a conflicting operation');
      const settled = <T extends { status: number; body?: { message?: string } }>(what: string, call: () => Promise<T>): Promise<T> =>
        waitFor(what, async () => {
          const res = await call();
          return rebalancing(res) ? undefined : res;
        }, 60_000, 250);
      expect((await settled('the create', () => a.post('/connectors', { name: 'gen', config }))).status).toBe(201);
      // Both workers hold an assignment once gen runs one task on each (2 tasks, 2 workers).
      await waitFor('gen to run on both workers', async () => {
        const s = await statusOn(a, 'gen');
        return allIn('RUNNING')(s) && new Set(s!.tasks.map((t) => t.worker_id)).size === 2;
      }, 30_000, 200);
      // Whichever of the two leads, one of these writes is forwarded.
      const duplicate = await settled('the duplicate create', () => b.post('/connectors', { name: 'gen', config }));
      expect(duplicate.status).toBe(409);
      expect(duplicate.body).toEqual({ error_code: 409, message: 'Connector gen already exists' });
      const invalid = await settled('the invalid create', () => b.put('/connectors/bad/config', { 'connector.class': 'Datagen', 'tasks.max': '1' }));
      expect(invalid.status).toBe(400);
      expect(invalid.body.message).toContain('topic');
      expect(await statusOn(b, 'gen')).toEqual(await statusOn(a, 'gen'));

      for (const [r, other] of [[a, b], [b, a]] as const) {
        expect((await r.put('/connectors/gen/pause')).status).toBe(202);
        await waitFor('gen to pause', async () => allIn('PAUSED')(await statusOn(other, 'gen')), 15_000, 200);
        expect((await r.put('/connectors/gen/resume')).status).toBe(202);
        await waitFor('gen to resume', async () => allIn('RUNNING')(await statusOn(other, 'gen')), 15_000, 200);
      }
      // Only the leader serves a write itself: with ?forward=false (as forwarded requests carry) the follower answers 409.
      const direct = await Promise.all([a, b].map((r) => r.put('/connectors/gen/pause?forward=false')));
      expect(direct.map((r) => r.status).sort()).toEqual([202, 409]);
      expect(direct.find((r) => r.status === 409)!.body.message).toBe('Cannot complete request because of a conflicting operation (e.g. worker rebalance)');
      await waitFor('gen to pause', async () => allIn('PAUSED')(await statusOn(a, 'gen')), 15_000, 200);
      expect((await b.put('/connectors/gen/resume')).status).toBe(202);
      await waitFor('gen to resume', async () => allIn('RUNNING')(await statusOn(a, 'gen')), 15_000, 200);

      // A task restart reaches the worker running it; a connector restart is planned by the leader.
      const before = (await statusOn(a, 'gen'))!;
      const remote = before.tasks.find((t) => t.worker_id !== pair[0]!.workerId)!;
      expect((await a.post(`/connectors/gen/tasks/${remote.id}/restart`)).status).toBe(204);
      expect((await a.post('/connectors/gen/tasks/7/restart')).status).toBe(404);
      const restart = await b.post('/connectors/gen/restart?includeTasks=true');
      expect(restart.status).toBe(202);
      expect(restart.body).toMatchObject({ name: 'gen', connector: { state: 'RESTARTING' }, tasks: [{ id: 0, state: 'RESTARTING' }, { id: 1, state: 'RESTARTING' }] });
      await waitFor('gen to run again', async () => allIn('RUNNING')(await statusOn(b, 'gen')), 15_000, 200);
      // Stopped: no tasks, and the offsets the tasks committed to the offset topic are readable anywhere.
      expect((await b.put('/connectors/gen/stop')).status).toBe(204);
      const stopped = await waitFor('gen to stop', async () => {
        const s = await statusOn(a, 'gen');
        return s?.connector.state === 'STOPPED' && s.tasks.length === 0 ? s : undefined;
      }, 15_000, 200);
      expect(stopped.tasks).toEqual([]);
      expect((await a.get('/connectors/gen/tasks')).body).toEqual([]);
      const offsets = await waitFor('both tasks\' offsets', async () => {
        const o = (await a.get('/connectors/gen/offsets')).body as { offsets: { partition: { task: number }; offset: { seq: number } }[] };
        return o.offsets.length === 2 ? o.offsets : undefined;
      }, 15_000, 250);
      expect(offsets.map((o) => o.partition.task).sort()).toEqual([0, 1]);
      for (const o of offsets) expect(o.offset.seq % 2).toBe(o.partition.task);
      expect((await a.put('/connectors/gen/resume')).status).toBe(202);
      await waitFor('gen to run after the stop', async () => allIn('RUNNING')(await statusOn(b, 'gen')), 15_000, 200);
      expect((await b.get('/connectors/nope/status')).status).toBe(404);
      expect((await a.put('/connectors/nope/pause')).status).toBe(404);
      expect((await b.put('/connectors/nope/pause')).status).toBe(404);

      // SIGTERM: the worker stops its tasks, leaves the group and exits 0; the other takes everything over.
      const [leaving, staying] = pair as [DistributedWorker, DistributedWorker];
      const stayingRest = restClient(staying.restUrl);
      leaving.proc.kill('SIGTERM');
      expect(await leaving.exited).toEqual({ code: 0, signal: null });
      expect(leaving.log()).toContain('leaving the group');
      const moved = await waitFor('gen to run on the remaining worker', async () => {
        const s = await statusOn(stayingRest, 'gen');
        return allIn('RUNNING')(s) && [s!.connector, ...s!.tasks].every((i) => i.worker_id === staying.workerId) ? s : undefined;
      }, 30_000, 250);
      expect(moved.tasks.map((t) => t.id)).toEqual([0, 1]);

      expect((await stayingRest.delete('/connectors/gen')).status).toBe(204);
      expect((await stayingRest.get('/connectors')).body).toEqual([]);
      expect((await stayingRest.get('/connectors/gen/status')).status).toBe(404);
    } catch (err) {
      throw new Error(`${(err as Error).message}\n${logs()}`, { cause: err });
    }
  }, 120_000);

  it('names the file and line of a bad worker setting', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'sluice-distributed-'));
    dirs.push(dir);
    const base = {
      'bootstrap.servers': '127.0.0.1:9', 'group.id': 'g', 'config.storage.topic': 'c', 'offset.storage.topic': 'o', 'status.storage.topic': 's',
      'key.converter': 'org.apache.kafka.connect.storage.StringConverter', 'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    };
    const badTimeout = writeProperties(join(dir, 'timeout.properties'), { ...base, 'session.timeout.ms': 'soon' });
    const timeout = await runCli(['distributed', badTimeout]);
    expect(timeout.code).toBe(1);
    expect(timeout.stderr).toContain(`${badTimeout}:8: Invalid value soon for configuration session.timeout.ms`);

    const { ['group.id']: _omitted, ...noGroup } = base;
    const missing = writeProperties(join(dir, 'nogroup.properties'), noGroup);
    const noGroupRun = await runCli(['distributed', missing]);
    expect(noGroupRun.code).toBe(1);
    expect(noGroupRun.stderr).toContain(`${missing}: Missing required configuration "group.id" which has no default value.`);

    const eager = writeProperties(join(dir, 'eager.properties'), { ...base, 'connect.protocol': 'eager' });
    const eagerRun = await runCli(['distributed', eager]);
    expect(eagerRun.code).toBe(1);
    expect(eagerRun.stderr).toContain(`${eager}:8: connect.protocol=eager is not supported by sluice`);
  });
});

/**
 * The distributed herder's reconciliation against fakes: a config topic fed by hand (the real
 * KafkaConfigStore, without Kafka), a recording Worker and StatusListener. No group membership:
 * assignments are handed to the herder as WorkerGroupMember would hand them.
 */
import { describe, expect, it, vi } from 'vitest';
import type { ConnectAssignment } from '../../../src/cluster/distributed/connect-protocol.js';
import { DistributedHerder } from '../../../src/cluster/distributed/distributed-herder.js';
import type { InstanceState } from '../../../src/cluster/herder.js';
import type { StatusListener } from '../../../src/engine/status-listener.js';
import type { Worker } from '../../../src/engine/worker.js';
import type { KafkaStores } from '../../../src/storage/kafka/kafka-stores.js';
import { KafkaConfigStore } from '../../../src/storage/kafka/kafka-config-store.js';
import { KafkaStatusStore } from '../../../src/storage/kafka/kafka-status-store.js';
import { createLogger, LoggerRegistry } from '../../../src/util/logger.js';

const props = (o: Record<string, string>): Buffer => Buffer.from(JSON.stringify({ properties: o }));

function setup(taskConfigs: (name: string, max: number) => Record<string, string>[]) {
  const configs = new KafkaConfigStore(null);
  let offset = 0;
  const write = (key: string, value: Buffer | null): void => configs.applyRecord(key, value, offset++);
  vi.spyOn(configs, 'refresh').mockResolvedValue();

  const worker = {
    startConnector: vi.fn(async () => true),
    stopConnector: vi.fn(async () => {}),
    connectorTaskConfigs: vi.fn(taskConfigs),
    setTargetState: vi.fn(),
    startTask: vi.fn(async () => {}),
    stopTasks: vi.fn(async () => {}),
    stop: vi.fn(async () => {}),
  };
  const states: [string, InstanceState, string | undefined][] = [];
  /** Every reported state, in order, as "<connector> <state>" or "<connector>-<task> <state>". */
  const reports: string[] = [];
  const status: StatusListener = {
    onConnectorState: (name, state, error) => {
      states.push([name, state, error?.message]);
      reports.push(`${name} ${state}`);
    },
    onTaskState: (id, state) => void reports.push(`${id.connector}-${id.task} ${state}`),
  };
  const log = createLogger({ level: 'silent' });
  const statuses = new KafkaStatusStore(null);
  const stores = { configs, statuses, offsets: { refresh: async () => {}, stop: async () => {} } } as unknown as KafkaStores;
  const herder = new DistributedHerder({
    worker: worker as unknown as Worker,
    workerId: () => 'w1:8083',
    stores,
    status,
    member: { bootstrap: '127.0.0.1:9092', groupId: 'g' },
    scheduledRebalanceMaxDelayMs: 3000,
    log,
    workerInfo: async () => ({ version: 'x', commit: 'y', kafka_cluster_id: 'z' }),
    validate: async () => ({ name: '', error_count: 0, groups: [], configs: [] }),
    plugins: () => [],
    registry: {} as never,
    groupAdmin: () => ({}) as never,
    loggers: new LoggerRegistry(log),
  });
  // The herder's own hooks, as the group member and the config store's listener call them.
  const internals = herder as unknown as {
    onAssigned(a: ConnectAssignment, generation: number): Promise<void>;
    reconcile(): Promise<void>;
    applyRestart(request: { connector: string; includeTasks: boolean; onlyFailed: boolean }): Promise<void>;
    /** What start() calls once the stores have read their topics. */
    storesRead(): void;
  };
  const assign = (connectors: string[]): Promise<void> =>
    internals.onAssigned(
      { version: 2, error: 0, leader: 'someone-else', leaderUrl: 'http://127.0.0.1:9/', configOffset: 0, connectors, tasks: [], revokedConnectors: [], revokedTasks: [], delay: 0 },
      1,
    );
  return { herder, internals, write, worker, states, reports, statuses, assign, reconcile: () => internals.reconcile(), stop: () => herder.stop() };
}

describe('DistributedHerder', () => {
  it('answers reads only once it has read its topics, not from empty stores while starting', async () => {
    const h = setup(() => []);
    h.write('connector-c', props({ 'connector.class': 'X' }));
    let answered = false;
    const list = h.herder.connectors().then((names) => {
      answered = true;
      return names;
    });
    const config = h.herder.connectorConfig('c');
    await new Promise((r) => setTimeout(r, 50));
    expect(answered).toBe(false);
    h.internals.storesRead();
    expect(await list).toEqual(['c']);
    expect(await config).toEqual({ 'connector.class': 'X' });
  });

  it('makes a connector whose task configs cannot be generated FAILED with the error, and leaves it so until its config changes', async () => {
    let fail = true;
    const h = setup(() => {
      if (fail) throw new Error('no tables to split');
      return [{ table: 'a' }];
    });
    h.write('connector-c', props({ 'connector.class': 'X', 'tasks.max': '1' }));
    await h.assign(['c']);

    expect(h.worker.startConnector).toHaveBeenCalledOnce();
    expect(h.worker.connectorTaskConfigs).toHaveBeenCalledOnce();
    expect(h.states).toEqual([['c', 'FAILED', 'no tables to split']]);
    // A failed connector does not keep running in the worker.
    expect(h.worker.stopConnector).toHaveBeenCalledWith('c');

    // Later config topic activity (a pause and a resume) neither restarts it nor asks it for tasks again.
    h.write('target-state-c', Buffer.from('{"state":"PAUSED","state.v2":"PAUSED"}'));
    await h.reconcile();
    h.write('target-state-c', Buffer.from('{"state":"STARTED","state.v2":"STARTED"}'));
    await h.reconcile();
    expect(h.worker.startConnector).toHaveBeenCalledOnce();
    expect(h.worker.connectorTaskConfigs).toHaveBeenCalledOnce();
    expect(h.states).toHaveLength(1);

    // A new config starts it again, and this time its tasks are generated.
    fail = false;
    h.write('connector-c', props({ 'connector.class': 'X', 'tasks.max': '1', table: 'a' }));
    await h.reconcile();
    expect(h.worker.startConnector).toHaveBeenCalledTimes(2);
    expect(h.worker.connectorTaskConfigs).toHaveBeenCalledTimes(2);
    expect(h.states).toHaveLength(1);
    await h.stop();
  });

  it('answers a restart of an unknown task in DistributedHerder.restartTask\'s words', async () => {
    const h = setup(() => []);
    h.internals.storesRead();
    h.write('connector-c', props({ 'connector.class': 'X', 'tasks.max': '1' }));
    h.write('task-c-0', props({ task: 'a' }));
    h.write('commit-c', Buffer.from('{"tasks":1}'));
    await expect(h.herder.restartTask('nope', 0)).rejects.toMatchObject({ name: 'NotFoundException', message: 'Unknown connector: nope' });
    await expect(h.herder.restartTask('c', 7)).rejects.toMatchObject({ name: 'NotFoundException', message: 'Unknown task: c-7' });
    await h.stop();
  });

  it('as the leader, deletes after a rebalance the statuses of connectors and tasks the config topic no longer has', async () => {
    const h = setup(() => [{ table: 'a' }]);
    h.internals.storesRead();
    h.write('connector-c', props({ 'connector.class': 'X', 'tasks.max': '2' }));
    h.write('task-c-0', props({ table: 'a' }));
    h.write('commit-c', Buffer.from('{"tasks":1}'));
    const status = (state: string) => h.statuses.serializeStatus({ state: state as never, trace: null, workerId: 'w1:8083', generation: 1 });
    // c had two tasks before; gone was deleted while no leader could clean up after it.
    h.statuses.applyRecord('status-connector-c', status('RUNNING'));
    h.statuses.applyRecord('status-task-c-0', status('RUNNING'));
    h.statuses.applyRecord('status-task-c-1', status('UNASSIGNED'));
    h.statuses.applyRecord('status-connector-gone', status('UNASSIGNED'));
    h.statuses.applyRecord('status-task-gone-0', status('UNASSIGNED'));
    const put = vi.spyOn(h.statuses, 'put').mockResolvedValue();
    const putTask = vi.spyOn(h.statuses, 'putTask').mockResolvedValue();
    (h.herder as unknown as { member: unknown }).member = { memberId: 'me', requestRejoin: () => {}, stop: async () => {} };
    await h.internals.onAssigned(
      { version: 2, error: 0, leader: 'me', leaderUrl: 'http://w1:8083/', configOffset: 0, connectors: [], tasks: [], revokedConnectors: [], revokedTasks: [], delay: 0 },
      2,
    );
    expect(put.mock.calls.map(([s]) => [s.connector, s.state])).toEqual([['gone', 'DESTROYED']]);
    expect(putTask.mock.calls.map(([s]) => [`${s.id.connector}-${s.id.task}`, s.state]).sort()).toEqual([
      ['c-1', 'DESTROYED'],
      ['gone-0', 'DESTROYED'],
    ]);

    // A follower leaves that to the leader.
    put.mockClear();
    putTask.mockClear();
    await h.assign([]);
    expect(put).not.toHaveBeenCalled();
    expect(putTask).not.toHaveBeenCalled();
    await h.stop();
  });

  it('restarts a connector and its tasks as DistributedHerder does: stopped, reported RESTARTING, then started', async () => {
    const h = setup(() => [{ table: 'a' }]);
    h.write('connector-c', props({ 'connector.class': 'X', 'tasks.max': '1' }));
    h.write('task-c-0', props({ table: 'a' }));
    h.write('commit-c', Buffer.from('{"tasks":1}'));
    await h.internals.onAssigned(
      { version: 2, error: 0, leader: 'someone-else', leaderUrl: 'http://127.0.0.1:9/', configOffset: 0, connectors: ['c'], tasks: [{ connector: 'c', task: 0 }], revokedConnectors: [], revokedTasks: [], delay: 0 },
      1,
    );
    // Worker calls and status reports, in the order they happen.
    const order = h.reports;
    order.length = 0;
    h.worker.stopConnector.mockImplementation(async () => void order.push('stop connector'));
    h.worker.stopTasks.mockImplementation(async () => void order.push('stop tasks'));
    h.worker.startConnector.mockImplementation(async () => (order.push('start connector'), true));
    h.worker.startTask.mockImplementation(async () => void order.push('start task'));

    await h.internals.applyRestart({ connector: 'c', includeTasks: true, onlyFailed: false });
    expect(order).toEqual(['stop connector', 'c RESTARTING', 'stop tasks', 'c-0 RESTARTING', 'start connector', 'start task']);
    await h.stop();
  });
});

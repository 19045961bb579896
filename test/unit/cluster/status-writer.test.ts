import { describe, expect, it, vi } from 'vitest';
import { StatusWriter } from '../../../src/cluster/distributed/status-writer.js';
import { KafkaStatusStore } from '../../../src/storage/kafka/kafka-status-store.js';
import { createLogger } from '../../../src/util/logger.js';

/**
 * A status store without a topic: records are applied by hand (as if read back from the status
 * topic), and writes are caught by spies on put/putTask (the unconditional writes).
 */
function setup(existing: Set<string>) {
  const store = new KafkaStatusStore(null);
  const put = vi.spyOn(store, 'put').mockResolvedValue();
  const putTask = vi.spyOn(store, 'putTask').mockResolvedValue();
  const log = createLogger({ level: 'silent' });
  const writer = new StatusWriter(store, () => 'w1:8083', () => 5, log, () => '1.0', (c) => existing.has(c));
  const record = (key: string, state: string | null, workerId = 'w1:8083', generation = 5): void =>
    store.applyRecord(key, state === null ? null : store.serializeStatus({ state: state as 'RUNNING', trace: null, workerId, generation }));
  return { store, put, putTask, writer, record };
}

const flush = (): Promise<void> => new Promise((r) => setImmediate(r));

describe('StatusWriter', () => {
  it('writes connector and task states with the worker id, generation, trace and version', async () => {
    const { writer, put, putTask } = setup(new Set(['c']));
    writer.onConnectorState('c', 'FAILED', new Error('taskConfigs failed'));
    writer.onTaskState({ connector: 'c', task: 1 }, 'RUNNING');
    await flush();
    expect(put).toHaveBeenCalledOnce();
    expect(put.mock.calls[0]![0]).toMatchObject({ connector: 'c', state: 'FAILED', workerId: 'w1:8083', generation: 5, version: '1.0' });
    expect(put.mock.calls[0]![0].trace).toContain('Error: taskConfigs failed');
    expect(putTask.mock.calls[0]![0]).toMatchObject({ id: { connector: 'c', task: 1 }, state: 'RUNNING', trace: null });
  });

  it('does not overwrite a newer owner\'s status with UNASSIGNED', async () => {
    const { writer, putTask, record } = setup(new Set(['c']));
    record('status-task-c-0', 'RUNNING', 'w2:8083', 6);
    writer.onTaskState({ connector: 'c', task: 0 }, 'UNASSIGNED');
    record('status-task-c-1', 'RUNNING', 'w1:8083', 5);
    writer.onTaskState({ connector: 'c', task: 1 }, 'UNASSIGNED');
    await flush();
    expect(putTask.mock.calls.map(([s]) => s.id.task)).toEqual([1]);
  });

  it('writes nothing for a deleted connector, so its tasks shutting down do not bring its statuses back', async () => {
    const existing = new Set(['c']);
    const { writer, put, putTask, record } = setup(existing);
    record('status-connector-c', 'RUNNING');
    record('status-task-c-0', 'RUNNING');
    // DELETE: the config is gone from this worker's view; the leader's tombstones may or may not have been read back yet.
    existing.delete('c');
    writer.onTaskState({ connector: 'c', task: 0 }, 'UNASSIGNED');
    writer.onTaskState({ connector: 'c', task: 0 }, 'RUNNING');
    writer.onConnectorState('c', 'UNASSIGNED');
    writer.onTopicActive('c', 'topic-a', 0);
    await flush();
    expect(put).not.toHaveBeenCalled();
    expect(putTask).not.toHaveBeenCalled();
  });
});

describe('KafkaStatusStore.putSafe after a delete', () => {
  it('refuses to write over a connector\'s tombstones until the connector has a status again', async () => {
    const { store, put, putTask, record } = setup(new Set());
    record('status-connector-c', 'RUNNING');
    record('status-task-c-0', 'RUNNING');
    record('status-connector-c', null); // DESTROYED
    record('status-task-c-0', null);
    const unassigned = { state: 'UNASSIGNED' as const, trace: null, workerId: 'w1:8083', generation: 5 };
    await store.putSafe({ connector: 'c', ...unassigned });
    await store.putTaskSafe({ id: { connector: 'c', task: 0 }, ...unassigned });
    expect(put).not.toHaveBeenCalled();
    expect(putTask).not.toHaveBeenCalled();
    expect(store.get('c')).toBeNull();
    expect(store.getTask({ connector: 'c', task: 0 })).toBeNull();

    // Created again under the same name: once its new status is read back, safe writes go through again.
    record('status-connector-c', 'RUNNING', 'w2:8083', 7);
    await store.putTaskSafe({ id: { connector: 'c', task: 0 }, ...unassigned });
    expect(putTask).toHaveBeenCalledOnce();
    // Another connector that never had a status is written as before.
    await store.putSafe({ connector: 'other', ...unassigned });
    expect(put).toHaveBeenCalledOnce();
  });
});

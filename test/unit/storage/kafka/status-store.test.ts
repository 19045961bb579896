/**
 * How the status store reads the status topic (KafkaStatusBackingStore's rules) and when a
 * putSafe() may overwrite a status. Records are applied as the topic would deliver them.
 */
import { describe, expect, it } from 'vitest';
import { KafkaStatusStore } from '../../../../src/storage/kafka/kafka-status-store.js';
import { canWriteSafely, parseTaskStatusKey, parseTopicStatusKey } from '../../../../src/storage/kafka/status-records.js';

const status = (state: string, workerId: string, generation: number, extra = ''): Buffer =>
  Buffer.from(`{"state":"${state}","trace":null,"worker_id":"${workerId}","generation":${generation}${extra}}`);

describe('reading the status topic', () => {
  it('keeps the latest status per key, in topic order', () => {
    const store = new KafkaStatusStore(null);
    store.applyRecord('status-connector-orders', status('UNASSIGNED', 'w1:8083', 1));
    store.applyRecord('status-connector-orders', status('RUNNING', 'w2:8083', 2));
    store.applyRecord('status-task-orders-0', status('RUNNING', 'w2:8083', 2, ',"version":"4.3.1"'));
    store.applyRecord('status-task-orders-1', status('PAUSED', 'w1:8083', 2));
    expect(store.get('orders')).toMatchObject({ state: 'RUNNING', workerId: 'w2:8083', generation: 2 });
    expect(store.getAll('orders').map((t) => [t.id.task, t.state, t.version])).toEqual([[0, 'RUNNING', '4.3.1'], [1, 'PAUSED', null]]);
    expect(store.connectorNames()).toEqual(['orders']);
  });

  it('drops a connector and its tasks on a connector tombstone, one task on a task tombstone', () => {
    const store = new KafkaStatusStore(null);
    store.applyRecord('status-connector-orders', status('RUNNING', 'w1:8083', 1));
    store.applyRecord('status-task-orders-0', status('RUNNING', 'w1:8083', 1));
    store.applyRecord('status-task-orders-1', status('RUNNING', 'w1:8083', 1));
    store.applyRecord('status-task-orders-1', null);
    expect(store.getAll('orders')).toHaveLength(1);
    store.applyRecord('status-connector-orders', null);
    expect(store.get('orders')).toBeNull();
    expect(store.getAll('orders')).toEqual([]);
  });

  it('tracks active topics per connector and forgets them on a tombstone', () => {
    const store = new KafkaStatusStore(null);
    store.applyRecord('status-topic-lines:connector-orders', Buffer.from('{"topic":{"name":"lines","connector":"orders","task":1,"discoverTimestamp":5}}'));
    expect(store.getTopic('orders', 'lines')).toEqual({ topic: 'lines', connector: 'orders', task: 1, discoverTimestamp: 5 });
    store.applyRecord('status-topic-lines:connector-orders', null);
    expect(store.getAllTopics('orders')).toEqual([]);
  });

  it('ignores unreadable records and unknown keys', () => {
    const store = new KafkaStatusStore(null);
    store.applyRecord('status-connector-orders', Buffer.from('{"state":"SLEEPING","trace":null,"worker_id":"w","generation":1}'));
    store.applyRecord('status-connector-orders', Buffer.from('{"state":"RUNNING","trace":null,"worker_id":"w"}'));
    store.applyRecord('status-task-orders-x', status('RUNNING', 'w', 1));
    store.applyRecord('status-connector-', status('RUNNING', 'w', 1));
    store.applyRecord('other', status('RUNNING', 'w', 1));
    expect(store.connectorNames()).toEqual([]);
    expect(store.getAll('orders')).toEqual([]);
  });

  it('parses keys of names with dashes and topics with dots', () => {
    expect(parseTaskStatusKey('status-task-my-jdbc-source-3')).toEqual({ connector: 'my-jdbc-source', task: 3 });
    expect(parseTaskStatusKey('status-task-x')).toBeNull();
    expect(parseTopicStatusKey('status-topic-db.public.orders:connector-my-conn')).toEqual({ topic: 'db.public.orders', connector: 'my-conn' });
    expect(parseTopicStatusKey('status-topic-:connector-x')).toBeNull();
    expect(parseTopicStatusKey('status-topic-t:connector-')).toBeNull();
  });
});

describe('putSafe rule (a zombie worker cannot overwrite its successor)', () => {
  const current = { state: 'RUNNING' as const, trace: null, workerId: 'w2:8083', generation: 5 };

  it('allows a write when nothing is known, from the same worker, or at a newer or equal generation', () => {
    expect(canWriteSafely(null, { ...current, workerId: 'w1:8083', generation: 1 })).toBe(true);
    expect(canWriteSafely(current, { ...current, state: 'FAILED', generation: 1 })).toBe(true);
    expect(canWriteSafely(current, { ...current, workerId: 'w1:8083', generation: 5 })).toBe(true);
    expect(canWriteSafely(current, { ...current, workerId: 'w1:8083', generation: 6 })).toBe(true);
  });

  it('refuses another worker writing at an older generation', () => {
    expect(canWriteSafely(current, { ...current, workerId: 'w1:8083', generation: 4, state: 'UNASSIGNED' })).toBe(false);
  });
});

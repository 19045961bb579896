/**
 * How the config store reads the config topic (KafkaConfigBackingStore's rules): task configs only
 * become visible with a complete commit, compaction leftovers, deletions and target states.
 * Records are applied as the topic would deliver them; nothing here talks to Kafka.
 */
import { describe, expect, it } from 'vitest';
import { KafkaConfigStore } from '../../../../src/storage/kafka/kafka-config-store.js';
import { parseTaskKey } from '../../../../src/storage/kafka/config-records.js';

/** A config topic fed record by record. */
function topic(): { store: KafkaConfigStore; write: (key: string, value: string | null) => void } {
  const store = new KafkaConfigStore(null);
  let offset = 0;
  return { store, write: (key, value) => store.applyRecord(key, value === null ? null : Buffer.from(value), offset++) };
}

const props = (o: Record<string, string>): string => JSON.stringify({ properties: o });

describe('task configs and commits', () => {
  it('applies task configs only when the commit arrives', () => {
    const { store, write } = topic();
    write('connector-orders', props({ 'connector.class': 'FileStreamSource', 'tasks.max': '2' }));
    write('task-orders-0', props({ file: 'a' }));
    write('task-orders-1', props({ file: 'b' }));
    expect(store.snapshot().tasks('orders')).toEqual([]);
    expect(store.snapshot().taskConfig({ connector: 'orders', task: 0 })).toBeNull();

    write('commit-orders', '{"tasks":2}');
    const s = store.snapshot();
    expect(s.tasks('orders')).toEqual([{ connector: 'orders', task: 0 }, { connector: 'orders', task: 1 }]);
    expect(s.taskConfig({ connector: 'orders', task: 1 })).toEqual({ file: 'b' });
    expect(s.taskCount('orders')).toBe(2);
    expect(s.taskConfigGenerations.get('orders')).toBe(0);
    expect(s.connectorsPendingFencing.has('orders')).toBe(true);
    expect(s.inconsistentConnectors.size).toBe(0);
  });

  it('marks a connector inconsistent when compaction removed a committed task config, until a complete commit', () => {
    const { store, write } = topic();
    write('connector-orders', props({ 'tasks.max': '2' }));
    // task-orders-0 of the first generation was compacted away.
    write('task-orders-1', props({ file: 'b' }));
    write('commit-orders', '{"tasks":2}');
    expect(store.snapshot().inconsistentConnectors).toEqual(new Set(['orders']));
    expect(store.snapshot().tasks('orders')).toEqual([]);

    write('task-orders-0', props({ file: 'a2' }));
    write('task-orders-1', props({ file: 'b2' }));
    write('commit-orders', '{"tasks":2}');
    const s = store.snapshot();
    expect(s.inconsistentConnectors.size).toBe(0);
    expect(s.taskConfig({ connector: 'orders', task: 0 })).toEqual({ file: 'a2' });
  });

  it('does not count leftover configs of higher task numbers as an inconsistency after a reduction', () => {
    const { store, write } = topic();
    write('connector-orders', props({ 'tasks.max': '1' }));
    write('task-orders-1', props({ file: 'old' }));
    write('task-orders-0', props({ file: 'new' }));
    write('commit-orders', '{"tasks":1}');
    const s = store.snapshot();
    expect(s.inconsistentConnectors.size).toBe(0);
    expect(s.tasks('orders')).toEqual([{ connector: 'orders', task: 0 }]);
  });

  it('reads a commit of zero tasks', () => {
    const { store, write } = topic();
    write('connector-orders', props({}));
    write('commit-orders', '{"tasks":0}');
    expect(store.snapshot().taskCount('orders')).toBe(0);
    expect(store.snapshot().inconsistentConnectors.size).toBe(0);
  });

  it('parses task keys of connectors whose names contain dashes', () => {
    expect(parseTaskKey('task-my-jdbc-source-12')).toEqual({ connector: 'my-jdbc-source', task: 12 });
    expect(parseTaskKey('task-x')).toBeNull();
    expect(parseTaskKey('task-orders-one')).toBeNull();
  });
});

describe('connectors and target states', () => {
  it('gives a new connector the STARTED target state', () => {
    const { store, write } = topic();
    write('connector-orders', props({ name: 'orders' }));
    expect(store.snapshot().targetState('orders')).toBe('STARTED');
    expect(store.contains('orders')).toBe(true);
  });

  it('keeps an initial target state written before the connector config', () => {
    const { store, write } = topic();
    write('target-state-orders', '{"state":"PAUSED","state.v2":"STOPPED"}');
    write('connector-orders', props({ name: 'orders' }));
    expect(store.snapshot().targetState('orders')).toBe('STOPPED');
  });

  it('falls back on the v0 "state" field when "state.v2" is missing or not a string', () => {
    const { store, write } = topic();
    write('connector-orders', props({}));
    write('target-state-orders', '{"state":"PAUSED"}');
    expect(store.snapshot().targetState('orders')).toBe('PAUSED');
    write('target-state-orders', '{"state":"STARTED","state.v2":5}');
    expect(store.snapshot().targetState('orders')).toBe('STARTED');
    write('target-state-orders', '{"state":"RUNNING"}');
    expect(store.snapshot().targetState('orders')).toBe('STARTED');
  });

  it('deletes a connector, its task configs and counts on a tombstone', () => {
    const { store, write } = topic();
    write('connector-orders', props({}));
    write('task-orders-0', props({ file: 'a' }));
    write('commit-orders', '{"tasks":1}');
    write('connector-other', props({}));
    write('connector-orders', null);
    write('target-state-orders', null);
    const s = store.snapshot();
    expect(s.connectors()).toEqual(['other']);
    expect(s.taskConfig({ connector: 'orders', task: 0 })).toBeNull();
    expect(s.taskCount('orders')).toBe(0);
    expect(s.targetState('orders')).toBeNull();
  });

  it('restores STARTED when a target state is deleted but the connector still exists', () => {
    const { store, write } = topic();
    write('connector-orders', props({}));
    write('target-state-orders', '{"state":"PAUSED","state.v2":"PAUSED"}');
    write('target-state-orders', null);
    expect(store.snapshot().targetState('orders')).toBe('STARTED');
  });

  it('ignores records it cannot read and goes on', () => {
    const { store, write } = topic();
    write('connector-orders', 'not json');
    write('connector-orders', '{"properties":"nope"}');
    write('task-orders-x', props({}));
    write('something-else', '{}');
    write('connector-ok', props({ a: 'b' }));
    const s = store.snapshot();
    expect(s.connectors()).toEqual(['ok']);
    // The unreadable JSON did not move the offset, the rest did.
    expect(s.offset).toBe(5);
  });
});

/**
 * The bytes sluice writes to the internal topics against the bytes Apache Kafka Connect 4.3.1
 * writes: fixtures.json was produced by Kafka Connect's own schemas and JsonConverter
 * (java/InternalTopicFixtures.java, command in its header). Each record is also read back.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { KafkaConfigStore } from '../../../../src/storage/kafka/kafka-config-store.js';
import { KafkaOffsetStore } from '../../../../src/storage/kafka/kafka-offset-store.js';
import { KafkaStatusStore } from '../../../../src/storage/kafka/kafka-status-store.js';
import { InternalJson, javaHashMapOrder, javaStringHash, struct } from '../../../../src/storage/kafka/internal-json.js';
import {
  LOGGER_LEVEL_V0, RESTART_REQUEST_V0, SESSION_KEY_V0, TASK_COUNT_RECORD_V0, commitTasksKey, connectorKey, loggerClusterKey,
  restartKey, targetStateKey, taskCountRecordKey, taskKey, CONNECTOR_TASKS_COMMIT_V0,
} from '../../../../src/storage/kafka/config-records.js';
import { connectorStatusKey, taskStatusKey, topicStatusKey } from '../../../../src/storage/kafka/status-records.js';

interface Fixture {
  name: string;
  key: string;
  value: string | null;
}

const dir = dirname(fileURLToPath(import.meta.url));
const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as { records: Fixture[] };
const fixture = (name: string): Fixture => {
  const found = fixtures.records.find((f) => f.name === name);
  if (!found) throw new Error(`no fixture named ${name}`);
  return found;
};

describe('config topic records', () => {
  const store = new KafkaConfigStore(null);
  const json = new InternalJson('configs');

  it('writes a connector config as Kafka Connect does, keeping the property order', () => {
    const f = fixture('connector config');
    expect(connectorKey('file-source')).toBe(f.key);
    const bytes = store.serializeProperties({
      'connector.class': 'FileStreamSource', 'tasks.max': '1', file: '/tmp/in "quoted".txt', topic: 'lines', name: 'file-source',
    });
    expect(bytes.toString('utf8')).toBe(f.value);
  });

  it('writes a task config with Jackson escapes (control characters, surrogate pairs)', () => {
    const f = fixture('task config');
    expect(taskKey({ connector: 'file-source', task: 0 })).toBe(f.key);
    const bytes = store.serializeProperties({
      file: '/tmp/é\t€\u0001😀', topic: 'lines', 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask',
    });
    expect(bytes.toString('utf8')).toBe(f.value);
  });

  it('writes target states in the v1 format: STOPPED is PAUSED for older workers', () => {
    for (const state of ['STARTED', 'PAUSED', 'STOPPED'] as const) {
      const f = fixture(`target state ${state}`);
      expect(targetStateKey('file-source')).toBe(f.key);
      expect(store.serializeTargetState(state).toString('utf8')).toBe(f.value);
    }
  });

  it('writes commit, task count, session key, restart and logger records byte for byte', () => {
    expect(commitTasksKey('file-source')).toBe(fixture('commit').key);
    expect(json.write(CONNECTOR_TASKS_COMMIT_V0, struct(CONNECTOR_TASKS_COMMIT_V0, { tasks: 2 })).toString()).toBe(fixture('commit').value);
    expect(taskCountRecordKey('file-source')).toBe(fixture('task count record').key);
    expect(json.write(TASK_COUNT_RECORD_V0, struct(TASK_COUNT_RECORD_V0, { 'task-count': 3 })).toString()).toBe(fixture('task count record').value);
    expect(
      json.write(SESSION_KEY_V0, struct(SESSION_KEY_V0, {
        key: Buffer.from([1, 2, 3, 250]).toString('base64'), algorithm: 'HmacSHA256', 'creation-timestamp': 1700000000123,
      })).toString(),
    ).toBe(fixture('session key').value);
    expect(restartKey('file-source')).toBe(fixture('restart request').key);
    expect(json.write(RESTART_REQUEST_V0, struct(RESTART_REQUEST_V0, { 'include-tasks': true, 'only-failed': false })).toString())
      .toBe(fixture('restart request').value);
    expect(loggerClusterKey('org.apache.kafka')).toBe(fixture('logger level').key);
    expect(json.write(LOGGER_LEVEL_V0, struct(LOGGER_LEVEL_V0, { level: 'DEBUG' })).toString()).toBe(fixture('logger level').value);
  });

  it("reads back every record Kafka Connect wrote into the same state", () => {
    const reader = new KafkaConfigStore(null);
    let offset = 0;
    const apply = (name: string): void => {
      const f = fixture(name);
      reader.applyRecord(f.key, f.value === null ? null : Buffer.from(f.value), offset++);
    };
    apply('connector config');
    apply('task config');
    // The fixture's commit says 2 tasks but only task 0 was written: inconsistent, nothing applied.
    apply('commit');
    let snapshot = reader.snapshot();
    expect(snapshot.connectorConfig('file-source')).toEqual({
      'connector.class': 'FileStreamSource', 'tasks.max': '1', file: '/tmp/in "quoted".txt', topic: 'lines', name: 'file-source',
    });
    expect(snapshot.inconsistentConnectors.has('file-source')).toBe(true);
    expect(snapshot.tasks('file-source')).toEqual([]);
    expect(snapshot.taskConfig({ connector: 'file-source', task: 0 })).toBeNull();

    apply('target state STOPPED');
    apply('task count record');
    apply('session key');
    snapshot = reader.snapshot();
    expect(snapshot.targetState('file-source')).toBe('STOPPED');
    expect(snapshot.taskCountRecords.get('file-source')).toBe(3);
    expect(snapshot.sessionKey).toEqual({ key: Buffer.from([1, 2, 3, 250]), algorithm: 'HmacSHA256', creationTimestamp: 1700000000123 });
    expect(snapshot.offset).toBe(offset);

    apply('target state v0');
    expect(reader.snapshot().targetState('file-source')).toBe('PAUSED');
  });
});

describe('status topic records', () => {
  const store = new KafkaStatusStore(null);

  it('writes statuses as Kafka Connect 4.3 does, trace and version null when absent', () => {
    const f = fixture('connector status');
    expect(connectorStatusKey('file-source')).toBe(f.key);
    expect(store.serializeStatus({ state: 'RUNNING', trace: null, workerId: '10.0.0.1:8083', generation: 7 }).toString()).toBe(f.value);
    const t = fixture('task status failed');
    expect(taskStatusKey({ connector: 'file-source', task: 0 })).toBe(t.key);
    expect(
      store.serializeStatus({
        state: 'FAILED', trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat X.y(X.java:1)', workerId: '10.0.0.1:8083', generation: 12,
      }).toString(),
    ).toBe(t.value);
    expect(topicStatusKey('file-source', 'lines')).toBe(fixture('topic status').key);
  });

  it('reads back statuses and active topics Kafka Connect wrote', () => {
    const reader = new KafkaStatusStore(null);
    for (const name of ['connector status', 'task status failed', 'topic status']) {
      const f = fixture(name);
      reader.applyRecord(f.key, Buffer.from(f.value!));
    }
    expect(reader.get('file-source')).toEqual({
      connector: 'file-source', state: 'RUNNING', trace: null, workerId: '10.0.0.1:8083', generation: 7, version: null,
    });
    expect(reader.getAll('file-source')).toEqual([{
      id: { connector: 'file-source', task: 0 }, state: 'FAILED',
      trace: 'org.apache.kafka.connect.errors.ConnectException: boom\n\tat X.y(X.java:1)', workerId: '10.0.0.1:8083', generation: 12, version: null,
    }]);
    expect(reader.getAllTopics('file-source')).toEqual([{ topic: 'lines', connector: 'file-source', task: 0, discoverTimestamp: 1700000000456 }]);
  });
});

describe('offsets topic records', () => {
  const store = new KafkaOffsetStore(null);
  const f = fixture('offset key');

  it('writes key and value with the map entries in java.util.HashMap order', () => {
    const partition = { table: 5, schema: 6, database: 8, shard: 5, z: 1, a: 1, region: 6, kafka_partition: 15 };
    expect(store.serializeKey('jdbc-source', partition).toString()).toBe(f.key);
    const offset = { position: 123456789012, incrementing: 42, committed: true, ratio: 0.5, file: '/var/log/x.log' };
    expect(store.serializeValue(offset).toString()).toBe(f.value);
  });

  it('reads the offset back under the partition, whatever the key order', () => {
    const reader = new KafkaOffsetStore(null);
    reader.applyRecord(Buffer.from(f.key), Buffer.from(f.value!));
    const partition = { a: 1, database: 8, kafka_partition: 15, region: 6, schema: 6, shard: 5, table: 5, z: 1 };
    expect(reader.get('jdbc-source', partition)).toEqual({ committed: true, file: '/var/log/x.log', position: 123456789012, incrementing: 42, ratio: 0.5 });
    expect(reader.list('jdbc-source')).toHaveLength(1);
    // A tombstone resets it.
    reader.applyRecord(Buffer.from(f.key), null);
    expect(reader.get('jdbc-source', partition)).toBeNull();
  });

  it('keeps longs beyond 2^53 exact', () => {
    const reader = new KafkaOffsetStore(null);
    reader.applyRecord(Buffer.from('["c",{"p":0}]'), Buffer.from('{"lsn":9007199254740993}'));
    expect(reader.get('c', { p: 0 })).toEqual({ lsn: 9007199254740993n });
    expect(store.serializeValue({ lsn: 9007199254740993n }).toString()).toBe('{"lsn":9007199254740993}');
  });

  it('skips records that are not Connect offsets', () => {
    const reader = new KafkaOffsetStore(null);
    reader.applyRecord(Buffer.from('"just a string"'), Buffer.from('{"a":1}'));
    reader.applyRecord(Buffer.from('["c"]'), Buffer.from('{"a":1}'));
    reader.applyRecord(Buffer.from('not json'), Buffer.from('{"a":1}'));
    reader.applyRecord(Buffer.from('["c",{"p":1}]'), Buffer.from('[1,2]'));
    expect(reader.list('c')).toEqual([]);
  });
});

describe('java.util.HashMap order', () => {
  it('hashes strings as java.lang.String.hashCode', () => {
    expect(javaStringHash('')).toBe(0);
    expect(javaStringHash('a')).toBe(97);
    // Values printed by Java's "...".hashCode().
    expect(javaStringHash('kafka_partition')).toBe(164973841);
    expect(javaStringHash('😀')).toBe(1772899);
  });

  it('orders by bucket, then insertion, and grows past 12 entries as HashMap does', () => {
    expect(javaHashMapOrder(['table', 'schema', 'database', 'shard', 'z', 'a', 'region', 'kafka_partition']))
      .toEqual(['schema', 'a', 'database', 'kafka_partition', 'z', 'shard', 'region', 'table']);
    // Printed by Java: new HashMap<>() filled with k0..k11, then with k0..k12 (the table doubles at 13).
    const keys = (n: number): string[] => Array.from({ length: n }, (_, i) => `k${i}`);
    expect(javaHashMapOrder(keys(12))).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k11', 'k6', 'k10', 'k7', 'k8', 'k9']);
    expect(javaHashMapOrder(keys(13))).toEqual(['k0', 'k1', 'k2', 'k3', 'k4', 'k5', 'k11', 'k6', 'k10', 'k7', 'k8', 'k12', 'k9']);
  });
});

/**
 * The distributed-mode stores against a real broker: what they write can be read back, by the same
 * store and by a new one (a restarted worker); the internal topics are created as Kafka Connect
 * creates them, and a wrong config topic is refused. The last part runs Apache Kafka Connect 4.3.1
 * in distributed mode and reads its three topics with sluice's stores.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, consumeAll, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';
import { restClient } from '../helpers/rest-client.js';
import { startConnectDistributed, type ConnectDistributed } from '../helpers/kafka-connect-distributed.js';
import { KafkaConfigStore, type ConfigUpdateListener } from '../../src/storage/kafka/kafka-config-store.js';
import { KafkaOffsetStore } from '../../src/storage/kafka/kafka-offset-store.js';
import { KafkaStatusStore } from '../../src/storage/kafka/kafka-status-store.js';
import { TopicAdmin } from '../../src/storage/kafka/topic-admin.js';
import { KafkaBasedLog, type LogRecord } from '../../src/storage/kafka/kafka-based-log.js';
import { ConfigError } from '../../src/api/errors.js';

const client = (): Record<string, string> => ({ 'bootstrap.servers': bootstrap() });

function configStore(topic: string): KafkaConfigStore {
  return new KafkaConfigStore({ topic, replicationFactor: -1, clientConfig: client() });
}
function offsetStore(topic: string, partitions = 25): KafkaOffsetStore {
  return new KafkaOffsetStore({ topic, partitions, replicationFactor: -1, clientConfig: client() });
}
function statusStore(topic: string): KafkaStatusStore {
  return new KafkaStatusStore({ topic, partitions: 5, replicationFactor: -1, clientConfig: client() });
}

async function partitionCount(topic: string): Promise<number> {
  const log = new KafkaBasedLog({ topic, clientConfig: client(), clientId: 'test-reader', onRecord: () => {} });
  await log.start();
  try {
    return log.partitionCount();
  } finally {
    await log.stop();
  }
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined> | T | undefined, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}${last ? `: ${(last as Error).message}` : ''}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('KafkaBasedLog', () => {
  it('reads a topic to its end on start, sees its own writes after readToEnd, and passes tombstones', async () => {
    const topic = uniqueTopic('log');
    await createTopic(topic, 3);
    await produce(topic, [
      { key: 'a', value: '1', partition: 0 },
      { key: 'b', value: '2', partition: 1 },
      { key: 'c', value: null, partition: 2 },
    ]);
    const seen: LogRecord[] = [];
    const log = new KafkaBasedLog({ topic, clientConfig: client(), clientId: 'test-log', onRecord: (r) => seen.push(r) });
    await log.start();
    try {
      expect(log.partitionCount()).toBe(3);
      expect(seen.map((r) => [r.key?.toString(), r.value?.toString() ?? null]).sort()).toEqual([['a', '1'], ['b', '2'], ['c', null]]);
      const written = await log.send('d', Buffer.from('4'), 1);
      expect(written).toEqual({ partition: 1, offset: 1 });
      await log.readToEnd();
      expect(seen.at(-1)).toMatchObject({ partition: 1, offset: 1 });
      expect(seen.at(-1)!.value!.toString()).toBe('4');
    } finally {
      await log.stop();
    }
  });
});

describe('internal topics', () => {
  it('creates the three topics as Kafka Connect does: compacted, 1 / offset.storage.partitions / status.storage.partitions', async () => {
    const [configs, offsets, statuses] = [uniqueTopic('configs'), uniqueTopic('offsets'), uniqueTopic('status')];
    const stores = [configStore(configs), new KafkaOffsetStore({ topic: offsets, partitions: 7, replicationFactor: 1, clientConfig: client() }), statusStore(statuses)];
    for (const s of stores) await s.start();
    for (const s of stores) await s.stop();
    expect(await partitionCount(configs)).toBe(1);
    expect(await partitionCount(offsets)).toBe(7);
    expect(await partitionCount(statuses)).toBe(5);
    const admin = new TopicAdmin(client());
    for (const t of [configs, offsets, statuses]) expect(await admin.describeTopicConfig(t, 'cleanup.policy')).toBe('compact');
  });

  it('refuses a config topic with more than one partition', async () => {
    const topic = uniqueTopic('configs-2p');
    await createTopic(topic, 2, { 'cleanup.policy': 'compact' });
    const store = configStore(topic);
    const error = await store.start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('config.storage.topic');
    expect((error as Error).message).toBe(
      `Topic '${topic}' supplied via the 'config.storage.topic' property is required to have a single partition in order ` +
        'to guarantee consistency of connector configurations, but found 2 partitions.',
    );
  });

  it('refuses an internal topic that is not compacted, naming the topic and the worker setting', async () => {
    const topic = uniqueTopic('configs-delete');
    await createTopic(topic, 1, { 'cleanup.policy': 'delete' });
    await expect(configStore(topic).start()).rejects.toThrow(
      `Topic '${topic}' supplied via the 'config.storage.topic' property is required to have 'cleanup.policy=compact' to ` +
        "guarantee consistency and durability of connector configurations, but found the topic currently has 'cleanup.policy=delete'.",
    );
    const offsets = uniqueTopic('offsets-delete');
    await createTopic(offsets, 2, { 'cleanup.policy': 'compact,delete' });
    const error = await offsetStore(offsets).start().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('offset.storage.topic');
    expect((error as Error).message).toContain("but found the topic currently has 'cleanup.policy=compact,delete'");
  });
});

describe('KafkaConfigStore on Kafka', () => {
  it('writes configs, task configs and target states, tells the listener, and a restarted store reads the same state', async () => {
    const topic = uniqueTopic('configs');
    const store = configStore(topic);
    const events: string[] = [];
    const listener: ConfigUpdateListener = {
      onConnectorConfigUpdate: (c) => events.push(`config ${c}`),
      onConnectorConfigRemove: (c) => events.push(`remove ${c}`),
      onTaskConfigUpdate: (tasks) => events.push(`tasks ${tasks.map((t) => `${t.connector}-${t.task}`).join(',')}`),
      onConnectorTargetStateChange: (c) => events.push(`state ${c}`),
      onRestartRequest: (r) => events.push(`restart ${r.connector} ${r.includeTasks} ${r.onlyFailed}`),
    };
    store.setUpdateListener(listener);
    await store.start();
    try {
      await store.putConnectorConfig('orders', { name: 'orders', 'connector.class': 'FileStreamSource', 'tasks.max': '2' }, 'PAUSED');
      // Visible as soon as the write resolved.
      expect(store.snapshot().connectorConfig('orders')).toEqual({ name: 'orders', 'connector.class': 'FileStreamSource', 'tasks.max': '2' });
      expect(store.snapshot().targetState('orders')).toBe('PAUSED');
      await store.putTaskConfigs('orders', [{ file: 'a', 'task.class': 'T' }, { file: 'b', 'task.class': 'T' }]);
      expect(store.snapshot().tasks('orders')).toHaveLength(2);
      await store.putTargetState('orders', 'STOPPED');
      await store.putRestartRequest({ connector: 'orders', includeTasks: true, onlyFailed: false });
      await store.putConnectorConfig('gone', { name: 'gone' });
      await store.removeConnectorConfig('gone');
      expect(store.snapshot().connectors()).toEqual(['orders']);
      expect(events).toEqual([
        'config orders', 'tasks orders-0,orders-1', 'state orders', 'restart orders true false', 'config gone', 'remove gone',
      ]);
    } finally {
      await store.stop();
    }

    const restarted = configStore(topic);
    const late: string[] = [];
    restarted.setUpdateListener({ onConnectorConfigUpdate: (c) => late.push(c), onRestartRequest: (r) => late.push(r.connector) });
    await restarted.start();
    try {
      const s = restarted.snapshot();
      expect(s.connectors()).toEqual(['orders']);
      expect(s.targetState('orders')).toBe('STOPPED');
      expect(s.taskConfig({ connector: 'orders', task: 1 })).toEqual({ file: 'b', 'task.class': 'T' });
      expect(s.inconsistentConnectors.size).toBe(0);
      // History read at start-up is state, not events.
      expect(late).toEqual([]);
    } finally {
      await restarted.stop();
    }

    // The bytes on the topic, in Kafka Connect's format and order.
    const records = await consumeAll(topic, 10);
    expect(records.map((r) => [r.key?.toString(), r.value?.toString() ?? null])).toEqual([
      ['target-state-orders', '{"state":"PAUSED","state.v2":"PAUSED"}'],
      ['connector-orders', '{"properties":{"name":"orders","connector.class":"FileStreamSource","tasks.max":"2"}}'],
      ['task-orders-0', '{"properties":{"file":"a","task.class":"T"}}'],
      ['task-orders-1', '{"properties":{"file":"b","task.class":"T"}}'],
      ['commit-orders', '{"tasks":2}'],
      ['target-state-orders', '{"state":"PAUSED","state.v2":"STOPPED"}'],
      ['restart-connector-orders', '{"include-tasks":true,"only-failed":false}'],
      ['connector-gone', '{"properties":{"name":"gone"}}'],
      ['connector-gone', null],
      ['target-state-gone', null],
    ]);
  });

  it("tells a running worker's listener about another worker's writes once it reads them", async () => {
    const topic = uniqueTopic('configs-shared');
    const leader = configStore(topic);
    const follower = configStore(topic);
    const events: string[] = [];
    follower.setUpdateListener({
      onConnectorConfigUpdate: (c) => events.push(`config ${c}`),
      onTaskConfigUpdate: (tasks) => events.push(`tasks ${tasks.length}`),
      onConnectorTargetStateChange: (c) => events.push(`state ${c}`),
    });
    await leader.start();
    await follower.start();
    try {
      await leader.putConnectorConfig('orders', { name: 'orders' });
      await leader.putTaskConfigs('orders', [{ a: '1' }]);
      await leader.putTargetState('orders', 'PAUSED');
      await follower.refresh();
      expect(events).toEqual(['config orders', 'tasks 1', 'state orders']);
      expect(follower.snapshot().taskConfig({ connector: 'orders', task: 0 })).toEqual({ a: '1' });
    } finally {
      await leader.stop();
      await follower.stop();
    }
  });
});

describe('KafkaOffsetStore on Kafka', () => {
  it('stores offsets where Kafka’s Java producer would, and a restarted store reads them back', async () => {
    const topic = uniqueTopic('offsets');
    const store = offsetStore(topic);
    await store.start();
    try {
      await store.set([
        { connector: 'file-source', partition: { filename: '/tmp/in.txt' }, offset: { position: 42 } },
        { connector: 'file-source', partition: { filename: '/tmp/other.txt' }, offset: { position: 7 } },
        { connector: 'jdbc', partition: { table: 'orders' }, offset: { id: 9007199254740993n } },
      ]);
      expect(store.get('file-source', { filename: '/tmp/in.txt' })).toEqual({ position: 42 });
      await store.set([{ connector: 'file-source', partition: { filename: '/tmp/other.txt' }, offset: null }]);
      expect(store.list('file-source')).toEqual([{ partition: { filename: '/tmp/in.txt' }, offset: { position: 42 } }]);
    } finally {
      await store.stop();
    }

    const restarted = offsetStore(topic);
    await restarted.start();
    try {
      expect(restarted.list('file-source')).toEqual([{ partition: { filename: '/tmp/in.txt' }, offset: { position: 42 } }]);
      expect(restarted.get('jdbc', { table: 'orders' })).toEqual({ id: 9007199254740993n });
    } finally {
      await restarted.stop();
    }

    // Java: Utils.toPositive(Utils.murmur2(key)) % 25 = 13 for this key (test/unit/storage/kafka/fixtures.json).
    const records = await consumeAll(topic, 4);
    const first = records.find((r) => r.key?.toString() === '["file-source",{"filename":"/tmp/in.txt"}]');
    expect(first?.partition).toBe(13);
    expect(first?.value?.toString()).toBe('{"position":42}');
  });
});

describe('KafkaStatusStore on Kafka', () => {
  it('writes statuses, refuses an unsafe overwrite from an older generation, and a restarted store reads the latest', async () => {
    const topic = uniqueTopic('status');
    const store = statusStore(topic);
    await store.start();
    try {
      await store.put({ connector: 'orders', state: 'RUNNING', trace: null, workerId: 'w2:8083', generation: 5 });
      await store.putTask({ id: { connector: 'orders', task: 0 }, state: 'FAILED', trace: 'boom\n\tat x', workerId: 'w2:8083', generation: 5 });
      await store.putTopic({ topic: 'lines', connector: 'orders', task: 0, discoverTimestamp: 1700000000000 });
      await store.readToEnd();
      // A zombie from generation 4 may not overwrite what generation 5 wrote.
      await store.putSafe({ connector: 'orders', state: 'UNASSIGNED', trace: null, workerId: 'w1:8083', generation: 4 });
      await store.putTaskSafe({ id: { connector: 'orders', task: 0 }, state: 'RUNNING', trace: null, workerId: 'w2:8083', generation: 5 });
      await store.readToEnd();
      expect(store.get('orders')).toMatchObject({ state: 'RUNNING', workerId: 'w2:8083' });
      expect(store.getTask({ connector: 'orders', task: 0 })).toMatchObject({ state: 'RUNNING', trace: null });
    } finally {
      await store.stop();
    }
    const restarted = statusStore(topic);
    await restarted.start();
    try {
      expect(restarted.get('orders')).toEqual({ connector: 'orders', state: 'RUNNING', trace: null, workerId: 'w2:8083', generation: 5, version: null });
      expect(restarted.getAll('orders').map((t) => t.state)).toEqual(['RUNNING']);
      expect(restarted.getAllTopics('orders')).toEqual([{ topic: 'lines', connector: 'orders', task: 0, discoverTimestamp: 1700000000000 }]);
    } finally {
      await restarted.stop();
    }
  });
});

const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';

/** Kafka Connect's JsonConverter (schemas.enable=false) writes a string value as a JSON string. */
const lineValues = (records: { value: Buffer | null }[]): unknown[] => records.map((r) => JSON.parse(r.value!.toString()));

describe('Apache Kafka Connect 4.3.1 (distributed) writes its topics, sluice reads them', () => {
  const topics = { config: uniqueTopic('kc-configs'), offsets: uniqueTopic('kc-offsets'), status: uniqueTopic('kc-status') };
  let dir: string;
  let connect: ConnectDistributed | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-kc-'));
    connect = await startConnectDistributed({
      bootstrap: bootstrap(), dir, groupId: uniqueTopic('kc-group'),
      configTopic: topics.config, offsetsTopic: topics.offsets, statusTopic: topics.status,
    });
  });
  afterAll(async () => {
    await connect?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('sees the connector config, task configs, target state, source offsets and statuses Kafka Connect reports', async () => {
    const kc = connect!;
    const rest = restClient(kc.url);
    const file = join(dir, 'input.txt');
    await writeFile(file, 'one\ntwo\nthree\n');
    const out = uniqueTopic('kc-lines');
    await createTopic(out, 1);

    const created = await rest.post('/connectors', { name: 'kc-file', config: { 'connector.class': FILE_SOURCE, 'tasks.max': '1', file, topic: out } });
    expect(created.status).toBe(201);
    expect(lineValues(await consumeAll(out, 3))).toEqual(['one', 'two', 'three']);
    expect((await rest.put('/connectors/kc-file/pause')).status).toBe(202);
    const restStatus = await waitFor('Kafka Connect to report the connector and its task PAUSED', async () => {
      const s = (await rest.get('/connectors/kc-file/status')).body;
      return s?.connector?.state === 'PAUSED' && s.tasks?.length === 1 && s.tasks[0].state === 'PAUSED' ? s : undefined;
    });
    const restConfig = (await rest.get('/connectors/kc-file/config')).body;
    const restTasks = (await rest.get('/connectors/kc-file/tasks')).body;
    const restTopics = (await rest.get('/connectors/kc-file/topics')).body;

    // Offsets: "one\ntwo\nthree\n" is 14 bytes; Kafka Connect flushes them every 500 ms here.
    const offsets = offsetStore(topics.offsets);
    await offsets.start();
    try {
      await waitFor('the offset of the whole file', async () => {
        await offsets.refresh();
        return offsets.get('kc-file', { filename: file })?.position === 14 ? true : undefined;
      });
      const restOffsets = (await rest.get('/connectors/kc-file/offsets')).body;
      expect(offsets.list('kc-file')).toEqual(restOffsets.offsets);
    } finally {
      await offsets.stop();
    }

    const statuses = statusStore(topics.status);
    await statuses.start();
    try {
      expect(statuses.get('kc-file')).toMatchObject({ state: 'PAUSED', workerId: restStatus.connector.worker_id, trace: null });
      expect(statuses.getAll('kc-file').map((t) => [t.id, t.state, t.workerId])).toEqual([
        [{ connector: 'kc-file', task: 0 }, 'PAUSED', restStatus.tasks[0].worker_id],
      ]);
      expect({ 'kc-file': { topics: statuses.getAllTopics('kc-file').map((t) => t.topic) } }).toEqual(restTopics);
    } finally {
      await statuses.stop();
    }

    await kc.stop();
    const configs = configStore(topics.config);
    await configs.start();
    try {
      const s = configs.snapshot();
      expect(s.connectors()).toEqual(['kc-file']);
      expect(s.connectorConfig('kc-file')).toEqual(restConfig);
      expect(s.targetState('kc-file')).toBe('PAUSED');
      expect(s.tasks('kc-file').map((id) => ({ id, config: s.taskConfig(id) }))).toEqual(restTasks);
      expect(s.inconsistentConnectors.size).toBe(0);
      // The leader of a "sessioned" cluster distributes a key for signing internal requests.
      expect(s.sessionKey?.algorithm).toBe('HmacSHA256');
      expect(s.sessionKey?.key.length).toBeGreaterThan(0);
    } finally {
      await configs.stop();
    }
  });
});

describe('sluice writes the topics, Apache Kafka Connect 4.3.1 (distributed) runs from them', () => {
  const topics = { config: uniqueTopic('sl-configs'), offsets: uniqueTopic('sl-offsets'), status: uniqueTopic('sl-status') };
  let dir: string;
  let connect: ConnectDistributed | undefined;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-kc-'));
  });
  afterAll(async () => {
    await connect?.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it('takes the connector, its target state and its source offsets from what sluice wrote', async () => {
    const file = join(dir, 'input.txt');
    await writeFile(file, 'one\ntwo\nthree\n');
    const out = uniqueTopic('sl-lines');
    await createTopic(out, 1);
    const config = { name: 'sl-file', 'connector.class': FILE_SOURCE, 'tasks.max': '1', file, topic: out };

    const configs = new KafkaConfigStore({ topic: topics.config, replicationFactor: 1, clientConfig: client() });
    const offsets = new KafkaOffsetStore({ topic: topics.offsets, partitions: 25, replicationFactor: 1, clientConfig: client() });
    await configs.start();
    await offsets.start();
    try {
      await configs.putConnectorConfig('sl-file', config, 'STARTED');
      await configs.putTaskConfigs('sl-file', [{ ...config, 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask' }]);
      // "one\n" was already read: the task must resume after it.
      await offsets.set([{ connector: 'sl-file', partition: { filename: file }, offset: { position: 4 } }]);
    } finally {
      await configs.stop();
      await offsets.stop();
    }

    connect = await startConnectDistributed({
      bootstrap: bootstrap(), dir, groupId: uniqueTopic('sl-group'),
      configTopic: topics.config, offsetsTopic: topics.offsets, statusTopic: topics.status,
    });
    const rest = restClient(connect.url);
    expect((await rest.get('/connectors')).body).toEqual(['sl-file']);
    expect((await rest.get('/connectors/sl-file/config')).body).toEqual(config);
    expect((await rest.get('/connectors/sl-file/offsets')).body).toEqual({ offsets: [{ partition: { filename: file }, offset: { position: 4 } }] });
    expect(lineValues(await consumeAll(out, 2))).toEqual(['two', 'three']);
    await waitFor('the task to run', async () => {
      const s = (await rest.get('/connectors/sl-file/status')).body;
      return s?.tasks?.[0]?.state === 'RUNNING' ? true : undefined;
    });
    // Two JVMs (broker and worker) on two shared cores: the worker alone takes 20-60 s to start.
  }, 240_000);
});

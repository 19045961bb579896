// A real `sluice standalone` worker started with no connector files, driven only through its REST
// API, as operators and tools drive Kafka Connect's: status codes, body shapes and error bodies
// (reference §1), the connector lifecycle (pause, stop, resume, restart, delete), and data really
// moving for connectors created over REST. Ends with SIGTERM and a clean exit.
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap, createTopic, produce, uniqueTopic } from '../helpers/kafka.js';
import { brokerClusterId, messageCount } from '../helpers/kafka-inspect.js';
import { restClient, type RestClient } from '../helpers/rest-client.js';
import { freePort, startStandalone, waitFor, writeProperties, type SluiceRun } from '../helpers/sluice-process.js';

const SINK_CLASS = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const SOURCE_CLASS = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const VALIDATE_HINT = 'You can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`';

let dir: string;
let port: number;
let run: SluiceRun | undefined;
let api: RestClient;
let workerId: string;

function log(): string {
  return run && existsSync(run.logFile) ? readFileSync(run.logFile, 'utf8') : '(no log)';
}

/** Poll GET /connectors/{name}/status until `check` holds; fails with the last status seen. */
async function statusUntil(name: string, what: string, check: (status: any) => boolean, timeoutMs = 20_000): Promise<any> {
  let last: unknown;
  try {
    return await waitFor(
      `${name} ${what}`,
      async () => {
        const res = await api.get(`/connectors/${name}/status`);
        last = res.body;
        return res.status === 200 && check(res.body) ? res.body : undefined;
      },
      timeoutMs,
    );
  } catch (err) {
    throw new Error(`${(err as Error).message}; last status: ${JSON.stringify(last)}`);
  }
}

const isRunning = (s: any): boolean =>
  s.connector.state === 'RUNNING' && s.tasks.length > 0 && s.tasks.every((t: any) => t.state === 'RUNNING');

function sourceConfig(file: string, topic: string): Record<string, string> {
  return { 'connector.class': 'FileStreamSource', file, topic };
}

/** PATCH is not in the shared REST client. */
async function patch(path: string, body: unknown): Promise<{ status: number; body: any }> {
  const res = await fetch(`${run!.restUrl}${path}`, {
    method: 'PATCH',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? undefined : JSON.parse(text) };
}

/** Lines of `file` (empty while it does not exist). */
function linesOf(file: string): string[] {
  if (!existsSync(file)) return [];
  const text = readFileSync(file, 'utf8');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/** Wait until `topic` holds `count` messages, then check it stays at exactly that for `settleMs`. */
async function topicHoldsExactly(topic: string, count: number, settleMs = 0): Promise<void> {
  await waitFor(`${count} messages in ${topic}`, async () => (await messageCount(topic)) >= count, 30_000, 200);
  if (settleMs > 0) await new Promise((r) => setTimeout(r, settleMs));
  expect(await messageCount(topic)).toBe(count);
}

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-rest-'));
  port = await freePort();
  workerId = `127.0.0.1:${port}`;
  const worker = writeProperties(join(dir, 'worker.properties'), {
    'bootstrap.servers': bootstrap(),
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': join(dir, 'offsets.dat'),
    'offset.flush.interval.ms': 1000,
    listeners: `http://127.0.0.1:${port}`,
  });
  run = startStandalone(dir, worker, [], port);
  api = restClient(run.restUrl);
  const exitedEarly = run.exited.then(({ code, signal }) => {
    throw new Error(`sluice exited during startup (code ${code}, signal ${signal}):\n${log()}`);
  });
  await Promise.race([waitFor('the REST API', async () => (await api.get('/')).status === 200, 30_000), exitedEarly]);
  exitedEarly.catch(() => {}); // from here on an exit is the SIGTERM test's business
});

afterAll(async () => {
  // Whatever failed, leave no worker behind.
  if (run && run.proc.exitCode === null && run.proc.signalCode === null) {
    run.proc.kill('SIGKILL');
    await run.exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe('REST API of a standalone worker', () => {
  it('GET / reports version, commit and the Kafka cluster id', async () => {
    const res = await api.get('/');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(Object.keys(res.body).sort()).toEqual(['commit', 'kafka_cluster_id', 'version']);
    expect(res.body.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(typeof res.body.commit).toBe('string');
    expect(res.body.commit).not.toBe('');
    expect(res.body.kafka_cluster_id).toBe(await brokerClusterId());
  });

  it('GET /connectors is [] with no connector files', async () => {
    const res = await api.get('/connectors');
    expect(res.status).toBe(200);
    expect(res.body).toEqual([]);
  });

  it('GET /connector-plugins lists FileStreamSink and FileStreamSource', async () => {
    const res = await api.get('/connector-plugins');
    expect(res.status).toBe(200);
    expect(res.body).toEqual(
      expect.arrayContaining([
        { class: SINK_CLASS, type: 'sink', version: expect.any(String) },
        { class: SOURCE_CLASS, type: 'source', version: expect.any(String) },
      ]),
    );
    for (const plugin of res.body) expect(['source', 'sink']).toContain(plugin.type);
  });

  it('PUT /connector-plugins/FileStreamSourceConnector/config/validate returns ConfigInfos', async () => {
    const ok = await api.put('/connector-plugins/FileStreamSourceConnector/config/validate', {
      'connector.class': 'FileStreamSource',
      name: 'v',
      topic: 't',
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({ name: 'FileStreamSource', error_count: 0, groups: expect.arrayContaining(['Common']) });
    const topicInfo = ok.body.configs.find((c: any) => c.definition.name === 'topic');
    expect(topicInfo.definition).toEqual(
      expect.objectContaining({ name: 'topic', type: 'STRING', required: true, importance: expect.any(String), documentation: expect.any(String) }),
    );
    expect(topicInfo.value).toEqual({ name: 'topic', value: 't', recommended_values: [], errors: [], visible: true });

    // Errors are in the body with 200, not a 4xx.
    const bad = await api.put('/connector-plugins/FileStreamSourceConnector/config/validate', {
      'connector.class': 'FileStreamSource',
      name: 'v',
      'tasks.max': 'abc',
    });
    expect(bad.status).toBe(200);
    const errorsOf = (key: string): string[] => bad.body.configs.find((c: any) => c.value.name === key).value.errors;
    expect(errorsOf('topic')).toEqual(['Missing required configuration "topic" which has no default value.']);
    expect(errorsOf('tasks.max')).toContain('Invalid value abc for configuration tasks.max: Not a number of type INT');
    expect(bad.body.error_count).toBe(bad.body.configs.reduce((n: number, c: any) => n + c.value.errors.length, 0));

    const mismatch = await api.put('/connector-plugins/FileStreamSourceConnector/config/validate', { 'connector.class': 'FileStreamSink' });
    expect(mismatch.status).toBe(400);
    expect(mismatch.body).toEqual({
      error_code: 400,
      message: 'Included connector type FileStreamSink does not match request type FileStreamSourceConnector',
    });
  });

  it('POST /connectors with an invalid config is 400 listing every error, and creates nothing', async () => {
    const missingTopic = await api.post('/connectors', { name: 'no-topic', config: { 'connector.class': 'FileStreamSource' } });
    expect(missingTopic.status).toBe(400);
    expect(missingTopic.body).toEqual({
      error_code: 400,
      message:
        'Connector configuration is invalid and contains the following 1 error(s):\n' +
        'Missing required configuration "topic" which has no default value.\n' +
        VALIDATE_HINT,
    });

    const badTasks = await api.post('/connectors', {
      name: 'bad-tasks',
      config: { 'connector.class': 'FileStreamSource', topic: 't', 'tasks.max': 'abc' },
    });
    expect(badTasks.status).toBe(400);
    expect(badTasks.body.error_code).toBe(400);
    expect(badTasks.body.message).toMatch(/^Connector configuration is invalid and contains the following \d+ error\(s\):\n/);
    expect(badTasks.body.message).toContain('\nInvalid value abc for configuration tasks.max: Not a number of type INT\n');
    expect(badTasks.body.message.endsWith(`\n${VALIDATE_HINT}`)).toBe(true);

    expect((await api.get('/connectors/no-topic')).status).toBe(404);
    expect((await api.get('/connectors/bad-tasks')).status).toBe(404);
    expect((await api.get('/connectors')).body).toEqual([]);
  });

  it('GET on an unknown connector is 404 "Connector <name> not found"', async () => {
    // Kafka Connect words the status lookup differently: "No status found for connector nope".
    const status = await api.get('/connectors/nope/status');
    expect(status.status).toBe(404);
    expect(status.body).toEqual({ error_code: 404, message: 'No status found for connector nope' });
    for (const path of ['/connectors/nope', '/connectors/nope/config', '/connectors/nope/tasks', '/connectors/nope/offsets']) {
      const res = await api.get(path);
      expect(res.status, path).toBe(404);
      expect(res.body, path).toEqual({ error_code: 404, message: 'Connector nope not found' });
    }
    const del = await api.delete('/connectors/nope');
    expect(del.status).toBe(404);
    expect(del.body).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });

  it('a source connector through its whole lifecycle: create, 409, status, tasks, config, pause, stop, resume, restart, delete', async () => {
    const name = 'lifecycle-source';
    const topic = uniqueTopic('rest-lifecycle');
    await createTopic(topic);
    const input = join(dir, 'lifecycle-input.txt');
    writeFileSync(input, 'one\ntwo\n');
    const config = sourceConfig(input, topic);

    // Create: 201, ConnectorInfo, Location.
    const created = await api.post('/connectors', { name, config });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name, config: { ...config, name }, tasks: [{ connector: name, task: 0 }], type: 'source' });
    expect(created.headers.get('location')).toBe(`${run!.restUrl}/connectors/${name}`);

    // Again: 409 with Kafka Connect's exact body.
    const again = await api.post('/connectors', { name, config });
    expect(again.status).toBe(409);
    expect(again.body).toEqual({ error_code: 409, message: `Connector ${name} already exists` });

    expect((await api.get('/connectors')).body).toEqual([name]);
    const info = await api.get(`/connectors/${name}`);
    expect(info.status).toBe(200);
    expect(info.body).toEqual(created.body);

    // Status: connector and its one task RUNNING on this worker.
    const status = await statusUntil(name, 'RUNNING', isRunning);
    expect(status).toEqual({
      name,
      // The plugin's version (KIP-891) on every instance that reported a state.
      connector: { state: 'RUNNING', worker_id: workerId, version: '0.1.0' },
      tasks: [{ id: 0, state: 'RUNNING', worker_id: workerId, version: '0.1.0' }],
      type: 'source',
    });
    const taskStatus = await api.get(`/connectors/${name}/tasks/0/status`);
    expect(taskStatus.status).toBe(200);
    expect(taskStatus.body).toEqual({ id: 0, state: 'RUNNING', worker_id: workerId, version: '0.1.0' });
    expect((await api.get(`/connectors/${name}/tasks/1/status`)).status).toBe(404);

    // Tasks: [{id, config}] where the config carries task.class.
    const tasks = await api.get(`/connectors/${name}/tasks`);
    expect(tasks.status).toBe(200);
    expect(tasks.body).toEqual([
      { id: { connector: name, task: 0 }, config: expect.objectContaining({ file: input, topic, 'task.class': 'org.apache.kafka.connect.file.FileStreamSourceTask' }) },
    ]);

    // Config: the raw config, name included.
    const got = await api.get(`/connectors/${name}/config`);
    expect(got.status).toBe(200);
    expect(got.body).toEqual({ ...config, name });

    // PUT config of an existing connector: 200 and the new info; of a new one: 201.
    const replaced = { ...config, 'batch.size': '100' };
    const put = await api.put(`/connectors/${name}/config`, replaced);
    expect(put.status).toBe(200);
    expect(put.body).toEqual({ name, config: { ...replaced, name }, tasks: [{ connector: name, task: 0 }], type: 'source' });
    expect((await api.get(`/connectors/${name}/config`)).body).toEqual({ ...replaced, name });
    await statusUntil(name, 'RUNNING after reconfiguration', isRunning);

    const otherTopic = uniqueTopic('rest-put-new');
    await createTopic(otherTopic);
    const putNew = await api.put('/connectors/put-created/config', sourceConfig(input, otherTopic));
    expect(putNew.status).toBe(201);
    expect(putNew.body).toMatchObject({ name: 'put-created', type: 'source', config: { name: 'put-created', topic: otherTopic } });
    expect((await api.get('/connectors')).body).toEqual([name, 'put-created']);
    expect((await api.delete('/connectors/put-created')).status).toBe(204);

    // A config whose name differs from the path: 400.
    const renamed = await api.put(`/connectors/${name}/config`, { ...config, name: 'other' });
    expect(renamed.status).toBe(400);
    expect(renamed.body).toEqual({
      error_code: 400,
      message: `Connector name configuration (other) doesn't match connector name in the URL (${name})`,
    });

    // Pause: 202, then PAUSED.
    const pause = await api.put(`/connectors/${name}/pause`);
    expect(pause.status).toBe(202);
    expect(pause.body).toBeUndefined();
    await statusUntil(name, 'PAUSED', (s) => s.connector.state === 'PAUSED' && s.tasks.length === 1 && s.tasks[0].state === 'PAUSED');

    // Resume: 202, then RUNNING.
    const resume = await api.put(`/connectors/${name}/resume`);
    expect(resume.status).toBe(202);
    await statusUntil(name, 'RUNNING after resume', isRunning);

    // Stop: 204, STOPPED with no tasks (status, info and tasks all agree).
    const stop = await api.put(`/connectors/${name}/stop`);
    expect(stop.status).toBe(204);
    expect(stop.body).toBeUndefined();
    const stopped = await statusUntil(name, 'STOPPED', (s) => s.connector.state === 'STOPPED');
    expect(stopped).toEqual({ name, connector: { state: 'STOPPED', worker_id: workerId, version: '0.1.0' }, tasks: [], type: 'source' });
    expect((await api.get(`/connectors/${name}`)).body.tasks).toEqual([]);
    expect((await api.get(`/connectors/${name}/tasks`)).body).toEqual([]);
    // Stop is idempotent.
    expect((await api.put(`/connectors/${name}/stop`)).status).toBe(204);

    // Resume from STOPPED: the connector and its task come back RUNNING.
    expect((await api.put(`/connectors/${name}/resume`)).status).toBe(202);
    await statusUntil(name, 'RUNNING after resume from STOPPED', isRunning);
    expect((await api.get(`/connectors/${name}`)).body.tasks).toEqual([{ connector: name, task: 0 }]);

    // Restart with the defaults: 204, no body.
    const restart = await api.post(`/connectors/${name}/restart`);
    expect(restart.status).toBe(204);
    expect(restart.body).toBeUndefined();
    await statusUntil(name, 'RUNNING after restart', isRunning);

    // Restart with tasks: 202 and a status with the restarted instances RESTARTING.
    const restartAll = await api.post(`/connectors/${name}/restart?includeTasks=true`);
    expect(restartAll.status).toBe(202);
    expect(restartAll.body).toEqual({
      name,
      connector: { state: 'RESTARTING', worker_id: workerId, version: '0.1.0' },
      tasks: [{ id: 0, state: 'RESTARTING', worker_id: workerId, version: '0.1.0' }],
      type: 'source',
    });
    await statusUntil(name, 'RUNNING after restart with tasks', isRunning);

    // Restarting one task: 204.
    expect((await api.post(`/connectors/${name}/tasks/0/restart`)).status).toBe(204);
    await statusUntil(name, 'RUNNING after task restart', isRunning);

    // Delete: 204, then 404 everywhere.
    const del = await api.delete(`/connectors/${name}`);
    expect(del.status).toBe(204);
    expect(del.body).toBeUndefined();
    const gone = await api.get(`/connectors/${name}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ error_code: 404, message: `Connector ${name} not found` });
    expect((await api.get(`/connectors/${name}/status`)).status).toBe(404);
    expect((await api.get('/connectors')).body).toEqual([]);

    // Each line was produced exactly once across reconfigure, pause, stop, resume and restarts:
    // offsets were committed whenever the task stopped.
    await topicHoldsExactly(topic, 2, 1_000);
  });

  it('a paused source connector does not produce; after resume it does, and a stopped one neither', async () => {
    const name = 'pausable-source';
    const topic = uniqueTopic('rest-paused');
    await createTopic(topic);
    const input = join(dir, 'pausable-input.txt');
    writeFileSync(input, Array.from({ length: 5 }, (_, i) => `before-${i}\n`).join(''));

    expect((await api.post('/connectors', { name, config: sourceConfig(input, topic) })).status).toBe(201);
    await statusUntil(name, 'RUNNING', isRunning);
    await topicHoldsExactly(topic, 5);

    expect((await api.put(`/connectors/${name}/pause`)).status).toBe(202);
    await statusUntil(name, 'PAUSED', (s) => s.connector.state === 'PAUSED' && s.tasks.every((t: any) => t.state === 'PAUSED'));
    appendFileSync(input, Array.from({ length: 5 }, (_, i) => `while-paused-${i}\n`).join(''));
    // The source polls the file well within this; a paused task must not.
    await new Promise((r) => setTimeout(r, 2_000));
    expect(await messageCount(topic)).toBe(5);

    expect((await api.put(`/connectors/${name}/resume`)).status).toBe(202);
    await topicHoldsExactly(topic, 10);

    expect((await api.put(`/connectors/${name}/stop`)).status).toBe(204);
    await statusUntil(name, 'STOPPED', (s) => s.connector.state === 'STOPPED' && s.tasks.length === 0);
    appendFileSync(input, Array.from({ length: 5 }, (_, i) => `while-stopped-${i}\n`).join(''));
    await new Promise((r) => setTimeout(r, 1_500));
    expect(await messageCount(topic)).toBe(10);

    // Back from STOPPED it resumes where its committed offset says: only the new lines, once.
    expect((await api.put(`/connectors/${name}/resume`)).status).toBe(202);
    await topicHoldsExactly(topic, 15, 1_500);

    expect((await api.delete(`/connectors/${name}`)).status).toBe(204);
  });

  it('a FileStreamSink created over REST writes what is produced to its topic', async () => {
    const name = 'rest-sink';
    const topic = uniqueTopic('rest-sink');
    await createTopic(topic);
    const values = Array.from({ length: 100 }, (_, i) => `message-${i}`);
    await produce(topic, values.map((value, i) => ({ key: `k${i}`, value })));

    const output = join(dir, 'sink-output.txt');
    const config = { 'connector.class': 'FileStreamSink', topics: topic, file: output };
    const created = await api.post('/connectors', { name, config });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({ name, config: { ...config, name }, tasks: [{ connector: name, task: 0 }], type: 'sink' });
    const status = await statusUntil(name, 'RUNNING', isRunning);
    expect(status.type).toBe('sink');

    await waitFor(`100 lines in ${output}`, () => linesOf(output).length >= 100, 30_000, 200);
    expect(linesOf(output)).toEqual(values);

    expect((await api.delete(`/connectors/${name}`)).status).toBe(204);
  });

  it('GET /health is healthy once startup is complete', async () => {
    const res = await api.get('/health');
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
  });

  it("a sink's offsets: read from its consumer group, altered while STOPPED (it rereads from there), reset (it rereads all)", async () => {
    const name = 'offsets-sink';
    const topic = uniqueTopic('rest-offsets-sink');
    await createTopic(topic);
    const values = ['a', 'b', 'c', 'd'];
    await produce(topic, values.map((value) => ({ value })));
    const output = join(dir, 'offsets-sink.txt');
    expect((await api.post('/connectors', { name, config: { 'connector.class': 'FileStreamSink', topics: topic, file: output } })).status).toBe(201);
    await waitFor('4 lines', () => linesOf(output).length === 4, 30_000, 200);
    const committed = { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 4 } }] };
    await waitFor('committed offsets', async () => JSON.stringify((await api.get(`/connectors/${name}/offsets`)).body) === JSON.stringify(committed), 20_000, 200);
    expect((await api.get(`/connectors/${name}/topics`)).body).toEqual({ [name]: { topics: [topic] } });

    // Not while it runs.
    let res = await patch(`/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }] });
    expect(res.status).toBe(400);
    expect(res.body.message).toContain('Connectors must be in the STOPPED state before their offsets can be modified');

    expect((await api.put(`/connectors/${name}/stop`)).status).toBe(204);
    await statusUntil(name, 'STOPPED', (s) => s.connector.state === 'STOPPED' && s.tasks.length === 0);
    res = await patch(`/connectors/${name}/offsets`, { offsets: [{ partition: { kafka_topic: topic, kafka_partition: '0' }, offset: { kafka_offset: '2' } }] });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'The offsets for this connector have been altered successfully' });
    expect((await api.get(`/connectors/${name}/offsets`)).body).toEqual({
      offsets: [{ partition: { kafka_topic: topic, kafka_partition: 0 }, offset: { kafka_offset: 2 } }],
    });
    expect((await api.put(`/connectors/${name}/resume`)).status).toBe(202);
    // From offset 2: c and d again.
    await waitFor('c and d reread', () => linesOf(output).length === 6, 30_000, 200);
    expect(linesOf(output)).toEqual([...values, 'c', 'd']);

    expect((await api.put(`/connectors/${name}/stop`)).status).toBe(204);
    await statusUntil(name, 'STOPPED', (s) => s.connector.state === 'STOPPED');
    res = await api.delete(`/connectors/${name}/offsets`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ message: 'The offsets for this connector have been reset successfully' });
    expect((await api.get(`/connectors/${name}/offsets`)).body).toEqual({ offsets: [] });
    expect((await api.put(`/connectors/${name}/resume`)).status).toBe(202);
    // No committed offset: auto.offset.reset=earliest, everything again.
    await waitFor('all reread', () => linesOf(output).length === 10, 30_000, 200);
    expect(linesOf(output).slice(6)).toEqual(values);
    expect((await api.delete(`/connectors/${name}`)).status).toBe(204);
  });

  it("a source's offsets: altered while STOPPED, it resumes from the new position", async () => {
    const name = 'offsets-source';
    const topic = uniqueTopic('rest-offsets-source');
    await createTopic(topic);
    const input = join(dir, 'offsets-source.txt');
    writeFileSync(input, 'aaa\nbbb\nccc\n');
    expect((await api.post('/connectors', { name, config: sourceConfig(input, topic) })).status).toBe(201);
    await topicHoldsExactly(topic, 3);
    const stored = { offsets: [{ partition: { filename: input }, offset: { position: 12 } }] };
    await waitFor('stored source offset', async () => JSON.stringify((await api.get(`/connectors/${name}/offsets`)).body) === JSON.stringify(stored), 20_000, 200);
    await waitFor('active topic', async () => (await api.get(`/connectors/${name}/topics`)).body[name].topics.length === 1, 10_000, 200);
    expect((await api.get(`/connectors/${name}/topics`)).body).toEqual({ [name]: { topics: [topic] } });

    expect((await api.put(`/connectors/${name}/stop`)).status).toBe(204);
    await statusUntil(name, 'STOPPED', (s) => s.connector.state === 'STOPPED');
    // FileStreamSource's own check of the new offset, in Kafka Connect's words.
    let res = await patch(`/connectors/${name}/offsets`, { offsets: [{ partition: { filename: input }, offset: { position: -1 } }] });
    expect(res.status).toBe(500);
    expect(res.body.message).toBe("The value for the 'position' key in the offset should be a non-negative value");
    res = await patch(`/connectors/${name}/offsets`, { offsets: [{ partition: { filename: input }, offset: { position: 8 } }] });
    expect(res.status).toBe(200);
    expect((await api.get(`/connectors/${name}/offsets`)).body).toEqual({ offsets: [{ partition: { filename: input }, offset: { position: 8 } }] });
    expect((await api.put(`/connectors/${name}/resume`)).status).toBe(202);
    // From byte 8: "ccc" once more.
    await topicHoldsExactly(topic, 4, 1_000);
    expect((await api.delete(`/connectors/${name}`)).status).toBe(204);
  });

  it('PATCH /connectors/{name}/config merges into the running config; null removes a key', async () => {
    const name = 'patched-sink';
    const topic = uniqueTopic('rest-patch');
    await createTopic(topic);
    const config = { 'connector.class': 'FileStreamSink', topics: topic, file: join(dir, 'patched.txt'), 'tasks.max': '1' };
    expect((await api.post('/connectors', { name, config })).status).toBe(201);
    const res = await patch(`/connectors/${name}/config`, { file: join(dir, 'patched-2.txt'), 'tasks.max': null });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      name,
      config: { 'connector.class': 'FileStreamSink', topics: topic, file: join(dir, 'patched-2.txt'), name },
      tasks: [{ connector: name, task: 0 }],
      type: 'sink',
    });
    await produce(topic, [{ value: 'to-the-new-file' }]);
    await waitFor('the new file', () => linesOf(join(dir, 'patched-2.txt')).length === 1, 30_000, 200);
    expect((await api.delete(`/connectors/${name}`)).status).toBe(204);
  });

  it('PUT /admin/loggers/{name} changes the level of the running logger: the request log appears at DEBUG', async () => {
    expect((await api.get('/admin/loggers/RestServer')).body).toEqual({ level: 'INFO', last_modified: null });
    const res = await api.put('/admin/loggers/RestServer', { level: 'DEBUG' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual(['RestServer']);
    const level = await api.get('/admin/loggers/RestServer');
    expect(level.body).toEqual({ level: 'DEBUG', last_modified: expect.any(Number) });
    await api.get('/connectors?logged=yes');
    await waitFor('a request-log line', () => log().includes('GET /connectors?logged=yes HTTP/1.1'), 5_000, 100);
    expect((await api.put('/admin/loggers/RestServer', { level: 'INFO' })).body).toEqual(['RestServer']);
    expect((await api.get('/admin/loggers')).body).toMatchObject({ root: { level: 'INFO' }, RestServer: { level: 'INFO' } });
  });

  it('SIGTERM stops the worker with exit code 0 within a few seconds', async () => {
    // A connector running at the time, so shutdown has tasks to stop.
    const topic = uniqueTopic('rest-shutdown');
    await createTopic(topic);
    const input = join(dir, 'shutdown-input.txt');
    writeFileSync(input, 'x\n');
    expect((await api.post('/connectors', { name: 'at-shutdown', config: sourceConfig(input, topic) })).status).toBe(201);
    await statusUntil('at-shutdown', 'RUNNING', isRunning);

    const started = Date.now();
    run!.proc.kill('SIGTERM');
    const exit = await Promise.race([
      run!.exited,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`no exit 10 s after SIGTERM:\n${log()}`)), 10_000)),
    ]);
    expect(exit, log()).toEqual({ code: 0, signal: null });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(log()).toContain('sluice stopped');
  });
});

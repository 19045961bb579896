import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createRestServer } from '../../../src/rest/server.js';
import { MemoryHerder, WORKER_ID } from './memory-herder.js';

const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const FILE_SOURCE = 'org.apache.kafka.connect.file.FileStreamSourceConnector';
const INVALID_SUFFIX =
  '\nYou can also find the above list of errors at the endpoint `/connector-plugins/{connectorType}/config/validate`';

let herder: MemoryHerder;
let app: FastifyInstance;

beforeEach(() => {
  herder = new MemoryHerder();
  app = createRestServer({ herder }).app;
});

afterEach(async () => {
  await app.close();
});

function notFound(name: string) {
  return { error_code: 404, message: `Connector ${name} not found` };
}

describe('GET /connectors', () => {
  it('lists connector names', async () => {
    herder.add('b', { 'connector.class': FILE_SINK });
    herder.add('a', { 'connector.class': FILE_SOURCE });
    const res = await app.inject({ method: 'GET', url: '/connectors' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/json/);
    expect(res.json()).toEqual(['a', 'b']);
  });

  it('answers an empty list with no connectors, with or without a trailing slash', async () => {
    for (const url of ['/connectors', '/connectors/']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode).toBe(200);
      expect(res.json()).toEqual([]);
    }
  });

  it('expands status and info keyed by connector name', async () => {
    herder.add('src', { 'connector.class': FILE_SOURCE, file: '/tmp/in' }, { tasks: 2, failedTasks: [1] });
    const res = await app.inject({ method: 'GET', url: '/connectors?expand=status&expand=info' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      src: {
        status: {
          name: 'src',
          connector: { state: 'RUNNING', worker_id: WORKER_ID },
          tasks: [
            { id: 0, state: 'RUNNING', worker_id: WORKER_ID },
            {
              id: 1,
              state: 'FAILED',
              worker_id: WORKER_ID,
              trace: 'org.apache.kafka.connect.errors.ConnectException: boom',
            },
          ],
          type: 'source',
        },
        info: {
          name: 'src',
          config: { name: 'src', 'connector.class': FILE_SOURCE, file: '/tmp/in' },
          tasks: [
            { connector: 'src', task: 0 },
            { connector: 'src', task: 1 },
          ],
          type: 'source',
        },
      },
    });
  });

  it('expands only what is asked, ignores unknown expansions, and an empty expand gives empty entries', async () => {
    herder.add('a', { 'connector.class': FILE_SINK });
    let res = await app.inject({ method: 'GET', url: '/connectors?expand=info' });
    expect(Object.keys(res.json().a)).toEqual(['info']);
    res = await app.inject({ method: 'GET', url: '/connectors?expand=status&expand=bogus' });
    expect(Object.keys(res.json().a)).toEqual(['status']);
    res = await app.inject({ method: 'GET', url: '/connectors?expand=' });
    expect(res.json()).toEqual({ a: {} });
  });

  it('leaves out a connector deleted while it is being expanded', async () => {
    herder.add('a', { 'connector.class': FILE_SINK });
    herder.add('gone', { 'connector.class': FILE_SINK });
    herder.vanishing.add('gone');
    const res = await app.inject({ method: 'GET', url: '/connectors?expand=status' });
    expect(res.statusCode).toBe(200);
    expect(Object.keys(res.json())).toEqual(['a']);
  });

  it('answers 500 with the message when the herder fails unexpectedly', async () => {
    herder.failNext('connectors', new Error('config topic unreadable'));
    const res = await app.inject({ method: 'GET', url: '/connectors' });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error_code: 500, message: 'config topic unreadable' });
  });
});

describe('POST /connectors', () => {
  const config = { 'connector.class': FILE_SINK, 'tasks.max': '2', topics: 't' };

  it('creates: 201, Location and ConnectorInfo, with config.name defaulting to the name', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { host: 'worker-1:8083' },
      payload: { name: 'sink', config },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('http://worker-1:8083/connectors/sink');
    expect(res.json()).toEqual({
      name: 'sink',
      config: { ...config, name: 'sink' },
      tasks: [
        { connector: 'sink', task: 0 },
        { connector: 'sink', task: 1 },
      ],
      type: 'sink',
    });
    expect(herder.calls.at(-1)).toEqual(['putConnectorConfig', 'sink', { ...config, name: 'sink' }, false, undefined]);
  });

  it('percent-encodes the name in Location', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { host: 'h:8083' },
      payload: { name: 'my conn/1?', config },
    });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('http://h:8083/connectors/my%20conn/1%3F');
  });

  it('trims the name as Java does (whitespace and control characters at the ends)', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors', payload: { name: ' \t sink\n', config } });
    expect(res.statusCode).toBe(201);
    expect(res.json().name).toBe('sink');
    expect(herder.entries.has('sink')).toBe(true);
  });

  it('accepts a matching config.name and refuses a different one', async () => {
    let res = await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'a', config: { ...config, name: 'a' } } });
    expect(res.statusCode).toBe(201);
    res = await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'b', config: { ...config, name: 'other' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error_code: 400,
      message: "Connector name configuration (other) doesn't match connector name in the URL (b)",
    });
  });

  it('compares config.name with the trimmed name', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: ' a ', config: { ...config, name: ' a ' } },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe("Connector name configuration ( a ) doesn't match connector name in the URL (a)");
  });

  it('passes a missing name on as "" and answers the herder validation error (400)', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors', payload: { config } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error_code: 400,
      message:
        'Connector configuration is invalid and contains the following 1 error(s):\n' +
        'Invalid value  for configuration name: String may not be empty' +
        INVALID_SUFFIX,
    });
    expect(herder.calls.at(-1)?.[1]).toBe('');
  });

  it('reports a missing name against a named config as a mismatch', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors', payload: { config: { ...config, name: 'x' } } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe("Connector name configuration (x) doesn't match connector name in the URL ()");
  });

  it('answers the herder validation error for a name with control characters', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'a\u0007b', config } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe(
      'Connector configuration is invalid and contains the following 1 error(s):\n' +
        'Invalid value a\u0007b for configuration name: String may not contain control sequences but had the following ASCII chars: 7' +
        INVALID_SUFFIX,
    );
  });

  it('answers 409 for an existing connector', async () => {
    herder.add('sink', config);
    const res = await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'sink', config } });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error_code: 409, message: 'Connector sink already exists' });
  });

  it('reads initial_state case-insensitively', async () => {
    for (const [name, state, expected] of [
      ['p', 'paused', 'PAUSED'],
      ['s', 'Stopped', 'STOPPED'],
      ['r', 'RUNNING', 'RUNNING'],
    ] as const) {
      const res = await app.inject({ method: 'POST', url: '/connectors', payload: { name, config, initial_state: state } });
      expect(res.statusCode).toBe(201);
      expect(herder.calls.at(-1)?.[4]).toBe(expected);
    }
    const res = await app.inject({ method: 'POST', url: '/connectors', payload: { name: 'n', config, initial_state: null } });
    expect(res.statusCode).toBe(201);
    expect(herder.calls.at(-1)?.[4]).toBeUndefined();
  });

  it('reads config values as Jackson reads Map<String, String>: scalars as text, nulls dropped', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: { name: 'n', config: { 'connector.class': FILE_SINK, 'tasks.max': 3, 'errors.log.enable': true, topics: null } },
    });
    expect(res.statusCode).toBe(201);
    expect(res.json().config).toEqual({ 'connector.class': FILE_SINK, 'tasks.max': '3', 'errors.log.enable': 'true', name: 'n' });
  });

  it('answers 500, as Kafka Connect does, for bodies it cannot read', async () => {
    const cases: [unknown, string][] = [
      [[], 'Connector creation request must be a JSON object, not an array'],
      ['x', 'Connector creation request must be a JSON object, not a string'],
      [{ name: 'n' }, 'Connector config is missing'],
      [{ name: 'n', config: [] }, 'Connector config must be a JSON object, not an array'],
      [{ name: 'n', config: { a: { b: 1 } } }, 'Connector config: the value of "a" must be a string, not an object'],
      [{ name: { x: 1 }, config }, 'Connector name must be a string, not an object'],
      [
        { name: 'n', config, tasks: [] },
        'Unrecognized field "tasks" (class org.apache.kafka.connect.runtime.rest.entities.CreateConnectorRequest), not marked as ignorable',
      ],
      [{ name: 'n', config, initial_state: 'SLEEPING' }, 'Invalid initial_state SLEEPING: must be one of RUNNING, PAUSED, STOPPED'],
    ];
    for (const [payload, message] of cases) {
      const res = await app.inject({ method: 'POST', url: '/connectors', payload: JSON.stringify(payload), headers: { 'content-type': 'application/json' } });
      expect(res.statusCode, JSON.stringify(payload)).toBe(500);
      expect(res.json()).toEqual({ error_code: 500, message });
    }
    expect(herder.calls).toEqual([]);
  });

  it('answers 500 for a missing body', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors', headers: { 'content-type': 'application/json' } });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error_code: 500, message: 'Connector creation request is missing' });
  });

  it('answers 500 with the parser message for malformed JSON, as Kafka Connect does', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "x", "config": {,}}',
    });
    expect(res.statusCode).toBe(500);
    const body = res.json();
    expect(body.error_code).toBe(500);
    expect(body.message).toMatch(/JSON/);
    expect(herder.calls).toEqual([]);
  });

  it('reads a body sent without a Content-Type as JSON', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      payload: Buffer.from(JSON.stringify({ name: 'n', config })),
    });
    expect(res.statusCode).toBe(201);
  });

  it('answers 415 for a form-encoded body (curl -d without -H)', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: JSON.stringify({ name: 'n', config }),
    });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' });
  });

  it('accepts application/json with a charset', async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/connectors',
      headers: { 'content-type': 'application/json; charset=UTF-8' },
      payload: JSON.stringify({ name: 'n', config }),
    });
    expect(res.statusCode).toBe(201);
  });
});

describe('GET and DELETE /connectors/{name}', () => {
  it('answers ConnectorInfo', async () => {
    herder.add('a', { 'connector.class': FILE_SINK });
    const res = await app.inject({ method: 'GET', url: '/connectors/a' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'a',
      config: { name: 'a', 'connector.class': FILE_SINK },
      tasks: [{ connector: 'a', task: 0 }],
      type: 'sink',
    });
  });

  it('decodes the name from the path', async () => {
    herder.add('my connector/1', { 'connector.class': FILE_SINK });
    const res = await app.inject({ method: 'GET', url: '/connectors/my%20connector%2F1' });
    expect(res.statusCode).toBe(200);
    expect(res.json().name).toBe('my connector/1');
  });

  it('serves names longer than 100 characters', async () => {
    const name = 'c'.repeat(300);
    herder.add(name, { 'connector.class': FILE_SINK });
    const res = await app.inject({ method: 'GET', url: `/connectors/${name}/status` });
    expect(res.statusCode).toBe(200);
  });

  it('answers 404 for an unknown connector', async () => {
    for (const url of ['/connectors/nope', '/connectors/nope/', '/connectors/nope/config', '/connectors/nope/status', '/connectors/nope/tasks', '/connectors/nope/tasks-config']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toEqual(notFound('nope'));
    }
  });

  it('deletes: 204 with no body, then 404', async () => {
    herder.add('a', { 'connector.class': FILE_SINK });
    let res = await app.inject({ method: 'DELETE', url: '/connectors/a' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    res = await app.inject({ method: 'DELETE', url: '/connectors/a' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(notFound('a'));
  });
});

describe('/connectors/{name}/config', () => {
  const config = { 'connector.class': FILE_SOURCE, file: '/tmp/x', topic: 't' };

  it('GET answers the raw config', async () => {
    herder.add('a', config);
    const res = await app.inject({ method: 'GET', url: '/connectors/a/config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ name: 'a', ...config });
  });

  it('PUT creates with 201 and Location, then updates with 200 and no Location', async () => {
    let res = await app.inject({ method: 'PUT', url: '/connectors/a/config', headers: { host: 'h:1' }, payload: config });
    expect(res.statusCode).toBe(201);
    expect(res.headers.location).toBe('http://h:1/connectors/a');
    expect(res.json()).toEqual({ name: 'a', config: { ...config, name: 'a' }, tasks: [{ connector: 'a', task: 0 }], type: 'source' });
    expect(herder.calls.at(-1)).toEqual(['putConnectorConfig', 'a', { ...config, name: 'a' }, true, undefined]);

    res = await app.inject({ method: 'PUT', url: '/connectors/a/config', payload: { ...config, 'tasks.max': '2' } });
    expect(res.statusCode).toBe(200);
    expect(res.headers.location).toBeUndefined();
    expect(res.json().tasks).toHaveLength(2);
  });

  it('PUT refuses a config whose name differs from the path', async () => {
    const res = await app.inject({ method: 'PUT', url: '/connectors/a/config', payload: { ...config, name: 'b' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error_code: 400,
      message: "Connector name configuration (b) doesn't match connector name in the URL (a)",
    });
    expect(herder.calls).toEqual([]);
  });

  it('PUT does not trim the name from the path', async () => {
    const res = await app.inject({ method: 'PUT', url: '/connectors/%20a%20/config', payload: { ...config, name: 'a' } });
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toBe("Connector name configuration (a) doesn't match connector name in the URL ( a )");
  });

  it('PUT answers the herder validation error', async () => {
    const res = await app.inject({ method: 'PUT', url: '/connectors/a/config', payload: { topic: 't' } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error_code: 400,
      message:
        'Connector configuration is invalid and contains the following 1 error(s):\n' +
        'Missing required configuration "connector.class" which has no default value.' +
        INVALID_SUFFIX,
    });
  });

  it('PUT answers 500 for a body that is not a config map', async () => {
    for (const [payload, message] of [
      ['[1]', 'Connector config must be a JSON object, not an array'],
      ['', 'Connector config is missing'],
      ['{"a": [1]}', 'Connector config: the value of "a" must be a string, not an array'],
    ]) {
      const res = await app.inject({ method: 'PUT', url: '/connectors/a/config', headers: { 'content-type': 'application/json' }, payload });
      expect(res.statusCode).toBe(500);
      expect(res.json()).toEqual({ error_code: 500, message });
    }
  });
});

describe('status and tasks', () => {
  beforeEach(() => {
    herder.add('src', { 'connector.class': FILE_SOURCE }, { tasks: 2, failedTasks: [1] });
  });

  it('GET /status answers ConnectorStateInfo, with trace only where there is one', async () => {
    const res = await app.inject({ method: 'GET', url: '/connectors/src/status' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'src',
      connector: { state: 'RUNNING', worker_id: WORKER_ID },
      tasks: [
        { id: 0, state: 'RUNNING', worker_id: WORKER_ID },
        { id: 1, state: 'FAILED', worker_id: WORKER_ID, trace: 'org.apache.kafka.connect.errors.ConnectException: boom' },
      ],
      type: 'source',
    });
  });

  it('GET /tasks answers [{id: {connector, task}, config}]', async () => {
    const res = await app.inject({ method: 'GET', url: '/connectors/src/tasks' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { id: { connector: 'src', task: 0 }, config: { 'task.class': 'Task', 'task.id': '0' } },
      { id: { connector: 'src', task: 1 }, config: { 'task.class': 'Task', 'task.id': '1' } },
    ]);
  });

  it('GET /tasks-config answers the deprecated {"<name>-<task>": config} shape', async () => {
    const res = await app.inject({ method: 'GET', url: '/connectors/src/tasks-config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      'src-0': { 'task.class': 'Task', 'task.id': '0' },
      'src-1': { 'task.class': 'Task', 'task.id': '1' },
    });
  });

  it('GET /tasks/{task}/status answers the task state', async () => {
    let res = await app.inject({ method: 'GET', url: '/connectors/src/tasks/0/status' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ id: 0, state: 'RUNNING', worker_id: WORKER_ID });
    res = await app.inject({ method: 'GET', url: '/connectors/src/tasks/1/status' });
    expect(res.json()).toEqual({
      id: 1,
      state: 'FAILED',
      worker_id: WORKER_ID,
      trace: 'org.apache.kafka.connect.errors.ConnectException: boom',
    });
    expect(herder.calls.at(-1)).toEqual(['taskStatus', 'src', 1]);
  });

  it('GET /tasks/{task}/status answers the herder 404 for an unknown task or connector', async () => {
    let res = await app.inject({ method: 'GET', url: '/connectors/src/tasks/7/status' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'No status found for task src-7' });
    res = await app.inject({ method: 'GET', url: '/connectors/nope/tasks/0/status' });
    expect(res.json()).toEqual(notFound('nope'));
  });

  it('a task id that is not a Java int matches no resource: Jersey 404', async () => {
    for (const task of ['abc', '1.5', '99999999999', '']) {
      const res = await app.inject({ method: 'GET', url: `/connectors/src/tasks/${task}/status` });
      expect(res.statusCode, task).toBe(404);
      expect(res.json()).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
    }
    const res = await app.inject({ method: 'POST', url: '/connectors/src/tasks/x/restart' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
  });
});

describe('pause, resume, stop', () => {
  beforeEach(() => {
    herder.add('a', { 'connector.class': FILE_SINK });
  });

  it('PUT /pause and /resume answer 202 with no body', async () => {
    let res = await app.inject({ method: 'PUT', url: '/connectors/a/pause' });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('');
    expect(herder.entries.get('a')?.target).toBe('PAUSED');
    res = await app.inject({ method: 'PUT', url: '/connectors/a/resume' });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('');
    expect(herder.entries.get('a')?.target).toBe('STARTED');
  });

  it('PUT /stop answers 204', async () => {
    const res = await app.inject({ method: 'PUT', url: '/connectors/a/stop' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(herder.entries.get('a')?.target).toBe('STOPPED');
  });

  it('answer 404 for an unknown connector', async () => {
    for (const action of ['pause', 'resume', 'stop']) {
      const res = await app.inject({ method: 'PUT', url: `/connectors/nope/${action}` });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual(notFound('nope'));
    }
  });

  it('ignore a JSON body they do not read, but refuse another media type', async () => {
    let res = await app.inject({
      method: 'PUT',
      url: '/connectors/a/pause',
      headers: { 'content-type': 'application/json' },
      payload: 'not json at all',
    });
    expect(res.statusCode).toBe(202);
    res = await app.inject({ method: 'PUT', url: '/connectors/a/pause', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(res.statusCode).toBe(415);
    expect(res.json()).toEqual({ error_code: 415, message: 'HTTP 415 Unsupported Media Type' });
  });
});

describe('restart', () => {
  beforeEach(() => {
    herder.add('a', { 'connector.class': FILE_SINK }, { tasks: 2, failedTasks: [1] });
  });

  it('restarts only the connector by default: 204, no body', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors/a/restart' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(herder.calls.at(-1)).toEqual(['restartConnector', 'a', { includeTasks: false, onlyFailed: false }]);
  });

  it('with includeTasks/onlyFailed answers 202 and the status', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors/a/restart?includeTasks=true&onlyFailed=true' });
    expect(res.statusCode).toBe(202);
    expect(herder.calls.at(-1)).toEqual(['restartConnector', 'a', { includeTasks: true, onlyFailed: true }]);
    expect(res.json()).toEqual({
      name: 'a',
      connector: { state: 'RESTARTING', worker_id: WORKER_ID },
      tasks: [
        { id: 0, state: 'RUNNING', worker_id: WORKER_ID },
        { id: 1, state: 'RESTARTING', worker_id: WORKER_ID },
      ],
      type: 'sink',
    });
  });

  it('reads the flags as Java Boolean.valueOf: only "true", any case', async () => {
    for (const [query, expected] of [
      ['includeTasks=TRUE', { includeTasks: true, onlyFailed: false }],
      ['includeTasks=yes&onlyFailed=1', { includeTasks: false, onlyFailed: false }],
      ['onlyFailed=True', { includeTasks: false, onlyFailed: true }],
      ['includeTasks=', { includeTasks: false, onlyFailed: false }],
    ] as const) {
      await app.inject({ method: 'POST', url: `/connectors/a/restart?${query}` });
      expect(herder.calls.at(-1)?.[2], query).toEqual(expected);
    }
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors/nope/restart?includeTasks=true' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual(notFound('nope'));
  });

  it('POST /tasks/{task}/restart answers 204, or the herder 404', async () => {
    let res = await app.inject({ method: 'POST', url: '/connectors/a/tasks/1/restart' });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(herder.calls.at(-1)).toEqual(['restartTask', 'a', 1]);
    res = await app.inject({ method: 'POST', url: '/connectors/a/tasks/5/restart' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'Task a-5 not found' });
  });

  it('passes a rebalance conflict (RestError 409) through with its status', async () => {
    const { RestError } = await import('../../../src/api/errors.js');
    herder.failNext(
      'restartTask',
      new RestError(409, 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)'),
    );
    const res = await app.inject({ method: 'POST', url: '/connectors/a/tasks/0/restart' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({
      error_code: 409,
      message: 'Cannot complete request because of a conflicting operation (e.g. worker rebalance)',
    });
  });
});

// The REST routes added for Kafka Connect 3.5+/4.x parity: PATCH config, offsets, active topics,
// plugin config, /admin/loggers and /health, over fastify inject() with an in-memory herder.
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseSinkConnectorOffsets } from '../../../src/cluster/connector-offsets.js';
import { createRestServer } from '../../../src/rest/server.js';
import { LoggerRegistry, type Logger } from '../../../src/util/logger.js';
import { MemoryHerder } from './memory-herder.js';

const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';
const STOP_FIRST =
  "Connectors must be in the STOPPED state before their offsets can be modified. This can be done for the specified connector by issuing a 'PUT' request to the '/connectors/a/stop' endpoint";

let herder: MemoryHerder;
let app: FastifyInstance;

beforeEach(() => {
  herder = new MemoryHerder();
  herder.add('a', { 'connector.class': FILE_SINK, topics: 't', file: '/tmp/out' });
  app = createRestServer({ herder }).app;
});

afterEach(async () => {
  await app.close();
});

describe('PATCH /connectors/{name}/config', () => {
  it('merges the patch, a null value removing its key, and answers 200 with ConnectorInfo', async () => {
    const res = await app.inject({
      method: 'PATCH',
      url: '/connectors/a/config',
      payload: { file: '/tmp/other', 'tasks.max': 2, topics: null },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: 'a',
      config: { name: 'a', 'connector.class': FILE_SINK, file: '/tmp/other', 'tasks.max': '2' },
      tasks: [{ connector: 'a', task: 0 }],
      type: 'sink',
    });
    expect(herder.calls.at(-1)).toEqual(['patchConnectorConfig', 'a', { file: '/tmp/other', 'tasks.max': '2', topics: null }]);
  });

  it('answers 404 for an unknown connector and 500 for a body that is not an object', async () => {
    let res = await app.inject({ method: 'PATCH', url: '/connectors/nope/config', payload: { a: 'b' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'Connector nope not found' });
    res = await app.inject({ method: 'PATCH', url: '/connectors/a/config', payload: ['x'] });
    expect(res.statusCode).toBe(500);
    expect(res.json().message).toMatch(/must be a JSON object/);
  });
});

describe('/connectors/{name}/offsets', () => {
  const offsets = [
    { partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 5 } },
    { partition: { kafka_topic: 't', kafka_partition: 1 }, offset: { kafka_offset: 7 } },
  ];

  it('GET answers {offsets: [...]}', async () => {
    const res = await app.inject({ method: 'GET', url: '/connectors/a/offsets' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ offsets: [] });
  });

  it('PATCH and DELETE answer 400 with Kafka Connect\'s message unless the connector is STOPPED', async () => {
    let res = await app.inject({ method: 'PATCH', url: '/connectors/a/offsets', payload: { offsets } });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error_code: 400, message: STOP_FIRST });
    res = await app.inject({ method: 'DELETE', url: '/connectors/a/offsets' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error_code: 400, message: STOP_FIRST });
  });

  it('PATCH alters and DELETE resets a stopped connector: 200 {message}', async () => {
    await app.inject({ method: 'PUT', url: '/connectors/a/stop' });
    let res = await app.inject({ method: 'PATCH', url: '/connectors/a/offsets', payload: { offsets } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'The offsets for this connector have been altered successfully' });
    res = await app.inject({ method: 'GET', url: '/connectors/a/offsets' });
    expect(res.json()).toEqual({ offsets });
    res = await app.inject({
      method: 'PATCH',
      url: '/connectors/a/offsets',
      payload: { offsets: [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: null }] },
    });
    expect(res.statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/connectors/a/offsets' })).json()).toEqual({ offsets: [offsets[1]] });
    res = await app.inject({ method: 'DELETE', url: '/connectors/a/offsets' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ message: 'The offsets for this connector have been reset successfully' });
    expect((await app.inject({ method: 'GET', url: '/connectors/a/offsets' })).json()).toEqual({ offsets: [] });
  });

  it('PATCH with no offsets is 400; a body of the wrong shape is 500, as Jackson fails it', async () => {
    for (const payload of [{}, { offsets: [] }, { offsets: null }]) {
      const res = await app.inject({ method: 'PATCH', url: '/connectors/a/offsets', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(400);
      expect(res.json()).toEqual({ error_code: 400, message: 'Partitions / offsets need to be provided for an alter offsets request' });
    }
    for (const payload of [{ offsets: 'x' }, { offsets: [], extra: 1 }, { offsets: [{ partition: 1 }] }]) {
      const res = await app.inject({ method: 'PATCH', url: '/connectors/a/offsets', payload });
      expect(res.statusCode, JSON.stringify(payload)).toBe(500);
    }
  });

  it('answers 404 for an unknown connector', async () => {
    const res = await app.inject({ method: 'GET', url: '/connectors/nope/offsets' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'Connector nope not found' });
  });
});

describe('parseSinkConnectorOffsets (SinkUtils)', () => {
  it('accepts numbers or numeric strings and null offsets', () => {
    expect(
      parseSinkConnectorOffsets([
        { partition: { kafka_topic: 't', kafka_partition: '3' }, offset: { kafka_offset: '10' } },
        { partition: { kafka_topic: 't', kafka_partition: 4 }, offset: null },
      ]),
    ).toEqual([
      { topic: 't', partition: 3, offset: 10n },
      { topic: 't', partition: 4, offset: null },
    ]);
  });

  it('refuses malformed partitions and offsets with Kafka Connect\'s messages', () => {
    const cases: [unknown, string][] = [
      [{ partition: null, offset: null }, 'The partition for a sink connector offset cannot be null or missing'],
      [{ partition: { kafka_topic: 't' }, offset: null }, "must contain the keys 'kafka_topic' and 'kafka_partition'"],
      [{ partition: { kafka_topic: null, kafka_partition: 0 }, offset: null }, 'Kafka topic names must be valid strings and may not be null'],
      [{ partition: { kafka_topic: 't', kafka_partition: 'x' }, offset: null }, "Kafka partition value in the provided offsets: 'x'"],
      [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { other: 1 } }, "should either be null or contain the key 'kafka_offset'"],
      [{ partition: { kafka_topic: 't', kafka_partition: 0 }, offset: { kafka_offset: 1.5 } }, "Kafka offset value in the provided offsets: '1.5'"],
    ];
    for (const [entry, message] of cases) {
      expect(() => parseSinkConnectorOffsets([entry as never]), JSON.stringify(entry)).toThrow(message);
    }
  });
});

describe('/connectors/{name}/topics', () => {
  it('GET answers {name: {topics}} for any name, PUT /topics/reset answers 202 and clears them', async () => {
    herder.entries.get('a')!.topics = ['t'];
    let res = await app.inject({ method: 'GET', url: '/connectors/a/topics' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ a: { topics: ['t'] } });
    res = await app.inject({ method: 'PUT', url: '/connectors/a/topics/reset' });
    expect(res.statusCode).toBe(202);
    expect(res.body).toBe('');
    expect((await app.inject({ method: 'GET', url: '/connectors/a/topics' })).json()).toEqual({ a: { topics: [] } });
    expect((await app.inject({ method: 'GET', url: '/connectors/nope/topics' })).json()).toEqual({ nope: { topics: [] } });
  });

  it('answers 403 when topic tracking or its reset is disabled', async () => {
    const disabled = createRestServer({ herder, topicTracking: { enabled: false, allowReset: true } }).app;
    const noReset = createRestServer({ herder, topicTracking: { enabled: true, allowReset: false } }).app;
    try {
      for (const [method, url] of [['GET', '/connectors/a/topics'], ['PUT', '/connectors/a/topics/reset']] as const) {
        const res = await disabled.inject({ method, url });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toEqual({ error_code: 403, message: 'Topic tracking is disabled.' });
      }
      expect((await noReset.inject({ method: 'GET', url: '/connectors/a/topics' })).statusCode).toBe(200);
      const res = await noReset.inject({ method: 'PUT', url: '/connectors/a/topics/reset' });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error_code: 403, message: 'Topic tracking reset is disabled.' });
    } finally {
      await disabled.close();
      await noReset.close();
    }
  });
});

describe('GET /connector-plugins/{plugin}/config', () => {
  it('answers the ConfigKeyInfo list, or 404 for an unknown plugin', async () => {
    let res = await app.inject({ method: 'GET', url: '/connector-plugins/FileStreamSinkConnector/config' });
    expect(res.statusCode).toBe(200);
    expect(res.json()[0]).toMatchObject({ name: 'file', type: 'STRING', importance: 'HIGH' });
    res = await app.inject({ method: 'GET', url: '/connector-plugins/Nope/config' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'Unknown plugin Nope.' });
  });
});

describe('/admin/loggers', () => {
  it('GET lists levels; GET of one logger answers it or 404', async () => {
    let res = await app.inject({ method: 'GET', url: '/admin/loggers' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ root: { level: 'INFO', last_modified: null } });
    res = await app.inject({ method: 'GET', url: '/admin/loggers/root' });
    expect(res.json()).toEqual({ level: 'INFO', last_modified: null });
    res = await app.inject({ method: 'GET', url: '/admin/loggers/nope' });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: 'Logger nope not found.' });
  });

  it('PUT sets a level (worker scope by default) and answers the loggers changed', async () => {
    const res = await app.inject({ method: 'PUT', url: '/admin/loggers/org.example', payload: { level: 'debug' } });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(['org.example']);
    expect(herder.calls.at(-1)).toEqual(['setWorkerLoggerLevel', 'org.example', 'debug']);
  });

  it('PUT with scope=cluster answers 204; an unknown scope falls back to worker', async () => {
    let res = await app.inject({ method: 'PUT', url: '/admin/loggers/root?scope=cluster', payload: { level: 'WARN' } });
    expect(res.statusCode).toBe(204);
    expect(herder.calls.at(-1)).toEqual(['setClusterLoggerLevel', 'root', 'WARN']);
    res = await app.inject({ method: 'PUT', url: '/admin/loggers/root?scope=galaxy', payload: { level: 'WARN' } });
    expect(res.statusCode).toBe(200);
    expect(herder.calls.at(-1)).toEqual(['setWorkerLoggerLevel', 'root', 'WARN']);
  });

  it('PUT without a level is 400; with an unknown level 404, as Kafka Connect answers', async () => {
    let res = await app.inject({ method: 'PUT', url: '/admin/loggers/root', payload: {} });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error_code: 400, message: "Desired 'level' parameter was not specified in request." });
    res = await app.inject({ method: 'PUT', url: '/admin/loggers/root', payload: { level: 'LOUD' } });
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error_code: 404, message: "invalid log level 'LOUD'." });
  });
});

describe('GET /health', () => {
  it('answers 200 healthy once ready', async () => {
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'healthy', message: 'Worker has completed startup and is ready to handle requests.' });
  });

  it('answers 503 starting before startup completes', async () => {
    herder.ready = false;
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'starting', message: 'Worker is still starting up.' });
  });
});

describe('LoggerRegistry (pino children by name)', () => {
  function registry(): { loggers: LoggerRegistry; root: Logger } {
    const root = pino({ level: 'info' }) as unknown as Logger;
    let now = 1000;
    return { loggers: new LoggerRegistry(root, () => now++), root };
  }

  it('tracks children by their component, logger or task binding and lists them with root', () => {
    const { loggers, root } = registry();
    const rest = root.child({ component: 'RestServer' });
    const task = root.child({ task: 'a-0' });
    expect(rest.level).toBe('info');
    expect([...loggers.allLevels().keys()]).toEqual(['RestServer', 'root', 'task.a-0']);
    expect(loggers.level('RestServer')).toEqual({ level: 'INFO', lastModified: null });
    expect(loggers.level('nope')).toBeNull();
    expect(task.level).toBe('info');
  });

  it('sets a namespace and every logger whose name starts with it; answers only the changed ones', () => {
    const { loggers, root } = registry();
    const a = root.child({ logger: 'org.example.A' });
    const b = root.child({ logger: 'org.example.B' });
    const other = root.child({ logger: 'com.other' });
    expect(loggers.setLevel('org.example', 'debug')).toEqual(['org.example', 'org.example.A', 'org.example.B']);
    expect(a.level).toBe('debug');
    expect(b.level).toBe('debug');
    expect(other.level).toBe('info');
    expect(loggers.level('org.example.A')).toEqual({ level: 'DEBUG', lastModified: expect.any(Number) });
    // Setting the same level again changes nothing.
    expect(loggers.setLevel('org.example', 'DEBUG')).toEqual([]);
  });

  it('root applies to every logger, and later children take the level set for their name', () => {
    const { loggers, root } = registry();
    const a = root.child({ logger: 'x' });
    expect(loggers.setLevel('root', 'WARN')).toEqual(['root', 'x']);
    expect(root.level).toBe('warn');
    expect(a.level).toBe('warn');
    loggers.setLevel('late', 'trace');
    expect(root.child({ logger: 'late' }).level).toBe('trace');
  });

  it('OFF silences and hides the logger from the list', () => {
    const { loggers, root } = registry();
    const a = root.child({ logger: 'noisy' });
    loggers.setLevel('noisy', 'OFF');
    expect(a.level).toBe('silent');
    expect(loggers.allLevels().has('noisy')).toBe(false);
    expect(() => loggers.setLevel('noisy', 'LOUD')).toThrow("invalid log level 'LOUD'");
  });
});

describe('admin.listeners', () => {
  async function freePort(): Promise<number> {
    const { createServer } = await import('node:net');
    return new Promise((resolve, reject) => {
      const srv = createServer();
      srv.once('error', reject);
      srv.listen(0, '127.0.0.1', () => {
        const port = (srv.address() as { port: number }).port;
        srv.close(() => resolve(port));
      });
    });
  }

  it('empty: /admin/loggers is not served (404), everything else is', async () => {
    const server = createRestServer({ herder, adminListeners: '' }).app;
    try {
      const res = await server.inject({ method: 'GET', url: '/admin/loggers' });
      expect(res.statusCode).toBe(404);
      expect(res.json()).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
      expect((await server.inject({ method: 'GET', url: '/connectors' })).statusCode).toBe(200);
    } finally {
      await server.close();
    }
  });

  it('set: /admin/* only on the admin listener, and nothing else there', async () => {
    const [main, admin] = [await freePort(), await freePort()];
    const rest = createRestServer({
      herder,
      listeners: `http://127.0.0.1:${main}`,
      adminListeners: [`http://127.0.0.1:${admin}`],
    });
    await rest.start();
    try {
      const get = async (port: number, path: string) => (await fetch(`http://127.0.0.1:${port}${path}`)).status;
      expect(await get(admin, '/admin/loggers')).toBe(200);
      expect(await get(main, '/admin/loggers')).toBe(404);
      expect(await get(main, '/connectors')).toBe(200);
      expect(await get(admin, '/connectors')).toBe(404);
    } finally {
      await rest.stop();
    }
  });
});

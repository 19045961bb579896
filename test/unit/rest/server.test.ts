import { Writable } from 'node:stream';
import type { FastifyInstance } from 'fastify';
import { pino } from 'pino';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AlreadyExistsError, BadRequestError, ConfigError, ConnectError, NotFoundError, RestError } from '../../../src/api/errors.js';
import { javaTrim, toErrorMessage } from '../../../src/rest/errors.js';
import { createRestServer, parseListeners, type RestServer } from '../../../src/rest/server.js';
import { MemoryHerder } from './memory-herder.js';

function memoryLogger(level = 'debug'): { logger: pino.Logger; lines: () => Record<string, unknown>[] } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk, _encoding, callback) {
      chunks.push(String(chunk));
      callback();
    },
  });
  const logger = pino({ level }, stream);
  return {
    logger,
    lines: () =>
      chunks
        .join('')
        .split('\n')
        .filter((line) => line !== '')
        .map((line) => JSON.parse(line) as Record<string, unknown>),
  };
}

describe('parseListeners', () => {
  it('parses Kafka Connect listeners: empty host is all interfaces, IPv6 in brackets', () => {
    expect(parseListeners('http://:8083')).toEqual([{ protocol: 'http', host: '', port: 8083 }]);
    expect(parseListeners(' http://localhost:8083 , HTTP://10.0.0.1:0 ')).toEqual([
      { protocol: 'http', host: 'localhost', port: 8083 },
      { protocol: 'http', host: '10.0.0.1', port: 0 },
    ]);
    expect(parseListeners(['http://[::1]:8083'])).toEqual([{ protocol: 'http', host: '::1', port: 8083 }]);
  });

  it('refuses https, naming the key', () => {
    expect(() => parseListeners('http://:8083,https://:8443')).toThrow(ConfigError);
    try {
      parseListeners('https://:8443');
    } catch (err) {
      expect((err as ConfigError).key).toBe('listeners');
      expect((err as Error).message).toBe(
        'Invalid value https://:8443 for configuration listeners: TLS listeners (https) are not supported yet; use http',
      );
    }
  });

  it('uses Kafka Connect messages for malformed values', () => {
    expect(() => parseListeners('')).toThrow(
      'Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.',
    );
    expect(() => parseListeners('http://:8083,,http://:8084')).toThrow('Empty URL found when parsing listeners list.');
    expect(() => parseListeners('localhost:8083')).toThrow(
      "Listener doesn't have the right format (protocol://hostname:port).",
    );
    expect(() => parseListeners('http://host')).toThrow("Listener doesn't have the right format (protocol://hostname:port).");
    expect(() => parseListeners('ftp://:21')).toThrow('Listener protocol must be either "http" or "https".');
    expect(() => parseListeners('http://:70000')).toThrow(
      'Invalid value http://:70000 for configuration listeners: port must be between 0 and 65535',
    );
  });

  it('createRestServer refuses bad listeners before binding anything', () => {
    expect(() => createRestServer({ herder: new MemoryHerder(), listeners: 'https://:0' })).toThrow(ConfigError);
  });
});

describe('start and stop', () => {
  let server: RestServer | undefined;

  afterEach(async () => {
    await server?.stop();
    server = undefined;
  });

  it('binds every listener (port 0 resolved) and serves real HTTP', async () => {
    server = createRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0, http://127.0.0.1:0' });
    const urls = await server.start();
    expect(urls).toHaveLength(2);
    for (const url of urls) {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const res = await fetch(`${url}/`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ version: '0.1.0', commit: 'abcdef0123456789', kafka_cluster_id: 'test-cluster-id' });
    }
    expect(new Set(urls).size).toBe(2);
    await server.stop();
    await expect(fetch(`${urls[0]}/`)).rejects.toThrow();
  });

  it('binds all interfaces for an empty host', async () => {
    server = createRestServer({ herder: new MemoryHerder(), listeners: 'http://:0' });
    const [url] = await server.start();
    expect(url).toMatch(/^http:\/\/localhost:\d+$/);
    const port = new URL(url!).port;
    const res = await fetch(`http://127.0.0.1:${port}/connectors`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual([]);
  });

  it('fails to start with a clear error when a port is taken, and releases what it bound', async () => {
    server = createRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0' });
    const [url] = await server.start();
    const port = new URL(url!).port;
    const second = createRestServer({ herder: new MemoryHerder(), listeners: `http://127.0.0.1:0,http://127.0.0.1:${port}` });
    await expect(second.start()).rejects.toThrow(
      new RegExp(`^Unable to start REST server: cannot listen on http://127.0.0.1:${port}: .*EADDRINUSE`),
    );
    await second.stop();
  });

  it('start and stop are idempotent', async () => {
    server = createRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0' });
    const [a, b] = await Promise.all([server.start(), server.start()]);
    expect(a).toEqual(b);
    await Promise.all([server.stop(), server.stop()]);
  });

  it('stops promptly with an idle keep-alive connection open', async () => {
    server = createRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0' });
    const [url] = await server.start();
    await (await fetch(`${url}/connectors`)).text();
    const started = Date.now();
    await server.stop();
    expect(Date.now() - started).toBeLessThan(5000);
  });

  it('logs one request line per request at debug, in the Jetty request-log format, and nothing at info', async () => {
    const { logger, lines } = memoryLogger('debug');
    server = createRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', logger });
    const [url] = await server.start();
    await (await fetch(`${url}/connectors?expand=status`, { headers: { 'user-agent': 'curl/8.5.0' } })).text();
    await (await fetch(`${url}/nope`, { headers: { 'user-agent': 'curl/8.5.0' } })).text();
    const requestLines = lines()
      .filter((line) => line.level === 20 && typeof line.msg === 'string' && line.msg.includes(' HTTP/1.1" '))
      .map((line) => line.msg as string);
    expect(requestLines).toHaveLength(2);
    expect(requestLines[0]).toMatch(
      /^127\.0\.0\.1 - - \[\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000\] "GET \/connectors\?expand=status HTTP\/1\.1" 200 2 "-" "curl\/8\.5\.0" \d+$/,
    );
    expect(requestLines[1]).toMatch(/"GET \/nope HTTP\/1\.1" 404 \d+ "-" "curl\/8\.5\.0" \d+$/);
    const infoLines = lines().filter((line) => (line.level as number) >= 30);
    expect(infoLines.map((line) => line.msg)).toEqual([expect.stringMatching(/^REST server listening at http:\/\/127\.0\.0\.1:\d+, advertising URL http:\/\/127\.0\.0\.1:\d+$/)]);
    expect(infoLines[0]?.component).toBe('RestServer');
  });

  it('logs the advertised URL it is given', async () => {
    const { logger, lines } = memoryLogger('info');
    server = createRestServer({ herder: new MemoryHerder(), listeners: 'http://127.0.0.1:0', logger, advertisedUrl: 'http://worker-1:8083/' });
    await server.start();
    expect(lines()[0]?.msg).toMatch(/advertising URL http:\/\/worker-1:8083\/$/);
  });
});

describe('GET /', () => {
  it('answers the worker info', async () => {
    const { app } = createRestServer({ herder: new MemoryHerder() });
    const res = await app.inject({ method: 'GET', url: '/' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ version: '0.1.0', commit: 'abcdef0123456789', kafka_cluster_id: 'test-cluster-id' });
    await app.close();
  });
});

describe('Jersey behaviour', () => {
  let herder: MemoryHerder;
  let app: FastifyInstance;

  beforeEach(() => {
    herder = new MemoryHerder();
    herder.add('a', { 'connector.class': 'FileStreamSink' });
    app = createRestServer({ herder }).app;
  });

  afterEach(async () => {
    await app.close();
  });

  it('answers 404 "HTTP 404 Not Found" for unknown paths, whatever the method', async () => {
    for (const [method, url] of [
      ['GET', '/nope'],
      ['GET', '/connectors/a/bogus'],
      ['GET', '/connectors/a/tasks/0'],
      ['POST', '/connector-plugins/x/config/bogus'],
      ['DELETE', '/admin'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
      expect(res.json()).toEqual({ error_code: 404, message: 'HTTP 404 Not Found' });
    }
  });

  it('answers 404 for an unknown path even with a body it would refuse', async () => {
    const res = await app.inject({ method: 'POST', url: '/nope', headers: { 'content-type': 'text/plain' }, payload: '{' });
    expect(res.statusCode).toBe(404);
  });

  it('answers 405 "HTTP 405 Method Not Allowed" with Allow for a method the path does not serve', async () => {
    for (const [method, url, allow] of [
      ['DELETE', '/connectors', 'GET,HEAD,OPTIONS,POST'],
      ['PUT', '/connectors/a', 'DELETE,GET,HEAD,OPTIONS'],
      ['POST', '/connectors/a/config', 'GET,HEAD,OPTIONS,PATCH,PUT'],
      ['POST', '/connector-plugins/x/config', 'GET,HEAD,OPTIONS'],
      ['POST', '/connectors/a/offsets', 'DELETE,GET,HEAD,OPTIONS,PATCH'],
      ['GET', '/connectors/a/pause', 'OPTIONS,PUT'],
      ['HEAD', '/connectors/a/stop', 'OPTIONS,PUT'],
      ['GET', '/connectors/a/restart', 'OPTIONS,POST'],
      ['PATCH', '/connectors/a/status', 'GET,HEAD,OPTIONS'],
      ['POST', '/', 'GET,HEAD,OPTIONS'],
    ] as const) {
      const res = await app.inject({ method, url });
      expect(res.statusCode, `${method} ${url}`).toBe(405);
      expect(res.headers.allow).toBe(allow);
      if (method !== 'HEAD') expect(res.json()).toEqual({ error_code: 405, message: 'HTTP 405 Method Not Allowed' });
    }
    expect(herder.calls).toEqual([]);
  });

  it('answers 405 before looking at the body', async () => {
    const res = await app.inject({ method: 'POST', url: '/connectors/a', headers: { 'content-type': 'text/plain' }, payload: 'x' });
    expect(res.statusCode).toBe(405);
  });

  it('answers OPTIONS with 200 and Allow', async () => {
    const res = await app.inject({ method: 'OPTIONS', url: '/connectors/a/config' });
    expect(res.statusCode).toBe(200);
    expect(res.headers.allow).toBe('GET,HEAD,OPTIONS,PATCH,PUT');
    expect(res.body).toBe('');
  });

  it('answers HEAD for GET paths without a body', async () => {
    const res = await app.inject({ method: 'HEAD', url: '/connectors/a' });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe('');
  });

  it('matches paths with a trailing slash', async () => {
    for (const url of ['/connectors/a/', '/connectors/a/status/', '/connector-plugins/']) {
      const res = await app.inject({ method: 'GET', url });
      expect(res.statusCode, url).toBe(200);
    }
  });

  it('answers 413 in Jersey words for a body over the limit', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/connectors/a/config',
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ big: 'x'.repeat(17 * 1024 * 1024) }),
    });
    expect(res.statusCode).toBe(413);
    expect(res.json()).toEqual({ error_code: 413, message: 'HTTP 413 Request Entity Too Large' });
  });

  it('answers 400 for a malformed URL', async () => {
    const res = await app.inject({ method: 'GET', url: '/connectors/%E0%A4%A' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error_code: 400, message: 'HTTP 400 Bad Request' });
  });

  it('maps herder errors by class: 400, 404, 409, own status, 500 with the message', async () => {
    const cases: [unknown, number, string | null][] = [
      [new BadRequestError('bad'), 400, 'bad'],
      [new ConfigError('Invalid value x for configuration y', 'y'), 400, 'Invalid value x for configuration y'],
      [new NotFoundError('Connector a not found'), 404, 'Connector a not found'],
      [new AlreadyExistsError('exists'), 409, 'exists'],
      [new RestError(409, 'Cannot complete request momentarily due to stale configuration'), 409, 'Cannot complete request momentarily due to stale configuration'],
      [new RestError(500, 'Request timed out'), 500, 'Request timed out'],
      [new ConnectError('worker is stopping'), 500, 'worker is stopping'],
      [new TypeError("Cannot read properties of undefined (reading 'x')"), 500, "Cannot read properties of undefined (reading 'x')"],
      ['a string', 500, 'a string'],
    ];
    for (const [error, status, message] of cases) {
      herder.failNext('connectorInfo', error);
      const res = await app.inject({ method: 'GET', url: '/connectors/a' });
      expect(res.statusCode, String(error)).toBe(status);
      expect(res.headers['content-type']).toMatch(/^application\/json/);
      expect(res.json()).toEqual({ error_code: status, message });
    }
  });

  it('logs an unexpected 500 at error with its stack, an expected error only at debug', async () => {
    const { logger, lines } = memoryLogger('info');
    const server = createRestServer({ herder, logger });
    herder.failNext('connectorInfo', new TypeError('kaput'));
    await server.app.inject({ method: 'GET', url: '/connectors/a' });
    await server.app.inject({ method: 'GET', url: '/connectors/nope' });
    const logged = lines();
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ level: 50, msg: 'Uncaught exception in REST call to /connectors/a', err: { message: 'kaput' } });
    expect((logged[0]!.err as { stack: string }).stack).toContain('TypeError: kaput');
    await server.app.close();
  });
});

describe('toErrorMessage', () => {
  it('recognises Connect errors by their Java name across module copies', () => {
    const foreign = Object.assign(new Error('Connector x not found'), { name: 'NotFoundException' });
    expect(toErrorMessage(foreign)).toEqual({ error_code: 404, message: 'Connector x not found' });
    const badStatus = Object.assign(new Error('odd'), { name: 'ConnectRestException', statusCode: 42 });
    expect(toErrorMessage(badStatus)).toEqual({ error_code: 500, message: 'odd' });
    expect(toErrorMessage(undefined)).toEqual({ error_code: 500, message: null });
  });
});

describe('javaTrim', () => {
  it('strips code points up to U+0020 only', () => {
    expect(javaTrim('\u0000\t a b \n\u001f')).toBe('a b');
    expect(javaTrim('\u00a0a\u00a0')).toBe('\u00a0a\u00a0');
    expect(javaTrim('   ')).toBe('');
  });
});

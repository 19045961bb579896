import type { FastifyInstance } from 'fastify';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pluginMatches } from '../../../src/rest/routes/plugins.js';
import { createRestServer } from '../../../src/rest/server.js';
import { MemoryHerder, PLUGINS } from './memory-herder.js';

const FILE_SINK = 'org.apache.kafka.connect.file.FileStreamSinkConnector';

let herder: MemoryHerder;
let app: FastifyInstance;

beforeEach(() => {
  herder = new MemoryHerder();
  app = createRestServer({ herder }).app;
});

afterEach(async () => {
  await app.close();
});

describe('GET /connector-plugins', () => {
  it('lists connectors only by default: [{class, type, version}]', async () => {
    const res = await app.inject({ method: 'GET', url: '/connector-plugins' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { class: FILE_SINK, type: 'sink', version: '3.9.0' },
      { class: 'org.apache.kafka.connect.file.FileStreamSourceConnector', type: 'source', version: '3.9.0' },
    ]);
    expect(herder.calls).toEqual([['connectorPlugins', true]]);
  });

  it('lists every plugin with connectorsOnly=false', async () => {
    const res = await app.inject({ method: 'GET', url: '/connector-plugins/?connectorsOnly=false' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(PLUGINS);
  });

  it('reads connectorsOnly as Java Boolean.valueOf, defaulting to true', async () => {
    for (const [query, expected] of [
      ['connectorsOnly=TRUE', true],
      ['connectorsOnly=no', false],
      ['connectorsOnly=', true],
      ['connectorsOnly=false&connectorsOnly=true', false],
    ] as const) {
      await app.inject({ method: 'GET', url: `/connector-plugins?${query}` });
      expect(herder.calls.at(-1), query).toEqual(['connectorPlugins', expected]);
    }
  });
});

describe('PUT /connector-plugins/{plugin}/config/validate', () => {
  it('answers the herder ConfigInfos (200 even when the config has errors)', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/connector-plugins/FileStreamSinkConnector/config/validate',
      payload: { 'connector.class': FILE_SINK, topics: 't', 'tasks.max': 1 },
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      name: FILE_SINK,
      error_count: 0,
      groups: ['Common'],
      configs: [
        { definition: null, value: { name: 'connector.class', value: FILE_SINK, recommended_values: [], errors: [], visible: true } },
        { definition: null, value: { name: 'topics', value: 't', recommended_values: [], errors: [], visible: true } },
        { definition: null, value: { name: 'tasks.max', value: '1', recommended_values: [], errors: [], visible: true } },
      ],
    });
    expect(herder.calls).toEqual([['validateConnectorConfig', { 'connector.class': FILE_SINK, topics: 't', 'tasks.max': '1' }]]);
  });

  it('does not add connector.class when the body has none', async () => {
    const res = await app.inject({ method: 'PUT', url: '/connector-plugins/FileStreamSink/config/validate', payload: { topics: 't' } });
    expect(res.statusCode).toBe(200);
    expect(res.json().error_count).toBe(1);
    expect(herder.calls).toEqual([['validateConnectorConfig', { topics: 't' }]]);
  });

  it('accepts the class name, simple name or alias in the path', async () => {
    for (const plugin of [FILE_SINK, 'FileStreamSinkConnector', 'FileStreamSink']) {
      const res = await app.inject({
        method: 'PUT',
        url: `/connector-plugins/${plugin}/config/validate`,
        payload: { 'connector.class': FILE_SINK },
      });
      expect(res.statusCode, plugin).toBe(200);
    }
  });

  it('answers 400 when connector.class does not match the path', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/connector-plugins/FileStreamSource/config/validate',
      payload: { 'connector.class': FILE_SINK },
    });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({
      error_code: 400,
      message: `Included connector type ${FILE_SINK} does not match request type FileStreamSource`,
    });
    expect(herder.calls).toEqual([]);
  });

  it('answers 500 for a body that is not a config map, as Kafka Connect does', async () => {
    const res = await app.inject({
      method: 'PUT',
      url: '/connector-plugins/FileStreamSink/config/validate',
      headers: { 'content-type': 'application/json' },
      payload: '["connector.class"]',
    });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error_code: 500, message: 'Connector config must be a JSON object, not an array' });
  });

  it('answers 405 for GET on the validate path', async () => {
    const res = await app.inject({ method: 'GET', url: '/connector-plugins/FileStreamSink/config/validate' });
    expect(res.statusCode).toBe(405);
    expect(res.json()).toEqual({ error_code: 405, message: 'HTTP 405 Method Not Allowed' });
  });
});

describe('pluginMatches (ConnectorPluginsResource.normalizedPluginName)', () => {
  it('compares after dropping a trailing "Connector" from both sides', () => {
    expect(pluginMatches('org.example.MySinkConnector', 'MySinkConnector')).toBe(true);
    expect(pluginMatches('org.example.MySinkConnector', 'MySink')).toBe(true);
    expect(pluginMatches('org.example.MySinkConnector', 'org.example.MySinkConnector')).toBe(true);
    expect(pluginMatches('MySink', 'org.example.MySinkConnector')).toBe(false);
    expect(pluginMatches('org.example.MySinkConnector', 'Other')).toBe(false);
    // The rule is a suffix match, so a shorter tail matches too, as in Kafka Connect.
    expect(pluginMatches('org.example.MySinkConnector', 'Sink')).toBe(true);
    // "Connector" alone is not an alias of anything.
    expect(pluginMatches('Connector', 'Connector')).toBe(true);
    expect(pluginMatches('org.example.MySinkConnector', 'Connector')).toBe(false);
  });
});

// A real `sluice standalone` worker refusing connectors whose transforms or predicates are
// misconfigured, over its REST API, when the connector is created (before any task runs): the
// answer names the alias's key and says what is wrong, as Kafka Connect's validation does, plus
// what sluice checks earlier than Kafka (an undefined predicate alias, configure()-only checks).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrap } from '../helpers/kafka.js';
import { restClient, type RestClient } from '../helpers/rest-client.js';
import { freePort, startStandalone, waitFor, writeProperties, type SluiceRun } from '../helpers/sluice-process.js';

let dir: string;
let run: SluiceRun | undefined;
let api: RestClient;

const SINK = { 'connector.class': 'FileStreamSink', topics: 'orders', file: '/dev/null' };
const T = 'org.apache.kafka.connect.transforms.';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-smt-'));
  const port = await freePort();
  const worker = writeProperties(join(dir, 'worker.properties'), {
    'bootstrap.servers': bootstrap(),
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': join(dir, 'offsets.dat'),
    listeners: `http://127.0.0.1:${port}`,
  });
  run = startStandalone(dir, worker, [], port);
  api = restClient(run.restUrl);
  await waitFor('the REST API', async () => (await api.get('/')).status === 200, 30_000);
});

afterAll(async () => {
  if (run && run.proc.exitCode === null && run.proc.signalCode === null) {
    run.proc.kill('SIGTERM');
    await run.exited;
  }
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** The errors per key of a validation answer. */
function errorsByKey(body: { configs: { value: { name: string; errors: string[] } }[] }): Record<string, string[]> {
  return Object.fromEntries(body.configs.filter((c) => c.value.errors.length > 0).map((c) => [c.value.name, c.value.errors]));
}

describe('transformation configs are checked when a connector is created', () => {
  it('validate lists each bad transform key with its message', async () => {
    const res = await api.put('/connector-plugins/FileStreamSinkConnector/config/validate', {
      ...SINK, name: 'v', transforms: 'route,drop,hdr,unknown',
      'transforms.route.type': `${T}RegexRouter`, 'transforms.route.regex': '(orders', 'transforms.route.replacement': 'x',
      'transforms.drop.type': `${T}Filter`, 'transforms.drop.predicate': 'isTombstone',
      'transforms.hdr.type': `${T}HeaderFrom$Value`, 'transforms.hdr.fields': 'a,b', 'transforms.hdr.headers': 'x',
      'transforms.hdr.operation': 'copy', 'transforms.unknown.type': 'com.example.Nope',
    });
    expect(res.status).toBe(200);
    expect(errorsByKey(res.body)).toEqual({
      'transforms.route.regex': ['Invalid value (orders for configuration regex: Invalid regex: Unclosed group near index 7\n(orders'],
      'transforms.drop.predicate': [
        "Invalid value isTombstone for configuration predicate: Transformation 'drop' refers to predicate 'isTombstone', but 'predicates' does not list it",
      ],
      'transforms.hdr.type': ["'fields' config must have the same number of elements as 'headers' config."],
      'transforms.unknown.type': ['Invalid value com.example.Nope for configuration transforms.unknown.type: Class com.example.Nope could not be found.'],
    });
    expect(res.body.error_count).toBe(4);
  });

  it('creating the connector fails with 400, negate without predicate included, and creates nothing', async () => {
    const res = await api.put('/connectors/bad-smt/config', {
      ...SINK, transforms: 'f', 'transforms.f.type': 'Filter', 'transforms.f.negate': 'true',
    });
    expect(res.status).toBe(400);
    expect(res.body.error_code).toBe(400);
    expect(res.body.message).toContain(
      "Config 'transforms.f.negate' was provided but there is no config 'transforms.f.predicate' defining a predicate to be negated.");
    expect((await api.get('/connectors')).body).not.toContain('bad-smt');
  });

  it('a valid chain with a predicate is accepted', async () => {
    const res = await api.put('/connectors/good-smt/config', {
      ...SINK, transforms: 'drop', 'transforms.drop.type': 'Filter', 'transforms.drop.predicate': 'tomb',
      predicates: 'tomb', 'predicates.tomb.type': 'RecordIsTombstone',
    });
    expect(res.status).toBe(201);
    expect((await api.get('/connectors')).body).toContain('good-smt');
    expect((await api.delete('/connectors/good-smt')).status).toBe(204);
  });
});

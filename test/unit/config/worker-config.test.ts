import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/api/errors.js';
import { parseProperties } from '../../../src/config/properties.js';
import {
  StandaloneConfig, WorkerConfig, WorkerConfigError, standaloneConfigDef, workerConfigDef,
} from '../../../src/config/worker-config.js';
import { fakeRegistry } from '../plugins/fakes.js';

const MINIMAL = { 'key.converter': 'com.example.FakeConverter', 'value.converter': 'Fake' };

const errorOf = (fn: () => unknown): WorkerConfigError => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(WorkerConfigError);
    expect(e).toBeInstanceOf(ConfigError);
    return e as WorkerConfigError;
  }
  throw new Error('expected a WorkerConfigError');
};

describe('WorkerConfig', () => {
  it('applies Kafka Connect\'s defaults', () => {
    const config = new WorkerConfig(MINIMAL);
    expect(config.bootstrapServers()).toEqual(['localhost:9092']);
    expect(config.offsetFlushIntervalMs()).toBe(60000);
    expect(config.offsetFlushTimeoutMs()).toBe(5000);
    expect(config.taskShutdownGracefulTimeoutMs()).toBe(5000);
    expect(config.listeners()).toEqual(['http://:8083']);
    expect(config.adminListeners()).toBeNull();
    expect(config.restAdvertisedHostName()).toBeNull();
    expect(config.restAdvertisedPort()).toBeNull();
    expect(config.pluginPath()).toEqual([]);
    expect(config.topicCreationEnable()).toBe(true);
    expect(config.converterConfig('header')).toEqual({
      className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter', configs: {},
    });
    expect(config.warnings).toEqual([]);
  });

  it('reads typed values', () => {
    const config = new WorkerConfig({
      ...MINIMAL, 'bootstrap.servers': 'a:1, b:2', 'offset.flush.interval.ms': '10000', listeners: 'http://0.0.0.0:8084',
      'rest.advertised.host.name': 'w1', 'rest.advertised.port': '18083', 'plugin.path': '/a,/b',
    });
    expect(config.bootstrapServers()).toEqual(['a:1', 'b:2']);
    expect(config.offsetFlushIntervalMs()).toBe(10000);
    expect(config.listeners()).toEqual(['http://0.0.0.0:8084']);
    expect(config.restAdvertisedHostName()).toBe('w1');
    expect(config.restAdvertisedPort()).toBe(18083);
    expect(config.pluginPath()).toEqual(['/a', '/b']);
  });

  it('gives converters their prefixed configs, prefix stripped', () => {
    const config = new WorkerConfig({
      ...MINIMAL, 'key.converter.schemas.enable': 'false', 'value.converter.schemas.enable': 'true',
      'value.converter.schema.registry.url': 'http://r', 'key.converterx': 'ignored',
    });
    expect(config.converterConfig('key')).toEqual({ className: 'com.example.FakeConverter', configs: { 'schemas.enable': 'false' } });
    expect(config.converterConfig('value')).toEqual({
      className: 'Fake', configs: { 'schemas.enable': 'true', 'schema.registry.url': 'http://r' },
    });
  });

  it('gives clients bootstrap.servers plus their prefixed keys', () => {
    const config = new WorkerConfig({
      ...MINIMAL, 'bootstrap.servers': 'k1:9092,k2:9092', 'producer.acks': '1', 'consumer.max.poll.records': '500',
      'admin.request.timeout.ms': '1000', 'security.protocol': 'SSL',
    });
    expect(config.clientConfig('producer')).toEqual({ 'bootstrap.servers': 'k1:9092,k2:9092', acks: '1' });
    expect(config.clientConfig('consumer')).toEqual({ 'bootstrap.servers': 'k1:9092,k2:9092', 'max.poll.records': '500' });
    expect(config.clientConfig('admin')).toEqual({ 'bootstrap.servers': 'k1:9092,k2:9092', 'request.timeout.ms': '1000' });
  });

  it('reports every problem at once, naming the keys', () => {
    const e = errorOf(() => new WorkerConfig({ 'offset.flush.interval.ms': 'soon', listeners: '' }));
    expect(e.problems.map((p) => p.key)).toEqual(['key.converter', 'value.converter', 'offset.flush.interval.ms', 'listeners']);
    expect(e.message).toBe([
      'Missing required configuration "key.converter" which has no default value.',
      'Missing required configuration "value.converter" which has no default value.',
      'Invalid value soon for configuration offset.flush.interval.ms: Not a number of type LONG',
      'Invalid value for listeners, at least one URL is expected, ex: http://localhost:8080,https://localhost:8443.',
    ].join('\n'));
    expect(e.key).toBe('key.converter');
  });

  it('locates problems in the file when given its lines', () => {
    const { props, lines } = parseProperties(
      '# worker\nkey.converter=Fake\n\noffset.flush.interval.ms=abc\n', 'worker.properties',
    );
    const e = errorOf(() => new WorkerConfig(props, { source: { file: 'worker.properties', lines } }));
    expect(e.message).toBe([
      'worker.properties: Missing required configuration "value.converter" which has no default value.',
      'worker.properties:4: Invalid value abc for configuration offset.flush.interval.ms: Not a number of type LONG',
    ].join('\n'));
  });

  it('checks the key, value and header converters against the registry', () => {
    const registry = fakeRegistry();
    const e = errorOf(() => new WorkerConfig({ ...MINIMAL, 'value.converter': 'org.nope.AvroConverter' }, { registry }));
    expect(e.message).toBe(
      'Invalid value org.nope.AvroConverter for configuration value.converter: Class org.nope.AvroConverter could not be found.',
    );
    const header = errorOf(() => new WorkerConfig({ ...MINIMAL, 'header.converter': 'org.nope.HeaderConverter' }, { registry }));
    expect(header.message).toBe(
      'Invalid value org.nope.HeaderConverter for configuration header.converter: Class org.nope.HeaderConverter could not be found.',
    );
  });

  it('exposes definitions for other worker kinds to extend', () => {
    expect(workerConfigDef().names()).toContain('bootstrap.servers');
    expect(standaloneConfigDef().configKey('offset.storage.file.filename')!.defaultValue).toBeTypeOf('symbol');
  });
});

describe('StandaloneConfig', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-worker-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('requires offset.storage.file.filename', () => {
    expect(() => new StandaloneConfig(MINIMAL)).toThrow(
      'Missing required configuration "offset.storage.file.filename" which has no default value.',
    );
    const config = new StandaloneConfig({ ...MINIMAL, 'offset.storage.file.filename': '/tmp/connect.offsets' });
    expect(config.offsetStorageFileFilename()).toBe('/tmp/connect.offsets');
  });

  it('loads connect-standalone.properties from a file, errors located by line', async () => {
    const good = join(dir, 'good.properties');
    await writeFile(good, [
      'bootstrap.servers=localhost:9092',
      'key.converter=org.apache.kafka.connect.json.JsonConverter',
      'value.converter=org.apache.kafka.connect.json.JsonConverter',
      'key.converter.schemas.enable=true',
      'offset.storage.file.filename=/tmp/connect.offsets',
      'offset.flush.interval.ms=10000',
    ].join('\n'));
    const config = await StandaloneConfig.fromFile(good);
    expect(config).toBeInstanceOf(StandaloneConfig);
    expect(config.offsetFlushIntervalMs()).toBe(10000);
    expect(config.converterConfig('key').configs).toEqual({ 'schemas.enable': 'true' });

    const bad = join(dir, 'bad.properties');
    await writeFile(bad, 'key.converter=J\nvalue.converter=J\noffset.flush.interval.ms=abc\n');
    await expect(StandaloneConfig.fromFile(bad)).rejects.toThrow(
      `${bad}: Missing required configuration "offset.storage.file.filename" which has no default value.\n` +
        `${bad}:3: Invalid value abc for configuration offset.flush.interval.ms: Not a number of type LONG`,
    );
  });
});

// AvroConverter configuration: Confluent's keys and defaults, and errors that name the key.
import { describe, expect, it } from 'vitest';
import { parseAvroConverterConfig } from '../../../../src/converters/avro/avro-converter-config.js';
import { AvroConverter } from '../../../../src/converters/avro/avro-converter.js';
import { parseAvroSchema } from '../../../../src/converters/avro/avro-schema.js';
import { ConfigError } from '../../../../src/api/errors.js';
import { Schemas } from '../../../../src/data/schemas.js';

const URL = 'http://registry.example:8081';

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error('no ConfigError');
}

describe('AvroConverter config', () => {
  it("has Confluent's defaults", () => {
    const s = parseAvroConverterConfig({ 'schema.registry.url': URL }, false);
    expect(s.urls).toEqual([URL]);
    expect(s.autoRegister).toBe(true);
    expect(s.useLatestVersion).toBe(false);
    expect(s.userInfo).toBeNull();
    expect(s.avroData).toEqual({ connectMetaData: true, enhancedSchemaSupport: false, scrubInvalidNames: false });
    expect([s.clientCacheCapacity, s.schemasCacheSize, s.latestCacheTtlMs]).toEqual([1000, 1000, -1]);
  });

  it('requires schema.registry.url and names it', () => {
    expect(configError(() => parseAvroConverterConfig({}, false)).message).toContain('schema.registry.url');
    expect(configError(() => parseAvroConverterConfig({ 'schema.registry.url': 'not a url' }, false)).key).toBe('schema.registry.url');
    expect(configError(() => new AvroConverter().configure({ 'schema.registry.url': 'ftp://x' }, true)).message).toContain('only http and https');
  });

  it('takes a comma list of URLs and credentials from the URL (basic.auth.credentials.source=URL)', () => {
    const s = parseAvroConverterConfig({ 'schema.registry.url': 'http://fred:s%3Acret@a:8081/, http://b:8081' }, false);
    expect(s.urls).toEqual(['http://a:8081', 'http://b:8081']);
    expect(s.userInfo).toBe('fred:s:cret');
  });

  it('takes credentials from basic.auth.user.info with USER_INFO, and says when they are missing', () => {
    const base = { 'schema.registry.url': URL, 'basic.auth.credentials.source': 'USER_INFO' };
    expect(parseAvroConverterConfig({ ...base, 'basic.auth.user.info': 'u:p' }, false).userInfo).toBe('u:p');
    expect(parseAvroConverterConfig({ ...base, 'schema.registry.basic.auth.user.info': 'old:name' }, false).userInfo).toBe('old:name');
    expect(configError(() => parseAvroConverterConfig(base, false)).key).toBe('basic.auth.user.info');
    expect(configError(() => parseAvroConverterConfig({ ...base, 'basic.auth.credentials.source': 'SASL_INHERIT' }, false)).key).toBe('basic.auth.credentials.source');
    expect(configError(() => parseAvroConverterConfig({ ...base, 'basic.auth.credentials.source': 'NOPE' }, false)).message).toContain('basic.auth.credentials.source');
  });

  it('resolves subject name strategies by class name or short name, per key and value', () => {
    const record = parseAvroSchema('{"type":"record","name":"Order","namespace":"com.example","fields":[]}');
    const named = (isKey: boolean, configs: Record<string, string>) =>
      parseAvroConverterConfig({ 'schema.registry.url': URL, ...configs }, isKey).subjectNameStrategy('orders', isKey, record);
    expect(named(false, {})).toBe('orders-value');
    expect(named(true, {})).toBe('orders-key');
    expect(named(false, { 'value.subject.name.strategy': 'io.confluent.kafka.serializers.subject.RecordNameStrategy' })).toBe('com.example.Order');
    expect(named(true, { 'key.subject.name.strategy': 'TopicRecordNameStrategy' })).toBe('orders-com.example.Order');
    // The value strategy does not apply to keys.
    expect(named(true, { 'value.subject.name.strategy': 'RecordNameStrategy' })).toBe('orders-key');
    expect(configError(() => named(false, { 'value.subject.name.strategy': 'com.acme.Custom' })).key).toBe('value.subject.name.strategy');
  });

  it('refuses to convert before configure, and refuses schemaless values with a clear reason', () => {
    expect(() => new AvroConverter().fromConnectData('t', null, Schemas.STRING_SCHEMA, 'x')).toThrow('not configured');
    const c = new AvroConverter();
    c.configure({ 'schema.registry.url': URL }, false);
    expect(c.fromConnectData('t', null, null, null)).toBeNull();
    expect(c.toConnectData('t', null, null)).toEqual({ schema: null, value: null });
    expect(() => c.fromConnectData('t', null, null, 'x')).toThrow(/topic t: .*needs a schema/);
  });
});

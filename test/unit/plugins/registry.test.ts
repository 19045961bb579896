import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/api/errors.js';
import { PluginRegistry, prunedName, simpleName } from '../../../src/plugins/registry.js';
import { FakeConverter, FakeSinkConnector, FakeSourceConnector, fakeRegistry } from './fakes.js';

describe('names', () => {
  it('derives simple and pruned names as PluginUtils does', () => {
    expect(simpleName('org.apache.kafka.connect.file.FileStreamSinkConnector')).toBe('FileStreamSinkConnector');
    expect(prunedName('org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink')).toBe('FileStreamSink');
    expect(prunedName('org.apache.kafka.connect.json.JsonConverter', 'converter')).toBe('Json');
    expect(simpleName('org.apache.kafka.connect.transforms.InsertField$Value')).toBe('Value');
    expect(prunedName('a.Connector', 'source')).toBe('Connector');
  });
});

describe('PluginRegistry', () => {
  it('resolves a connector by class name, simple name and name without "Connector"', () => {
    const registry = fakeRegistry();
    for (const name of ['com.example.FakeSinkConnector', 'FakeSinkConnector', 'FakeSink']) {
      const d = registry.connector(name);
      expect(d.className).toBe('com.example.FakeSinkConnector');
      expect(d.kind).toBe('sink');
    }
    expect(registry.newConnector('FakeSource')).toBeInstanceOf(FakeSourceConnector);
    expect(registry.newConnector('FakeSink')).toBeInstanceOf(FakeSinkConnector);
  });

  it('resolves converters by class name and simple name, and explicit aliases', () => {
    const registry = fakeRegistry();
    expect(registry.newConverter('com.example.FakeConverter')).toBeInstanceOf(FakeConverter);
    expect(registry.converter('FakeConverter').className).toBe('com.example.FakeConverter');
    expect(registry.converter('Fake').className).toBe('com.example.FakeConverter');
    registry.register({ kind: 'converter', className: 'x.Y', aliases: ['why'], version: '1', create: () => new FakeConverter() });
    expect(registry.converter('why').className).toBe('x.Y');
  });

  it('keeps kinds apart', () => {
    const registry = fakeRegistry();
    expect(() => registry.connector('com.example.FakeConverter')).toThrow(ConfigError);
    expect(registry.find('com.example.FakeConverter', ['converter'])).not.toBeNull();
    expect(registry.find('FakeConverter', ['source', 'sink'])).toBeNull();
  });

  it('names the available connectors when none matches', () => {
    expect(() => fakeRegistry().connector('Nope')).toThrow(
      'Failed to find any class that implements Connector and which name matches Nope, ' +
        'available connectors are: com.example.FakeSinkConnector, com.example.FakeSourceConnector',
    );
    expect(() => fakeRegistry().converter('Nope')).toThrow(
      'Failed to find any class that implements Converter and which name matches Nope, ' +
        'available converters are: com.example.FakeConverter',
    );
  });

  it('refuses an alias that matches several plugins', () => {
    const registry = fakeRegistry();
    expect(() => registry.transformation('Value')).not.toThrow();
    registry.register({ kind: 'transformation', className: 'other.Thing$Value', version: '1', create: () => ({}) });
    expect(() => registry.transformation('Value')).toThrow(
      'More than one plugin matches alias Value. Please use full package and class name instead. ' +
        'Classes found: com.example.transforms.Mask$Value, other.Thing$Value',
    );
    registry.register({ kind: 'sink', className: 'other.FakeSinkConnector', version: '1', create: () => new FakeSinkConnector() });
    expect(() => registry.connector('FakeSink')).toThrow(/^More than one connector matches alias FakeSink/);
    expect(registry.connector('other.FakeSinkConnector').className).toBe('other.FakeSinkConnector');
  });

  it('rejects registering a class twice', () => {
    const registry = new PluginRegistry();
    const d = { kind: 'converter' as const, className: 'a.B', version: '1', create: () => new FakeConverter() };
    registry.register(d);
    expect(() => registry.register(d)).toThrow('Plugin a.B is already registered');
  });

  it('summarizes plugins for GET /connector-plugins, sorted by class', () => {
    const registry = fakeRegistry();
    expect(registry.summaries()).toEqual([
      { class: 'com.example.FakeSinkConnector', type: 'sink', version: '2.0' },
      { class: 'com.example.FakeSourceConnector', type: 'source', version: '1.0' },
    ]);
    expect(registry.summaries(false).map((s) => s.type)).toEqual([
      'converter', 'sink', 'source', 'predicate', 'transformation', 'transformation', 'header_converter',
    ]);
  });
});

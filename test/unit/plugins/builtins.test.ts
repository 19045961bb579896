import { describe, expect, it } from 'vitest';
import { validateConnectorConfig } from '../../../src/config/connector-config.js';
import { DatagenSourceConnector } from '../../../src/connectors/datagen/datagen-source-connector.js';
import { FileStreamSinkConnector } from '../../../src/connectors/file/file-stream-sink-connector.js';
import { FileStreamSourceConnector } from '../../../src/connectors/file/file-stream-source-connector.js';
import { NullSinkConnector } from '../../../src/connectors/null/null-sink-connector.js';
import { ByteArrayConverter } from '../../../src/converters/bytearray.js';
import { JsonConverter } from '../../../src/converters/json.js';
import { SimpleHeaderConverter } from '../../../src/converters/simple-header.js';
import { StringConverter } from '../../../src/converters/string.js';
import { registerBuiltins } from '../../../src/plugins/builtins.js';

describe('built-in plugins', () => {
  const registry = registerBuiltins();

  it('resolves the file connectors by every name Kafka Connect accepts', () => {
    for (const name of ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'FileStreamSinkConnector', 'FileStreamSink']) {
      expect(registry.newConnector(name)).toBeInstanceOf(FileStreamSinkConnector);
    }
    for (const name of ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'FileStreamSourceConnector', 'FileStreamSource']) {
      expect(registry.newConnector(name)).toBeInstanceOf(FileStreamSourceConnector);
    }
  });

  it('resolves the benchmark connectors by class name, simple name, pruned name and alias', () => {
    for (const name of ['dev.sluice.connect.datagen.DatagenSourceConnector', 'DatagenSourceConnector', 'DatagenSource', 'Datagen']) {
      expect(registry.newConnector(name)).toBeInstanceOf(DatagenSourceConnector);
    }
    for (const name of ['dev.sluice.connect.null.NullSinkConnector', 'NullSinkConnector', 'NullSink', 'Null']) {
      expect(registry.newConnector(name)).toBeInstanceOf(NullSinkConnector);
    }
  });

  it('resolves the converters by class name and simple name', () => {
    expect(registry.newConverter('org.apache.kafka.connect.json.JsonConverter')).toBeInstanceOf(JsonConverter);
    expect(registry.newConverter('JsonConverter')).toBeInstanceOf(JsonConverter);
    expect(registry.newConverter('org.apache.kafka.connect.storage.StringConverter')).toBeInstanceOf(StringConverter);
    expect(registry.newConverter('StringConverter')).toBeInstanceOf(StringConverter);
    expect(registry.newConverter('org.apache.kafka.connect.converters.ByteArrayConverter')).toBeInstanceOf(ByteArrayConverter);
    expect(registry.newConverter('ByteArrayConverter')).toBeInstanceOf(ByteArrayConverter);
  });

  it('lists the connectors for GET /connector-plugins', () => {
    expect(registry.summaries().map((s) => [s.class, s.type])).toEqual([
      ['dev.sluice.connect.datagen.DatagenSourceConnector', 'source'],
      ['dev.sluice.connect.null.NullSinkConnector', 'sink'],
      ['org.apache.kafka.connect.file.FileStreamSinkConnector', 'sink'],
      ['org.apache.kafka.connect.file.FileStreamSourceConnector', 'source'],
      ['org.apache.kafka.connect.mirror.MirrorSourceConnector', 'source'],
    ]);
    // Converters are listed once as converters and once as header converters, as Kafka Connect does.
    expect(registry.summaries(false).filter((s) => s.type === 'converter')).toHaveLength(11);
    expect(registry.summaries(false).filter((s) => s.type === 'header_converter').map((s) => s.class)).toEqual([
      'dev.sluice.connect.converters.MsgPackConverter',
      'org.apache.kafka.connect.converters.BooleanConverter',
      'org.apache.kafka.connect.converters.ByteArrayConverter',
      'org.apache.kafka.connect.converters.DoubleConverter',
      'org.apache.kafka.connect.converters.FloatConverter',
      'org.apache.kafka.connect.converters.IntegerConverter',
      'org.apache.kafka.connect.converters.LongConverter',
      'org.apache.kafka.connect.converters.ShortConverter',
      'org.apache.kafka.connect.json.JsonConverter',
      'org.apache.kafka.connect.storage.SimpleHeaderConverter',
      'org.apache.kafka.connect.storage.StringConverter',
    ]);
    expect(registry.headerConverter('SimpleHeaderConverter').create()).toBeInstanceOf(SimpleHeaderConverter);
  });

  it('names the available connectors for an unknown class', () => {
    expect(() => registry.connector('io.confluent.connect.jdbc.JdbcSinkConnector')).toThrow(
      'Failed to find any class that implements Connector and which name matches io.confluent.connect.jdbc.JdbcSinkConnector, ' +
        'available connectors are: dev.sluice.connect.datagen.DatagenSourceConnector, ' +
        'dev.sluice.connect.null.NullSinkConnector, org.apache.kafka.connect.file.FileStreamSinkConnector, ' +
        'org.apache.kafka.connect.file.FileStreamSourceConnector',
    );
  });

  it('validates the sample connect-file-source.properties without errors', () => {
    const infos = validateConnectorConfig({
      name: 'local-file-source', 'connector.class': 'FileStreamSource', 'tasks.max': '1', file: 'test.txt',
      topic: 'connect-test', 'value.converter': 'org.apache.kafka.connect.json.JsonConverter',
    }, registry);
    expect(infos.name).toBe('FileStreamSource');
    expect(infos.error_count).toBe(0);
    const sink = validateConnectorConfig({ name: 's', 'connector.class': 'FileStreamSink', 'tasks.max': 'abc' }, registry);
    expect(sink.error_count).toBe(4); // tasks.max twice, topics and topics.regex
  });
});

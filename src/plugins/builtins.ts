/**
 * The plugins sluice ships, under the Java class names Kafka Connect users already write in
 * their configs.
 */
import { ByteArrayConverter } from '../converters/bytearray.js';
import { JsonConverter } from '../converters/json.js';
import { SimpleHeaderConverter } from '../converters/simple-header.js';
import { StringConverter } from '../converters/string.js';
import { FILE_CONNECTOR_VERSION } from '../connectors/file/config.js';
import { FileStreamSinkConnector } from '../connectors/file/file-stream-sink-connector.js';
import { FileStreamSourceConnector } from '../connectors/file/file-stream-source-connector.js';
import { DATAGEN_CONNECTOR_VERSION } from '../connectors/datagen/config.js';
import { DatagenSourceConnector } from '../connectors/datagen/datagen-source-connector.js';
import { NULL_CONNECTOR_VERSION } from '../connectors/null/config.js';
import { NullSinkConnector } from '../connectors/null/null-sink-connector.js';
import { BUILTIN_TRANSFORMS } from '../transforms/builtins.js';
import { PluginRegistry, type PluginDescriptor } from './registry.js';

/** The version reported for built-in converters. */
const BUILTIN_VERSION = FILE_CONNECTOR_VERSION;

export const BUILTIN_PLUGINS: readonly PluginDescriptor[] = [
  {
    kind: 'source',
    className: 'org.apache.kafka.connect.file.FileStreamSourceConnector',
    version: FILE_CONNECTOR_VERSION,
    create: () => new FileStreamSourceConnector(),
  },
  {
    kind: 'sink',
    className: 'org.apache.kafka.connect.file.FileStreamSinkConnector',
    version: FILE_CONNECTOR_VERSION,
    create: () => new FileStreamSinkConnector(),
  },
  // Benchmark connectors: a generator of numbered records and a sink that only counts.
  {
    kind: 'source',
    className: 'dev.sluice.connect.datagen.DatagenSourceConnector',
    aliases: ['Datagen'],
    version: DATAGEN_CONNECTOR_VERSION,
    create: () => new DatagenSourceConnector(),
  },
  {
    kind: 'sink',
    className: 'dev.sluice.connect.null.NullSinkConnector',
    aliases: ['Null'],
    version: NULL_CONNECTOR_VERSION,
    create: () => new NullSinkConnector(),
  },
  {
    kind: 'converter',
    className: 'org.apache.kafka.connect.json.JsonConverter',
    version: BUILTIN_VERSION,
    create: () => new JsonConverter(),
  },
  {
    kind: 'converter',
    className: 'org.apache.kafka.connect.storage.StringConverter',
    version: BUILTIN_VERSION,
    create: () => new StringConverter(),
  },
  {
    kind: 'converter',
    className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
    version: BUILTIN_VERSION,
    create: () => new ByteArrayConverter(),
  },
  // Header converters: Kafka Connect's converters double as header converters.
  {
    kind: 'header_converter',
    className: 'org.apache.kafka.connect.storage.SimpleHeaderConverter',
    version: BUILTIN_VERSION,
    create: () => new SimpleHeaderConverter(),
  },
  {
    kind: 'header_converter',
    className: 'org.apache.kafka.connect.json.JsonConverter',
    version: BUILTIN_VERSION,
    create: () => new JsonConverter(),
  },
  {
    kind: 'header_converter',
    className: 'org.apache.kafka.connect.storage.StringConverter',
    version: BUILTIN_VERSION,
    create: () => new StringConverter(),
  },
  {
    kind: 'header_converter',
    className: 'org.apache.kafka.connect.converters.ByteArrayConverter',
    version: BUILTIN_VERSION,
    create: () => new ByteArrayConverter(),
  },
];

/** Register every built-in plugin on `registry` (a new one by default) and return it. */
export function registerBuiltins(registry: PluginRegistry = new PluginRegistry()): PluginRegistry {
  for (const plugin of [...BUILTIN_PLUGINS, ...BUILTIN_TRANSFORMS]) registry.register(plugin);
  return registry;
}

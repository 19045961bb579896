/**
 * The plugins sluice ships, under the Java class names Kafka Connect users already write in
 * their configs.
 */
import { AvroConverter } from '../converters/avro/avro-converter.js';
import { ByteArrayConverter } from '../converters/bytearray.js';
import { JsonConverter } from '../converters/json.js';
import { MsgPackConverter } from '../converters/msgpack/msgpack-converter.js';
import { BooleanConverter } from '../converters/number/boolean-converter.js';
import {
  DoubleConverter, FloatConverter, IntegerConverter, LongConverter, ShortConverter,
} from '../converters/number/number-converters.js';
import { SimpleHeaderConverter } from '../converters/simple-header.js';
import { StringConverter } from '../converters/string.js';
import { FILE_CONNECTOR_VERSION } from '../connectors/file/config.js';
import { FileStreamSinkConnector } from '../connectors/file/file-stream-sink-connector.js';
import { FileStreamSourceConnector } from '../connectors/file/file-stream-source-connector.js';
import { DATAGEN_CONNECTOR_VERSION } from '../connectors/datagen/config.js';
import { DatagenSourceConnector } from '../connectors/datagen/datagen-source-connector.js';
import { MIRROR_CONNECTOR_VERSION } from '../connectors/mirror/config.js';
import { MirrorSourceConnector } from '../connectors/mirror/mirror-source-connector.js';
import { NULL_CONNECTOR_VERSION } from '../connectors/null/config.js';
import { NullSinkConnector } from '../connectors/null/null-sink-connector.js';
import { BUILTIN_TRANSFORMS } from '../transforms/builtins.js';
import { PluginRegistry, type PluginDescriptor } from './registry.js';

/** The version reported for built-in converters. */
const BUILTIN_VERSION = FILE_CONNECTOR_VERSION;

/** Kafka's primitive converters, each a converter and a header converter (as in Java). */
const PRIMITIVE_CONVERTERS = [
  ['IntegerConverter', () => new IntegerConverter()],
  ['LongConverter', () => new LongConverter()],
  ['ShortConverter', () => new ShortConverter()],
  ['FloatConverter', () => new FloatConverter()],
  ['DoubleConverter', () => new DoubleConverter()],
  ['BooleanConverter', () => new BooleanConverter()],
] as const;

const PRIMITIVE_CONVERTER_PLUGINS: readonly PluginDescriptor[] = PRIMITIVE_CONVERTERS.flatMap(([name, create]) =>
  (['converter', 'header_converter'] as const).map((kind) => ({
    kind,
    className: `org.apache.kafka.connect.converters.${name}`,
    version: BUILTIN_VERSION,
    create,
  })),
);

/** sluice's MessagePack converter (no Kafka counterpart), also a header converter. */
const MSGPACK_CONVERTER_PLUGINS: readonly PluginDescriptor[] = (['converter', 'header_converter'] as const).map((kind) => ({
  kind,
  className: 'dev.sluice.connect.converters.MsgPackConverter',
  aliases: ['MsgPack'],
  version: BUILTIN_VERSION,
  create: () => new MsgPackConverter(),
}));

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
  // MirrorMaker 2's replication connector (connect-mirror), topic to topic.
  {
    kind: 'source',
    className: 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
    version: MIRROR_CONNECTOR_VERSION,
    create: () => new MirrorSourceConnector(),
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
  // Confluent's Avro converter with a Schema Registry (the class name users have in their configs).
  { kind: 'converter', className: 'io.confluent.connect.avro.AvroConverter', version: BUILTIN_VERSION, create: () => new AvroConverter() },
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
  ...PRIMITIVE_CONVERTER_PLUGINS,
  ...MSGPACK_CONVERTER_PLUGINS,
];

/** Register every built-in plugin on `registry` (a new one by default) and return it. */
export function registerBuiltins(registry: PluginRegistry = new PluginRegistry()): PluginRegistry {
  for (const plugin of [...BUILTIN_PLUGINS, ...BUILTIN_TRANSFORMS]) registry.register(plugin);
  return registry;
}

// The data sets and scenarios of the suite (shared/reference/performance.md §7), and what each of
// the three systems runs for them. See bench/README.md for the reasoning behind every choice.

import { KC_AVRO_WORKER, SLUICE_AVRO_WORKER, VALUE_SINK_CLASS } from './avro.mjs';

export const PARTITIONS = 6;

const BYTE_ARRAY = 'org.apache.kafka.connect.converters.ByteArrayConverter';
const STRING = 'org.apache.kafka.connect.storage.StringConverter';
const JSON_CONV = 'org.apache.kafka.connect.json.JsonConverter';

/** String keys, schemaless JSON values: the JSON scenarios' worker converters. */
const JSON_SCHEMALESS_WORKER = { 'key.converter': STRING, 'value.converter': JSON_CONV, 'value.converter.schemas.enable': 'false' };

/**
 * Data sets, made once per invocation. `records` is the full-size count, `quick` the --quick one.
 * kind 'topic' = a pre-filled topic (native-bench produce, or node-rdkafka for JSON values);
 * kind 'file' = a text file of lines for the source scenario.
 */
export const DATASETS = {
  '100B': { kind: 'topic', valueBytes: 100, fill: 'native', records: 20_000_000, quick: 3_000_000 },
  '1KB': { kind: 'topic', valueBytes: 1000, fill: 'native', records: 5_000_000, quick: 1_000_000 },
  'json-1KB': { kind: 'topic', valueBytes: 1000, fill: 'json', records: 1_000_000, quick: 200_000 },
  // 10 % of these carry a `drop` header, which smt-chain-5's Filter (HasHeaderKey) drops on.
  'json-200B': { kind: 'topic', valueBytes: 200, fill: 'json', dropHeaderEvery: 10, records: 6_000_000, quick: 300_000 },
  'lines-100B': { kind: 'file', valueBytes: 99, lineBytes: 100, records: 5_000_000, quick: 1_000_000 },
  // Avro records in Confluent's wire format (magic byte, 4-byte schema id), their schema registered
  // in the bench's Schema Registry under <topic>-value (bench/lib/avro.mjs). Sized so that sluice's
  // window spans several 1 s commits even in --quick (300k records took it about one second).
  'avro-200B': { kind: 'topic', valueBytes: 200, fill: 'avro', records: 5_000_000, quick: 1_500_000 },
};

const SMT = 'org.apache.kafka.connect.transforms';

/** mirror-1KB's MirrorSourceConnector: source and target are the bench broker; the remote topic is `$ALIAS.$SRC`. */
const MIRROR_SOURCE = {
  'connector.class': 'org.apache.kafka.connect.mirror.MirrorSourceConnector',
  'source.cluster.alias': '$ALIAS',
  'target.cluster.alias': 'bench',
  'source.cluster.bootstrap.servers': '$BOOTSTRAP',
  'target.cluster.bootstrap.servers': '$BOOTSTRAP',
  topics: '$SRC',
  'replication.factor': '1',
  'sync.topic.acls.enabled': 'false',
  'sync.topic.configs.enabled': 'false',
  'emit.offset-syncs.enabled': 'false',
};

/** smt-chain-5's transformation chain (shared/reference/performance.md §7), Kafka Connect's own config keys. */
/** smt-chain-5's connector config (also what bench/micro/sink-json.bench.ts and test/unit/engine/field-plan.test.ts run). */
export const SMT_CHAIN_5 = {
  transforms: 'insert,replace,mask,timestamp,drop',
  'transforms.insert.type': `${SMT}.InsertField$Value`,
  'transforms.insert.static.field': 'pipeline',
  'transforms.insert.static.value': 'bench',
  'transforms.replace.type': `${SMT}.ReplaceField$Value`,
  'transforms.replace.exclude': 'page',
  'transforms.mask.type': `${SMT}.MaskField$Value`,
  'transforms.mask.fields': 'user',
  'transforms.timestamp.type': `${SMT}.TimestampConverter$Value`,
  'transforms.timestamp.field': 'ts',
  'transforms.timestamp.target.type': 'string',
  'transforms.timestamp.format': "yyyy-MM-dd'T'HH:mm:ss.SSS",
  'transforms.drop.type': `${SMT}.Filter`,
  'transforms.drop.predicate': 'hasDrop',
  predicates: 'hasDrop',
  'predicates.hasDrop.type': `${SMT}.predicates.HasHeaderKey`,
  'predicates.hasDrop.name': 'drop',
};

/**
 * Each scenario: `data` (a DATASETS key), `kind` (sink | source | mirror), optionally `limit`
 * (move only the first N records of the data set: { records, quick }), and per system either a
 * description of what to run or `skip(caps)` returning a reason (caps = what this sluice build has).
 */
export const SCENARIOS = [
  {
    name: 'sink-null-100B',
    what: 'consume → discard, no decode (ByteArrayConverter)',
    kind: 'sink',
    data: '100B',
    worker: { 'key.converter': BYTE_ARRAY, 'value.converter': BYTE_ARRAY },
    sluice: (caps) =>
      caps.nullSink
        ? { connector: { 'connector.class': 'Null' }, note: 'NullSinkConnector' }
        : { connector: { 'connector.class': 'FileStreamSink', file: '/dev/null' }, note: 'FileStreamSink → /dev/null (NullSink not in this build)' },
    kc: { connector: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: '/dev/null' }, note: 'FileStreamSink → /dev/null' },
    ceiling: { mode: 'consume' },
  },
  {
    name: 'sink-null-1KB',
    what: 'consume → discard, no decode (ByteArrayConverter), 1 KB values',
    kind: 'sink',
    data: '1KB',
    worker: { 'key.converter': BYTE_ARRAY, 'value.converter': BYTE_ARRAY },
    sluice: (caps) =>
      caps.nullSink
        ? { connector: { 'connector.class': 'Null' }, note: 'NullSinkConnector' }
        : { connector: { 'connector.class': 'FileStreamSink', file: '/dev/null' }, note: 'FileStreamSink → /dev/null (NullSink not in this build)' },
    kc: { connector: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: '/dev/null' }, note: 'FileStreamSink → /dev/null' },
    ceiling: { mode: 'consume' },
  },
  {
    name: 'sink-file-1KB-json',
    what: 'JSON decode (schemas.enable=false) → append each value to a file',
    kind: 'sink',
    data: 'json-1KB',
    worker: JSON_SCHEMALESS_WORKER,
    outputFile: true,
    sluice: () => ({ connector: { 'connector.class': 'FileStreamSink', file: '$OUT' }, note: 'FileStreamSink + JsonConverter' }),
    kc: {
      connector: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: '$OUT' },
      note: 'FileStreamSink + JsonConverter',
    },
    ceiling: { mode: 'consume' },
  },
  {
    name: 'source-file-to-topic-100B',
    what: 'read lines from a file → produce (acks=all, linger.ms=50)',
    kind: 'source',
    data: 'lines-100B',
    worker: {
      'key.converter': STRING,
      'value.converter': STRING,
      'producer.acks': 'all',
      'producer.linger.ms': '50',
    },
    sluice: () => ({ connector: { 'connector.class': 'FileStreamSource', file: '$IN', topic: '$TOPIC' }, note: 'FileStreamSource' }),
    kc: {
      connector: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', file: '$IN', topic: '$TOPIC' },
      note: 'FileStreamSource',
    },
    ceiling: { mode: 'produce' },
  },
  {
    name: 'mirror-1KB',
    what: 'topic → topic passthrough (MirrorMaker-like), 1 KB values',
    kind: 'mirror',
    data: '1KB',
    // MirrorMaker 2 moves ~20–30k records/s here: the whole 1KB topic would take minutes per run.
    limit: { records: 1_000_000, quick: 300_000 },
    worker: {
      'key.converter': BYTE_ARRAY,
      'value.converter': BYTE_ARRAY,
      'producer.acks': 'all',
      'producer.linger.ms': '50',
    },
    // The same MirrorSourceConnector config on both systems.
    sluice: (caps) =>
      caps.mirrorSource
        ? { connector: MIRROR_SOURCE, note: 'MirrorSourceConnector (frames passed through)' }
        : { skip: 'not supported in this sluice build: no MirrorSourceConnector' },
    kc: {
      mirror: true,
      connector: MIRROR_SOURCE,
      note: "MirrorMaker 2's MirrorSourceConnector (connect-mirror 4.3.1) in ConnectStandalone",
    },
    ceiling: { mode: 'mirror' },
  },
  {
    name: 'smt-chain-5',
    what: '200 B JSON through InsertField, ReplaceField, MaskField, TimestampConverter, Filter(10 %) → FileStreamSink /dev/null',
    kind: 'sink',
    data: 'json-200B',
    worker: JSON_SCHEMALESS_WORKER,
    // The same connector config on both systems; FileStreamSink → /dev/null on both, so the sink
    // work is equal and the difference is the chain (and the decode it needs).
    skipAll: (caps) => (caps.transforms ? null : 'SMTs not in this sluice build'),
    sluice: () => ({ connector: { 'connector.class': 'FileStreamSink', file: '/dev/null', ...SMT_CHAIN_5 }, note: 'FileStreamSink → /dev/null + 5 SMTs' }),
    kc: {
      connector: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: '/dev/null', ...SMT_CHAIN_5 },
      note: 'FileStreamSink → /dev/null + 5 SMTs',
    },
    ceiling: { mode: 'consume' },
  },
  {
    // "JSON in → Avro out" in performance.md §7 is topic→topic, which sluice cannot run yet (no
    // Kafka→Kafka connector). This is the sink direction of the same work: a pre-filled topic of
    // ~200 B Avro records (Confluent wire format, schema in the registry) read by each system's
    // AvroConverter into a Struct (schema fetched once by id, then cached) and handed to the same
    // converting null sink (bench/peer: checks each value is a Struct, counts it, keeps nothing),
    // so the conversion is all the per-record work besides Kafka. The Schema Registry (Apicurio
    // Registry 3.0.9, Confluent-compatible API) is started by the runner for the Avro scenarios
    // and stopped after them; without its jars they are skipped. Kafka Connect runs Apicurio's
    // AvroConverter (Confluent's is not on Maven Central) set to Confluent's wire format, from
    // plugin.path; see bench/lib/avro.mjs and bench/README.md.
    name: 'avro-convert',
    what: '~200 B Avro (Confluent wire format, schema id cached) → AvroConverter → Struct → null sink',
    kind: 'sink',
    data: 'avro-200B',
    registry: true,
    skipAll: (_caps, env) => env?.registrySkip ?? null,
    worker: { 'key.converter': BYTE_ARRAY },
    sluice: () => ({ worker: SLUICE_AVRO_WORKER, connector: { 'connector.class': VALUE_SINK_CLASS }, note: "ValueSink (bench/peer), sluice's AvroConverter" }),
    kc: { avroPlugin: true, worker: KC_AVRO_WORKER, connector: { 'connector.class': VALUE_SINK_CLASS }, note: "ValueSink (bench/peer), Apicurio's AvroConverter 2.6.13 (Confluent wire format)" },
    ceiling: { mode: 'consume' },
  },
  {
    // avro-convert with FileStreamSink → /dev/null instead of the null sink: each Struct is also
    // printed (Struct{id=…,ts=…}), on both workers; the printing costs about what the conversion does.
    name: 'avro-convert-file',
    what: '~200 B Avro → AvroConverter → Struct → FileStreamSink /dev/null (prints each Struct)',
    kind: 'sink',
    data: 'avro-200B',
    registry: true,
    skipAll: (_caps, env) => env?.registrySkip ?? null,
    worker: { 'key.converter': BYTE_ARRAY },
    sluice: () => ({ worker: SLUICE_AVRO_WORKER, connector: { 'connector.class': 'FileStreamSink', file: '/dev/null' }, note: "FileStreamSink → /dev/null, sluice's AvroConverter" }),
    kc: {
      avroPlugin: true,
      worker: KC_AVRO_WORKER,
      connector: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSinkConnector', file: '/dev/null' },
      note: "FileStreamSink → /dev/null, Apicurio's AvroConverter 2.6.13 (Confluent wire format)",
    },
    ceiling: { mode: 'consume' },
  },
  {
    // The write direction: FileStreamSource's lines (Connect STRING values) through each system's
    // AvroConverter, which registers the Avro schema ("string") under <topic>-value on the first
    // record and writes every record in Confluent's wire format with the cached id. Neither worker
    // has a built-in source of structured records that the other has too, so the schema is a
    // plain string: this is source-file-to-topic-100B plus the converter's write path.
    name: 'avro-convert-source',
    what: 'read lines from a file → AvroConverter (Avro string, schema registered once, id cached) → produce',
    kind: 'source',
    data: 'lines-100B',
    registry: true,
    skipAll: (_caps, env) => env?.registrySkip ?? null,
    worker: { 'key.converter': STRING, 'producer.acks': 'all', 'producer.linger.ms': '50' },
    sluice: () => ({
      worker: SLUICE_AVRO_WORKER,
      connector: { 'connector.class': 'FileStreamSource', file: '$IN', topic: '$TOPIC' },
      note: "FileStreamSource, sluice's AvroConverter (auto.register.schemas)",
    }),
    kc: {
      avroPlugin: true,
      worker: { ...KC_AVRO_WORKER, 'value.converter.apicurio.registry.auto-register': 'true' },
      connector: { 'connector.class': 'org.apache.kafka.connect.file.FileStreamSourceConnector', file: '$IN', topic: '$TOPIC' },
      note: "FileStreamSource, Apicurio's AvroConverter 2.6.13 (Confluent wire format, auto-register)",
    },
    ceiling: { mode: 'produce' },
  },
];

export const SCENARIO_NAMES = SCENARIOS.map((s) => s.name);

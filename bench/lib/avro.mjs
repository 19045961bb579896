// The avro-convert scenario's machinery: the Schema Registry it needs (Apicurio Registry 3.0.9 from
// Maven Central, through scripts/registry/registry.mjs, started when the scenario runs and stopped
// after), the data set (Avro records in Confluent's wire format, their schema registered in that
// registry), and Kafka Connect's AvroConverter.
//
// Kafka Connect's converter: Confluent's io.confluent.connect.avro.AvroConverter is not on Maven
// Central, so Kafka Connect runs Apicurio's Kafka Connect AvroConverter
// (io.apicurio:apicurio-registry-utils-converter 2.6.13.Final: AvroKafkaDeserializer + an AvroData
// forked from Confluent's) set to Confluent's wire format: magic byte 0, a 4-byte id, no headers
// (apicurio.registry.as-confluent=true, use-id=contentId, headers.enabled=false). Apicurio 3's
// Confluent-compatible API hands out content ids as schema ids, so both converters read the same
// bytes and resolve the same id against the same registry, sluice through the ccompat API and
// Apicurio's client through the registry's own v2 API. The 3.x converter does not resolve from
// Maven Central (its parent POM and apicurio-registry-java-sdk 3.0.9 are not served); 2.6.13.Final
// resolves with its dependencies. The jars go into a Kafka Connect plugin directory
// (plugin.path): Connect loads them in their own class loader, as users deploy converters, so
// their Jackson and Avro never meet the runtime's. Kafka's own jars are left out (the worker's are
// used, as Connect's plugin isolation does anyway).
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import avsc from 'avsc';
import { fetchJarSet } from './maven-jars.mjs';
import { APICURIO_VERSION, resolveRegistry, startRegistry } from '../../scripts/registry/registry.mjs';

export const APICURIO_CONVERTER = 'io.apicurio:apicurio-registry-utils-converter:2.6.13.Final';
export const APICURIO_CONVERTER_CLASS = 'io.apicurio.registry.utils.converter.AvroConverter';
export const CONFLUENT_CONVERTER_CLASS = 'io.confluent.connect.avro.AvroConverter';

/**
 * Each worker's value converter for the Avro scenarios ($-names are filled in by the runner).
 * sluice: its AvroConverter on the registry's Confluent-compatible API, and plugin.path for the
 * converting null sink. Kafka Connect: Apicurio's AvroConverter on the registry's v2 API, set to
 * Confluent's wire format (magic byte, 4-byte content id in the payload, no headers).
 */
export const SLUICE_AVRO_WORKER = Object.freeze({
  'plugin.path': '$SLUICE_PLUGIN_PATH',
  'value.converter': CONFLUENT_CONVERTER_CLASS,
  'value.converter.schema.registry.url': '$REGISTRY_CCOMPAT_URL',
});

export const KC_AVRO_WORKER = Object.freeze({
  'plugin.path': '$AVRO_PLUGIN_PATH',
  'value.converter': APICURIO_CONVERTER_CLASS,
  'value.converter.apicurio.registry.url': '$REGISTRY_V2_URL',
  'value.converter.apicurio.registry.as-confluent': 'true',
  'value.converter.apicurio.registry.use-id': 'contentId',
  'value.converter.apicurio.registry.headers.enabled': 'false',
});

/** The converting null sink of bench/peer (the same class name on both workers). */
export const VALUE_SINK_CLASS = 'dev.sluice.bench.ValueSinkConnector';

/**
 * The records of the `avro-200B` data set: the fields of the JSON data sets (bench/lib/kafka.mjs
 * produceJson) as an Avro record, with a logical type (timestamp-millis), an array and an optional
 * union so that the conversion does what real schemas make it do.
 */
export const EVENT_SCHEMA = {
  type: 'record',
  name: 'Event',
  namespace: 'dev.sluice.bench',
  fields: [
    { name: 'id', type: 'long' },
    { name: 'ts', type: { type: 'long', logicalType: 'timestamp-millis' } },
    { name: 'user', type: 'string' },
    { name: 'action', type: 'string' },
    { name: 'page', type: 'string' },
    { name: 'ok', type: 'boolean' },
    { name: 'score', type: 'double' },
    { name: 'tags', type: { type: 'array', items: 'string' } },
    { name: 'note', type: ['null', 'string'], default: null },
  ],
};

const USERS = Array.from({ length: 97 }, (_, i) => `user-${(i * 7919) % 100000}`);
const ACTIONS = ['view', 'click', 'scroll', 'purchase', 'login', 'logout'];
const FILLER = 'lorem ipsum dolor sit amet consectetur adipiscing elit sed do eiusmod tempor incididunt ut labore et dolore magna aliqua ';
/** Enough filler for a note of any record up to a few KB, sliced per record. */
const NOTES = FILLER.repeat(64);

/**
 * Makes `(i) => Buffer`: record i in Confluent's wire format (0, the schema id as a 4-byte
 * big-endian int, the Avro binary), exactly `size` bytes long (the note is padded to fit).
 */
export function eventEncoder(schemaId, size) {
  const type = avsc.Type.forSchema(EVENT_SCHEMA, { wrapUnions: false });
  return (i) => {
    const value = {
      id: i,
      ts: 1_700_000_000_000 + i,
      user: USERS[i % USERS.length],
      action: ACTIONS[i % ACTIONS.length],
      page: `/p/${(i * 7919) % 100000}`,
      ok: i % 17 !== 0,
      score: (i % 1000) / 10,
      tags: [`a${i % 13}`, `b${i % 7}`],
      note: '',
    };
    // The note's length prefix is a zig-zag varint: one byte up to 63 characters, two above.
    const base = type.toBuffer(value).length + 5;
    let room = Math.max(0, size - base);
    if (room > 63) room -= 1;
    value.note = NOTES.slice(i % 40, i % 40 + room);
    const body = type.toBuffer(value);
    const out = Buffer.allocUnsafe(5 + body.length);
    out[0] = 0;
    out.writeInt32BE(schemaId, 1);
    body.copy(out, 5);
    return out;
  };
}

/**
 * Whether the registry can run: its jars are in the cache, or Maven fetches them now. Returns
 * null when it can, else the reason the scenario is skipped.
 */
export async function registryUnavailable() {
  try {
    await resolveRegistry({ quiet: true });
    return null;
  } catch (err) {
    return `the Schema Registry (Apicurio Registry ${APICURIO_VERSION}) is not available: ${firstLine(err.message)} (fetch it with \`node scripts/registry/cli.mjs fetch\`)`;
  }
}

/**
 * Starts the registry for this invocation, its log in `logDir`. Returns { ccompatUrl, v2Url, stop() }:
 * `ccompatUrl` is what sluice's `schema.registry.url` names, `v2Url` what Apicurio's client uses.
 */
export async function startBenchRegistry(logDir) {
  mkdirSync(logDir, { recursive: true });
  const registry = await startRegistry({ logDir, quiet: true });
  const base = registry.url.replace(/\/apis\/ccompat\/v7$/, '');
  return { ccompatUrl: registry.url, v2Url: `${base}/apis/registry/v2`, pid: registry.pid, logFile: registry.logFile, stop: () => registry.stop() };
}

/** Registers EVENT_SCHEMA under `<topic>-value` (TopicNameStrategy) through the ccompat API; returns its id. */
export async function registerEventSchema(ccompatUrl, topic) {
  const res = await fetch(`${ccompatUrl}/subjects/${encodeURIComponent(`${topic}-value`)}/versions`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/vnd.schemaregistry.v1+json' },
    body: JSON.stringify({ schema: JSON.stringify(EVENT_SCHEMA) }),
    signal: AbortSignal.timeout(30_000),
  });
  const text = await res.text();
  if (res.status !== 200) throw new Error(`registering the Avro schema under ${topic}-value failed: HTTP ${res.status} ${text.slice(0, 300)}`);
  return JSON.parse(text).id;
}

/**
 * Pre-fills `topic` (created here) with `count` Avro records of `size` bytes, round-robin over its
 * partitions, through the runner's node-rdkafka producer (`client.producer`), and waits for every
 * delivery report. Returns { schemaId, subject }.
 */
export async function fillAvroTopic({ client, ccompatUrl, topic, partitions, count, size, onProgress }) {
  const schemaId = await registerEventSchema(ccompatUrl, topic);
  // The id must resolve on the registry's own API too: that is how Apicurio's converter finds it.
  const v2 = ccompatUrl.replace(/\/apis\/ccompat\/v7$/, '/apis/registry/v2');
  const check = await fetch(`${v2}/ids/contentIds/${schemaId}`, { signal: AbortSignal.timeout(10_000) });
  if (check.status !== 200) throw new Error(`schema id ${schemaId} from the ccompat API is not a content id of the registry (HTTP ${check.status})`);
  await client.createTopic(topic, partitions);
  const encode = eventEncoder(schemaId, size);
  const producer = client.producer;
  let acked = 0;
  let failed = null;
  const onReport = (err) => {
    if (err) failed ??= err;
    else acked++;
  };
  producer.on('delivery-report', onReport);
  try {
    let sent = 0;
    while (sent < count) {
      if (failed) throw failed;
      try {
        producer.produce(topic, sent % partitions, encode(sent), null, null);
        sent++;
      } catch (err) {
        if (!/queue full/i.test(String(err.message)) && err.code !== -184) throw err;
        await new Promise((ok) => setTimeout(ok, 5));
      }
      if ((sent & 0x3fff) === 0) {
        onProgress?.(acked, count);
        await new Promise(setImmediate);
      }
    }
    const deadline = Date.now() + 120_000;
    while (acked < count && !failed) {
      if (Date.now() > deadline) throw new Error(`only ${acked} of ${count} Avro records acknowledged within 120 s`);
      onProgress?.(acked, count);
      await new Promise((ok) => setTimeout(ok, 50));
    }
    if (failed) throw failed;
  } finally {
    producer.off('delivery-report', onReport);
  }
  return { schemaId, subject: `${topic}-value` };
}

const PEER = join(dirname(fileURLToPath(import.meta.url)), '..', 'peer');
const VALUE_SINK_SOURCES = ['ValueSinkConnector.java', 'ValueSinkTask.java'];
/** Bump when the Java sources change, so a cached build is not reused. */
const VALUE_SINK_BUILD = 1;

/**
 * Kafka Connect's plugin.path for the Avro scenarios: Apicurio's AvroConverter with its
 * dependencies (apicurio-avro-converter/) and the converting null sink of bench/peer/java
 * compiled against the Connect jars in `kcLibs` (value-sink-N/). Returns the directory.
 */
export async function kcAvroPluginPath(kcLibs) {
  const pluginPath = await apicurioConverterPluginPath();
  const classes = join(pluginPath, `value-sink-${VALUE_SINK_BUILD}`);
  if (!existsSync(join(classes, 'dev', 'sluice', 'bench', 'ValueSinkTask.class'))) {
    const src = join(PEER, 'java', 'dev', 'sluice', 'bench');
    const tmp = `${classes}.tmp-${process.pid}`;
    rmSync(tmp, { recursive: true, force: true });
    execFileSync('javac', ['-d', tmp, '-cp', join(kcLibs, '*'), ...VALUE_SINK_SOURCES.map((f) => join(src, f))], { stdio: 'pipe' });
    rmSync(classes, { recursive: true, force: true });
    renameSync(tmp, classes);
  }
  return pluginPath;
}

/**
 * sluice's plugin.path for the Avro scenarios: a directory holding one module that registers the
 * converting null sink of bench/peer/js/value-sink.mjs, built on the measured build's API
 * (`sluiceRoot`/dist/index.js, the copy the runner measures). Returns the directory.
 */
export function writeSluiceValueSink(dir, sluiceRoot) {
  mkdirSync(dir, { recursive: true });
  const api = pathToFileURL(join(sluiceRoot, 'dist', 'index.js')).href;
  const peer = pathToFileURL(join(PEER, 'js', 'value-sink.mjs')).href;
  writeFileSync(
    join(dir, 'value-sink.mjs'),
    `// Written by bench/lib/avro.mjs: the converting null sink on the measured build's API.\nimport * as api from '${api}';\nimport { makePlugins } from '${peer}';\nexport const plugins = makePlugins(api);\n`,
  );
  return dir;
}

/**
 * The Kafka Connect plugin directory holding Apicurio's AvroConverter and its dependencies
 * (Kafka's own jars excluded), fetched with Maven once into <cache>/maven/bench-avro.
 * Returns the directory to name in plugin.path.
 */
export async function apicurioConverterPluginPath() {
  const [, a, v] = APICURIO_CONVERTER.split(':');
  const libsDir = await fetchJarSet({
    name: 'bench-avro',
    subdir: join('plugins', 'apicurio-avro-converter'),
    version: v,
    artifacts: [APICURIO_CONVERTER],
    mavenArgs: ['-DexcludeGroupIds=org.apache.kafka', '-DincludeScope=runtime'],
    expect: `${a}-`,
  });
  return dirname(libsDir);
}

const firstLine = (s) => String(s ?? '').split('\n')[0].slice(0, 300);

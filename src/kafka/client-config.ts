/**
 * Kafka Connect passes Java client settings (`producer.*`, `consumer.*`, `admin.*`, and
 * `bootstrap.servers`); sluice's clients are librdkafka. This maps the Java names onto
 * librdkafka's, drops the ones that only make sense to the Java client, and names the offending
 * key when librdkafka rejects one.
 */
import { ConfigError } from '../api/errors.js';

export type ClientConfig = Record<string, string | number | boolean>;

/** Java client key -> librdkafka key, where the names differ. */
const RENAMED: Record<string, string> = {
  'fetch.max.wait.ms': 'fetch.wait.max.ms',
  'max.partition.fetch.bytes': 'fetch.message.max.bytes',
  'buffer.memory': 'queue.buffering.max.kbytes', // value converted below
  'ssl.truststore.location': 'ssl.ca.location',
  'ssl.keystore.location': 'ssl.keystore.location',
};

/** Java-only keys: meaningful to the Java client, with no librdkafka counterpart worth mapping. */
const JAVA_ONLY = new Set([
  'key.serializer', 'value.serializer', 'key.deserializer', 'value.deserializer',
  'interceptor.classes', 'metric.reporters', 'metrics.num.samples', 'metrics.sample.window.ms',
  'metrics.recording.level', 'max.block.ms', 'max.poll.records', 'partitioner.class',
  'client.dns.lookup', 'ssl.truststore.type', 'ssl.keystore.type', 'ssl.truststore.password',
  'ssl.endpoint.identification.algorithm', 'sasl.jaas.config', 'default.api.timeout.ms',
  'retry.backoff.max.ms', 'reconnect.backoff.max.ms', 'exclude.internal.topics',
  'internal.leave.group.on.close', 'check.crcs', 'connections.max.idle.ms', 'send.buffer.bytes',
  'receive.buffer.bytes', 'metadata.max.age.ms', 'security.providers', 'auto.include.jmx.reporter',
  'enable.metrics.push',
]);

/**
 * Translate Java client properties into a librdkafka config.
 * `origin` names where the keys came from (e.g. "producer."), for error messages.
 */
export function toLibrdkafkaConfig(javaProps: Record<string, string>, origin = ''): ClientConfig {
  const out: ClientConfig = {};
  for (const [key, value] of Object.entries(javaProps)) {
    if (JAVA_ONLY.has(key)) {
      if (key === 'sasl.jaas.config') Object.assign(out, credentialsFromJaas(value, `${origin}${key}`));
      continue;
    }
    if (key === 'buffer.memory') {
      out['queue.buffering.max.kbytes'] = Math.max(1, Math.floor(Number(value) / 1024));
      continue;
    }
    out[RENAMED[key] ?? key] = value;
  }
  return out;
}

/** PLAIN and SCRAM login modules carry username/password inside sasl.jaas.config. */
function credentialsFromJaas(jaas: string, key: string): ClientConfig {
  const user = /username\s*=\s*"([^"]*)"/.exec(jaas);
  const pass = /password\s*=\s*"([^"]*)"/.exec(jaas);
  if (!user || !pass) {
    throw new ConfigError(
      `Invalid value for configuration ${key}: sluice reads username="..." and password="..." from PlainLoginModule or ScramLoginModule only`,
      key,
    );
  }
  return { 'sasl.username': user[1]!, 'sasl.password': pass[1]! };
}

/**
 * librdkafka reports an unknown property as `No such configuration property: "x"`: turn that
 * into an error naming the Connect key it came from.
 */
export function explainClientError(err: unknown, origin: string): Error {
  const message = err instanceof Error ? err.message : String(err);
  const m = /No such configuration property: "([^"]+)"/.exec(message) ?? /Invalid value .* for configuration property "([^"]+)"/.exec(message);
  if (m) return new ConfigError(`Invalid client configuration ${origin}${m[1]}: ${message}`, `${origin}${m[1]}`);
  return err instanceof Error ? err : new Error(message);
}

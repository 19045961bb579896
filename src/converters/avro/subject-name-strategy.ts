/**
 * Subject name strategies (io.confluent.kafka.serializers.subject.*): which registry subject a
 * record's schema goes under.
 */
import { ConfigError } from '../../api/errors.js';
import { type AvroSchema, typeName } from './avro-schema.js';

export type SubjectNameStrategy = (topic: string, isKey: boolean, schema: AvroSchema) => string;

const PACKAGE = 'io.confluent.kafka.serializers.subject';

/** <topic>-key or <topic>-value (the default). */
export const topicNameStrategy: SubjectNameStrategy = (topic, isKey) => `${topic}${isKey ? '-key' : '-value'}`;

/** The record's fully-qualified name; other types by their Avro type name, as AvroSchema.name() gives. */
export const recordNameStrategy: SubjectNameStrategy = (_topic, _isKey, schema) => typeName(schema);

/** <topic>-<fully-qualified record name>. */
export const topicRecordNameStrategy: SubjectNameStrategy = (topic, isKey, schema) => `${topic}-${recordNameStrategy(topic, isKey, schema)}`;

const STRATEGIES: Record<string, SubjectNameStrategy> = {
  TopicNameStrategy: topicNameStrategy,
  RecordNameStrategy: recordNameStrategy,
  TopicRecordNameStrategy: topicRecordNameStrategy,
};

/** Resolves a class name (`io.confluent...TopicNameStrategy`) or short name (`TopicNameStrategy`). */
export function subjectNameStrategy(configKey: string, className: string): SubjectNameStrategy {
  const short = className.startsWith(`${PACKAGE}.`) ? className.slice(PACKAGE.length + 1) : className;
  const found = Object.hasOwn(STRATEGIES, short) ? STRATEGIES[short] : undefined;
  if (!found) {
    throw new ConfigError(
      `Invalid value ${className} for configuration ${configKey}: sluice knows ${Object.keys(STRATEGIES).map((s) => `${PACKAGE}.${s}`).join(', ')}`,
      configKey,
    );
  }
  return found;
}

/**
 * TimestampRouter (org.apache.kafka.connect.transforms.TimestampRouter): the topic becomes
 * `topic.format` with `${topic}` replaced by the topic and `${timestamp}` by the record timestamp
 * formatted with `timestamp.format` (a java.text.SimpleDateFormat pattern, in UTC).
 *
 * Difference: Kafka builds the SimpleDateFormat when the first record arrives, so a bad
 * `timestamp.format` fails the task then; sluice checks the pattern in configure(), so the
 * connector is refused when it is created.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, invalidValue } from '../api/config-def.js';
import { DataError } from '../api/errors.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import { SimpleDateFormat } from './util/simple-date-format.js';

export const TIMESTAMP_ROUTER_OVERVIEW_DOC =
  'Update the record\'s topic field as a function of the original topic value and the record timestamp.' +
  '<p/>This is mainly useful for sink connectors, since the topic field is often used to determine the equivalent ' +
  'entity name in the destination system(e.g. database table or search index name).';

const TOPIC_FORMAT_CONFIG = 'topic.format';
const TIMESTAMP_FORMAT_CONFIG = 'timestamp.format';

const CONFIG_DEF = new ConfigDef()
  .define({
    name: TOPIC_FORMAT_CONFIG, type: ConfigType.STRING, defaultValue: '${topic}-${timestamp}', importance: Importance.HIGH,
    documentation: 'Format string which can contain <code>${topic}</code> and <code>${timestamp}</code> as placeholders ' +
      'for the topic and timestamp, respectively.',
  })
  .define({
    name: TIMESTAMP_FORMAT_CONFIG, type: ConfigType.STRING, defaultValue: 'yyyyMMdd', importance: Importance.HIGH,
    documentation: 'Format string for the timestamp that is compatible with <code>java.text.SimpleDateFormat</code>.',
  });

export class TimestampRouter<R extends ConnectRecord<R>> implements Transformation<R> {
  private topicFormat = '';
  private timestampFormat: SimpleDateFormat | null = null;

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(CONFIG_DEF, configs);
    this.topicFormat = config.getString(TOPIC_FORMAT_CONFIG)!;
    const pattern = config.getString(TIMESTAMP_FORMAT_CONFIG)!;
    try {
      this.timestampFormat = new SimpleDateFormat(pattern);
    } catch (e) {
      throw invalidValue(TIMESTAMP_FORMAT_CONFIG, pattern, (e as Error).message);
    }
  }

  apply(record: R): R | null {
    if (record.timestamp === null) throw new DataError(`Timestamp missing on record: ${describe(record)}`);
    const formatted = this.timestampFormat!.format(record.timestamp);
    // Literal replacements, all occurrences, topic first: as Kafka's two Pattern.LITERAL replaceAll calls.
    const topic = this.topicFormat.replaceAll('${topic}', () => record.topic).replaceAll('${timestamp}', () => formatted);
    return record.newRecord(topic, record.kafkaPartition, record.keySchema, record.key, record.valueSchema, record.value,
      record.timestamp);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}
}

/** Kafka prints the whole record (its toString); sluice names where it came from, without its data. */
function describe<R extends ConnectRecord<R>>(record: R): string {
  const offset = 'kafkaOffset' in record ? `, offset=${String((record as { kafkaOffset: unknown }).kafkaOffset)}` : '';
  return `{topic='${record.topic}', kafkaPartition=${record.kafkaPartition ?? 'null'}${offset}}`;
}

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
import { type RecordBatch, TimestampTypeCode } from '../data/batch.js';
import type { ConnectRecord } from '../data/record.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel } from './batch/kernel.js';
import type { WorkingRecord } from './batch/working-record.js';
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

export class TimestampRouter<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
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
    const topic = this.routed(record);
    return record.newRecord(topic, record.kafkaPartition, record.keySchema, record.key, record.valueSchema, record.value,
      record.timestamp);
  }

  private routed(record: Described & { readonly timestamp: number | null }): string {
    if (record.timestamp === null) throw new DataError(`Timestamp missing on record: ${describe(record)}`);
    const formatted = this.timestampFormat!.format(record.timestamp);
    // Literal replacements, all occurrences, topic first: as Kafka's two Pattern.LITERAL replaceAll calls.
    return this.topicFormat.replaceAll('${topic}', () => record.topic).replaceAll('${timestamp}', () => formatted);
  }

  /** apply() on a working record; on a frame it reads the timestamp column and rewrites the topic column. */
  [BATCH_KERNEL](): TransformKernel {
    return {
      apply: (w: WorkingRecord): boolean => {
        w.topic = this.routed(w);
        return true;
      },
      applyToFrame: (batch: RecordBatch, i: number): boolean => {
        const topic = this.routed(new FrameRecord(batch, i));
        if (topic !== batch.topic(i)) batch.setTopicId(i, batch.internTopic(topic));
        return true;
      },
    };
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}
}

interface Described {
  readonly topic: string;
  readonly kafkaPartition: number | null;
}

/** Record i of a frame, as routed() reads it: the timestamp is null where a SinkRecord's would be. */
class FrameRecord implements Described {
  readonly topic: string;
  readonly kafkaPartition: number;
  readonly kafkaOffset: number;
  readonly timestamp: number | null;

  constructor(batch: RecordBatch, i: number) {
    this.topic = batch.topic(i);
    this.kafkaPartition = batch.partition(i);
    this.kafkaOffset = batch.offset(i);
    const type = batch.timestampTypes[i];
    const ts = batch.timestamps[i]!;
    this.timestamp = (type === TimestampTypeCode.CREATE_TIME || type === TimestampTypeCode.LOG_APPEND_TIME) && ts >= 0 ? ts : null;
  }
}

/** Kafka prints the whole record (its toString); sluice names where it came from, without its data. */
function describe(record: Described): string {
  const offset = 'kafkaOffset' in record ? `, offset=${String((record as { kafkaOffset: unknown }).kafkaOffset)}` : '';
  return `{topic='${record.topic}', kafkaPartition=${record.kafkaPartition ?? 'null'}${offset}}`;
}

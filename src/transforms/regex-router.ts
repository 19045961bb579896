/**
 * RegexRouter (org.apache.kafka.connect.transforms.RegexRouter): when the whole topic matches
 * `regex` (a Java regular expression), the topic becomes Matcher.replaceFirst(`replacement`), with
 * `$1`/`${name}` group references and `\` escapes as in Java. Java syntax sluice translates or
 * refuses: util/java-regex.ts.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance } from '../api/config-def.js';
import type { Transformation } from '../api/transformation.js';
import type { ConnectRecord } from '../data/record.js';
import { BATCH_KERNEL, type HasBatchKernel, type TransformKernel, TopicMemo } from './batch/kernel.js';
import { JAVA_REGEX_VALIDATOR, JavaPattern } from './util/java-regex.js';

export const REGEX_ROUTER_OVERVIEW_DOC =
  'Update the record topic using the configured regular expression and replacement string.' +
  '<p/>Under the hood, the regex is compiled to a <code>java.util.regex.Pattern</code>. ' +
  'If the pattern matches the input topic, <code>java.util.regex.Matcher#replaceFirst()</code> is used with the replacement string to obtain the new topic.';

const REGEX_CONFIG = 'regex';
const REPLACEMENT_CONFIG = 'replacement';

const CONFIG_DEF = new ConfigDef()
  .define({
    name: REGEX_CONFIG, type: ConfigType.STRING, validator: JAVA_REGEX_VALIDATOR, importance: Importance.HIGH,
    documentation: 'Regular expression to use for matching.',
  })
  .define({ name: REPLACEMENT_CONFIG, type: ConfigType.STRING, importance: Importance.HIGH, documentation: 'Replacement string.' });

export class RegexRouter<R extends ConnectRecord<R>> implements Transformation<R>, HasBatchKernel<TransformKernel> {
  private regex: JavaPattern | null = null;
  private replacement = '';

  configure(configs: Record<string, string>): void {
    const config = new AbstractConfig(CONFIG_DEF, configs);
    this.regex = JavaPattern.compile(config.getString(REGEX_CONFIG)!);
    this.replacement = config.getString(REPLACEMENT_CONFIG)!;
  }

  apply(record: R): R | null {
    const regex = this.regex!;
    if (!regex.matches(record.topic)) return record;
    const topic = regex.replaceFirst(record.topic, this.replacement);
    return record.newRecord(topic, record.kafkaPartition, record.keySchema, record.key, record.valueSchema, record.value, record.timestamp);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  /** apply(), once per topic name (the new topic depends on the topic alone); on a frame it rewrites the topic column. */
  [BATCH_KERNEL](): TransformKernel {
    const regex = this.regex!;
    const replacement = this.replacement;
    const memo = new TopicMemo((topic) => (regex.matches(topic) ? regex.replaceFirst(topic, replacement) : topic));
    return {
      apply: (w) => {
        w.topic = memo.get(w.topic);
        return true;
      },
      applyToFrame: (batch, i) => {
        const topic = batch.topic(i);
        const routed = memo.get(topic);
        if (routed !== topic) batch.setTopicId(i, batch.internTopic(routed));
        return true;
      },
    };
  }
}

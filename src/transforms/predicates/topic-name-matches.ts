/**
 * TopicNameMatches (org.apache.kafka.connect.transforms.predicates.TopicNameMatches): true for
 * records whose whole topic name matches `pattern`, a Java regular expression (Pattern.matches;
 * see util/java-regex.ts for the Java syntax sluice translates and the little it refuses).
 */
import { AbstractConfig, CompositeValidator, ConfigDef, ConfigType, Importance, NonEmptyString, invalidValue } from '../../api/config-def.js';
import type { Predicate } from '../../api/transformation.js';
import type { ConnectRecord } from '../../data/record.js';
import { BATCH_KERNEL, type HasBatchKernel, type PredicateKernel, TopicMemo } from '../batch/kernel.js';
import { JAVA_REGEX_VALIDATOR, JavaPattern } from '../util/java-regex.js';

export const TOPIC_NAME_MATCHES_OVERVIEW_DOC =
  'A predicate which is true for records with a topic name that matches the configured regular expression.';

const PATTERN_CONFIG = 'pattern';

const CONFIG_DEF = new ConfigDef().define({
  name: PATTERN_CONFIG, type: ConfigType.STRING, validator: CompositeValidator.of(new NonEmptyString(), JAVA_REGEX_VALIDATOR),
  importance: Importance.MEDIUM, documentation: 'A Java regular expression for matching against the name of a record\'s topic.',
});

export class TopicNameMatches<R extends ConnectRecord<R>> implements Predicate<R>, HasBatchKernel<PredicateKernel> {
  private pattern: JavaPattern | null = null;

  configure(configs: Record<string, string>): void {
    const value = new AbstractConfig(CONFIG_DEF, configs).getString(PATTERN_CONFIG)!;
    try {
      this.pattern = JavaPattern.compile(value);
    } catch (e) {
      throw invalidValue(PATTERN_CONFIG, value, `entry must be a Java-compatible regular expression: ${(e as Error).message}`);
    }
  }

  test(record: R): boolean {
    return record.topic != null && this.pattern!.matches(record.topic);
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  close(): void {}

  toString(): string {
    return `TopicNameMatches{pattern=${this.pattern?.pattern ?? 'null'}}`;
  }

  /** test(), once per topic name: the answer depends on the topic alone. */
  [BATCH_KERNEL](): PredicateKernel {
    const pattern = this.pattern!;
    const memo = new TopicMemo((topic) => pattern.matches(topic));
    return {
      test: (w) => w.topic != null && memo.get(w.topic),
      testFrame: (batch, i) => memo.get(batch.topic(i)),
    };
  }
}

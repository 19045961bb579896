/**
 * MirrorSourceConnector's configuration (MirrorSourceConfig / MirrorConnectorConfig of
 * connect-mirror), the subset sluice acts on, under MirrorMaker 2's own names, plus what the
 * connector and its tasks derive from it: the topic filter, the replication policy, the source
 * consumer's client settings and the source partition/offset maps of MirrorUtils.
 *
 * MirrorMaker's offset syncs, checkpoints, heartbeats, topic-config and ACL syncing are not
 * implemented: their `*.enabled` keys are accepted and a warning says they do nothing here.
 */
import { AbstractConfig, ConfigDef, ConfigType, Importance, NonEmptyString, Range } from '../../api/config-def.js';
import { ConfigError } from '../../api/errors.js';
import type { SourceMap } from '../../data/record.js';
import { toLibrdkafkaConfig, type ClientConfig } from '../../kafka/client-config.js';
import { JavaPattern } from '../../transforms/util/java-regex.js';
import { replicationPolicyFor, type ReplicationPolicy } from './replication-policy.js';

export const MIRROR_CONNECTOR_VERSION = '0.1.0';

export const SOURCE_CLUSTER_ALIAS = 'source.cluster.alias';
export const TARGET_CLUSTER_ALIAS = 'target.cluster.alias';
export const SOURCE_BOOTSTRAP = 'source.cluster.bootstrap.servers';
export const TARGET_BOOTSTRAP = 'target.cluster.bootstrap.servers';
export const TOPICS = 'topics';
export const TOPICS_EXCLUDE = 'topics.exclude';
/** The deprecated name of topics.exclude, still read by MirrorMaker 2. */
export const TOPICS_BLACKLIST = 'topics.blacklist';
export const REPLICATION_POLICY_CLASS = 'replication.policy.class';
export const REPLICATION_POLICY_SEPARATOR = 'replication.policy.separator';
export const REPLICATION_FACTOR = 'replication.factor';
export const REFRESH_TOPICS_ENABLED = 'refresh.topics.enabled';
export const REFRESH_TOPICS_INTERVAL_SECONDS = 'refresh.topics.interval.seconds';
/** The partitions a task replicates: MirrorUtils.encodeTopicPartition ("topic-partition"), comma-separated. */
export const TASK_TOPIC_PARTITIONS = 'task.assigned.partitions';
export const TASK_INDEX = 'task.index';

/** MirrorMaker features sluice does not implement; set to true (their default) they log a warning. */
export const UNSUPPORTED_FEATURES = [
  'emit.offset-syncs.enabled', 'sync.topic.configs.enabled', 'sync.topic.acls.enabled',
] as const;

export const TOPICS_DEFAULT = '.*';
export const TOPICS_EXCLUDE_DEFAULT = '.*[\\-\\.]internal, .*\\.replica, __.*';

export const CONFIG_DEF = new ConfigDef()
  .define({ name: SOURCE_CLUSTER_ALIAS, type: ConfigType.STRING, validator: new NonEmptyString(), importance: Importance.HIGH, documentation: 'Alias of source cluster' })
  .define({ name: TARGET_CLUSTER_ALIAS, type: ConfigType.STRING, defaultValue: 'target', importance: Importance.HIGH, documentation: 'Alias of target cluster. Used in metrics reporting.' })
  .define({ name: SOURCE_BOOTSTRAP, type: ConfigType.STRING, validator: new NonEmptyString(), importance: Importance.HIGH, documentation: 'The source cluster\'s bootstrap servers (plus any other `source.cluster.*` client setting: security.protocol, sasl.*, ssl.*).' })
  .define({ name: TARGET_BOOTSTRAP, type: ConfigType.STRING, defaultValue: null, importance: Importance.LOW, documentation: 'The target cluster\'s bootstrap servers. Records are written through the worker\'s producer, so this must name the worker\'s own cluster; sluice uses it only to create the remote topics.' })
  .define({ name: TOPICS, type: ConfigType.LIST, defaultValue: TOPICS_DEFAULT, importance: Importance.HIGH, documentation: 'Topics to replicate. Supports comma-separated topic names and regexes.' })
  .define({ name: TOPICS_EXCLUDE, type: ConfigType.LIST, defaultValue: TOPICS_EXCLUDE_DEFAULT, importance: Importance.HIGH, documentation: 'Excluded topics. Supports comma-separated topic names and regexes. Excludes take precedence over includes.' })
  .define({ name: TOPICS_BLACKLIST, type: ConfigType.LIST, defaultValue: null, importance: Importance.HIGH, documentation: `Deprecated. Use ${TOPICS_EXCLUDE} instead.` })
  .define({ name: REPLICATION_POLICY_CLASS, type: ConfigType.STRING, defaultValue: 'org.apache.kafka.connect.mirror.DefaultReplicationPolicy', importance: Importance.LOW, documentation: 'Class which defines the remote topic naming convention: DefaultReplicationPolicy or IdentityReplicationPolicy.' })
  .define({ name: REPLICATION_POLICY_SEPARATOR, type: ConfigType.STRING, defaultValue: '.', importance: Importance.LOW, documentation: 'Separator used in remote topic naming convention.' })
  .define({ name: REPLICATION_FACTOR, type: ConfigType.INT, defaultValue: 2, validator: Range.atLeast(-1), importance: Importance.LOW, documentation: 'Replication factor for newly created remote topics.' })
  .define({ name: REFRESH_TOPICS_ENABLED, type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW, documentation: 'Whether to periodically check for new topics and partitions.' })
  .define({ name: REFRESH_TOPICS_INTERVAL_SECONDS, type: ConfigType.LONG, defaultValue: 600, validator: Range.atLeast(1), importance: Importance.LOW, documentation: 'Frequency of topic refresh.' })
  .define({ name: 'emit.offset-syncs.enabled', type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW, documentation: 'Whether to store the new offset of the replicated records in offset-syncs topic or not. Not implemented by sluice.' })
  .define({ name: 'sync.topic.configs.enabled', type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW, documentation: 'Whether to periodically configure remote topics to match their corresponding upstream topics. Not implemented by sluice.' })
  .define({ name: 'sync.topic.acls.enabled', type: ConfigType.BOOLEAN, defaultValue: true, importance: Importance.LOW, documentation: 'Whether to periodically configure remote topic ACLs to match their corresponding upstream topics. Not implemented by sluice.' });

/** A topic filter of MirrorMaker's DefaultTopicFilter: `topics` match and `topics.exclude` does not. */
export class TopicFilter {
  private readonly include: JavaPattern;
  private readonly exclude: JavaPattern;

  constructor(include: readonly string[], exclude: readonly string[]) {
    this.include = compileList(include, TOPICS);
    this.exclude = compileList(exclude, TOPICS_EXCLUDE);
  }

  shouldReplicateTopic(topic: string): boolean {
    return this.include.matches(topic) && !this.exclude.matches(topic);
  }
}

function compileList(patterns: readonly string[], key: string): JavaPattern {
  try {
    // DefaultTopicFilter joins the list into one alternation; an empty list matches nothing.
    return JavaPattern.compile(patterns.length === 0 ? '(?!)' : patterns.join('|'));
  } catch (err) {
    throw new ConfigError(`Invalid value ${patterns.join(',')} for configuration ${key}: ${(err as Error).message}`, key);
  }
}

export class MirrorSourceConfig extends AbstractConfig {
  constructor(readonly props: Record<string, string>) {
    super(CONFIG_DEF, props);
  }

  get sourceAlias(): string {
    return this.getString(SOURCE_CLUSTER_ALIAS)!;
  }

  get targetAlias(): string {
    return this.getString(TARGET_CLUSTER_ALIAS)!;
  }

  replicationPolicy(): ReplicationPolicy {
    return replicationPolicyFor(this.getString(REPLICATION_POLICY_CLASS)!, this.getString(REPLICATION_POLICY_SEPARATOR)!, REPLICATION_POLICY_CLASS);
  }

  topicFilter(): TopicFilter {
    const exclude = this.props[TOPICS_EXCLUDE] === undefined && this.props[TOPICS_BLACKLIST] !== undefined
      ? this.getList(TOPICS_BLACKLIST)! : this.getList(TOPICS_EXCLUDE)!;
    return new TopicFilter(this.getList(TOPICS)!, exclude);
  }

  /** Refresh period in ms, or null when refresh.topics.enabled is false. */
  get refreshTopicsIntervalMs(): number | null {
    return this.getBoolean(REFRESH_TOPICS_ENABLED) ? this.getLong(REFRESH_TOPICS_INTERVAL_SECONDS) * 1000 : null;
  }

  get replicationFactor(): number {
    return this.getInt(REPLICATION_FACTOR);
  }

  /** The MirrorMaker features this config turns on that sluice does not implement. */
  unsupportedFeaturesEnabled(): string[] {
    return UNSUPPORTED_FEATURES.filter((key) => this.getBoolean(key));
  }

  /**
   * librdkafka settings for clients of the source cluster (MirrorConnectorConfig.sourceConsumerConfig):
   * `source.cluster.*` without the client-role prefixes, then `source.cluster.<role>.*` and
   * `source.<role>.*` on top.
   */
  sourceClientConfig(role: 'consumer' | 'admin'): ClientConfig {
    return toLibrdkafkaConfig(clusterClientProps(this.props, 'source', role), `source.cluster.`);
  }

  /** librdkafka settings for the target cluster's admin client (creating remote topics). */
  targetClientConfig(): ClientConfig {
    return toLibrdkafkaConfig(clusterClientProps(this.props, 'target', 'admin'), `target.cluster.`);
  }
}

const ROLE_PREFIXES = ['consumer.', 'producer.', 'admin.'];

function clusterClientProps(props: Record<string, string>, cluster: 'source' | 'target', role: string): Record<string, string> {
  const out: Record<string, string> = {};
  const base = `${cluster}.cluster.`;
  for (const [k, v] of Object.entries(props)) {
    if (!k.startsWith(base)) continue;
    const rest = k.slice(base.length);
    if (rest === 'alias' || ROLE_PREFIXES.some((p) => rest.startsWith(p))) continue;
    out[rest] = v;
  }
  for (const prefix of [`${base}${role}.`, `${cluster}.${role}.`]) {
    for (const [k, v] of Object.entries(props)) if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v;
  }
  return out;
}

/** MirrorUtils.wrapPartition: the Connect source partition of a replicated topic-partition. */
export function wrapPartition(topic: string, partition: number, sourceClusterAlias: string): SourceMap {
  return { cluster: sourceClusterAlias, partition, topic };
}

/** MirrorUtils.wrapOffset. */
export function wrapOffset(offset: number): SourceMap {
  return { offset };
}

/** MirrorUtils.unwrapOffset: the stored upstream offset, or null when there is none. */
export function unwrapOffset(offset: SourceMap | null): number | null {
  const value = offset?.['offset'];
  if (value === undefined || value === null) return null;
  const n = Number(value);
  return Number.isFinite(n) ? n : null;
}

/** MirrorUtils.encodeTopicPartition (TopicPartition.toString). */
export function encodeTopicPartition(topic: string, partition: number): string {
  return `${topic}-${partition}`;
}

/** MirrorUtils.decodeTopicPartition: the partition follows the last '-'. */
export function decodeTopicPartition(encoded: string): { topic: string; partition: number } {
  const dash = encoded.lastIndexOf('-');
  const partition = Number(encoded.slice(dash + 1));
  if (dash <= 0 || !Number.isInteger(partition) || partition < 0) {
    throw new ConfigError(`Invalid value ${encoded} for configuration ${TASK_TOPIC_PARTITIONS}: not a topic-partition`, TASK_TOPIC_PARTITIONS);
  }
  return { topic: encoded.slice(0, dash), partition };
}

/**
 * MirrorSourceConnector (MirrorMaker 2): replicates the source cluster's topics that pass the
 * topic filter into the worker's cluster, renamed by the replication policy, partition for
 * partition. The connector finds the topic-partitions, creates the remote topics with as many
 * partitions, spreads the partitions round-robin over tasks.max tasks, and looks again every
 * refresh.topics.interval.seconds, reconfiguring the tasks when partitions came or went.
 *
 * The tasks read with sluice's native consumer and, with ByteArrayConverter (MirrorMaker's
 * usual setting) and no transforms, hand whole consumed frames to the producer (see
 * KafkaInput in api/source.ts). Source offsets are MirrorMaker's ({cluster, topic, partition} →
 * {offset}), so a connector moved between sluice and Kafka Connect resumes where it was.
 */
import type { ConfigDef } from '../../api/config-def.js';
import { SourceConnector } from '../../api/connector.js';
import type { SourceTask } from '../../api/source.js';
import { createLogger } from '../../util/logger.js';
import { ensureTopics, listTopicPartitions } from './cluster-admin.js';
import {
  CONFIG_DEF, encodeTopicPartition, MIRROR_CONNECTOR_VERSION, MirrorSourceConfig, TARGET_BOOTSTRAP, TASK_INDEX,
  TASK_TOPIC_PARTITIONS,
} from './config.js';
import { MirrorSourceTask } from './mirror-source-task.js';

export class MirrorSourceConnector extends SourceConnector {
  private readonly log = createLogger({ name: 'MirrorSourceConnector' });
  private settings!: MirrorSourceConfig;
  /** The replicated source partitions, sorted by topic then partition. */
  private partitions: { topic: string; partition: number }[] = [];
  private refreshTimer: NodeJS.Timeout | null = null;

  version(): string {
    return MIRROR_CONNECTOR_VERSION;
  }

  async start(props: Record<string, string>): Promise<void> {
    this.settings = new MirrorSourceConfig(props);
    for (const key of this.settings.unsupportedFeaturesEnabled()) {
      this.log.warn(`${key}=true: sluice's MirrorSourceConnector does not implement this MirrorMaker feature; set it to false to silence this`);
    }
    this.partitions = await this.findPartitions();
    const every = this.settings.refreshTopicsIntervalMs;
    if (every !== null) {
      this.refreshTimer = setInterval(() => void this.refresh(), every);
      this.refreshTimer.unref();
    }
  }

  stop(): void {
    if (this.refreshTimer) clearInterval(this.refreshTimer);
    this.refreshTimer = null;
  }

  taskClass(): new () => SourceTask {
    return MirrorSourceTask;
  }

  /** At most maxTasks tasks (none without partitions), partitions dealt round-robin as MirrorMaker does. */
  taskConfigs(maxTasks: number): Record<string, string>[] {
    const n = Math.min(maxTasks, this.partitions.length);
    const byTask: string[][] = Array.from({ length: n }, () => []);
    this.partitions.forEach((p, i) => byTask[i % n]!.push(encodeTopicPartition(p.topic, p.partition)));
    return byTask.map((parts, i) => ({ ...this.settings.props, [TASK_TOPIC_PARTITIONS]: parts.join(','), [TASK_INDEX]: String(i) }));
  }

  config(): ConfigDef {
    return CONFIG_DEF;
  }

  /** The source partitions to replicate, after making their remote topics. */
  private async findPartitions(): Promise<{ topic: string; partition: number }[]> {
    const config = this.settings;
    const filter = config.topicFilter();
    const policy = config.replicationPolicy();
    const source = await listTopicPartitions(config.sourceClientConfig('admin'), 'source.cluster.');
    const wanted = new Map<string, number>();
    const partitions: { topic: string; partition: number }[] = [];
    for (const [topic, count] of [...source].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      // Never a topic that came from the target cluster (a replication cycle) or MirrorMaker's own.
      if (!filter.shouldReplicateTopic(topic) || policy.isInternalTopic(topic) || policy.topicSource(topic) === config.targetAlias) continue;
      wanted.set(policy.formatRemoteTopic(config.sourceAlias, topic), count);
      for (let p = 0; p < count; p++) partitions.push({ topic, partition: p });
    }
    await this.createRemoteTopics(wanted);
    return partitions;
  }

  private async createRemoteTopics(wanted: Map<string, number>): Promise<void> {
    if (wanted.size === 0) return;
    if (!this.settings.props[TARGET_BOOTSTRAP]) {
      this.log.warn(`${TARGET_BOOTSTRAP} is not set: remote topics are not created (the target broker may auto-create them with its defaults)`);
      return;
    }
    const target = this.settings.targetClientConfig();
    const existing = await listTopicPartitions(target, 'target.cluster.');
    const result = await ensureTopics(target, wanted, existing, this.settings.replicationFactor);
    if (result.created.length > 0) this.log.info(`created remote topics ${result.created.join(', ')}`);
    if (result.grown.length > 0) this.log.info(`added partitions to remote topics ${result.grown.join(', ')}`);
    for (const f of result.failed) this.log.warn(`could not create or grow remote topic ${f.topic}: ${f.reason}`);
  }

  private async refresh(): Promise<void> {
    try {
      const found = await this.findPartitions();
      const key = (ps: { topic: string; partition: number }[]): string => ps.map((p) => encodeTopicPartition(p.topic, p.partition)).join(',');
      if (key(found) === key(this.partitions)) return;
      this.log.info(`source topic-partitions changed (${this.partitions.length} → ${found.length}): reconfiguring tasks`);
      this.partitions = found;
      this.context.requestTaskReconfiguration();
    } catch (err) {
      this.log.warn({ err }, 'refreshing the source topics failed; trying again at the next interval');
    }
  }
}

/**
 * MirrorSourceTask: replicates the topic-partitions its connector assigned
 * (`task.assigned.partitions`). It does not poll: it tells the runtime what to consume and how to
 * name and account for what it produces (KafkaInput), and the runtime moves the records,
 * frame by frame. Each partition resumes after the last offset committed for it, or from the
 * consumer's auto.offset.reset (earliest unless `source.consumer.auto.offset.reset` says
 * otherwise) when none was.
 */
import { type KafkaInput, type KafkaInputTask, SourceTask } from '../../api/source.js';
import type { SourceMap, SourceRecord } from '../../data/record.js';
import {
  decodeTopicPartition, MIRROR_CONNECTOR_VERSION, MirrorSourceConfig, TASK_TOPIC_PARTITIONS, unwrapOffset, wrapOffset,
  wrapPartition,
} from './config.js';

export class MirrorSourceTask extends SourceTask implements KafkaInputTask {
  private input: KafkaInput | null = null;

  version(): string {
    return MIRROR_CONNECTOR_VERSION;
  }

  async start(props: Record<string, string>): Promise<void> {
    const config = new MirrorSourceConfig(props);
    const alias = config.sourceAlias;
    const policy = config.replicationPolicy();
    const assigned = (props[TASK_TOPIC_PARTITIONS] ?? '').split(',').filter((s) => s.trim() !== '').map((s) => decodeTopicPartition(s.trim()));
    const wrapped = assigned.map((tp) => wrapPartition(tp.topic, tp.partition, alias));
    const stored = await this.context.offsetStorageReader().offsets(wrapped);
    const partitions = assigned.map((tp, i) => {
      const last = unwrapOffset(stored.get(wrapped[i]!) ?? null);
      return { topic: tp.topic, partition: tp.partition, offset: last === null ? null : last + 1 };
    });
    const consumerConfig = {
      'group.id': `sluice-mirror-${alias}`,
      'auto.offset.reset': 'earliest',
      ...config.sourceClientConfig('consumer'),
      // Progress lives in Connect's offset store, never in a consumer group.
      'enable.auto.commit': false,
    };
    this.input = {
      consumerConfig,
      partitions,
      targetTopic: (topic) => policy.formatRemoteTopic(alias, topic),
      sourcePartition: (topic, partition): SourceMap => wrapPartition(topic, partition, alias),
      sourceOffset: (offset): SourceMap => wrapOffset(offset),
    };
  }

  kafkaInput(): KafkaInput {
    if (!this.input) throw new Error('MirrorSourceTask.kafkaInput() called before start()');
    return this.input;
  }

  /** Never called: the runtime consumes for this task (see kafkaInput()). */
  poll(): SourceRecord[] | null {
    return null;
  }

  stop(): void {}
}

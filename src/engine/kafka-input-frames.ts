/**
 * What a task host does with a frame a Kafka-input source task (MirrorMaker) consumed: the
 * source offsets it completes, whether it may go to the producer as it is, and, where it may not,
 * the SourceRecords MirrorSourceTask would have made of it (OPTIONAL_BYTES key and value, bytes
 * headers, the source timestamp, the source partition kept).
 */
import type { KafkaInput } from '../api/source.js';
import type { RecordBatch } from '../data/batch.js';
import { Headers } from '../data/headers.js';
import { SourceRecord, type SourceMap } from '../data/record.js';
import { Schemas } from '../data/schemas.js';
import type { FrameOffsetEntry } from './frame-offsets.js';

/** Source partitions and target topic names of one task, made once per topic-partition / topic. */
export class KafkaInputNames {
  private readonly partitions = new Map<string, SourceMap>();
  private readonly targets = new Map<string, string>();

  constructor(private readonly input: KafkaInput) {}

  target(sourceTopic: string): string {
    let t = this.targets.get(sourceTopic);
    if (t === undefined) {
      t = this.input.targetTopic(sourceTopic);
      this.targets.set(sourceTopic, t);
    }
    return t;
  }

  /** The frame's target topic per topic id. */
  targetsOf(batch: RecordBatch): string[] {
    const names: string[] = [];
    for (let t = 0; t < batch.topicCount; t++) names.push(this.target(batch.topicName(t)));
    return names;
  }

  sourcePartition(key: string, topic: string, partition: number): SourceMap {
    let p = this.partitions.get(key);
    if (p === undefined) {
      p = this.input.sourcePartition(topic, partition);
      this.partitions.set(key, p);
    }
    return p;
  }

  /**
   * Records the last offset of each source partition of the frame in `entry` (offsets rise within
   * a partition, so the last record of each run wins).
   */
  recordOffsets(batch: RecordBatch, entry: FrameOffsetEntry): void {
    const { partitions, topicIds, offsets } = batch;
    const n = batch.count;
    for (let i = 0; i < n; i++) {
      if (i + 1 < n && partitions[i + 1] === partitions[i] && topicIds[i + 1] === topicIds[i]) continue;
      const topic = batch.topicName(topicIds[i]!);
      const partition = partitions[i]!;
      const key = `${partition}:${topic}`;
      entry.offsets.set(key, { partition: this.sourcePartition(key, topic, partition), offset: this.input.sourceOffset(offsets[i]!) });
    }
  }

  /** The frame's records as MirrorSourceTask's SourceRecords. */
  sourceRecordsOf(batch: RecordBatch): SourceRecord[] {
    const out = new Array<SourceRecord>(batch.count);
    for (let i = 0; i < batch.count; i++) {
      const topic = batch.topic(i);
      const partition = batch.partition(i);
      const headers = new Headers();
      if (batch.headerCount(i) > 0) {
        const cursor = batch.headers(i);
        while (cursor.next()) headers.add(cursor.key(), cursor.valueView()?.slice() ?? null, Schemas.OPTIONAL_BYTES_SCHEMA);
      }
      const ts = batch.timestamp(i);
      out[i] = new SourceRecord(
        this.sourcePartition(`${partition}:${topic}`, topic, partition), this.input.sourceOffset(batch.offset(i)),
        this.target(topic), partition,
        Schemas.OPTIONAL_BYTES_SCHEMA, batch.keyView(i)?.slice() ?? null,
        Schemas.OPTIONAL_BYTES_SCHEMA, batch.valueView(i)?.slice() ?? null,
        ts >= 0 ? ts : null, headers,
      );
    }
    return out;
  }
}

/** True when no record of the frame has headers. */
export function hasNoHeaders(batch: RecordBatch): boolean {
  const lengths = batch.headerLengths;
  for (let i = 0; i < batch.count; i++) if (lengths[i] !== 0) return false;
  return true;
}

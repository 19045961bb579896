/**
 * The RawRecordSink a RawSourceTask writes into: a BatchWriter over space reserved in the
 * producer's input ring, so a record's bytes are copied once, from the task's read buffer into
 * the frame, with no object made for it. The source offsets the task reports go to the frame's
 * FrameOffsets entry when the frame is committed.
 */
import type { RawRecordSink } from '../api/source.js';
import { BatchWriter } from '../data/batch-writer.js';
import type { SourceMap } from '../data/record.js';

export class RawFrameSink implements RawRecordSink {
  private readonly writer = new BatchWriter();
  private n = 0;
  /** The source offsets reported for this frame, by a stable key of the partition. */
  readonly offsets = new Map<string, { partition: SourceMap; offset: SourceMap }>();
  private readonly keys = new WeakMap<SourceMap, string>();
  /** Topics of the frame's records, for active-topic tracking. */
  readonly topics = new Set<string>();
  private lastTopic: string | null = null;
  /** The size of a record refused by an empty frame (it needs a bigger one), else -1. */
  refusedFirst = -1;

  /** Start a frame of at most `maxRecords` records in `target` (reserved ring space). */
  reset(target: Uint8Array, maxRecords: number): this {
    this.writer.reset(target, maxRecords);
    this.n = 0;
    this.offsets.clear();
    this.topics.clear();
    this.lastTopic = null;
    this.refusedFirst = -1;
    return this;
  }

  get count(): number {
    return this.n;
  }

  add(topic: string, bytes: Uint8Array, start: number, end: number, timestamp: number | null): boolean {
    if (!this.writer.appendValue(topic, -1, timestamp ?? -1, bytes, start, end)) {
      if (this.n === 0) this.refusedFirst = end - start;
      return false;
    }
    if (topic !== this.lastTopic) {
      this.topics.add(topic);
      this.lastTopic = topic;
    }
    this.n++;
    return true;
  }

  offset(partition: SourceMap, offset: SourceMap): void {
    let key = this.keys.get(partition);
    if (key === undefined) {
      key = JSON.stringify(partition, (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v));
      this.keys.set(partition, key);
    }
    this.offsets.set(key, { partition, offset });
  }

  /** Finish the frame; returns its length in bytes. */
  finish(): number {
    return this.writer.finish();
  }
}

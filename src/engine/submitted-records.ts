/**
 * Source records handed to the producer, per source partition, in submission order
 * (Kafka Connect's SubmittedRecords). A source offset becomes committable only when its record
 * and every earlier record of the same source partition have been acknowledged, so a committed
 * offset never passes a record that Kafka does not have.
 */
import type { SourceMap } from '../data/record.js';
import { offsetKey } from '../storage/offset-key.js';

export interface SubmittedRecord {
  acked: boolean;
  readonly partition: SourceMap;
  readonly offset: SourceMap | null;
}

interface PartitionQueue {
  partition: SourceMap;
  records: SubmittedRecord[];
  /** Index of the first unacknowledged-or-unscanned record; records before it are dropped lazily. */
  head: number;
}

export interface CommittableOffsets {
  offsets: { partition: SourceMap; offset: SourceMap }[];
  /** Records still waiting for an acknowledgement (Kafka Connect's source-record-active-count). */
  pending: number;
}

export class SubmittedRecords {
  private readonly queues = new Map<string, PartitionQueue>();
  private outstanding = 0;
  private drainWaiters: (() => void)[] = [];
  private belowWaiter: { limit: number; resolve: () => void } | null = null;
  /** Tasks reuse one partition object for many records: canonicalize each object once. */
  private readonly keyCache = new WeakMap<SourceMap, string>();

  constructor(private readonly connector: string) {}

  /** Track a record; call ack() on the returned handle when Kafka acknowledged it. */
  submit(partition: SourceMap | null, offset: SourceMap | null): SubmittedRecord {
    const record: SubmittedRecord = { acked: false, partition: partition ?? {}, offset };
    this.outstanding++;
    if (partition === null) return record; // no offset to commit for it
    let key = this.keyCache.get(partition);
    if (key === undefined) {
      key = offsetKey(this.connector, partition);
      this.keyCache.set(partition, key);
    }
    let queue = this.queues.get(key);
    if (!queue) {
      queue = { partition, records: [], head: 0 };
      this.queues.set(key, queue);
    }
    queue.records.push(record);
    return record;
  }

  ack(record: SubmittedRecord): void {
    if (record.acked) return;
    record.acked = true;
    this.outstanding--;
    if (this.belowWaiter && this.outstanding < this.belowWaiter.limit) {
      const { resolve } = this.belowWaiter;
      this.belowWaiter = null;
      resolve();
    }
    if (this.outstanding === 0) {
      const waiters = this.drainWaiters;
      this.drainWaiters = [];
      for (const w of waiters) w();
    }
  }

  /** The latest committable offset of each partition; consumed entries are forgotten. */
  committable(): CommittableOffsets {
    const offsets: { partition: SourceMap; offset: SourceMap }[] = [];
    for (const [key, queue] of this.queues) {
      let last: SourceMap | null = null;
      let i = queue.head;
      while (i < queue.records.length && queue.records[i]!.acked) {
        const off = queue.records[i]!.offset;
        if (off !== null) last = off;
        i++;
      }
      if (i === queue.records.length) {
        this.queues.delete(key);
      } else if (i > 1024 && i * 2 > queue.records.length) {
        queue.records = queue.records.slice(i);
        i = 0;
      }
      queue.head = i;
      if (last !== null) offsets.push({ partition: queue.partition, offset: last });
    }
    return { offsets, pending: this.outstanding };
  }

  /** Records submitted and not yet acknowledged. */
  get pending(): number {
    return this.outstanding;
  }

  /** Resolves once fewer than `limit` records await acknowledgement (one waiter at a time). */
  awaitPendingBelow(limit: number): Promise<void> {
    if (this.outstanding < limit) return Promise.resolve();
    return new Promise((resolve) => {
      this.belowWaiter = { limit, resolve };
    });
  }

  /** Release a waiter of awaitPendingBelow at once (the task is stopping). */
  releaseWaiters(): void {
    const waiter = this.belowWaiter;
    this.belowWaiter = null;
    waiter?.resolve();
  }

  /** Resolves when every submitted record has been acknowledged, or after timeoutMs (false). */
  awaitAllAcked(timeoutMs: number): Promise<boolean> {
    if (this.outstanding === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.drainWaiters = this.drainWaiters.filter((w) => w !== done);
        resolve(false);
      }, timeoutMs);
      const done = (): void => {
        clearTimeout(timer);
        resolve(true);
      };
      this.drainWaiters.push(done);
    });
  }
}

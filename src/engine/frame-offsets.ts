/**
 * Source offsets of records that came in frames (a MirrorMaker task's consumed frames): one entry
 * per consumed frame instead of one handle per record. An entry holds the last source offset of
 * each source partition in its frame and a count of records not yet acknowledged; entries
 * complete in any order but become committable strictly in frame order, so a committed offset
 * never passes a record that Kafka does not have (the same guarantee as SubmittedRecords, at
 * frame granularity: a crash repeats at most the frames since the last commit).
 */
import type { SourceMap } from '../data/record.js';
import type { CommittableOffsets } from './submitted-records.js';

export interface FrameOffsetEntry {
  /** Records written to the producer and not yet acknowledged. */
  unacked: number;
  /** All of the frame's records are written (no more will be added to `unacked`). */
  sealed: boolean;
  /** Last source offset per source partition (keyed by a stable string of the partition). */
  readonly offsets: Map<string, { partition: SourceMap; offset: SourceMap }>;
}

export class FrameOffsets {
  private entries: FrameOffsetEntry[] = [];
  private head = 0;
  private outstanding = 0;
  /** Offsets of completed frames not yet handed out by committable(). */
  private readonly latest = new Map<string, { partition: SourceMap; offset: SourceMap }>();
  private drainWaiter: (() => void) | null = null;

  /** A new entry, after every earlier one. Add its records with written(), then seal() it. */
  open(): FrameOffsetEntry {
    const entry: FrameOffsetEntry = { unacked: 0, sealed: false, offsets: new Map() };
    this.entries.push(entry);
    return entry;
  }

  /** `n` more records of the entry went to the producer. */
  written(entry: FrameOffsetEntry, n: number): void {
    entry.unacked += n;
    this.outstanding += n;
  }

  seal(entry: FrameOffsetEntry): void {
    entry.sealed = true;
  }

  /** One record of the entry was acknowledged by Kafka. */
  ack(entry: FrameOffsetEntry): void {
    entry.unacked--;
    if (--this.outstanding === 0 && this.drainWaiter) {
      const resolve = this.drainWaiter;
      this.drainWaiter = null;
      resolve();
    }
  }

  /** Records written and not yet acknowledged. */
  get pending(): number {
    return this.outstanding;
  }

  /** The latest committable offset of each source partition, from the completed frames at the front. */
  committable(): CommittableOffsets {
    const entries = this.entries;
    let i = this.head;
    while (i < entries.length && entries[i]!.sealed && entries[i]!.unacked === 0) {
      for (const [key, o] of entries[i]!.offsets) this.latest.set(key, o);
      i++;
    }
    if (i === entries.length) {
      this.entries = [];
      i = 0;
    } else if (i > 64) {
      this.entries = entries.slice(i);
      i = 0;
    }
    this.head = i;
    const offsets = [...this.latest.values()];
    this.latest.clear();
    return { offsets, pending: this.outstanding };
  }

  /** Resolves once nothing awaits an acknowledgement (one waiter at a time). */
  awaitAllAcked(): Promise<void> {
    if (this.outstanding === 0) return Promise.resolve();
    return new Promise((resolve) => {
      this.drainWaiter = resolve;
    });
  }
}

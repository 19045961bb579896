/** Where source offsets live: a file in standalone mode, a topic in distributed mode. */
import type { SourceMap } from '../data/record.js';

export interface OffsetEntry {
  connector: string;
  partition: SourceMap;
  /** null deletes the partition's offset (a reset). */
  offset: SourceMap | null;
}

export interface OffsetStore {
  start(): Promise<void>;
  /** The stored offset of one connector's source partition. */
  get(connector: string, partition: SourceMap): SourceMap | null;
  /** Every stored partition of one connector. */
  list(connector: string): { partition: SourceMap; offset: SourceMap }[];
  /** Make these offsets durable; resolves once they are. */
  set(entries: OffsetEntry[]): Promise<void>;
  stop(): Promise<void>;
}

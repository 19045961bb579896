import type { SourceMap } from '../data/record.js';
import { offsetKey } from './offset-key.js';
import type { OffsetEntry, OffsetStore } from './offset-store.js';

interface Stored {
  connector: string;
  partition: SourceMap;
  offset: SourceMap;
}

/** Offsets kept in memory: the base of the file store, and enough for tests of pure logic. */
export class MemoryOffsetStore implements OffsetStore {
  protected readonly data = new Map<string, Stored>();

  async start(): Promise<void> {}

  get(connector: string, partition: SourceMap): SourceMap | null {
    return this.data.get(offsetKey(connector, partition))?.offset ?? null;
  }

  list(connector: string): { partition: SourceMap; offset: SourceMap }[] {
    return [...this.data.values()].filter((s) => s.connector === connector).map(({ partition, offset }) => ({ partition, offset }));
  }

  async set(entries: OffsetEntry[]): Promise<void> {
    this.apply(entries);
  }

  protected apply(entries: OffsetEntry[]): void {
    for (const e of entries) {
      const key = offsetKey(e.connector, e.partition);
      if (e.offset === null) this.data.delete(key);
      else this.data.set(key, { connector: e.connector, partition: e.partition, offset: e.offset });
    }
  }

  async stop(): Promise<void> {}
}

/**
 * Standalone offsets in `offset.storage.file.filename`.
 *
 * Apache Kafka Connect writes this file with Java serialization; sluice writes JSON instead
 * (readable, and no Java runtime needed) with the same keys and values as the offsets topic:
 *   {"format":"sluice-offsets-v1","offsets":[{"key":["conn",{...}],"value":{...}}, ...]}
 * Every write goes to a temporary file that is fsynced and renamed over the old one, so a crash
 * leaves either the old or the new offsets, never a torn file.
 */
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { SourceMap } from '../data/record.js';
import { ConnectError } from '../api/errors.js';
import { MemoryOffsetStore } from './memory-offset-store.js';
import type { OffsetEntry } from './offset-store.js';

const FORMAT = 'sluice-offsets-v1';

interface FileEntry {
  key: [string, SourceMap];
  value: SourceMap;
}

export class FileOffsetStore extends MemoryOffsetStore {
  private writing: Promise<void> = Promise.resolve();

  constructor(private readonly file: string) {
    super();
  }

  override async start(): Promise<void> {
    let text: string;
    try {
      text = await fs.readFile(this.file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
      throw err;
    }
    if (text.trim() === '') return;
    let doc: { format?: string; offsets?: FileEntry[] };
    try {
      doc = JSON.parse(text);
    } catch (err) {
      throw new ConnectError(
        `${this.file}: cannot read offsets (${(err as Error).message}); this is not a sluice offsets file ` +
          `(a file written by Apache Kafka Connect uses Java serialization, which sluice does not read)`,
      );
    }
    if (doc.format !== FORMAT || !Array.isArray(doc.offsets)) {
      throw new ConnectError(`${this.file}: not a sluice offsets file (expected "format": "${FORMAT}")`);
    }
    this.apply(doc.offsets.map((e) => ({ connector: e.key[0], partition: e.key[1], offset: e.value })));
  }

  override async set(entries: OffsetEntry[]): Promise<void> {
    this.apply(entries);
    // Writes are serialized; each one writes the whole current map.
    const next = this.writing.then(() => this.writeFile());
    this.writing = next.catch(() => {});
    return next;
  }

  private async writeFile(): Promise<void> {
    const offsets: FileEntry[] = [...this.data.values()].map((s) => ({ key: [s.connector, s.partition], value: s.offset }));
    const body = JSON.stringify({ format: FORMAT, offsets }, (_k, v: unknown) => (typeof v === 'bigint' ? Number(v) : v));
    const tmp = `${this.file}.tmp-${process.pid}`;
    await fs.mkdir(path.dirname(path.resolve(this.file)), { recursive: true });
    const handle = await fs.open(tmp, 'w');
    try {
      await handle.writeFile(body);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.rename(tmp, this.file);
  }

  override async stop(): Promise<void> {
    await this.writing;
  }
}

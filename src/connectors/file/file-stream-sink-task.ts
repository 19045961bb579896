/**
 * FileStreamSinkTask: appends each record's value and a newline to a file (or stdout).
 *
 * put() only buffers text; flush() writes it and fsyncs, so offsets committed after flush() are
 * backed by data on disk (Kafka Connect flushes its PrintStream but does not fsync). The buffer is
 * also written, without fsync, whenever it passes WRITE_THRESHOLD, to bound memory.
 *
 * Every SYNC_AHEAD_BYTES written, an fdatasync starts in the background while records keep
 * flowing, so the fsync a commit waits for finds little left to write: at ~250 MB/s, a commit's
 * fsync of a whole second's data took 120–170 ms here, with the task waiting.
 */
import { open, type FileHandle } from 'node:fs/promises';
import type { Writable } from 'node:stream';
import { AbstractConfig } from '../../api/config-def.js';
import { ConnectError } from '../../api/errors.js';
import { SinkTask, type OffsetMap } from '../../api/sink.js';
import type { SinkRecord } from '../../data/record.js';
import { javaToString } from '../../data/java-string.js';
import { utf8Write } from '../../data/utf8-write.js';
import { FILE_CONFIG, FILE_CONNECTOR_VERSION, SINK_CONFIG_DEF } from './config.js';

/** Buffered bytes after which put() writes through without waiting for flush(). */
const WRITE_THRESHOLD = 1 << 20;
/** Room above the threshold, so that a usual put() fits without a bigger chunk. */
const CHUNK_HEADROOM = 1 << 18;
/** The usual chunk. */
const CHUNK_BYTES = WRITE_THRESHOLD + CHUNK_HEADROOM;
/** Bytes written after which a background fdatasync starts (see the file comment). */
const SYNC_AHEAD_BYTES = 16 << 20;


export class FileStreamSinkTask extends SinkTask {
  private filename: string | null = null;
  private file: FileHandle | null = null;
  /**
   * Each put()'s lines are encoded to UTF-8 into one chunk: the strings die at once (no array of
   * pending strings to join and keep alive until flush) and the write is a single buffer.
   */
  private chunk: Buffer = Buffer.allocUnsafe(CHUNK_BYTES);
  /** Written chunks of the usual size, for reuse. */
  private readonly spareChunks: Buffer[] = [];
  private used = 0;
  /** Writes run one after another, in put() order. */
  private writes: Promise<void> = Promise.resolve();
  /** Bytes written since the last sync started. */
  private unsynced = 0;
  private backgroundSync: Promise<void> | null = null;
  /**
   * What a background sync failed with: kept for the next flush(), since the kernel reports a
   * write-back error to one fsync only and the flush's own fsync might not see it.
   */
  private syncError: unknown = null;

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  /** @throws ConnectError "Couldn't find or create file '<f>' for FileStreamSinkTask" when the file cannot be opened. */
  async start(props: Record<string, string>): Promise<void> {
    const config = new AbstractConfig(SINK_CONFIG_DEF, props);
    this.filename = config.getString(FILE_CONFIG);
    if (this.filename === null) return;
    try {
      this.file = await open(this.filename, 'a');
    } catch (e) {
      throw new ConnectError(`Couldn't find or create file '${this.filename}' for FileStreamSinkTask`, { cause: e });
    }
  }

  put(records: SinkRecord[]): void | Promise<void> {
    // The lines become one string and one encoding call per put(), not one per record.
    let text = '';
    let written: Promise<void> | undefined;
    try {
      for (const record of records) text += valueToString(record.value, record.valueSchema) + '\n';
    } finally {
      // A value that cannot be printed fails put() after the lines before it, as println would.
      if (text.length > 0) written = this.append(text);
    }
    if (this.used >= WRITE_THRESHOLD) return this.writeBehind();
    return written;
  }

  /** The lines put() would write for these records, printed by the runtime (SinkTask.putValueLines). */
  override putValueLines(lines: Uint8Array): void | Promise<void> {
    const written = this.makeRoom(lines.length);
    this.chunk.set(lines, this.used);
    this.used += lines.length;
    if (this.used >= WRITE_THRESHOLD) return this.writeBehind();
    return written;
  }

  /**
   * Starts writing the chunk and returns once the write before it is done: put() fills the next
   * chunk while this one is written, and waits only when two would be in flight. A failed write
   * fails the next put() or flush().
   */
  private writeBehind(): Promise<void> {
    const previous = this.writes;
    this.writePending();
    return previous;
  }

  /**
   * Encodes `text` into the chunk. When it does not fit, what the chunk holds goes to a write
   * first (returned) and the text starts a new chunk, made bigger if the text needs it.
   */
  private append(text: string): Promise<void> | undefined {
    // 3 bytes per UTF-16 unit is the most UTF-8 needs; the text is measured only when that may not fit.
    const written = this.used + 3 * text.length > this.chunk.length ? this.makeRoom(Buffer.byteLength(text)) : undefined;
    this.used += utf8Write.call(this.chunk, text, this.used, this.chunk.length - this.used);
    return written;
  }

  /**
   * Room for `bytes` more in the chunk: when they do not fit, what the chunk holds goes to a write
   * first (returned) and a new chunk starts, made bigger if the bytes need it.
   */
  private makeRoom(bytes: number): Promise<void> | undefined {
    if (this.used + bytes <= this.chunk.length) return undefined;
    const written = this.used > 0 ? this.writeBehind() : undefined;
    if (bytes > this.chunk.length) this.chunk = Buffer.allocUnsafe(bytes + CHUNK_HEADROOM);
    return written;
  }

  override async flush(_offsets: OffsetMap): Promise<void> {
    await this.writePending();
    await this.backgroundSync;
    this.unsynced = 0;
    if (this.syncError !== null) {
      const error = this.syncError;
      this.syncError = null;
      throw error;
    }
    try {
      await this.file?.sync();
    } catch (err) {
      if (!cannotSync(err)) throw err;
    }
  }

  /** Writes what is still buffered, then closes the file (Kafka Connect's PrintStream.close flushes too). */
  async stop(): Promise<void> {
    await this.writePending();
    await this.backgroundSync;
    const file = this.file;
    this.file = null;
    await file?.close();
  }

  /** Where output goes when `file` is unset; overridable for tests. */
  protected stdoutStream(): Writable {
    return process.stdout;
  }

  private writePending(): Promise<void> {
    if (this.used > 0) {
      // The chunk is handed to the write as it is and a spare one takes its place; it becomes a
      // spare itself once written. (A fresh 1 MB buffer page-faults on every first touch: that
      // cost as much as the copy into it at 250 MB/s.)
      const full = this.chunk;
      const bytes = full.subarray(0, this.used);
      this.chunk = this.spareChunks.pop() ?? Buffer.allocUnsafe(CHUNK_BYTES);
      this.used = 0;
      this.writes = this.writes.then(async () => {
        await this.write(bytes);
        if (full.length === CHUNK_BYTES && this.spareChunks.length < 2) this.spareChunks.push(full);
      });
      // Handled here so that a write failing while nobody waits for it is no unhandled rejection:
      // the next put(), flush() or stop() still gets the error from `writes`.
      this.writes.catch(() => {});
    }
    return this.writes;
  }

  /** Starts an fdatasync that nothing waits for but the next flush(). */
  private syncAhead(file: FileHandle): void {
    this.unsynced = 0;
    this.backgroundSync = file.datasync().then(
      () => {
        this.backgroundSync = null;
      },
      (err: NodeJS.ErrnoException) => {
        this.backgroundSync = null;
        if (!cannotSync(err)) this.syncError = err;
      },
    );
  }

  private async write(bytes: Buffer): Promise<void> {
    if (this.file) {
      let done = 0;
      while (done < bytes.length) done += (await this.file.write(bytes, done)).bytesWritten;
      this.unsynced += bytes.length;
      if (this.unsynced >= SYNC_AHEAD_BYTES && this.backgroundSync === null) this.syncAhead(this.file);
      return;
    }
    const out = this.stdoutStream();
    await new Promise<void>((resolve, reject) => out.write(bytes, (err) => (err ? reject(err) : resolve())));
  }
}

/** Devices and pipes (file=/dev/null) cannot be fsynced: there is nothing to make durable. */
function cannotSync(err: unknown): boolean {
  const code = (err as NodeJS.ErrnoException).code;
  return code === 'EINVAL' || code === 'ENOTSUP';
}

/** The text FileStreamSink writes for a value: see javaToString. */
export const valueToString = javaToString;

/**
 * FileStreamSourceTask: emits each line of a file (or stdin) as a STRING record, tracking the
 * position after the line as the source offset so a restarted task resumes where it stopped.
 *
 * Lines end at \n, \r\n or a lone \r, as in Kafka Connect. A trailing partial line is held back
 * until its terminator arrives; a trailing \r is held back until the next byte shows whether it
 * starts \r\n. The file is read in large chunks through a file handle and split in place, so a
 * line costs one indexOf and one UTF-8 decode.
 */
import { isUtf8 } from 'node:buffer';
import { open, type FileHandle } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import { AbstractConfig } from '../../api/config-def.js';
import { ConnectError } from '../../api/errors.js';
import { SourceTask, type RawRecordSink, type RawSourceTask } from '../../api/source.js';
import { SourceRecord, type SourceMap } from '../../data/record.js';
import { Schemas } from '../../data/schemas.js';
import {
  FILE_CONFIG, FILE_CONNECTOR_VERSION, FILENAME_FIELD, POSITION_FIELD, SOURCE_CONFIG_DEF,
  TASK_BATCH_SIZE_CONFIG, TOPIC_CONFIG,
} from './config.js';

const VALUE_SCHEMA = Schemas.STRING_SCHEMA;
const READ_CHUNK = 256 * 1024;
const LF = 0x0a;
const CR = 0x0d;

/** A whole buffer as sink.add()'s (bytes, start, end). */
function wholeBytes(b: Uint8Array): [Uint8Array, number, number] {
  return [b, 0, b.length];
}

export class FileStreamSourceTask extends SourceTask implements RawSourceTask {
  /** pollRaw() writes each line's UTF-8 bytes: the STRING value StringConverter (UTF-8) would write. */
  readonly rawValueFormat = 'utf8' as const;

  /** How long poll() waits when there is no new data or no file yet (Kafka Connect: 1 s). stop() cuts it short. */
  idleWaitMs = 1000;

  private filename: string | null = null;
  private topic = '';
  private batchSize = 0;
  private partition: SourceMap = {};
  private file: FileHandle | null = null;
  private stdin: Readable | null = null;
  private stdinChunks: Buffer[] = [];
  private onStdinData: ((chunk: Buffer) => void) | null = null;
  /** Bytes read but not yet emitted live in buf[bufStart, bufEnd). */
  private buf = Buffer.allocUnsafe(READ_CHUNK);
  private bufStart = 0;
  private bufEnd = 0;
  /** File offset of buf[bufStart], i.e. just after the last emitted line; null for stdin (not resumable). */
  private position: number | null = null;
  /** File offset of buf[bufEnd]: where the next read starts. */
  private readPos = 0;
  private stopped = false;
  private wake: (() => void) | null = null;

  version(): string {
    return FILE_CONNECTOR_VERSION;
  }

  /** @throws ConfigError for an invalid config (e.g. no topic, or batch.size not an INT). */
  start(props: Record<string, string>): void {
    const config = new AbstractConfig(SOURCE_CONFIG_DEF, props);
    const file = config.getString(FILE_CONFIG);
    this.filename = file === null || file === '' ? null : file;
    this.topic = config.getString(TOPIC_CONFIG)!;
    this.batchSize = Math.max(1, config.getInt(TASK_BATCH_SIZE_CONFIG)); // 0 would never return a line
    this.partition = { [FILENAME_FIELD]: this.filename };
    this.stopped = false;
    if (this.filename === null) this.listenToStdin();
  }

  /**
   * Up to batch.size records, or null when there is nothing new (after waiting idleWaitMs when
   * nothing at all could be read, or the file does not exist yet).
   */
  async poll(): Promise<SourceRecord[] | null> {
    if (this.stopped) return null;
    try {
      if (this.filename !== null && this.file === null && !(await this.openFile())) {
        await this.idle();
        return null;
      }
      const records: SourceRecord[] = [];
      const timestamp = Date.now();
      let readSomething = false;
      for (;;) {
        this.extractLines(records, timestamp);
        if (records.length >= this.batchSize || this.stopped) break;
        const n = await this.fill();
        if (n === 0) break;
        readSomething = true;
      }
      if (records.length > 0) return records;
      if (!readSomething) await this.idle();
      return null;
    } catch (e) {
      // stop() closed the handle under a read: that is a normal end, as in Kafka Connect.
      if (this.stopped) return null;
      throw e;
    }
  }

  async stop(): Promise<void> {
    this.stopped = true;
    this.wake?.();
    if (this.stdin && this.onStdinData) {
      this.stdin.off('data', this.onStdinData);
      this.stdin.pause();
    }
    const file = this.file;
    this.file = null;
    await file?.close();
  }

  /** The stream read when `file` is unset; overridable for tests. */
  protected stdinStream(): Readable {
    return process.stdin;
  }

  private listenToStdin(): void {
    this.stdin = this.stdinStream();
    this.onStdinData = (chunk: Buffer) => {
      this.stdinChunks.push(chunk);
      this.wake?.();
    };
    this.stdin.on('data', this.onStdinData);
  }

  /** Open the file and seek to the stored offset. Returns false if the file does not exist yet. */
  private async openFile(): Promise<boolean> {
    let handle: FileHandle;
    try {
      handle = await open(this.filename!, 'r');
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw new ConnectError(`Couldn't open file ${this.filename} for FileStreamSourceTask`, { cause: e });
    }
    let position = 0;
    try {
      const offset = await this.context.offsetStorageReader().offset(this.partition);
      const last = offset?.[POSITION_FIELD];
      if (typeof last === 'bigint') position = Number(last);
      else if (typeof last === 'number' && Number.isSafeInteger(last) && last >= 0) position = last;
      else if (last !== null && last !== undefined) throw new ConnectError('Offset position is the incorrect type');
    } catch (e) {
      await handle.close();
      throw e;
    }
    if (this.stopped) {
      await handle.close();
      return false;
    }
    this.file = handle;
    this.position = position;
    this.readPos = position;
    this.bufStart = 0;
    this.bufEnd = 0;
    return true;
  }

  /** Read more bytes after buf[bufEnd], compacting or growing buf first. Returns the byte count (0 at EOF). */
  private async fill(): Promise<number> {
    if (this.bufStart > 0) {
      this.buf.copyWithin(0, this.bufStart, this.bufEnd);
      this.bufEnd -= this.bufStart;
      this.bufStart = 0;
    }
    if (this.file) {
      // A long partial line leaves little room: grow, as Kafka Connect doubles its char buffer.
      if (this.buf.length - this.bufEnd < READ_CHUNK / 2) this.grow(this.buf.length * 2);
      const { bytesRead } = await this.file.read(this.buf, this.bufEnd, this.buf.length - this.bufEnd, this.readPos);
      this.bufEnd += bytesRead;
      this.readPos += bytesRead;
      return bytesRead;
    }
    let total = 0;
    for (const chunk of this.stdinChunks) {
      if (this.bufEnd + chunk.length > this.buf.length) this.grow(Math.max(this.buf.length * 2, this.bufEnd + chunk.length));
      chunk.copy(this.buf, this.bufEnd);
      this.bufEnd += chunk.length;
      total += chunk.length;
    }
    this.stdinChunks = [];
    return total;
  }

  private grow(size: number): void {
    const bigger = Buffer.allocUnsafe(size);
    this.buf.copy(bigger, 0, this.bufStart, this.bufEnd);
    this.bufEnd -= this.bufStart;
    this.bufStart = 0;
    this.buf = bigger;
  }

  /**
   * Hand complete lines of buf[bufStart, bufEnd) to `take(start, end)` (the line without its
   * terminator) until `take` returns false or `limit` lines were taken; each taken line moves
   * bufStart and the position past it. Returns the number taken.
   */
  private scanLines(limit: number, take: (start: number, end: number) => boolean): number {
    const view = this.buf.subarray(0, this.bufEnd);
    // Next \n and \r at or after bufStart; -1 once known absent. Each is searched for once per occurrence.
    let lf = -2;
    let cr = -2;
    let taken = 0;
    while (taken < limit) {
      if (lf !== -1 && lf < this.bufStart) lf = view.indexOf(LF, this.bufStart);
      if (cr !== -1 && cr < this.bufStart) cr = view.indexOf(CR, this.bufStart);
      let until: number;
      let next: number;
      if (cr === -1 || (lf !== -1 && lf < cr)) {
        if (lf === -1) break;
        until = lf;
        next = lf + 1;
      } else {
        if (cr + 1 >= this.bufEnd) break; // cannot tell \r from \r\n yet
        until = cr;
        next = view[cr + 1] === LF ? cr + 2 : cr + 1;
      }
      if (this.position !== null) this.position += next - this.bufStart;
      if (!take(this.bufStart, until)) {
        if (this.position !== null) this.position -= next - this.bufStart;
        break;
      }
      this.bufStart = next;
      taken++;
    }
    return taken;
  }

  /** Emit complete lines from buf[bufStart, bufEnd) as records until the batch is full. */
  private extractLines(records: SourceRecord[], timestamp: number): void {
    this.scanLines(this.batchSize - records.length, (start, end) => {
      records.push(
        new SourceRecord(
          this.partition, { [POSITION_FIELD]: this.position }, this.topic, null,
          null, null, VALUE_SCHEMA, this.buf.toString('utf8', start, end), timestamp,
        ),
      );
      return true;
    });
  }

  /**
   * poll() without record objects (RawSourceTask): each line's UTF-8 bytes go into the sink as
   * they are when they are valid UTF-8 — exactly what StringConverter makes of the decoded line —
   * and decoded and re-encoded otherwise (invalid sequences become U+FFFD, as in poll()).
   */
  async pollRaw(sink: RawRecordSink): Promise<number> {
    if (this.stopped) return 0;
    try {
      if (this.filename !== null && this.file === null && !(await this.openFile())) {
        await this.idle();
        return 0;
      }
      const timestamp = Date.now();
      // Bytes below validUntil are known to be valid UTF-8. Lines end at \n or \r, ASCII bytes
      // that never occur inside a multi-byte sequence, so when everything up to the last line
      // end is valid, so is every line before it: one check per read instead of one per line.
      let validUntil = -1;
      const take = (start: number, end: number): boolean => {
        if (end > validUntil) {
          validUntil = this.validUtf8Until(start);
          if (end > validUntil) {
            const line = this.buf.subarray(start, end);
            if (!isUtf8(line)) return sink.add(this.topic, ...wholeBytes(Buffer.from(line.toString('utf8'), 'utf8')), timestamp);
          }
        }
        return sink.add(this.topic, this.buf, start, end, timestamp);
      };
      let count = 0;
      let readSomething = false;
      let full = false;
      for (;;) {
        const n = this.scanLines(this.batchSize - count, take);
        count += n;
        // The sink refused a line (frame full) or the batch is complete.
        full = count < this.batchSize && this.hasCompleteLine();
        if (count >= this.batchSize || full || this.stopped) break;
        const read = await this.fill();
        if (read === 0) break;
        readSomething = true;
      }
      if (count > 0 && this.position !== null) sink.offset(this.partition, { [POSITION_FIELD]: this.position });
      if (count === 0 && !readSomething && !full) await this.idle();
      return count;
    } catch (e) {
      if (this.stopped) return 0;
      throw e;
    }
  }

  /** The end of the last complete line after `start` when buf[start, that end) is valid UTF-8, else -1. */
  private validUtf8Until(start: number): number {
    const view = this.buf.subarray(start, this.bufEnd);
    const end = start + Math.max(view.lastIndexOf(LF), view.lastIndexOf(CR));
    return end > start && isUtf8(this.buf.subarray(start, end)) ? end : -1;
  }

  /** A complete line waits in the buffer (after the sink refused it). */
  private hasCompleteLine(): boolean {
    const view = this.buf.subarray(this.bufStart, this.bufEnd);
    const lf = view.indexOf(LF);
    const cr = view.indexOf(CR);
    return lf !== -1 || (cr !== -1 && cr + 1 < view.length);
  }

  private idle(): Promise<void> {
    if (this.stopped) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wake = null;
        resolve();
      };
      const timer = setTimeout(done, this.idleWaitMs);
      this.wake = done;
    });
  }
}

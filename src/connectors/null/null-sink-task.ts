/**
 * NullSinkTask: discards records. put() adds up the record count and the key and value sizes
 * (byteLength of bytes, length of strings, 0 for anything else: a sink that keeps raw bytes sees
 * exact sizes) and nothing more; flush() has nothing to do, so every offset put() saw is
 * committable at once.
 */
import { writeFileSync } from 'node:fs';
import * as hdr from 'hdr-histogram-js';
import { AbstractConfig } from '../../api/config-def.js';
import { SinkTask } from '../../api/sink.js';
import type { RecordBatch } from '../../data/batch.js';
import type { SinkRecord } from '../../data/record.js';
import { LATENCY_FILE_CONFIG, LATENCY_VALUE_SIZE_CONFIG, LOG_EVERY_RECORDS_CONFIG, NULL_CONNECTOR_VERSION, TASK_CONFIG_DEF, TASK_INDEX_CONFIG } from './config.js';

/** Latencies above an hour are clamped: a record that old is a backlog, not a latency. */
const MAX_TRACKED_MS = 3_600_000;

/** Bytes of a key or value as the sink counts them. */
function sizeOf(v: unknown): number {
  if (v instanceof Uint8Array) return v.byteLength;
  if (typeof v === 'string') return v.length;
  return 0;
}

export class NullSinkTask extends SinkTask {
  private records = 0;
  private bytes = 0;
  private logEvery = 0;
  private nextLogAt = Infinity;
  private startedAt = 0;
  private lastLogAt = 0;
  private lastLogRecords = 0;
  private label = 'NullSinkTask';
  private latency: hdr.Histogram | null = null;
  private latencyFile = '';
  private latencyValueSize = -1;

  version(): string {
    return NULL_CONNECTOR_VERSION;
  }

  /** @throws ConfigError for an invalid config. */
  start(props: Record<string, string>): void {
    const config = new AbstractConfig(TASK_CONFIG_DEF, props);
    this.logEvery = config.getLong(LOG_EVERY_RECORDS_CONFIG);
    this.label = `NullSinkTask ${props['name'] ?? 'null'}-${config.getInt(TASK_INDEX_CONFIG)}`;
    this.records = 0;
    this.bytes = 0;
    this.nextLogAt = this.logEvery > 0 ? this.logEvery : Infinity;
    this.startedAt = this.lastLogAt = performance.now();
    this.lastLogRecords = 0;
    const latencyPrefix = config.getString(LATENCY_FILE_CONFIG) ?? '';
    this.latencyFile = latencyPrefix === '' ? '' : `${latencyPrefix}.task-${config.getInt(TASK_INDEX_CONFIG)}.json`;
    this.latencyValueSize = config.getInt(LATENCY_VALUE_SIZE_CONFIG);
    this.latency = latencyPrefix === '' ? null : hdr.build({ lowestDiscernibleValue: 1, highestTrackableValue: MAX_TRACKED_MS, numberOfSignificantValueDigits: 3 });
  }

  put(records: SinkRecord[]): void {
    let bytes = 0;
    for (let i = 0; i < records.length; i++) {
      const r = records[i]!;
      bytes += sizeOf(r.key) + sizeOf(r.value);
    }
    if (this.latency) {
      const now = Date.now();
      const size = this.latencyValueSize;
      for (const r of records) {
        if (r.timestamp !== null && (size < 0 || sizeOf(r.value) === size)) this.recordLatency(now - r.timestamp);
      }
    }
    this.count(records.length, bytes);
  }

  /** The batch path: counts from the length columns, without touching a record's bytes. */
  override putBatch(batch: RecordBatch): void {
    let records = 0;
    let bytes = 0;
    const { keyLengths, valueLengths, selection, timestamps } = batch;
    const now = this.latency ? Date.now() : 0;
    for (let i = 0; i < batch.count; i++) {
      if (selection[i] === 0) continue;
      records++;
      bytes += Math.max(0, keyLengths[i]!) + Math.max(0, valueLengths[i]!);
      if (this.latency && timestamps[i]! >= 0 && (this.latencyValueSize < 0 || valueLengths[i] === this.latencyValueSize)) {
        this.recordLatency(now - timestamps[i]!);
      }
    }
    this.count(records, bytes);
  }

  private count(records: number, bytes: number): void {
    this.records += records;
    this.bytes += bytes;
    if (this.records >= this.nextLogAt) {
      this.logProgress('progress');
      this.nextLogAt = (Math.floor(this.records / this.logEvery) + 1) * this.logEvery;
    }
  }

  /** Clock skew can make a latency negative by a millisecond or so: it counts as 0. */
  private recordLatency(ms: number): void {
    this.latency!.recordValue(Math.min(MAX_TRACKED_MS, Math.max(0, ms)));
  }

  stop(): void {
    if (this.logEvery > 0) this.logProgress('stopped');
    if (this.latency) this.writeLatency(this.latency, this.latencyFile);
  }

  private writeLatency(h: hdr.Histogram, file: string): void {
    const summary = {
      count: h.totalCount,
      p50_ms: h.getValueAtPercentile(50),
      p99_ms: h.getValueAtPercentile(99),
      p999_ms: h.getValueAtPercentile(99.9),
      max_ms: h.maxValue,
      histogram: hdr.encodeIntoCompressedBase64(h),
    };
    writeFileSync(file, JSON.stringify(summary) + '\n');
  }

  /** Records put() received since start(). */
  get recordCount(): number {
    return this.records;
  }

  /** Key and value bytes put() received since start(). */
  get byteCount(): number {
    return this.bytes;
  }

  /**
   * Writes one progress line. Plugins have no logger of the runtime's, so this writes a line in the
   * runtime's log format (pino JSON, level info) to stderr, where the runtime logs; overridable.
   */
  protected log(message: string): void {
    process.stderr.write(`${JSON.stringify({ level: 30, time: Date.now(), name: 'sluice', msg: message })}\n`);
  }

  private logProgress(what: string): void {
    const now = performance.now();
    const recent = ((this.records - this.lastLogRecords) * 1000) / Math.max(1, now - this.lastLogAt);
    const overall = (this.records * 1000) / Math.max(1, now - this.startedAt);
    this.lastLogAt = now;
    this.lastLogRecords = this.records;
    this.log(
      `${this.label} ${what}: ${this.records} records, ${this.bytes} bytes; ${Math.round(recent)} records/s since the ` +
        `last line, ${Math.round(overall)} records/s overall`,
    );
  }
}

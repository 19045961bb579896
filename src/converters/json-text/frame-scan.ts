/**
 * The scan (scan.ts) of every value of a slice of a batch frame in one native call
 * (native/src/json_scan.cc scanJsonObjects), for the printer (engine/value-lines.ts): a native
 * call costs about as much as scanning a 200 B object, so calling once per record gave back
 * most of what the native scan saves. Each record's member table is then a view into one shared
 * array (MemberTable.base). Without the addon, scan() says so and the caller scans per record.
 */
import type { RecordBatch } from '../../data/batch.js';
import { isNativeAvailable, nativeAddon } from '../../kafka/native.js';
import { CELLS, type MemberTable } from './scan.js';

type ScanMany = (payload: Uint8Array, offsets: Int32Array, lengths: Int32Array, from: number, to: number, cells: Int32Array, index: Int32Array) => number;

export class FrameScan {
  private cellStore = new Int32Array(16 * 1024 * CELLS);
  private index = new Int32Array(2 * 1024);
  private from = 0;
  private to = 0;
  private readonly native: ScanMany | null = isNativeAvailable() ? nativeAddon().scanJsonObjects : null;
  /**
   * The payload of the frame last scanned: the member tables' positions are relative to it, so
   * it stands for every record's value bytes (no view per record).
   */
  payload: Uint8Array = new Uint8Array(0);

  /** Every record's member cells, for the last scan (positions in `payload`). */
  get cells(): Int32Array {
    return this.cellStore;
  }

  /** True when it can scan (the addon loaded). */
  get available(): boolean {
    return this.native !== null;
  }

  /** Scans the values of records [from, to) of `batch`; false without the addon. */
  scan(batch: RecordBatch, from: number, to: number): boolean {
    const native = this.native;
    if (native === null) return false;
    if (this.index.length < 2 * (to - from)) this.index = new Int32Array(2 * (to - from));
    const payload = (this.payload = batch.bytes.subarray(batch.payloadStart));
    while (native(payload, batch.valueOffsets, batch.valueLengths, from, to, this.cellStore, this.index) === -2) {
      this.cellStore = new Int32Array(this.cellStore.length * 2);
    }
    this.from = from;
    this.to = to;
    return true;
  }

  /**
   * Points `table` at record i's members (i within the last scan()), positions in `payload`;
   * false when the scan did not take its value (null, not an object, or anything scan.ts leaves
   * to the parser).
   */
  tableOf(i: number, table: MemberTable): boolean {
    if (i < this.from || i >= this.to) throw new RangeError(`record ${i} is outside the scanned slice [${this.from}, ${this.to})`);
    const k = 2 * (i - this.from);
    const first = this.index[k]!;
    if (first < 0) return false;
    const answer = this.index[k + 1]!;
    table.cells = this.cellStore;
    table.base = first * CELLS;
    table.count = answer >>> 1;
    table.shortAsciiNames = (answer & 1) === 1;
    return true;
  }
}

/**
 * Builds a batch frame (format in batch.ts) into a caller's Uint8Array: the JS producer side
 * (source tasks writing straight into a ring), tests and benchmarks. The native consumer writes
 * the same format from C++.
 *
 * Usage with a ring:
 *   const bytes = BatchWriter.estimate(1000, payloadBytes, topics);  // or a fixed upper bound
 *   const view = ring.reserve(bytes)!;
 *   const w = writer.reset(view, 1000);
 *   while (more && w.append(topic, partition, offset, ts, key, value, headers)) …
 *   ring.commit(w.finish());
 *
 * The writer reserves columns for `maxRecords` up front and puts the payload right after them;
 * the topic table goes after the payload at finish(). append() returns false when the record
 * (or its topic's table entry) does not fit, or maxRecords are in: finish this frame and append
 * the record to the next one, or grow the target and retry.
 */
import {
  align8,
  BATCH_HEADER_BYTES,
  BATCH_MAGIC,
  BATCH_VERSION,
  BatchHeader,
  columnBytes,
  layoutColumns,
  TimestampTypeCode,
  topicTableBytes,
} from './batch.js';

/** One Kafka header: a string key and a byte value (null allowed). */
export type BatchHeaderEntry = readonly [key: string, value: Uint8Array | null];

/** UTF-8 byte length of a string, without encoding it. */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // surrogate pair: 4 bytes for 2 code units
      i++;
    } else n += 2; // 3 bytes (a lone surrogate encodes as U+FFFD, also 3)
  }
  return n;
}

const encoder = new TextEncoder();

function writeI32(b: Uint8Array, p: number, v: number): void {
  b[p] = v;
  b[p + 1] = v >> 8;
  b[p + 2] = v >> 16;
  b[p + 3] = v >> 24;
}

export class BatchWriter {
  private target: Uint8Array = new Uint8Array(0);
  private maxRecords = 0;
  private n = 0;
  private h: Int32Array = new Int32Array(BATCH_HEADER_BYTES >> 2);
  private offsets: Float64Array = new Float64Array(0);
  private timestamps: Float64Array = new Float64Array(0);
  private partitions: Int32Array = new Int32Array(0);
  private topicIds: Int32Array = new Int32Array(0);
  private keyOffsets: Int32Array = new Int32Array(0);
  private keyLengths: Int32Array = new Int32Array(0);
  private valueOffsets: Int32Array = new Int32Array(0);
  private valueLengths: Int32Array = new Int32Array(0);
  private headerOffsets: Int32Array = new Int32Array(0);
  private headerLengths: Int32Array = new Int32Array(0);
  private timestampTypes: Uint8Array = new Uint8Array(0);
  private payloadStart = 0; // position of the payload in target
  private p = 0; // payload bytes written
  // topics of the frame being built
  private readonly topicIndex = new Map<string, number>();
  private topicBytes: Uint8Array[] = [];
  private topicNameBytes = 0;
  private readonly topicStrings: string[] = []; // by id, for the short === scan before the Map
  // encoded names, kept across frames
  private readonly encoded = new Map<string, Uint8Array>();

  /** A writer over `target`; without arguments, call reset() before appending. */
  constructor(target?: Uint8Array, maxRecords?: number) {
    if (target !== undefined) this.reset(target, maxRecords ?? 1024);
  }

  /**
   * Exact frame size for `count` records whose payload (keys, values and header blocks; see
   * payloadSize) adds up to `payloadBytes`, with the given topic names (or the UTF-8 byte total
   * of their names and their number).
   */
  static estimate(count: number, payloadBytes: number, topics: readonly string[] | { count: number; nameBytes: number }): number {
    let tc: number;
    let nb: number;
    if (Array.isArray(topics)) {
      tc = topics.length;
      nb = 0;
      for (const t of topics as readonly string[]) nb += utf8Length(t);
    } else {
      ({ count: tc, nameBytes: nb } = topics as { count: number; nameBytes: number });
    }
    return BATCH_HEADER_BYTES + columnBytes(count) + align8(payloadBytes) + topicTableBytes(tc, nb);
  }

  /** Payload bytes one record takes: key + value + header block. */
  static payloadSize(key: Uint8Array | null, value: Uint8Array | null, headers?: readonly BatchHeaderEntry[] | null): number {
    return (key === null ? 0 : key.length) + (value === null ? 0 : value.length) + BatchWriter.headerBlockSize(headers);
  }

  /** Bytes of a header block (0 when there are no headers). */
  static headerBlockSize(headers?: readonly BatchHeaderEntry[] | null): number {
    if (headers == null || headers.length === 0) return 0;
    let n = 4;
    for (let j = 0; j < headers.length; j++) {
      const hdr = headers[j]!;
      n += 8 + utf8Length(hdr[0]) + (hdr[1] === null ? 0 : hdr[1].length);
    }
    return n;
  }

  /** Start a new frame in `target` (8-aligned in its buffer) with room for `maxRecords`. */
  reset(target: Uint8Array = this.target, maxRecords: number = this.maxRecords): this {
    if ((target.byteOffset & 7) !== 0) throw new RangeError('BatchWriter: the target must start 8-aligned in its buffer');
    if (!Number.isInteger(maxRecords) || maxRecords < 0) throw new RangeError(`BatchWriter: maxRecords must be a non-negative integer, got ${maxRecords}`);
    const payloadStart = BATCH_HEADER_BYTES + columnBytes(maxRecords);
    if (payloadStart + topicTableBytes(0, 0) > target.length) {
      throw new RangeError(`BatchWriter: ${target.length} bytes cannot hold ${maxRecords} records (need ${payloadStart + 8} before any payload)`);
    }
    const buf = target.buffer;
    const base = target.byteOffset;
    if (target !== this.target || maxRecords !== this.maxRecords) {
      const h = new Int32Array(buf, base, BATCH_HEADER_BYTES >> 2);
      layoutColumns(h, BATCH_HEADER_BYTES, maxRecords);
      const col = (field: number) => base + h[field >> 2]!;
      this.offsets = new Float64Array(buf, col(BatchHeader.OFFSET_COL), maxRecords);
      this.timestamps = new Float64Array(buf, col(BatchHeader.TIMESTAMP_COL), maxRecords);
      this.partitions = new Int32Array(buf, col(BatchHeader.PARTITION_COL), maxRecords);
      this.topicIds = new Int32Array(buf, col(BatchHeader.TOPIC_ID_COL), maxRecords);
      this.keyOffsets = new Int32Array(buf, col(BatchHeader.KEY_OFFSET_COL), maxRecords);
      this.keyLengths = new Int32Array(buf, col(BatchHeader.KEY_LENGTH_COL), maxRecords);
      this.valueOffsets = new Int32Array(buf, col(BatchHeader.VALUE_OFFSET_COL), maxRecords);
      this.valueLengths = new Int32Array(buf, col(BatchHeader.VALUE_LENGTH_COL), maxRecords);
      this.headerOffsets = new Int32Array(buf, col(BatchHeader.HEADERS_OFFSET_COL), maxRecords);
      this.headerLengths = new Int32Array(buf, col(BatchHeader.HEADERS_LENGTH_COL), maxRecords);
      this.timestampTypes = new Uint8Array(buf, col(BatchHeader.TIMESTAMP_TYPE_COL), maxRecords);
      this.h = h;
      this.target = target;
      this.maxRecords = maxRecords;
      this.payloadStart = payloadStart;
    }
    this.n = 0;
    this.p = 0;
    this.topicIndex.clear();
    this.topicBytes.length = 0;
    this.topicNameBytes = 0;
    this.topicStrings.length = 0;
    return this;
  }

  /** Records appended to the current frame. */
  get count(): number {
    return this.n;
  }

  /** Bytes the frame would take if finished now. */
  get frameLength(): number {
    return align8(this.payloadStart + this.p) + topicTableBytes(this.topicBytes.length, this.topicNameBytes);
  }

  private topicIdFor(topic: string): number {
    // a frame rarely has more than a few topics: a short scan beats hashing
    const seen = this.topicStrings;
    const scan = seen.length < 8 ? seen.length : 8;
    for (let j = 0; j < scan; j++) if (seen[j] === topic) return j;
    let id = this.topicIndex.get(topic);
    if (id === undefined) {
      let enc = this.encoded.get(topic);
      if (enc === undefined) {
        enc = encoder.encode(topic);
        if (this.encoded.size >= 4096) this.encoded.clear();
        this.encoded.set(topic, enc);
      }
      // room for the table with this name added, after the payload so far
      const table = topicTableBytes(this.topicBytes.length + 1, this.topicNameBytes + enc.length);
      if (align8(this.payloadStart + this.p) + table > this.target.length) return -1;
      id = this.topicBytes.length;
      this.topicBytes.push(enc);
      this.topicNameBytes += enc.length;
      this.topicIndex.set(topic, id);
      seen.push(topic);
    }
    return id;
  }

  /**
   * append() of a record with a null key, no headers and the value `src[start, end)`, without
   * making a view of it: the per-record path of sources that write raw bytes (RawFrameSink).
   */
  appendValue(topic: string, partition: number, timestamp: number, src: Uint8Array, start: number, end: number): boolean {
    const i = this.n;
    if (i >= this.maxRecords) return false;
    const vl = end - start;
    const t = this.target;
    const p = this.payloadStart + this.p;
    const known = this.topicStrings.length > 0 && this.topicStrings[0] === topic;
    const table = known
      ? topicTableBytes(this.topicBytes.length, this.topicNameBytes)
      : topicTableBytes(this.topicBytes.length + 1, this.topicNameBytes + 3 * topic.length);
    if (align8(p + vl) + table > t.length) return this.append(topic, partition, -1, timestamp, null, src.subarray(start, end));
    const topicId = known ? 0 : this.topicIdFor(topic);
    if (topicId < 0) return false;
    this.offsets[i] = -1;
    this.timestamps[i] = timestamp;
    this.partitions[i] = partition;
    this.topicIds[i] = topicId;
    this.timestampTypes[i] = TimestampTypeCode.CREATE_TIME;
    const rel = p - this.payloadStart;
    this.keyOffsets[i] = rel;
    this.keyLengths[i] = -1;
    this.valueOffsets[i] = rel;
    this.valueLengths[i] = vl;
    // Short values: a loop beats the call into set(); long ones: one native copy.
    if (vl <= 64) for (let k = 0; k < vl; k++) t[p + k] = src[start + k]!;
    else t.set(src.subarray(start, end), p);
    this.headerOffsets[i] = rel + vl;
    this.headerLengths[i] = 0;
    this.p = rel + vl;
    this.n = i + 1;
    return true;
  }

  /**
   * Add one record. Returns false, changing nothing, if it does not fit (payload or maxRecords).
   * `timestamp` -1 = none; `timestampType` is a TimestampTypeCode (CreateTime by default).
   */
  append(
    topic: string,
    partition: number,
    offset: number,
    timestamp: number,
    key: Uint8Array | null,
    value: Uint8Array | null,
    headers?: readonly BatchHeaderEntry[] | null,
    timestampType: number = TimestampTypeCode.CREATE_TIME,
  ): boolean {
    const i = this.n;
    if (i >= this.maxRecords) return false;
    const kl = key === null ? 0 : key.length;
    const vl = value === null ? 0 : value.length;
    const hasHeaders = headers != null && headers.length > 0;
    // header keys are sized at worst case (3 bytes per UTF-16 unit) before encodeInto writes them
    let hMax = 0;
    if (hasHeaders) {
      hMax = 4;
      for (let j = 0; j < headers.length; j++) {
        const hv = headers[j]![1];
        hMax += 8 + 3 * headers[j]![0].length + (hv === null ? 0 : hv.length);
      }
    }
    const table = topicTableBytes(this.topicBytes.length + 1, this.topicNameBytes + 3 * topic.length);
    const t = this.target;
    let p = this.payloadStart + this.p;
    if (align8(p + kl + vl + hMax) + table > t.length) {
      // the worst case does not fit: retry with the exact sizes before giving up
      const exact = kl + vl + BatchWriter.headerBlockSize(headers);
      const tableExact = this.topicIndex.has(topic)
        ? topicTableBytes(this.topicBytes.length, this.topicNameBytes)
        : topicTableBytes(this.topicBytes.length + 1, this.topicNameBytes + utf8Length(topic));
      if (align8(p + exact) + tableExact > t.length) return false;
    }
    const topicId = this.topicIdFor(topic);
    if (topicId < 0) return false;

    this.offsets[i] = offset;
    this.timestamps[i] = timestamp;
    this.partitions[i] = partition;
    this.topicIds[i] = topicId;
    this.timestampTypes[i] = timestampType;
    const ps = this.payloadStart;
    if (key === null) {
      this.keyOffsets[i] = p - ps;
      this.keyLengths[i] = -1;
    } else {
      this.keyOffsets[i] = p - ps;
      this.keyLengths[i] = kl;
      t.set(key, p);
      p += kl;
    }
    if (value === null) {
      this.valueOffsets[i] = p - ps;
      this.valueLengths[i] = -1;
    } else {
      this.valueOffsets[i] = p - ps;
      this.valueLengths[i] = vl;
      t.set(value, p);
      p += vl;
    }
    this.headerOffsets[i] = p - ps;
    if (hasHeaders) {
      const start = p;
      writeI32(t, p, headers.length);
      p += 4;
      for (let j = 0; j < headers.length; j++) {
        const [hk, hv] = headers[j]!;
        const { written } = encoder.encodeInto(hk, t.subarray(p + 4, p + 4 + 3 * hk.length));
        writeI32(t, p, written);
        p += 4 + written;
        if (hv === null) {
          writeI32(t, p, -1);
          p += 4;
        } else {
          writeI32(t, p, hv.length);
          t.set(hv, p + 4);
          p += 4 + hv.length;
        }
      }
      this.headerLengths[i] = p - start;
    } else {
      this.headerLengths[i] = 0;
    }
    this.p = p - ps;
    this.n = i + 1;
    return true;
  }

  /**
   * Write the header and the topic table. Returns the frame length: the frame is
   * target.subarray(0, length) (commit exactly that many bytes to a ring).
   */
  finish(): number {
    const t = this.target;
    const h = this.h;
    const payloadEnd = this.payloadStart + this.p;
    const tableAt = align8(payloadEnd);
    t.fill(0, payloadEnd, tableAt);
    // topic table: int32 nameStart[t + 1], then the names
    const tc = this.topicBytes.length;
    const names = tableAt + 4 * (tc + 1);
    let q = 0;
    for (let j = 0; j < tc; j++) {
      writeI32(t, tableAt + 4 * j, q);
      const enc = this.topicBytes[j]!;
      t.set(enc, names + q);
      q += enc.length;
    }
    writeI32(t, tableAt + 4 * tc, q);
    const frameLength = tableAt + topicTableBytes(tc, this.topicNameBytes);
    t.fill(0, names + q, frameLength);

    h[BatchHeader.MAGIC >> 2] = BATCH_MAGIC;
    h[BatchHeader.VERSION >> 2] = BATCH_VERSION;
    h[BatchHeader.FRAME_LENGTH >> 2] = frameLength;
    h[BatchHeader.COUNT >> 2] = this.n;
    h[BatchHeader.FLAGS >> 2] = 0;
    h[BatchHeader.TOPIC_COUNT >> 2] = tc;
    h[BatchHeader.TOPIC_TABLE >> 2] = tableAt;
    h[BatchHeader.PAYLOAD >> 2] = this.payloadStart;
    h[BatchHeader.PAYLOAD_LENGTH >> 2] = this.p;
    layoutColumns(h, BATCH_HEADER_BYTES, this.maxRecords);
    for (let w = (BatchHeader.TIMESTAMP_TYPE_COL >> 2) + 1; w < BATCH_HEADER_BYTES >> 2; w++) h[w] = 0;
    return frameLength;
  }
}

/**
 * The batch frame: many Kafka records in one block of bytes, laid out in columns so that the
 * native consumer can write it with memcpy and plain stores and a task thread can read it through
 * typed-array views, with no object per record.
 *
 * ─── Frame layout (little-endian; every section starts 8-aligned relative to the frame) ───────
 *
 * Header, 96 bytes, int32 words:
 *
 *   byte  field              meaning
 *   ----  -----------------  ---------------------------------------------------------------
 *     0   magic              0x46424C53 (bytes "SLBF")
 *     4   version            1
 *     8   frameLength        bytes in the frame, header included (multiple of 8)
 *    12   count              records in the frame (n)
 *    16   flags              0 (reserved for compression / ownership bits)
 *    20   topicCount         entries in the topic table (t)
 *    24   topicTableOffset   → int32 nameStart[t + 1], then the names' UTF-8 bytes; name j is
 *                              bytes [names + nameStart[j], names + nameStart[j+1]) where
 *                              names = topicTableOffset + 4 * (t + 1)
 *    28   payloadOffset      → payload bytes (key/value/header offsets below are relative to it)
 *    32   payloadLength      bytes of payload
 *    36   offsetCol          → float64[n]  Kafka offset (exact integers below 2^53)
 *    40   timestampCol       → float64[n]  timestamp, ms since epoch (-1 = none)
 *    44   partitionCol       → int32[n]
 *    48   topicIdCol         → int32[n]    index into the topic table
 *    52   keyOffsetCol       → int32[n]    key start, relative to payloadOffset
 *    56   keyLengthCol       → int32[n]    key length; -1 = null key
 *    60   valueOffsetCol     → int32[n]
 *    64   valueLengthCol     → int32[n]    -1 = null value (tombstone)
 *    68   headersOffsetCol   → int32[n]    header block start, relative to payloadOffset
 *    72   headersLengthCol   → int32[n]    header block length; 0 = no headers
 *    76   timestampTypeCol   → uint8[n]    0 none, 1 CreateTime, 2 LogAppendTime (librdkafka's
 *                              rd_kafka_timestamp_type_t values)
 *    80..95                  reserved, zero
 *
 * A header block (in the payload, any alignment):
 *   int32 count, then count × { int32 keyLength, key UTF-8 bytes, int32 valueLength (-1 = null),
 *   value bytes }
 *
 * Every section offset in the header is relative to the frame start and a multiple of 8; a
 * float64 column of n entries takes 8n bytes, an int32 column align8(4n), the uint8 column
 * align8(n). Readers rely on the header offsets only, so sections may come in any order. The
 * canonical order, for a writer that knows everything up front (the native consumer), is:
 *   header | topic table | offset | timestamp | partition | topicId | keyOffset | keyLength |
 *   valueOffset | valueLength | headersOffset | headersLength | timestampType | payload
 * BatchWriter, which learns topics and count as it goes, writes header | columns | payload |
 * topic table instead (same total size when the frame is full).
 *
 * Why float64 and not int64 for offsets and timestamps: reading a BigInt64Array element
 * allocates a BigInt on the heap, every time. A float64 read is a plain number and is exact for
 * every integer below 2^53 (a Kafka offset would need 285 years at a million records per second
 * per partition to get there; timestamps in ms are far below). C++ writes `(double)int64`.
 *
 * Frames must start at an address that is a multiple of 8 (the ring guarantees this) so the
 * float64 columns can be viewed in place. The format is little-endian; so are typed arrays on
 * every platform Node supports in production (x86-64, arm64); the module refuses to load on a
 * big-endian host.
 */

if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
  throw new Error('sluice batch frames need a little-endian host');
}

/** 'SLBF' read as a little-endian int32. */
export const BATCH_MAGIC = 0x46424c53;
export const BATCH_VERSION = 1;
export const BATCH_HEADER_BYTES = 96;

/** Byte offsets of the header fields. */
export const BatchHeader = {
  MAGIC: 0,
  VERSION: 4,
  FRAME_LENGTH: 8,
  COUNT: 12,
  FLAGS: 16,
  TOPIC_COUNT: 20,
  TOPIC_TABLE: 24,
  PAYLOAD: 28,
  PAYLOAD_LENGTH: 32,
  OFFSET_COL: 36,
  TIMESTAMP_COL: 40,
  PARTITION_COL: 44,
  TOPIC_ID_COL: 48,
  KEY_OFFSET_COL: 52,
  KEY_LENGTH_COL: 56,
  VALUE_OFFSET_COL: 60,
  VALUE_LENGTH_COL: 64,
  HEADERS_OFFSET_COL: 68,
  HEADERS_LENGTH_COL: 72,
  TIMESTAMP_TYPE_COL: 76,
} as const;

/** rd_kafka_timestamp_type_t values. */
export const TimestampTypeCode = { NONE: 0, CREATE_TIME: 1, LOG_APPEND_TIME: 2 } as const;

export function align8(n: number): number {
  return (n + 7) & ~7;
}

/** Bytes taken by the columns of `count` records. */
export function columnBytes(count: number): number {
  return 16 * count + 8 * align8(4 * count) + align8(count);
}

/** Bytes taken by a topic table of `topicCount` names totalling `nameBytes` UTF-8 bytes. */
export function topicTableBytes(topicCount: number, nameBytes: number): number {
  return align8(4 * (topicCount + 1) + nameBytes);
}

/**
 * Section offsets for `count` records with the columns starting at `base` (8-aligned). Writes
 * them into `out` at the header's column slots (int32 index = byte offset / 4) and returns the
 * first byte after the columns.
 */
export function layoutColumns(out: Int32Array, base: number, count: number): number {
  const i32Bytes = align8(4 * count);
  let p = base;
  out[BatchHeader.OFFSET_COL >> 2] = p;
  p += 8 * count;
  out[BatchHeader.TIMESTAMP_COL >> 2] = p;
  p += 8 * count;
  for (let slot = BatchHeader.PARTITION_COL >> 2; slot <= BatchHeader.HEADERS_LENGTH_COL >> 2; slot++) {
    out[slot] = p;
    p += i32Bytes;
  }
  out[BatchHeader.TIMESTAMP_TYPE_COL >> 2] = p;
  return p + align8(count);
}

/** A frame that does not follow the format. */
export class BatchFormatError extends Error {
  override name = 'BatchFormatError';
}

/** Little-endian int32 at any byte position. */
function readI32(b: Uint8Array, p: number): number {
  return b[p]! | (b[p + 1]! << 8) | (b[p + 2]! << 16) | (b[p + 3]! << 24);
}

const utf8 = new TextDecoder('utf-8');

/**
 * Topic names decoded once and shared: the same topic yields the same string instance in every
 * frame, so per-topic caches downstream can key on it. Looked up by bytes, without decoding.
 */
class TopicNameCache {
  private readonly entries: { bytes: Uint8Array; name: string }[] = [];

  get(bytes: Uint8Array, start: number, end: number): string {
    const len = end - start;
    const entries = this.entries;
    outer: for (let e = 0; e < entries.length; e++) {
      const cand = entries[e]!.bytes;
      if (cand.length !== len) continue;
      for (let k = 0; k < len; k++) if (cand[k] !== bytes[start + k]) continue outer;
      return entries[e]!.name;
    }
    const copy = bytes.slice(start, end);
    const name = utf8.decode(copy);
    if (entries.length < 1024) entries.push({ bytes: copy, name });
    return name;
  }
}

const topicNames = new TopicNameCache();

const EMPTY_U8 = new Uint8Array(0);
const EMPTY_I32 = new Int32Array(0);
const EMPTY_F64 = new Float64Array(0);

/**
 * A cursor over one record's headers, reused: `batch.headers(i)` repositions the batch's single
 * cursor, so take what you need before asking for another record's headers.
 *
 *   for (const h = batch.headers(i); h.next(); ) use(h.key(), h.valueView());
 */
export class HeaderCursor {
  /** Headers left after the current one. */
  remaining = 0;
  /** Absolute positions in `bytes` of the current header's key and value; valueLength -1 = null. */
  keyOffset = 0;
  keyLength = 0;
  valueOffset = 0;
  valueLength = -1;
  private bytes: Uint8Array = EMPTY_U8;
  private pos = 0;

  /** @internal */
  reset(bytes: Uint8Array, pos: number, length: number): this {
    this.bytes = bytes;
    if (length <= 0) {
      this.remaining = 0;
      this.pos = pos;
    } else {
      this.remaining = readI32(bytes, pos);
      this.pos = pos + 4;
    }
    return this;
  }

  /** Move to the next header; false when there are no more. */
  next(): boolean {
    if (this.remaining <= 0) return false;
    this.remaining--;
    const b = this.bytes;
    let p = this.pos;
    const kl = readI32(b, p);
    this.keyOffset = p + 4;
    this.keyLength = kl;
    p += 4 + kl;
    const vl = readI32(b, p);
    this.valueOffset = p + 4;
    this.valueLength = vl;
    this.pos = p + 4 + (vl > 0 ? vl : 0);
    return true;
  }

  /** The current header's key (decoded from UTF-8; allocates a string). */
  key(): string {
    return utf8.decode(this.bytes.subarray(this.keyOffset, this.keyOffset + this.keyLength));
  }

  keyView(): Uint8Array {
    return this.bytes.subarray(this.keyOffset, this.keyOffset + this.keyLength);
  }

  /** The current header's value bytes, null for a null value. */
  valueView(): Uint8Array | null {
    if (this.valueLength < 0) return null;
    return this.bytes.subarray(this.valueOffset, this.valueOffset + this.valueLength);
  }
}

/**
 * Typed views over one batch frame. Nothing is copied: every view points into the frame, which
 * (when it comes from a ring) stays valid only until the ring's release(). A plugin that keeps
 * bytes longer copies them.
 *
 * The columns are public for generated code (SMT chains, converters): `batch.valueLengths[i]` is
 * a plain typed-array read. The accessor methods do the same with null handling.
 *
 * One RecordBatch can be reused for frame after frame with reset(frame); it allocates about a
 * dozen views per frame and nothing per record unless keyView/valueView/topic decoding is asked.
 */
export class RecordBatch {
  /** The frame (frameLength bytes). */
  bytes: Uint8Array = EMPTY_U8;
  count = 0;
  offsets: Float64Array = EMPTY_F64;
  timestamps: Float64Array = EMPTY_F64;
  partitions: Int32Array = EMPTY_I32;
  topicIds: Int32Array = EMPTY_I32;
  keyOffsets: Int32Array = EMPTY_I32;
  keyLengths: Int32Array = EMPTY_I32;
  valueOffsets: Int32Array = EMPTY_I32;
  valueLengths: Int32Array = EMPTY_I32;
  headerOffsets: Int32Array = EMPTY_I32;
  headerLengths: Int32Array = EMPTY_I32;
  timestampTypes: Uint8Array = EMPTY_U8;
  /** 1 = keep, 0 = dropped. Filters clear entries; all 1 after reset(). */
  selection: Uint8Array = EMPTY_U8;
  /** Absolute position of the payload in `bytes` (key/value/header offsets are relative to it). */
  payloadStart = 0;
  /** Topics in the frame's table; ids at or above this were added by internTopic(). */
  topicCount = 0;

  private buffer: ArrayBufferLike = EMPTY_U8.buffer;
  private payloadAbs = 0; // byte offset of the payload inside `buffer`
  private topicTable = 0;
  private names: (string | undefined)[] = [];
  private selectionStore: Uint8Array = EMPTY_U8;
  private readonly cursor = new HeaderCursor();

  /** Views over `frame`, which must start 8-aligned in its buffer. */
  static from(frame: Uint8Array): RecordBatch {
    return new RecordBatch().reset(frame);
  }

  /** Point this batch at another frame (validates the header and section bounds). */
  reset(frame: Uint8Array): this {
    const base = frame.byteOffset;
    if ((base & 7) !== 0) throw new BatchFormatError(`frame must start 8-aligned, starts at byte ${base}`);
    if (frame.length < BATCH_HEADER_BYTES) throw new BatchFormatError(`frame of ${frame.length} bytes has no room for a header`);
    const buffer = frame.buffer;
    const h = new Int32Array(buffer, base, BATCH_HEADER_BYTES >> 2);
    if (h[0] !== BATCH_MAGIC) throw new BatchFormatError('not a batch frame (bad magic)');
    if (h[1] !== BATCH_VERSION) throw new BatchFormatError(`unsupported batch frame version ${h[1]}`);
    const frameLength = h[BatchHeader.FRAME_LENGTH >> 2]!;
    const n = h[BatchHeader.COUNT >> 2]!;
    const topicCount = h[BatchHeader.TOPIC_COUNT >> 2]!;
    if (frameLength < BATCH_HEADER_BYTES || frameLength > frame.length) {
      throw new BatchFormatError(`frame length ${frameLength} outside ${BATCH_HEADER_BYTES}..${frame.length}`);
    }
    if (n < 0 || topicCount < 0) throw new BatchFormatError(`bad count ${n} or topic count ${topicCount}`);
    const i32Bytes = align8(4 * n);
    const section = (field: number, bytes: number): number => {
      const off = h[field >> 2]!;
      if ((off & 7) !== 0 || off < BATCH_HEADER_BYTES || off + bytes > frameLength) {
        throw new BatchFormatError(`section at header byte ${field} (offset ${off}, ${bytes} bytes) is misaligned or outside the frame`);
      }
      return base + off;
    };
    this.offsets = new Float64Array(buffer, section(BatchHeader.OFFSET_COL, 8 * n), n);
    this.timestamps = new Float64Array(buffer, section(BatchHeader.TIMESTAMP_COL, 8 * n), n);
    this.partitions = new Int32Array(buffer, section(BatchHeader.PARTITION_COL, i32Bytes), n);
    this.topicIds = new Int32Array(buffer, section(BatchHeader.TOPIC_ID_COL, i32Bytes), n);
    this.keyOffsets = new Int32Array(buffer, section(BatchHeader.KEY_OFFSET_COL, i32Bytes), n);
    this.keyLengths = new Int32Array(buffer, section(BatchHeader.KEY_LENGTH_COL, i32Bytes), n);
    this.valueOffsets = new Int32Array(buffer, section(BatchHeader.VALUE_OFFSET_COL, i32Bytes), n);
    this.valueLengths = new Int32Array(buffer, section(BatchHeader.VALUE_LENGTH_COL, i32Bytes), n);
    this.headerOffsets = new Int32Array(buffer, section(BatchHeader.HEADERS_OFFSET_COL, i32Bytes), n);
    this.headerLengths = new Int32Array(buffer, section(BatchHeader.HEADERS_LENGTH_COL, i32Bytes), n);
    this.timestampTypes = new Uint8Array(buffer, section(BatchHeader.TIMESTAMP_TYPE_COL, n), n);
    const payloadLength = h[BatchHeader.PAYLOAD_LENGTH >> 2]!;
    if (payloadLength < 0) throw new BatchFormatError(`bad payload length ${payloadLength}`);
    this.payloadAbs = section(BatchHeader.PAYLOAD, payloadLength);
    this.payloadStart = this.payloadAbs - base;
    this.topicTable = section(BatchHeader.TOPIC_TABLE, 4 * (topicCount + 1)) - base;
    this.bytes = frameLength === frame.length ? frame : frame.subarray(0, frameLength);
    this.buffer = buffer;
    this.count = n;
    this.topicCount = topicCount;
    this.names.length = 0;
    if (this.selectionStore.length < n) this.selectionStore = new Uint8Array(Math.max(n, 2 * this.selectionStore.length));
    this.selection = this.selectionStore.subarray(0, n);
    this.selection.fill(1);
    return this;
  }

  // ─── per-record accessors ───────────────────────────────────────────────────────────────────

  offset(i: number): number {
    return this.offsets[i]!;
  }

  timestamp(i: number): number {
    return this.timestamps[i]!;
  }

  /** 0 none, 1 CreateTime, 2 LogAppendTime (TimestampTypeCode). */
  timestampType(i: number): number {
    return this.timestampTypes[i]!;
  }

  partition(i: number): number {
    return this.partitions[i]!;
  }

  topicId(i: number): number {
    return this.topicIds[i]!;
  }

  /** The record's topic; one string instance per topic name, shared across frames. */
  topic(i: number): string {
    const id = this.topicIds[i]!;
    return this.names[id] ?? this.topicName(id);
  }

  /** The name of topic `id` (from the frame's table, or added by internTopic). */
  topicName(id: number): string {
    const cached = this.names[id];
    if (cached !== undefined) return cached;
    if (!(id >= 0 && id < this.topicCount)) throw new RangeError(`topic id ${id} not in this frame`);
    const b = this.bytes;
    const t = this.topicTable;
    const names = t + 4 * (this.topicCount + 1);
    const start = names + readI32(b, t + 4 * id);
    const end = names + readI32(b, t + 4 * id + 4);
    if (!(start <= end && end <= b.length)) throw new BatchFormatError(`topic ${id} name outside the frame`);
    const name = topicNames.get(b, start, end);
    this.names[id] = name;
    return name;
  }

  /**
   * The id of `name` for this frame, adding it after the frame's own topics if needed (routers
   * call this, then setTopicId). Added ids live in this RecordBatch only, until the next reset().
   */
  internTopic(name: string): number {
    for (let id = 0; id < this.names.length || id < this.topicCount; id++) {
      if ((id < this.topicCount ? this.topicName(id) : this.names[id]) === name) return id;
    }
    const id = Math.max(this.names.length, this.topicCount);
    this.names[id] = name;
    return id;
  }

  /** Re-route record i (writes the topic column of the frame in place). */
  setTopicId(i: number, id: number): void {
    if (this.names[id] === undefined && !(id >= 0 && id < this.topicCount)) throw new RangeError(`unknown topic id ${id}`);
    this.topicIds[i] = id;
  }

  /** Key length in bytes, -1 for a null key. */
  keyLength(i: number): number {
    return this.keyLengths[i]!;
  }

  /** Value length in bytes, -1 for a null value. */
  valueLength(i: number): number {
    return this.valueLengths[i]!;
  }

  /** A view of the key bytes (one small allocation), null for a null key. */
  keyView(i: number): Uint8Array | null {
    const len = this.keyLengths[i]!;
    if (len < 0) return null;
    return new Uint8Array(this.buffer, this.payloadAbs + this.keyOffsets[i]!, len);
  }

  /** A view of the value bytes (one small allocation), null for a null value. */
  valueView(i: number): Uint8Array | null {
    const len = this.valueLengths[i]!;
    if (len < 0) return null;
    return new Uint8Array(this.buffer, this.payloadAbs + this.valueOffsets[i]!, len);
  }

  /** Absolute position of the key in `bytes` (for code that reads bytes in place). */
  keyStart(i: number): number {
    return this.payloadStart + this.keyOffsets[i]!;
  }

  /** Absolute position of the value in `bytes`. */
  valueStart(i: number): number {
    return this.payloadStart + this.valueOffsets[i]!;
  }

  headerCount(i: number): number {
    if (this.headerLengths[i]! <= 0) return 0;
    return readI32(this.bytes, this.payloadStart + this.headerOffsets[i]!);
  }

  /** The batch's header cursor, positioned before record i's first header. */
  headers(i: number): HeaderCursor {
    return this.cursor.reset(this.bytes, this.payloadStart + this.headerOffsets[i]!, this.headerLengths[i]!);
  }

  // ─── selection ──────────────────────────────────────────────────────────────────────────────

  isSelected(i: number): boolean {
    return this.selection[i] !== 0;
  }

  /** Drop record i (filters, predicates, error tolerance). */
  drop(i: number): void {
    this.selection[i] = 0;
  }

  selectAll(): void {
    this.selection.fill(1);
  }

  /** The first selected index ≥ from, or -1. Loop: for (let i = b.nextSelected(0); i >= 0; i = b.nextSelected(i + 1)) */
  nextSelected(from: number): number {
    return this.selection.indexOf(1, from);
  }

  selectedCount(): number {
    const s = this.selection;
    let c = 0;
    for (let i = 0; i < s.length; i++) c += s[i]!;
    return c;
  }

  /** Writes the selected indices into `out` (at least `count` long) and returns how many. */
  selectedIndices(out: Int32Array): number {
    const s = this.selection;
    let c = 0;
    for (let i = 0; i < s.length; i++) if (s[i] !== 0) out[c++] = i;
    return c;
  }

  /**
   * Checks every record's key, value and header block against the payload bounds. reset() checks
   * sections only (cheap, once per frame); run this on frames from an untrusted writer or in tests.
   */
  validate(): void {
    const payloadEnd = this.payloadStart + readI32(this.bytes, BatchHeader.PAYLOAD_LENGTH);
    const check = (what: string, i: number, off: number, len: number): void => {
      const s = this.payloadStart + off;
      if (off < 0 || s + (len > 0 ? len : 0) > payloadEnd) throw new BatchFormatError(`record ${i}: ${what} outside the payload`);
    };
    for (let i = 0; i < this.count; i++) {
      check('key', i, this.keyOffsets[i]!, this.keyLengths[i]!);
      check('value', i, this.valueOffsets[i]!, this.valueLengths[i]!);
      const hl = this.headerLengths[i]!;
      if (hl < 0) throw new BatchFormatError(`record ${i}: negative header block length`);
      check('headers', i, this.headerOffsets[i]!, hl);
      if (hl > 0) {
        const end = this.payloadStart + this.headerOffsets[i]! + hl;
        const c = this.headers(i);
        if (c.remaining < 0) throw new BatchFormatError(`record ${i}: negative header count`);
        while (c.next()) {
          if (c.keyLength < 0 || c.keyOffset + c.keyLength > end || c.valueOffset + Math.max(c.valueLength, 0) > end) {
            throw new BatchFormatError(`record ${i}: header outside its block`);
          }
        }
      }
      const t = this.topicIds[i]!;
      if (t < 0 || t >= this.topicCount) throw new BatchFormatError(`record ${i}: topic id ${t} not in the table`);
    }
  }
}

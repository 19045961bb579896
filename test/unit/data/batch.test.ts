import { describe, expect, it } from 'vitest';
import {
  align8,
  BATCH_HEADER_BYTES,
  BATCH_MAGIC,
  BatchFormatError,
  BatchHeader,
  columnBytes,
  RecordBatch,
  TimestampTypeCode,
  topicTableBytes,
} from '../../../src/data/batch.js';
import { BatchWriter, utf8Length, type BatchHeaderEntry } from '../../../src/data/batch-writer.js';
import { RingBuffer } from '../../../src/engine/ring/ring-buffer.js';
import { appendRecord, frameBound, newScratch, verifyBatch } from '../../fixtures/ring-records.js';

const enc = new TextEncoder();
const bytes = (s: string) => enc.encode(s);
const text = (b: Uint8Array | null) => (b === null ? null : new TextDecoder().decode(b));

interface Rec {
  topic: string;
  partition: number;
  offset: number;
  timestamp: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers?: BatchHeaderEntry[] | null;
  tsType?: number;
}

function build(records: Rec[], size = 64 * 1024, maxRecords = records.length): { frame: Uint8Array; length: number } {
  const buf = new Uint8Array(size);
  const w = new BatchWriter(buf, maxRecords);
  for (const r of records) {
    expect(w.append(r.topic, r.partition, r.offset, r.timestamp, r.key, r.value, r.headers, r.tsType)).toBe(true);
  }
  const length = w.finish();
  return { frame: buf.subarray(0, length), length };
}

const sample: Rec[] = [
  { topic: 'orders', partition: 3, offset: 0, timestamp: 1_700_000_000_123, key: bytes('k0'), value: bytes('hello') },
  { topic: 'payments', partition: 0, offset: 2 ** 53 - 1, timestamp: -1, key: null, value: bytes('v1'), tsType: TimestampTypeCode.NONE },
  { topic: 'orders', partition: 3, offset: 2 ** 32 + 5, timestamp: 5, key: bytes('k2'), value: null, tsType: TimestampTypeCode.LOG_APPEND_TIME },
  {
    topic: 'données',
    partition: 2147483647,
    offset: 7,
    timestamp: 8,
    key: new Uint8Array(0),
    value: new Uint8Array(0),
    headers: [
      ['trace', bytes('abc')],
      ['nul', null],
      ['ключ', new Uint8Array(0)],
    ],
  },
];

describe('batch frame layout', () => {
  it('writes the documented header, 8-aligned sections and exact size', () => {
    const { frame, length } = build(sample);
    const h = new Int32Array(frame.buffer, frame.byteOffset, BATCH_HEADER_BYTES / 4);
    expect(Array.from(frame.subarray(0, 4))).toEqual([0x53, 0x4c, 0x42, 0x46]); // "SLBF"
    expect(h[0]).toBe(BATCH_MAGIC);
    expect(h[1]).toBe(1);
    expect(h[BatchHeader.FRAME_LENGTH / 4]).toBe(length);
    expect(length % 8).toBe(0);
    expect(h[BatchHeader.COUNT / 4]).toBe(4);
    expect(h[BatchHeader.TOPIC_COUNT / 4]).toBe(3);
    for (let f: number = BatchHeader.TOPIC_TABLE; f <= BatchHeader.TIMESTAMP_TYPE_COL; f += 4) {
      if (f === BatchHeader.PAYLOAD_LENGTH) continue;
      expect(h[f / 4]! % 8, `section at header byte ${f}`).toBe(0);
    }
    for (let f = 80; f < 96; f += 4) expect(h[f / 4]).toBe(0);
    // columns at the documented spots after the header
    expect(h[BatchHeader.OFFSET_COL / 4]).toBe(96);
    expect(h[BatchHeader.TIMESTAMP_COL / 4]).toBe(96 + 32);
    expect(h[BatchHeader.PARTITION_COL / 4]).toBe(96 + 64);
    expect(h[BatchHeader.KEY_OFFSET_COL / 4]).toBe(96 + 64 + 2 * 16);
    expect(h[BatchHeader.PAYLOAD / 4]).toBe(96 + columnBytes(4));
    const payload = 2 + 5 + 2 + 2 + BatchWriter.headerBlockSize(sample[3]!.headers);
    expect(h[BatchHeader.PAYLOAD_LENGTH / 4]).toBe(payload);
    const names = ['orders', 'payments', 'données'];
    expect(length).toBe(BatchWriter.estimate(4, payload, names));
    expect(length).toBe(96 + columnBytes(4) + align8(payload) + topicTableBytes(3, utf8Length('orderspaymentsdonnées')));
  });

  it('reads back every field through views', () => {
    const { frame } = build(sample);
    const b = RecordBatch.from(frame);
    b.validate();
    expect(b.count).toBe(4);
    expect([0, 1, 2, 3].map((i) => b.topic(i))).toEqual(['orders', 'payments', 'orders', 'données']);
    expect([0, 1, 2, 3].map((i) => b.partition(i))).toEqual([3, 0, 3, 2147483647]);
    expect([0, 1, 2, 3].map((i) => b.offset(i))).toEqual([0, 2 ** 53 - 1, 2 ** 32 + 5, 7]);
    expect([0, 1, 2, 3].map((i) => b.timestamp(i))).toEqual([1_700_000_000_123, -1, 5, 8]);
    expect([0, 1, 2, 3].map((i) => b.timestampType(i))).toEqual([1, 0, 2, 1]);
    expect(text(b.keyView(0))).toBe('k0');
    expect(text(b.valueView(0))).toBe('hello');
    expect(b.keyView(1)).toBeNull();
    expect(b.keyLength(1)).toBe(-1);
    expect(b.valueView(2)).toBeNull();
    expect(b.valueLength(2)).toBe(-1);
    expect(b.keyView(3)!.length).toBe(0); // empty is not null
    expect(b.valueView(3)!.length).toBe(0);
    // views point into the frame, no copy
    const v = b.valueView(0)!;
    expect(v.buffer).toBe(frame.buffer);
    expect(v.byteOffset).toBe(frame.byteOffset + b.valueStart(0));
    expect(text(frame.subarray(b.keyStart(0), b.keyStart(0) + 2))).toBe('k0');
    // the columns are public typed arrays
    expect(b.offsets).toBeInstanceOf(Float64Array);
    expect(Array.from(b.valueLengths)).toEqual([5, 2, -1, 0]);
  });

  it('reads headers: count, UTF-8 keys, null and empty values', () => {
    const { frame } = build(sample);
    const b = RecordBatch.from(frame);
    expect([0, 1, 2].map((i) => b.headerCount(i))).toEqual([0, 0, 0]);
    expect(b.headers(0).next()).toBe(false);
    expect(b.headerCount(3)).toBe(3);
    const got: [string, string | null][] = [];
    for (const h = b.headers(3); h.next(); ) got.push([h.key(), text(h.valueView())]);
    expect(got).toEqual([
      ['trace', 'abc'],
      ['nul', null],
      ['ключ', ''],
    ]);
    const h = b.headers(3);
    expect(h.remaining).toBe(3);
    h.next();
    expect(text(h.keyView())).toBe('trace');
    expect(h.valueLength).toBe(3);
  });

  it('interns topic names: one string per name, across frames too', () => {
    const t1 = ['orders', 'x'].join('-');
    const t2 = ['orders', 'x'].join('-'); // equal, but another string instance
    const a = RecordBatch.from(build([{ topic: t1, partition: 0, offset: 0, timestamp: 0, key: null, value: null }]).frame);
    const b = RecordBatch.from(
      build([
        { topic: 'other', partition: 0, offset: 0, timestamp: 0, key: null, value: null },
        { topic: t2, partition: 0, offset: 1, timestamp: 0, key: null, value: null },
        { topic: t2, partition: 0, offset: 2, timestamp: 0, key: null, value: null },
      ]).frame,
    );
    expect(b.topicCount).toBe(2);
    expect(b.topicId(1)).toBe(b.topicId(2));
    expect(b.topic(1)).toBe(b.topic(2));
    expect(Object.is(a.topic(0), b.topic(1))).toBe(true);
  });

  it('rewrites topics in place for routers (internTopic / setTopicId)', () => {
    const b = RecordBatch.from(build(sample).frame);
    const existing = b.internTopic('payments');
    expect(existing).toBe(b.topicId(1));
    const routed = b.internTopic('orders-routed');
    expect(routed).toBe(3);
    expect(b.internTopic('orders-routed')).toBe(3);
    b.setTopicId(0, routed);
    expect(b.topic(0)).toBe('orders-routed');
    expect(b.topic(2)).toBe('orders');
    expect(() => b.setTopicId(0, 99)).toThrow(RangeError);
  });

  it('reads a frame laid out in the canonical order by hand (what the C++ consumer writes)', () => {
    // header | topic table | columns | payload, from the documented offsets only
    const topics = ['t-a', 'tb'];
    const recs = [
      { topic: 1, partition: 4, offset: 100, ts: 1000, tsType: 2, key: 'K', value: 'VV', headers: null as null | [string, string | null][] },
      { topic: 0, partition: 5, offset: 101, ts: 1001, tsType: 1, key: null, value: 'W', headers: [['h', null]] as [string, string | null][] },
    ];
    const n = recs.length;
    const buf = new ArrayBuffer(1024);
    const dv = new DataView(buf);
    const u8 = new Uint8Array(buf);
    const put32 = (p: number, v: number) => dv.setInt32(p, v, true);
    let p = 96;
    const table = p;
    let q = 0;
    const nameBytes = topics.map((t) => bytes(t));
    const names = table + 4 * (topics.length + 1);
    nameBytes.forEach((nb, j) => {
      put32(table + 4 * j, q);
      u8.set(nb, names + q);
      q += nb.length;
    });
    put32(table + 4 * topics.length, q);
    p = align8(names + q);
    const cols: Record<string, number> = {};
    cols.offset = p; p += 8 * n;
    cols.ts = p; p += 8 * n;
    for (const c of ['partition', 'topic', 'koff', 'klen', 'voff', 'vlen', 'hoff', 'hlen']) {
      cols[c] = p;
      p += align8(4 * n);
    }
    cols.tsType = p; p += align8(n);
    const payload = p;
    let pl = 0;
    recs.forEach((r, i) => {
      dv.setFloat64(cols.offset! + 8 * i, r.offset, true);
      dv.setFloat64(cols.ts! + 8 * i, r.ts, true);
      put32(cols.partition! + 4 * i, r.partition);
      put32(cols.topic! + 4 * i, r.topic);
      u8[cols.tsType! + i] = r.tsType;
      put32(cols.koff! + 4 * i, pl);
      if (r.key === null) put32(cols.klen! + 4 * i, -1);
      else {
        put32(cols.klen! + 4 * i, r.key.length);
        u8.set(bytes(r.key), payload + pl);
        pl += r.key.length;
      }
      put32(cols.voff! + 4 * i, pl);
      put32(cols.vlen! + 4 * i, r.value.length);
      u8.set(bytes(r.value), payload + pl);
      pl += r.value.length;
      put32(cols.hoff! + 4 * i, pl);
      if (r.headers === null) put32(cols.hlen! + 4 * i, 0);
      else {
        const start = pl;
        put32(payload + pl, r.headers.length);
        pl += 4;
        for (const [hk, hv] of r.headers) {
          put32(payload + pl, hk.length);
          u8.set(bytes(hk), payload + pl + 4);
          pl += 4 + hk.length;
          put32(payload + pl, hv === null ? -1 : hv.length);
          pl += 4;
        }
        put32(cols.hlen! + 4 * i, pl - start);
      }
    });
    const frameLength = align8(payload + pl);
    const header: [number, number][] = [
      [BatchHeader.MAGIC, BATCH_MAGIC], [BatchHeader.VERSION, 1], [BatchHeader.FRAME_LENGTH, frameLength],
      [BatchHeader.COUNT, n], [BatchHeader.FLAGS, 0], [BatchHeader.TOPIC_COUNT, topics.length],
      [BatchHeader.TOPIC_TABLE, table], [BatchHeader.PAYLOAD, payload], [BatchHeader.PAYLOAD_LENGTH, pl],
      [BatchHeader.OFFSET_COL, cols.offset!], [BatchHeader.TIMESTAMP_COL, cols.ts!],
      [BatchHeader.PARTITION_COL, cols.partition!], [BatchHeader.TOPIC_ID_COL, cols.topic!],
      [BatchHeader.KEY_OFFSET_COL, cols.koff!], [BatchHeader.KEY_LENGTH_COL, cols.klen!],
      [BatchHeader.VALUE_OFFSET_COL, cols.voff!], [BatchHeader.VALUE_LENGTH_COL, cols.vlen!],
      [BatchHeader.HEADERS_OFFSET_COL, cols.hoff!], [BatchHeader.HEADERS_LENGTH_COL, cols.hlen!],
      [BatchHeader.TIMESTAMP_TYPE_COL, cols.tsType!],
    ];
    for (const [at, v] of header) put32(at, v);
    expect(frameLength).toBe(BatchWriter.estimate(n, pl, topics));

    const b = RecordBatch.from(u8.subarray(0, frameLength));
    b.validate();
    expect([b.topic(0), b.topic(1)]).toEqual(['tb', 't-a']);
    expect([b.partition(0), b.partition(1)]).toEqual([4, 5]);
    expect([b.offset(0), b.offset(1)]).toEqual([100, 101]);
    expect([b.timestamp(0), b.timestamp(1)]).toEqual([1000, 1001]);
    expect([b.timestampType(0), b.timestampType(1)]).toEqual([2, 1]);
    expect([text(b.keyView(0)), text(b.keyView(1))]).toEqual(['K', null]);
    expect([text(b.valueView(0)), text(b.valueView(1))]).toEqual(['VV', 'W']);
    expect([b.headerCount(0), b.headerCount(1)]).toEqual([0, 1]);
    const h = b.headers(1);
    expect(h.next()).toBe(true);
    expect([h.key(), h.valueView()]).toEqual(['h', null]);
  });
});

describe('RecordBatch selection', () => {
  const recs = (n: number): Rec[] =>
    Array.from({ length: n }, (_, i) => ({ topic: 't', partition: 0, offset: i, timestamp: 0, key: null, value: null }));

  it('starts all selected; filters clear bits; helpers iterate the rest', () => {
    const b = RecordBatch.from(build(recs(10)).frame);
    expect(Array.from(b.selection)).toEqual(new Array(10).fill(1));
    expect(b.selectedCount()).toBe(10);
    for (const i of [0, 3, 4, 9]) b.drop(i);
    expect(b.isSelected(3)).toBe(false);
    expect(b.isSelected(5)).toBe(true);
    expect(b.selectedCount()).toBe(6);
    const seen: number[] = [];
    for (let i = b.nextSelected(0); i >= 0; i = b.nextSelected(i + 1)) seen.push(i);
    expect(seen).toEqual([1, 2, 5, 6, 7, 8]);
    const out = new Int32Array(10);
    expect(b.selectedIndices(out)).toBe(6);
    expect(Array.from(out.subarray(0, 6))).toEqual([1, 2, 5, 6, 7, 8]);
    b.selectAll();
    expect(b.selectedCount()).toBe(10);
  });

  it('is reset for each frame when a RecordBatch is reused', () => {
    const b = RecordBatch.from(build(recs(4)).frame);
    b.drop(1);
    b.reset(build(recs(6)).frame);
    expect(b.count).toBe(6);
    expect(b.selectedCount()).toBe(6);
    b.reset(build(recs(0)).frame);
    expect(b.count).toBe(0);
    expect(b.nextSelected(0)).toBe(-1);
  });
});

describe('BatchWriter', () => {
  it('returns false when maxRecords are in, and the frame stays valid', () => {
    const buf = new Uint8Array(4096);
    const w = new BatchWriter(buf, 2);
    expect(w.append('t', 0, 0, 0, null, bytes('a'))).toBe(true);
    expect(w.append('t', 0, 1, 0, null, bytes('b'))).toBe(true);
    expect(w.append('t', 0, 2, 0, null, bytes('c'))).toBe(false);
    const b = RecordBatch.from(buf.subarray(0, w.finish()));
    expect(b.count).toBe(2);
    expect(text(b.valueView(1))).toBe('b');
  });

  it('returns false when the payload does not fit, changing nothing; fills to the exact byte', () => {
    const maxRecords = 8;
    // columns for 8 records, a payload of exactly three 40-byte values, one topic
    const buf = new Uint8Array(BatchWriter.estimate(maxRecords, 3 * 40, ['topic']));
    const w = new BatchWriter(buf, maxRecords);
    const v = new Uint8Array(40).fill(9);
    let n = 0;
    while (w.append('topic', 0, n, 0, null, v)) n++;
    expect(n).toBe(3);
    expect(w.append('topic', 0, n, 0, null, new Uint8Array(1))).toBe(false);
    expect(w.append('another-topic', 0, n, 0, null, null)).toBe(false); // its table entry does not fit
    expect(w.append('topic', 0, n, 0, null, null)).toBe(true); // a null value still fits
    const len = w.finish();
    expect(len).toBe(buf.length);
    const b = RecordBatch.from(buf);
    b.validate();
    expect(b.count).toBe(4);
    expect(b.topicCount).toBe(1);
  });

  it('packs UTF-8 header keys exactly when the worst case would not fit', () => {
    const headers: BatchHeaderEntry[] = [['ééé', bytes('x')]];
    const payload = BatchWriter.payloadSize(null, null, headers);
    expect(payload).toBe(4 + 4 + 6 + 4 + 1);
    const buf = new Uint8Array(BatchWriter.estimate(1, payload, ['t']));
    const w = new BatchWriter(buf, 1);
    expect(w.append('t', 0, 0, 0, null, null, headers)).toBe(true);
    const b = RecordBatch.from(buf.subarray(0, w.finish()));
    const h = b.headers(0);
    expect(h.next()).toBe(true);
    expect(h.key()).toBe('ééé');
  });

  it('is reusable frame after frame on the same buffer', () => {
    const buf = new Uint8Array(8192);
    const w = new BatchWriter(buf, 16);
    const s = newScratch(20);
    const batch = new RecordBatch();
    let next = 0;
    for (let f = 0; f < 5; f++) {
      w.reset();
      for (let k = 0; k < 16; k++) expect(appendRecord(w, next + k, s)).toBe(true);
      buf.fill(0xee, w.frameLength); // garbage after the frame does not matter
      const len = w.finish();
      next = verifyBatch(batch.reset(buf.subarray(0, len)), next, 20);
    }
    expect(next).toBe(80);
  });

  it('rejects misaligned targets and targets too small for the columns', () => {
    const buf = new Uint8Array(1024);
    expect(() => new BatchWriter(buf.subarray(4), 1)).toThrow(/8-aligned/);
    expect(() => new BatchWriter(buf, 100)).toThrow(RangeError);
  });

  it('computes UTF-8 lengths like TextEncoder', () => {
    for (const s of ['', 'abc', 'é', '€', '😀', 'a😀b', '\ud800', '\udc00x', 'ключ']) {
      expect(utf8Length(s), JSON.stringify(s)).toBe(enc.encode(s).length);
    }
  });
});

describe('RecordBatch validation', () => {
  it('rejects bad magic, misalignment and sections outside the frame', () => {
    const { frame } = build(sample);
    const copy = () => {
      const c = new Uint8Array(frame.length);
      c.set(frame);
      return c;
    };
    const badMagic = copy();
    badMagic[0] = 0;
    expect(() => RecordBatch.from(badMagic)).toThrow(BatchFormatError);
    const shifted = new Uint8Array(frame.length + 4);
    shifted.set(frame, 4);
    expect(() => RecordBatch.from(shifted.subarray(4))).toThrow(/8-aligned/);
    const outside = copy();
    new Int32Array(outside.buffer)[BatchHeader.PAYLOAD_LENGTH / 4] = frame.length;
    expect(() => RecordBatch.from(outside)).toThrow(/outside/);
    const misaligned = copy();
    new Int32Array(misaligned.buffer)[BatchHeader.TIMESTAMP_COL / 4]! += 4;
    expect(() => RecordBatch.from(misaligned)).toThrow(/misaligned/);
    expect(() => RecordBatch.from(frame.subarray(0, frame.length - 8))).toThrow(/frame length/);
    const badValue = copy();
    const b = RecordBatch.from(badValue);
    b.valueLengths[0] = 100000;
    expect(() => b.validate()).toThrow(/value outside/);
  });
});

describe('batch frames in a ring', () => {
  it('writes into a reservation and reads in place from the shared memory', () => {
    const ring = RingBuffer.create(1 << 16);
    const consumer = RingBuffer.attach(ring.buffer);
    const w = new BatchWriter();
    const s = newScratch(33);
    const batch = new RecordBatch();
    let produced = 0;
    let next = 0;
    for (let round = 0; round < 50; round++) {
      const view = ring.tryReserve(frameBound(100, 33))!;
      w.reset(view, 100);
      for (let k = 0; k < 100; k++) appendRecord(w, produced++, s);
      ring.commit(w.finish());
      const frame = consumer.tryRead()!;
      batch.reset(frame);
      expect(batch.bytes.buffer).toBe(ring.buffer);
      next = verifyBatch(batch, next, 33);
      consumer.release();
    }
    expect(next).toBe(5000);
  });
});

describe('BatchWriter.appendValue', () => {
  it('writes the same frame as append() with a null key and no headers', () => {
    const src = new Uint8Array(300).map((_, i) => (i * 7) & 0xff);
    const ranges: [number, number][] = [[0, 10], [10, 10], [20, 90], [90, 300], [5, 69]];
    const a = new Uint8Array(8192);
    const b = new Uint8Array(8192);
    const wa = new BatchWriter(a, 8);
    const wb = new BatchWriter(b, 8);
    for (const [i, [s, e]] of ranges.entries()) {
      const topic = i === 3 ? 'other' : 'lines';
      expect(wa.append(topic, -1, -1, 1000 + i, null, src.subarray(s, e), null)).toBe(true);
      expect(wb.appendValue(topic, -1, 1000 + i, src, s, e)).toBe(true);
    }
    const la = wa.finish();
    expect(wb.finish()).toBe(la);
    expect(Buffer.from(b.subarray(0, la))).toEqual(Buffer.from(a.subarray(0, la)));
  });

  it('refuses a record that does not fit, like append()', () => {
    const w = new BatchWriter(new Uint8Array(512), 4);
    expect(w.appendValue('t', -1, 0, new Uint8Array(1000), 0, 1000)).toBe(false);
    expect(w.appendValue('t', -1, 0, new Uint8Array(10), 0, 10)).toBe(true);
  });
});

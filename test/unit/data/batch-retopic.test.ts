import { describe, expect, it } from 'vitest';
import { BatchFormatError, RecordBatch, TimestampTypeCode } from '../../../src/data/batch.js';
import { retopicFrame, retopicFrameBytes } from '../../../src/data/batch-retopic.js';
import { BatchWriter } from '../../../src/data/batch-writer.js';

const enc = new TextEncoder();
const bytes = (s: string): Uint8Array => enc.encode(s);
const text = (b: Uint8Array | null): string | null => (b === null ? null : new TextDecoder().decode(b));

function frameOf(): Uint8Array {
  const buf = new Uint8Array(64 * 1024);
  const w = new BatchWriter(buf, 4);
  w.append('orders', 3, 10, 1_700_000_000_000, bytes('k0'), bytes('v0'), [['trace', bytes('t0')], ['nul', null]]);
  w.append('payments', 0, 2 ** 40, 5, null, bytes('v1'), null, TimestampTypeCode.LOG_APPEND_TIME);
  w.append('orders', 1, 11, 6, bytes('k2'), null);
  return buf.subarray(0, w.finish());
}

/** Everything of a record but its topic, as a reader sees it. */
function records(frame: Uint8Array): unknown[] {
  const b = RecordBatch.from(frame);
  return Array.from({ length: b.count }, (_, i) => {
    const headers: [string, string | null][] = [];
    const c = b.headers(i);
    while (c.next()) headers.push([c.key(), text(c.valueView())]);
    return [b.partition(i), b.offset(i), b.timestamp(i), b.timestampType(i), text(b.keyView(i)), text(b.valueView(i)), headers];
  });
}

describe('retopicFrame', () => {
  it('renames each topic of the table and keeps every other byte of every record', () => {
    const frame = frameOf();
    const names = ['us-east.orders', 'us-east.paiements-é'];
    const target = new Uint8Array(retopicFrameBytes(frame, names) + 16);
    const length = retopicFrame(frame, target, names);
    expect(length).toBe(retopicFrameBytes(frame, names));
    const out = target.subarray(0, length);
    const batch = RecordBatch.from(out);
    batch.validate();
    expect([0, 1, 2].map((i) => batch.topic(i))).toEqual(['us-east.orders', 'us-east.paiements-é', 'us-east.orders']);
    expect(records(out)).toEqual(records(frame));
  });

  it('refuses a name list that does not match the topic table, and a target that is too small', () => {
    const frame = frameOf();
    expect(() => retopicFrame(frame, new Uint8Array(1 << 16), ['only-one'])).toThrow(BatchFormatError);
    expect(() => retopicFrame(frame, new Uint8Array(frame.length), ['a', 'b'])).toThrow(/the target has/);
  });
});

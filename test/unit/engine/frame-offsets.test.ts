import { describe, expect, it } from 'vitest';
import { FrameOffsets, type FrameOffsetEntry } from '../../../src/engine/frame-offsets.js';

const P0 = { cluster: 'src', topic: 't', partition: 0 };
const P1 = { cluster: 'src', topic: 't', partition: 1 };

function entry(tracker: FrameOffsets, records: number, offsets: [typeof P0, number][]): FrameOffsetEntry {
  const e = tracker.open();
  for (const [p, o] of offsets) e.offsets.set(`${p.partition}`, { partition: p, offset: { offset: o } });
  tracker.written(e, records);
  tracker.seal(e);
  return e;
}

const committed = (t: FrameOffsets): [number, number][] =>
  t.committable().offsets.map((o): [number, number] => [o.partition['partition'] as number, o.offset['offset'] as number]).sort();

describe('FrameOffsets', () => {
  it('commits a frame only once it and every earlier frame are acknowledged', () => {
    const t = new FrameOffsets();
    const a = entry(t, 2, [[P0, 10], [P1, 4]]);
    const b = entry(t, 1, [[P0, 11]]);
    t.ack(b);
    expect(committed(t)).toEqual([]); // b is done, a is not
    t.ack(a);
    expect(t.pending).toBe(1);
    expect(committed(t)).toEqual([]);
    t.ack(a);
    expect(t.pending).toBe(0);
    // a and b are complete: the later offset of P0 wins, P1 comes from a.
    expect(committed(t)).toEqual([[0, 11], [1, 4]]);
    expect(committed(t)).toEqual([]); // handed out once
  });

  it('holds back an entry still being written, and commits a frame whose records were all dropped', () => {
    const t = new FrameOffsets();
    const open = t.open();
    open.offsets.set('0', { partition: P0, offset: { offset: 3 } });
    expect(committed(t)).toEqual([]);
    t.seal(open); // nothing was produced: every record was dropped
    expect(committed(t)).toEqual([[0, 3]]);
  });

  it('resolves awaitAllAcked when the last record is acknowledged', async () => {
    const t = new FrameOffsets();
    const a = entry(t, 1, [[P0, 1]]);
    let done = false;
    const waiting = t.awaitAllAcked().then(() => (done = true));
    await Promise.resolve();
    expect(done).toBe(false);
    t.ack(a);
    await waiting;
    expect(done).toBe(true);
  });
});

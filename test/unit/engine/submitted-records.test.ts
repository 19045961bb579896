import { describe, expect, it } from 'vitest';
import { SubmittedRecords } from '../../../src/engine/submitted-records.js';

describe('SubmittedRecords', () => {
  it('commits an offset only when every earlier record of its partition is acknowledged', () => {
    const s = new SubmittedRecords('c');
    const a = s.submit({ f: 'a' }, { pos: 1 });
    const b = s.submit({ f: 'a' }, { pos: 2 });
    const c = s.submit({ f: 'a' }, { pos: 3 });
    s.ack(b);
    s.ack(c);
    expect(s.committable().offsets).toEqual([]);
    s.ack(a);
    expect(s.committable().offsets).toEqual([{ partition: { f: 'a' }, offset: { pos: 3 } }]);
    // once taken, an offset is not offered again
    expect(s.committable().offsets).toEqual([]);
  });

  it('tracks source partitions independently', () => {
    const s = new SubmittedRecords('c');
    const a1 = s.submit({ f: 'a' }, { pos: 1 });
    s.submit({ f: 'a' }, { pos: 2 });
    const b1 = s.submit({ f: 'b' }, { pos: 10 });
    s.ack(a1);
    s.ack(b1);
    expect(s.committable()).toEqual({
      offsets: [
        { partition: { f: 'a' }, offset: { pos: 1 } },
        { partition: { f: 'b' }, offset: { pos: 10 } },
      ],
      pending: 1,
    });
  });

  it('treats partitions with the same keys in another order as one', () => {
    const s = new SubmittedRecords('c');
    const a = s.submit({ x: 1, y: 2 }, { pos: 1 });
    const b = s.submit({ y: 2, x: 1 }, { pos: 2 });
    s.ack(b);
    expect(s.committable().offsets).toEqual([]);
    s.ack(a);
    expect(s.committable().offsets).toEqual([{ partition: { x: 1, y: 2 }, offset: { pos: 2 } }]);
  });

  it('waits for outstanding acknowledgements, with a timeout', async () => {
    const s = new SubmittedRecords('c');
    const a = s.submit({ f: 'a' }, { pos: 1 });
    expect(await s.awaitAllAcked(10)).toBe(false);
    const waiting = s.awaitAllAcked(1000);
    s.ack(a);
    expect(await waiting).toBe(true);
  });

  it('keeps long runs of acknowledged records bounded in memory', () => {
    const s = new SubmittedRecords('c');
    const first = s.submit({ f: 'a' }, { pos: 0 });
    const handles = [];
    for (let i = 1; i <= 5000; i++) handles.push(s.submit({ f: 'a' }, { pos: i }));
    s.ack(first);
    for (const h of handles.slice(0, 4000)) s.ack(h);
    expect(s.committable().offsets).toEqual([{ partition: { f: 'a' }, offset: { pos: 4000 } }]);
    for (const h of handles.slice(4000)) s.ack(h);
    expect(s.committable().offsets).toEqual([{ partition: { f: 'a' }, offset: { pos: 5000 } }]);
  });
});

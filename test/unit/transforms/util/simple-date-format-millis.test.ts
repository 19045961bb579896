/**
 * SimpleDateFormat.format(epoch millis) breaks the millis down arithmetically instead of asking a
 * Date, and reuses the text of the last day it printed; it must print exactly what
 * format(new Date(millis)) prints, across the whole Date range, in any order.
 */
import { describe, expect, it } from 'vitest';
import { SimpleDateFormat } from '../../../../src/transforms/util/simple-date-format.js';

const MAX = 8.64e15;
const DAY = 86_400_000;

function samples(): number[] {
  const out = [0, -0, 1, -1, DAY - 1, DAY, -DAY, -DAY - 1, MAX, -MAX, MAX - 1, -MAX + 1, 951_782_400_000, 951_868_800_000, 1_700_000_000_000];
  // Around every year's first days and the leap days of a few centuries, then random instants.
  for (const year of [-271_821, -4713, -1, 0, 1, 4, 100, 400, 1582, 1600, 1900, 1969, 1970, 2000, 2024, 2100, 9999, 275_759]) {
    const d = new Date(0);
    d.setUTCFullYear(year, 0, 1);
    for (const delta of [-DAY - 1, -1, 0, 1, 59 * DAY, 60 * DAY - 1, 60 * DAY, 365 * DAY]) {
      const t = d.getTime() + delta;
      if (Math.abs(t) <= MAX) out.push(t);
    }
  }
  let seed = 42;
  const random = (): number => {
    seed = (seed * 1_103_515_245 + 12_345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  for (let i = 0; i < 20_000; i++) out.push(Math.round((random() * 2 - 1) * MAX));
  for (let i = 0; i < 20_000; i++) out.push(Math.round((random() * 2 - 1) * 4e12));
  // Runs within one day and across midnight, as a stream's timestamps come: format() reuses the
  // day's text between calls, so the same day must print its new time of day each time.
  for (const base of [1_700_000_000_000, -1_700_000_000_000, -1, 951_782_400_000 - 5]) {
    for (let i = 0; i < 2_000; i++) out.push(base + Math.floor(random() * 3 * DAY) - DAY);
    for (let i = 0; i < 200; i++) out.push(base + i * 997);
  }
  return out;
}

describe('SimpleDateFormat.format(millis) = format(new Date(millis))', () => {
  for (const pattern of ["G yyyy yy y MMMM MMM MM M LL dd d D F E EEEE u a HH H kk K hh h mm m ss s SSS S z zzzz Z X", "yyyy-MM-dd'T'HH:mm:ss.SSS", 'yyyyMMdd']) {
    it(pattern, () => {
      const format = new SimpleDateFormat(pattern);
      const bad = samples().filter((t) => format.format(t) !== format.format(new Date(t)));
      expect(bad.slice(0, 5).map((t) => [t, format.format(t), format.format(new Date(t))])).toEqual([]);
    });
  }

  it('keeps the Date path for what a Date cannot hold, and for week fields', () => {
    const format = new SimpleDateFormat('yyyy-MM-dd');
    expect(format.format(MAX + 1)).toBe(format.format(new Date(MAX + 1)));
    expect(format.format(1.5)).toBe(format.format(new Date(1.5)));
    const weeks = new SimpleDateFormat('YYYY-ww');
    expect(weeks.format(1_700_000_000_000)).toBe(weeks.format(new Date(1_700_000_000_000)));
  });
});

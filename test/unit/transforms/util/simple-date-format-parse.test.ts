/**
 * SimpleDateFormat.parse as sluice reads timestamps (TimestampConverter): the expected instants
 * are what Java 17's lenient SimpleDateFormat (UTC) gives for the same text; the compat fixtures
 * in test/compat/transforms/ (TimestampConverter-Formats.json) check more of them against Kafka.
 */
import { describe, expect, it } from 'vitest';
import { DateParseError, PatternError, SimpleDateFormat } from '../../../../src/transforms/util/simple-date-format.js';

const parse = (pattern: string, text: string) => new SimpleDateFormat(pattern).parse(text).toISOString();

describe('SimpleDateFormat.parse', () => {
  it('reads the common ISO-8601 shapes, with literal or real zones', () => {
    expect(parse("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'", '2023-11-14T22:13:20.123Z')).toBe('2023-11-14T22:13:20.123Z');
    expect(parse("yyyy-MM-dd'T'HH:mm:ssXXX", '2023-11-14T22:13:20+02:00')).toBe('2023-11-14T20:13:20.000Z');
    expect(parse("yyyy-MM-dd'T'HH:mm:ssZ", '2023-11-14T22:13:20-0130')).toBe('2023-11-14T23:43:20.000Z');
    expect(parse('EEE MMM dd HH:mm:ss zzz yyyy', 'Tue Nov 14 22:13:20 UTC 2023')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('parses leniently: overflowing fields roll over, widths are minimums, trailing text is ignored', () => {
    expect(parse('yyyy-MM-dd HH:mm', '2023-11-14 24:00')).toBe('2023-11-15T00:00:00.000Z');
    expect(parse('yyyy-MM-dd', '2023-03-00')).toBe('2023-02-28T00:00:00.000Z');
    expect(parse('d/M/yyyy H:m:s', '4/1/2023 5:6:7')).toBe('2023-01-04T05:06:07.000Z');
    expect(parse('yyyy-MM-dd', '2023-11-14 and more')).toBe('2023-11-14T00:00:00.000Z');
    expect(parse('ss.SSS', '20.1234')).toBe('1970-01-01T00:00:21.234Z');
  });

  it('splits abutting numeric fields by the pattern widths', () => {
    expect(parse('yyyyMMddHHmmss', '20231114221320')).toBe('2023-11-14T22:13:20.000Z');
  });

  it('reads 12-hour clocks and names in any case', () => {
    expect(parse('MM/dd/yyyy hh:mm a', '11/14/2023 12:05 AM')).toBe('2023-11-14T00:05:00.000Z');
    expect(parse('MM/dd/yyyy hh:mm a', '11/14/2023 12:05 pm')).toBe('2023-11-14T12:05:00.000Z');
    expect(parse('dd MMMM yyyy', '14 NOVEMBER 2023')).toBe('2023-11-14T00:00:00.000Z');
  });

  it('places a two-digit yy year within 80 years before and 20 after now', () => {
    const thisYear = new Date().getUTCFullYear();
    const inWindow = (year: number) => year >= thisYear - 80 && year < thisYear + 20;
    expect(inWindow(new SimpleDateFormat('yy').parse('23').getUTCFullYear())).toBe(true);
    expect(inWindow(new SimpleDateFormat('yy').parse('99').getUTCFullYear())).toBe(true);
    expect(parse('dd.MM.yy', '14.11.2023')).toBe('2023-11-14T00:00:00.000Z');
  });

  it('fails with ParseException on text that does not match', () => {
    expect(() => new SimpleDateFormat('yyyy-MM-dd').parse('2023/11/14')).toThrow(new DateParseError('Unparseable date: "2023/11/14"', 4));
    expect(() => new SimpleDateFormat('dd MMM yyyy').parse('14 Foo 2023')).toThrow(DateParseError);
    expect(() => new SimpleDateFormat('yyyy-MM-dd HH').parse('2023-11-14')).toThrow(DateParseError);
  });

  it('refuses pattern letters Java refuses', () => {
    expect(() => new SimpleDateFormat('yyyy-qq')).toThrow(new PatternError("Illegal pattern character 'q'"));
  });

  it('formats day of year correctly for years below 100 too', () => {
    const d = new Date(0);
    d.setUTCFullYear(44, 1, 1);
    expect(new SimpleDateFormat('yyyy DDD').format(d)).toBe('0044 032');
  });
});

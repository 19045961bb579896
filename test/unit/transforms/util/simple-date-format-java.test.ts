import { describe, expect, it } from 'vitest';
import { SimpleDateFormat } from '../../../../src/transforms/util/simple-date-format.js';

// Instants chosen around year ends (week years), leap days, midnight and the extremes of 4-digit years.
const INSTANTS = [0, 1700000000000, 1735689599123, 1735603200000, 1704153600000, 253402300799999, 951782400000, 1230681600000, 1293753600000];

// Expected strings produced by Java 17's java.text.SimpleDateFormat (en_US, time zone UTC) for INSTANTS.
const JAVA_FORMATTED: [string, string[]][] = [
    ['yyyyMMdd', ['19700101', '20231114', '20241231', '20241231', '20240102', '99991231', '20000229', '20081231', '20101231']],
    ['yyyy-MM-dd\'T\'HH:mm:ss.SSSZ', ['1970-01-01T00:00:00.000+0000', '2023-11-14T22:13:20.000+0000', '2024-12-31T23:59:59.123+0000', '2024-12-31T00:00:00.000+0000', '2024-01-02T00:00:00.000+0000', '9999-12-31T23:59:59.999+0000', '2000-02-29T00:00:00.000+0000', '2008-12-31T00:00:00.000+0000', '2010-12-31T00:00:00.000+0000']],
    ['G yy y yyy yyyyy', ['AD 70 1970 1970 01970', 'AD 23 2023 2023 02023', 'AD 24 2024 2024 02024', 'AD 24 2024 2024 02024', 'AD 24 2024 2024 02024', 'AD 99 9999 9999 09999', 'AD 00 2000 2000 02000', 'AD 08 2008 2008 02008', 'AD 10 2010 2010 02010']],
    ['MMM MMMM M MM', ['Jan January 1 01', 'Nov November 11 11', 'Dec December 12 12', 'Dec December 12 12', 'Jan January 1 01', 'Dec December 12 12', 'Feb February 2 02', 'Dec December 12 12', 'Dec December 12 12']],
    ['YYYY-\'W\'ww-u EEE EEEE', ['1970-W01-4 Thu Thursday', '2023-W46-2 Tue Tuesday', '2025-W01-2 Tue Tuesday', '2025-W01-2 Tue Tuesday', '2024-W01-2 Tue Tuesday', '10000-W01-5 Fri Friday', '2000-W10-2 Tue Tuesday', '2009-W01-3 Wed Wednesday', '2011-W01-5 Fri Friday']],
    ['D DDD F W w', ['1 001 1 1 1', '318 318 2 3 46', '366 366 5 5 1', '366 366 5 5 1', '2 002 1 1 1', '365 365 5 5 1', '60 060 5 5 10', '366 366 5 5 1', '365 365 5 5 1']],
    ['h hh H HH k kk K KK a', ['12 12 0 00 24 24 0 00 AM', '10 10 22 22 22 22 10 10 PM', '11 11 23 23 23 23 11 11 PM', '12 12 0 00 24 24 0 00 AM', '12 12 0 00 24 24 0 00 AM', '11 11 23 23 23 23 11 11 PM', '12 12 0 00 24 24 0 00 AM', '12 12 0 00 24 24 0 00 AM', '12 12 0 00 24 24 0 00 AM']],
    ['s ss S SS SSS SSSS', ['0 00 0 00 000 0000', '20 20 0 00 000 0000', '59 59 123 123 123 0123', '0 00 0 00 000 0000', '0 00 0 00 000 0000', '59 59 999 999 999 0999', '0 00 0 00 000 0000', '0 00 0 00 000 0000', '0 00 0 00 000 0000']],
    ['z zzzz Z X XX XXX', ['UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z', 'UTC Coordinated Universal Time +0000 Z Z Z']],
    ['\'o\'\'clock\' \'\'', ['o\'clock \'', 'o\'clock \'', 'o\'clock \'', 'o\'clock \'', 'o\'clock \'', 'o\'clock \'', 'o\'clock \'', 'o\'clock \'', 'o\'clock \'']],
];

describe('SimpleDateFormat', () => {
  it.each(JAVA_FORMATTED)('formats %s as Java does', (pattern, expected) => {
    const format = new SimpleDateFormat(pattern);
    expect(INSTANTS.map((t) => format.format(t))).toEqual(expected);
  });

  it('rejects what Java rejects, with its messages', () => {
    expect(() => new SimpleDateFormat('yyyy-q')).toThrow("Illegal pattern character 'q'");
    expect(() => new SimpleDateFormat("yyyy 'open")).toThrow('Unterminated quote');
    expect(() => new SimpleDateFormat('XXXX')).toThrow('invalid ISO 8601 format: length=4');
  });

  it('uses the proleptic Gregorian calendar before 1582, where Java switches to Julian (documented difference)', () => {
    // Java prints 1582-10-04 for the day before the Gregorian switch; sluice keeps counting Gregorian days.
    expect(new SimpleDateFormat('yyyy-MM-dd').format(Date.UTC(1582, 9, 15) - 86_400_000)).toBe('1582-10-14');
  });
});

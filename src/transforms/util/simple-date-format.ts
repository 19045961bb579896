/**
 * The part of java.text.SimpleDateFormat that Connect users write in `format` configs
 * (TimestampConverter, TimestampRouter), always in UTC and with English names, as Kafka Connect
 * runs it (TimeZone UTC, the JVM's usual en-US locale).
 *
 * Pattern letters: G y Y M L w W d D F E u a H k K h m s S z Z X, quoted text ('T', '' for a
 * quote) and any other non-letter as a literal. Weeks follow the en-US rules Java uses there: weeks
 * start on Sunday and week 1 is the one holding January 1st. Dates use the proleptic Gregorian
 * calendar throughout, where Java switches to the Julian calendar before 15 October 1582.
 *
 * Parsing is SimpleDateFormat's default lenient parsing: numbers take as many digits as they have
 * (exactly the pattern's width when the next field is a number too, as in yyyyMMdd), fields
 * overflow into the next (month 13 is January of the next year), text matches case-insensitively,
 * a two-digit year for `yy` lands within 80 years before and 20 after now, time zones (z, Z, X)
 * shift the result, and text after the last field is ignored. Week fields (Y w W F u) and day
 * names are read but do not move the date: the year, month and day decide, as they do in Java
 * whenever those are present.
 */

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];
const WEEKDAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const AM_PM = ['AM', 'PM'];
const ERAS = ['BC', 'AD'];
const PATTERN_LETTERS = 'GyYMLwWdDFEuaHkKhmsSzZX';
const MILLIS_PER_DAY = 86_400_000;

/** A bad pattern (Java's IllegalArgumentException from the SimpleDateFormat constructor). */
export class PatternError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'IllegalArgumentException';
  }
}

/** Text that does not match the pattern (Java's ParseException). */
export class DateParseError extends Error {
  constructor(
    message: string,
    readonly errorOffset: number,
  ) {
    super(message);
    this.name = 'ParseException';
  }
}

type FieldToken = { kind: 'field'; letter: string; count: number };
type Token = { kind: 'literal'; text: string } | FieldToken;

/** A date's UTC calendar fields, read once per format() call. */
interface CalendarFields {
  date: Date;
  ms: number;
  year: number;
  month: number;
  day: number;
  weekday: number;
  hours: number;
  minutes: number;
  seconds: number;
  millis: number;
}

export class SimpleDateFormat {
  private readonly tokens: Token[];
  private readonly fields: CalendarFields = {
    date: new Date(0), ms: 0, year: 0, month: 0, day: 0, weekday: 0, hours: 0, minutes: 0, seconds: 0, millis: 0,
  };

  /** @throws PatternError for an unknown or unsupported pattern letter, or an unclosed quote. */
  /** Whether a letter of the pattern reads the Date itself (week fields). */
  private readonly needsDate: boolean;

  constructor(private readonly pattern: string) {
    this.tokens = compile(pattern);
    this.needsDate = this.tokens.some((t) => t.kind === 'field' && (t.letter === 'Y' || t.letter === 'w'));
  }

  toPattern(): string {
    return this.pattern;
  }

  /** The date (or epoch milliseconds) as text, in UTC. */
  format(date: Date | number): string {
    // The calendar fields are found once per call, not once per pattern letter; epoch millis
    // that a Date can hold are broken down without making one.
    const f = this.fields;
    if (typeof date === 'number' && Math.abs(date) <= MAX_DATE_MILLIS && Number.isInteger(date) && !this.needsDate) {
      return this.formatMillis(date);
    }
    fieldsFromDate(typeof date === 'number' ? new Date(date) : date, f);
    const tokens = this.tokens;
    let out = '';
    for (let i = 0; i < tokens.length; i++) {
      const t = tokens[i]!;
      out += t.kind === 'literal' ? t.text : formatField(t.letter, t.count, f);
    }
    return out;
  }

  /** The day (epoch days) `dayPieces` were made for. */
  private cachedDay = Number.NaN;
  /**
   * The pattern for that day: the text of everything but the time-of-day fields, runs of it
   * joined into one string, and the time-of-day tokens. Timestamps in a stream mostly share
   * their day, so a call formats only the hours, minutes, seconds and millis.
   */
  private dayPieces: (string | FieldToken)[] = [];

  private formatMillis(ms: number): string {
    const f = this.fields;
    const days = Math.floor(ms / MILLIS_PER_DAY);
    if (days !== this.cachedDay) {
      fieldsFromMillis(ms, f);
      this.cachedDay = days;
      this.dayPieces = [];
      let run = '';
      for (const t of this.tokens) {
        if (t.kind === 'field' && TIME_OF_DAY_LETTERS.includes(t.letter)) {
          if (run !== '') this.dayPieces.push(run);
          this.dayPieces.push(t);
          run = '';
        } else {
          run += t.kind === 'literal' ? t.text : formatField(t.letter, t.count, f);
        }
      }
      if (run !== '') this.dayPieces.push(run);
    } else {
      timeOfDayFromMillis(ms, days, f);
    }
    const pieces = this.dayPieces;
    let out = '';
    for (let i = 0; i < pieces.length; i++) {
      const p = pieces[i]!;
      out += typeof p === 'string' ? p : formatField(p.letter, p.count, f);
    }
    return out;
  }

  /** @throws DateParseError 'Unparseable date: "text"' when the text does not match. */
  parse(text: string): Date {
    const fields: ParsedFields = {};
    let pos = 0;
    for (let i = 0; i < this.tokens.length; i++) {
      const t = this.tokens[i]!;
      if (t.kind === 'literal') {
        if (!text.startsWith(t.text, pos)) throw unparseable(text, pos);
        pos += t.text.length;
        continue;
      }
      const next = this.tokens[i + 1];
      const abuts = next !== undefined && next.kind === 'field' && isNumericField(next.letter, next.count);
      const end = parseField(t.letter, t.count, text, pos, abuts, fields);
      if (end < 0) throw unparseable(text, pos);
      pos = end;
    }
    return resolve(fields);
  }
}

function unparseable(text: string, offset: number): DateParseError {
  return new DateParseError(`Unparseable date: "${text}"`, offset);
}

function compile(pattern: string): Token[] {
  const tokens: Token[] = [];
  let literal = '';
  let i = 0;
  const flush = (): void => {
    if (literal) tokens.push({ kind: 'literal', text: literal });
    literal = '';
  };
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === "'") {
      if (pattern[i + 1] === "'") {
        literal += "'";
        i += 2;
        continue;
      }
      const close = findClosingQuote(pattern, i + 1);
      if (close < 0) throw new PatternError('Unterminated quote');
      literal += pattern.slice(i + 1, close).replace(/''/g, "'");
      i = close + 1;
      continue;
    }
    if (/[a-zA-Z]/.test(c)) {
      if (!PATTERN_LETTERS.includes(c)) throw new PatternError(`Illegal pattern character '${c}'`);
      let count = 1;
      while (pattern[i + count] === c) count++;
      if (c === 'X' && count > 3) throw new PatternError(`invalid ISO 8601 format: length=${count}`);
      flush();
      tokens.push({ kind: 'field', letter: c, count });
      i += count;
      continue;
    }
    literal += c;
    i++;
  }
  flush();
  return tokens;
}

/** The quote closing a quoted run starting at `from` ('' inside the run is an escaped quote). */
function findClosingQuote(pattern: string, from: number): number {
  for (let j = from; j < pattern.length; j++) {
    if (pattern[j] !== "'") continue;
    if (pattern[j + 1] === "'") {
      j++;
      continue;
    }
    return j;
  }
  return -1;
}

// ---- formatting ----

/** The largest epoch millis a Date holds. */
const MAX_DATE_MILLIS = 8.64e15;

function fieldsFromDate(d: Date, f: CalendarFields): void {
  f.date = d;
  f.ms = d.getTime();
  f.year = d.getUTCFullYear();
  f.month = d.getUTCMonth();
  f.day = d.getUTCDate();
  f.weekday = d.getUTCDay();
  f.hours = d.getUTCHours();
  f.minutes = d.getUTCMinutes();
  f.seconds = d.getUTCSeconds();
  f.millis = d.getUTCMilliseconds();
}

/**
 * The UTC fields of integral epoch millis within a Date's range, as a Date's getters give them
 * (proleptic Gregorian): days to year, month and day by H. Hinnant's civil_from_days.
 */
function fieldsFromMillis(ms: number, f: CalendarFields): void {
  const days = Math.floor(ms / MILLIS_PER_DAY);
  timeOfDayFromMillis(ms, days, f);
  f.weekday = (((days + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
  const z = days + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153); // March = 0
  f.day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  f.month = mp < 10 ? mp + 2 : mp - 10; // 0 = January
  f.year = yearOfEra + era * 400 + (f.month <= 1 ? 1 : 0);
  f.ms = ms;
  f.date = EPOCH; // not read: the pattern has no week fields
}

/** Hours, minutes, seconds and millis of integral epoch millis `ms`, on epoch day `days`. */
function timeOfDayFromMillis(ms: number, days: number, f: CalendarFields): void {
  let rest = ms - days * MILLIS_PER_DAY;
  f.hours = Math.floor(rest / 3_600_000);
  rest -= f.hours * 3_600_000;
  f.minutes = Math.floor(rest / 60_000);
  rest -= f.minutes * 60_000;
  f.seconds = Math.floor(rest / 1000);
  f.millis = rest - f.seconds * 1000;
  f.ms = ms;
}

/** Pattern letters whose text depends on the time of day; the others depend on the day at most. */
const TIME_OF_DAY_LETTERS = 'aHkKhmsS';

const EPOCH = new Date(0);

/** "00".."999": the zero-padded texts of small numbers, made once. */
const PADDED_2 = Array.from({ length: 100 }, (_, n) => String(n).padStart(2, '0'));
const PADDED_3 = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, '0'));

function pad(n: number, width: number): string {
  if (n >= 0 && n < 1000 && n === (n | 0)) {
    if (width === 2 && n < 100) return PADDED_2[n]!;
    if (width === 3) return PADDED_3[n]!;
    if (width === 1 || (width === 2 && n >= 100)) return String(n);
  }
  const s = String(Math.abs(n));
  return (n < 0 ? '-' : '') + s.padStart(width, '0');
}

function formatField(letter: string, count: number, f: CalendarFields): string {
  const year = f.year;
  const yearOfEra = year > 0 ? year : 1 - year;
  const d = f.date;
  switch (letter) {
    case 'G':
      return ERAS[year > 0 ? 1 : 0]!;
    case 'y':
      return count === 2 ? pad(yearOfEra % 100, 2) : pad(yearOfEra, count);
    case 'M':
    case 'L':
      if (count >= 4) return MONTHS[f.month]!;
      if (count === 3) return MONTHS[f.month]!.slice(0, 3);
      return pad(f.month + 1, count);
    case 'Y': {
      const weekYear = weekOfYear(d).weekYear;
      const ofEra = weekYear > 0 ? weekYear : 1 - weekYear;
      return count === 2 ? pad(ofEra % 100, 2) : pad(ofEra, count);
    }
    case 'w':
      return pad(weekOfYear(d).week, count);
    case 'W': {
      const firstOfMonth = new Date(Date.UTC(2000, 0, 1));
      firstOfMonth.setUTCFullYear(year, f.month, 1);
      return pad(Math.floor((f.day - 1 + firstOfMonth.getUTCDay()) / 7) + 1, count);
    }
    case 'F':
      return pad(Math.floor((f.day - 1) / 7) + 1, count);
    case 'd':
      return pad(f.day, count);
    case 'D':
      return pad(Math.floor((f.ms - startOfYear(year)) / MILLIS_PER_DAY) + 1, count);
    case 'E':
      return count >= 4 ? WEEKDAYS[f.weekday]! : WEEKDAYS[f.weekday]!.slice(0, 3);
    case 'u':
      return pad(f.weekday === 0 ? 7 : f.weekday, count);
    case 'a':
      return AM_PM[f.hours < 12 ? 0 : 1]!;
    case 'H':
      return pad(f.hours, count);
    case 'k':
      return pad(f.hours === 0 ? 24 : f.hours, count);
    case 'K':
      return pad(f.hours % 12, count);
    case 'h':
      return pad(f.hours % 12 === 0 ? 12 : f.hours % 12, count);
    case 'm':
      return pad(f.minutes, count);
    case 's':
      return pad(f.seconds, count);
    case 'S':
      return pad(f.millis, count);
    case 'z':
      return count >= 4 ? 'Coordinated Universal Time' : 'UTC';
    case 'Z':
      return '+0000';
    case 'X':
      return 'Z';
    default:
      throw new PatternError(`Illegal pattern character '${letter}'`);
  }
}

/** en-US weeks: Sunday first, week 1 holds January 1st (so the last days of December may be week 1 of the next year). */
function weekOfYear(d: Date): { weekYear: number; week: number } {
  const year = d.getUTCFullYear();
  const saturday = new Date(d.getTime() + (6 - d.getUTCDay()) * MILLIS_PER_DAY);
  if (saturday.getUTCFullYear() > year) return { weekYear: year + 1, week: 1 };
  const jan1 = startOfYear(year);
  const dayOfYear = Math.floor((d.getTime() - jan1) / MILLIS_PER_DAY);
  return { weekYear: year, week: Math.floor((dayOfYear + new Date(jan1).getUTCDay()) / 7) + 1 };
}

/** January 1st of `year` in epoch millis (Date.UTC would read years 0-99 as 1900-1999). */
function startOfYear(year: number): number {
  const d = new Date(0);
  d.setUTCFullYear(year, 0, 1);
  return d.getTime();
}

// ---- parsing ----

interface ParsedFields {
  era?: number;
  year?: number;
  /** A two-digit year to place in the century window. */
  twoDigitYear?: boolean;
  month?: number;
  day?: number;
  dayOfYear?: number;
  hour24?: number;
  hour12?: number;
  pm?: boolean;
  minute?: number;
  second?: number;
  millis?: number;
  offsetMinutes?: number;
}

function isNumericField(letter: string, count: number): boolean {
  if (letter === 'M' || letter === 'L') return count <= 2;
  return 'yYwWFduHkKhmsSD'.includes(letter);
}

/** Parses one field at `pos`; returns the position after it, or -1. */
function parseField(letter: string, count: number, text: string, pos: number, abuts: boolean, f: ParsedFields): number {
  if (isNumericField(letter, count)) {
    const m = /^[+-]?\d+/.exec(text.slice(pos, abuts ? pos + count : undefined));
    if (!m) return -1;
    const value = Number(m[0]);
    const end = pos + m[0].length;
    switch (letter) {
      case 'y':
        f.year = value;
        f.twoDigitYear = count <= 2 && m[0].length === 2 && /^\d\d$/.test(m[0]);
        break;
      case 'M':
      case 'L':
        f.month = value - 1;
        break;
      case 'd':
        f.day = value;
        break;
      case 'D':
        f.dayOfYear = value;
        break;
      case 'u':
      case 'Y':
      case 'w':
      case 'W':
      case 'F':
        break; // week fields: the date fields decide
      case 'H':
        f.hour24 = value;
        break;
      case 'k':
        f.hour24 = value === 24 ? 0 : value;
        break;
      case 'K':
      case 'h':
        f.hour12 = value % 12;
        break;
      case 'm':
        f.minute = value;
        break;
      case 's':
        f.second = value;
        break;
      case 'S':
        f.millis = value;
        break;
    }
    return end;
  }
  switch (letter) {
    case 'M':
    case 'L': {
      const i = matchName(text, pos, MONTHS);
      if (!i) return -1;
      f.month = i.index;
      return i.end;
    }
    case 'E': {
      const i = matchName(text, pos, WEEKDAYS);
      return i ? i.end : -1;
    }
    case 'a': {
      const i = matchName(text, pos, AM_PM, false);
      if (!i) return -1;
      f.pm = i.index === 1;
      return i.end;
    }
    case 'G': {
      const i = matchName(text, pos, ERAS, false);
      if (!i) return -1;
      f.era = i.index;
      return i.end;
    }
    case 'z':
    case 'Z':
    case 'X':
      return parseZone(text, pos, f);
    default:
      return -1;
  }
}

/** The longest full or three-letter name matching at `pos`, ignoring case. */
function matchName(text: string, pos: number, names: readonly string[], withShort = true): { index: number; end: number } | null {
  let best: { index: number; end: number } | null = null;
  const rest = text.slice(pos).toLowerCase();
  names.forEach((name, index) => {
    for (const candidate of withShort ? [name, name.slice(0, 3)] : [name]) {
      if (rest.startsWith(candidate.toLowerCase()) && (!best || pos + candidate.length > best.end)) {
        best = { index, end: pos + candidate.length };
      }
    }
  });
  return best;
}

/** UTC, GMT, Z, or an offset: +hh, +hhmm, +hh:mm, optionally after GMT. */
function parseZone(text: string, pos: number, f: ParsedFields): number {
  const rest = text.slice(pos);
  if (/^Z/.test(rest)) {
    f.offsetMinutes = 0;
    return pos + 1;
  }
  const named = /^(UTC|GMT|UT|Coordinated Universal Time)/i.exec(rest);
  let at = pos;
  if (named) {
    at += named[0].length;
    f.offsetMinutes = 0;
  }
  const m = /^([+-])(\d{2}):?(\d{2})?/.exec(text.slice(at));
  if (!m) return named ? at : -1;
  const minutes = Number(m[2]) * 60 + Number(m[3] ?? 0);
  f.offsetMinutes = m[1] === '-' ? -minutes : minutes;
  return at + m[0].length;
}

/** Two-digit years land in [now - 80 years, now + 20 years), as SimpleDateFormat's default century does. */
function resolveTwoDigitYear(twoDigits: number): number {
  const startYear = new Date().getUTCFullYear() - 80;
  let year = Math.floor(startYear / 100) * 100 + twoDigits;
  if (year < startYear) year += 100;
  return year;
}

function resolve(f: ParsedFields): Date {
  let year = f.year ?? 1970;
  if (f.year !== undefined && f.twoDigitYear) year = resolveTwoDigitYear(f.year);
  if (f.era === 0) year = 1 - year;
  let hour = f.hour24 ?? 0;
  if (f.hour24 === undefined && (f.hour12 !== undefined || f.pm !== undefined)) hour = (f.hour12 ?? 0) + (f.pm ? 12 : 0);
  const month = f.month ?? 0;
  const day = f.dayOfYear !== undefined && f.day === undefined && f.month === undefined ? f.dayOfYear : (f.day ?? 1);
  // Date.UTC overflows fields the way a lenient Calendar does; setUTCFullYear keeps years 0-99 literal.
  const d = new Date(Date.UTC(2000, 0, 1));
  d.setUTCFullYear(year, month, day);
  d.setUTCHours(hour, f.minute ?? 0, f.second ?? 0, f.millis ?? 0);
  return new Date(d.getTime() - (f.offsetMinutes ?? 0) * 60_000);
}

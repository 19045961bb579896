/**
 * Java regular expressions (java.util.regex.Pattern) on top of JavaScript's RegExp, for the
 * plugins whose configs users copy from Kafka Connect: RegexRouter (`regex`, `replacement`) and
 * TopicNameMatches (`pattern`). A Java pattern is translated once, at configure time, into an
 * equivalent JavaScript pattern (flag `u`, so it works on code points as Java does); syntax with
 * no JavaScript equivalent is refused with a JavaPatternSyntaxError naming it, instead of being
 * silently read another way.
 *
 * Translated to keep Java's meaning:
 *   - `.` excludes Java's line terminators (\n \r \u0085 \u2028 \u2029); `$` also matches before a
 *     final line terminator; `\A`, `\z`, `\Z`; `\s` is ASCII whitespace only; `\h`, `\v`, `\R`;
 *     `\a`, `\e`, `\cX`, `\0ooo`, `\x{h..h}`; `\Q...\E` quoting; POSIX classes `\p{Lower}`,
 *     `\p{Alpha}`, ... (ASCII, as in Java); Unicode categories, properties and scripts (`\p{L}`,
 *     `\p{IsL}`, `\p{IsAlphabetic}`, `\p{IsLatin}`); backreferences with Java's digit rules;
 *     literal `]` and `}` outside a class; leading inline flags `(?i)`, `(?s)`, `(?m)`, `(?x)`,
 *     and `(?u)`, `(?d)` (accepted, no effect).
 * Refused (JavaPatternSyntaxError "... is not supported by sluice"):
 *   - possessive quantifiers (`a*+`) and atomic groups (`(?>...)`), `\G`, `\X`, `\N{...}`,
 *     `\p{java...}` and `\p{In<block>}`;
 *   - inline flags anywhere but at the start of the pattern, scoped flags `(?i:...)`, and `(?U)`
 *     (UNICODE_CHARACTER_CLASS);
 *   - nested classes and intersections (`[a-z&&[^e]]`, `[a[bc]]`).
 * Approximations (documented differences):
 *   - `(?i)` folds case over Unicode (Java: ASCII unless `(?u)`);
 *   - `(?m)` uses JavaScript's line terminators (\n \r \u2028 \u2029, not \u0085) for `^` and `$`;
 *   - `\S` inside a character class also excludes non-ASCII whitespace;
 *   - a backreference to a group that took no part in the match (`(a)?\1`) matches the empty string
 *     (JavaScript) where Java fails the match.
 * Syntax errors use Java's layout (description, index, pattern, caret) and, for the common ones
 * (unclosed group or class, dangling quantifier, bad repetition, unknown escape), Java's words;
 * others carry JavaScript's description.
 */
import { LambdaValidator, invalidValue, type Validator } from '../../api/config-def.js';
import { DataError } from '../../data/schema.js';

/** Java's PatternSyntaxException. */
export class JavaPatternSyntaxError extends Error {
  constructor(message: string, readonly pattern: string) {
    super(message);
    this.name = 'PatternSyntaxException';
  }
}

const LINE_TERMINATORS = '\\n\\r\\u0085\\u2028\\u2029';
const ASCII_SPACE = ' \\t\\n\\x0B\\f\\r';
const HORIZONTAL_SPACE = ' \\t\\xA0\\u1680\\u180e\\u2000-\\u200a\\u202f\\u205f\\u3000';
const VERTICAL_SPACE = '\\n\\x0B\\f\\r\\x85\\u2028\\u2029';

/** Java's POSIX character classes (US-ASCII only), as JavaScript class contents. */
const POSIX_CLASSES: Record<string, string> = {
  Lower: 'a-z',
  Upper: 'A-Z',
  ASCII: '\\x00-\\x7F',
  Alpha: 'a-zA-Z',
  Digit: '0-9',
  Alnum: 'a-zA-Z0-9',
  Punct: '!-\\/:-@\\[-`{-~',
  Graph: '!-~',
  Print: ' -~',
  Blank: ' \\t',
  Cntrl: '\\x00-\\x1F\\x7F',
  XDigit: '0-9a-fA-F',
  Space: ASCII_SPACE,
};

const UNICODE_BINARY_PROPERTIES = new Set([
  'Alphabetic', 'Ideographic', 'Letter', 'Lowercase', 'Uppercase', 'Titlecase', 'Punctuation', 'Control',
  'White_Space', 'WhiteSpace', 'Digit', 'Hex_Digit', 'HexDigit', 'Join_Control', 'JoinControl',
  'Noncharacter_Code_Point', 'NoncharacterCodePoint', 'Assigned', 'Emoji',
]);

/** Java's names for binary properties that JavaScript spells differently. */
const BINARY_PROPERTY_ALIASES: Record<string, string> = {
  Letter: 'L', Punctuation: 'P', Control: 'Cc', Digit: 'Nd', WhiteSpace: 'White_Space', HexDigit: 'Hex_Digit',
  JoinControl: 'Join_Control', NoncharacterCodePoint: 'Noncharacter_Code_Point',
};

const GENERAL_CATEGORY = /^(?:L[ultmo]?|M[nce]?|N[dlo]?|P[cdseifo]?|S[mcko]?|Z[slp]?|C[cfson]?|LC|L&)$/;

interface Translation {
  source: string;
  flags: string;
  groupCount: number;
  namedGroups: Map<string, number>;
}

function hex(codePoint: number): string {
  return `\\u{${codePoint.toString(16)}}`;
}

function isDigit(c: string | undefined): boolean {
  return c !== undefined && c >= '0' && c <= '9';
}

function isAsciiLetterOrDigit(c: string): boolean {
  return /^[A-Za-z0-9]$/.test(c);
}

/** Translate a Java pattern; throws JavaPatternSyntaxError for unsupported or invalid syntax. */
class Translator {
  private pos = 0;
  private out = '';
  private flags = new Set<string>();
  private groupCount = 0;
  private readonly namedGroups = new Map<string, number>();
  /** Capturing groups opened so far: Java's rule for multi-digit backreferences counts these. */
  private groupsOpened = 0;
  /** Where the last atom ended in `out`: a quantifier is only valid right after one. */
  private lastAtomEnd = -1;

  constructor(private readonly p: string) {}

  translate(): Translation {
    this.countGroups();
    this.leadingFlags();
    while (this.pos < this.p.length) this.outsideClass();
    let flags = 'u';
    if (this.flags.has('i')) flags += 'i';
    if (this.flags.has('m')) flags += 'm';
    return { source: this.out, flags, groupCount: this.groupCount, namedGroups: this.namedGroups };
  }

  /** Java's PatternSyntaxException message: description, index, the pattern, and a caret under the index. */
  private fail(description: string, index = this.pos): never {
    const caret = index < this.p.length ? `\n${' '.repeat(index)}^` : '';
    throw new JavaPatternSyntaxError(`${description} near index ${index}\n${this.p}${caret}`, this.p);
  }

  private unsupported(what: string): never {
    throw new JavaPatternSyntaxError(`${what} is not supported by sluice (near index ${this.pos}): ${this.p}`, this.p);
  }

  /** Group numbers must be known before backreferences are read (Java's digit rule depends on them). */
  private countGroups(): void {
    let inClass = 0;
    let quoted = false;
    let n = 0;
    for (let i = 0; i < this.p.length; i++) {
      const c = this.p[i]!;
      if (quoted) {
        if (c === '\\' && this.p[i + 1] === 'E') {
          quoted = false;
          i++;
        }
        continue;
      }
      if (c === '\\') {
        if (this.p[i + 1] === 'Q') quoted = true;
        i++;
        continue;
      }
      if (c === '[') inClass++;
      else if (c === ']' && inClass > 0) inClass--;
      else if (c === '(' && inClass === 0) {
        if (this.p[i + 1] !== '?') n++;
        else if (this.p[i + 2] === '<' && this.p[i + 3] !== '=' && this.p[i + 3] !== '!') {
          n++;
          const name = /^[A-Za-z][A-Za-z0-9]*/.exec(this.p.slice(i + 3))?.[0];
          if (name) this.namedGroups.set(name, n);
        }
      }
    }
    this.groupCount = n;
  }

  private leadingFlags(): void {
    for (;;) {
      const m = /^\(\?([idmsuxU]+)\)/.exec(this.p.slice(this.pos));
      if (!m) return;
      if (m[1]!.includes('U')) this.unsupported('The flag (?U) (UNICODE_CHARACTER_CLASS)');
      for (const f of m[1]!) this.flags.add(f);
      this.pos += m[0].length;
    }
  }

  private skipComments(): boolean {
    if (!this.flags.has('x')) return false;
    const c = this.p[this.pos]!;
    if (/[ \t\n\x0B\f\r]/.test(c)) {
      this.pos++;
      return true;
    }
    if (c === '#') {
      while (this.pos < this.p.length && this.p[this.pos] !== '\n') this.pos++;
      return true;
    }
    return false;
  }

  private emitAtom(s: string): void {
    this.out += s;
    this.lastAtomEnd = this.out.length;
  }

  private outsideClass(): void {
    if (this.skipComments()) return;
    const c = this.p[this.pos]!;
    switch (c) {
      case '\\':
        this.pos++;
        this.escape(false);
        return;
      case '[':
        this.characterClass();
        return;
      case '(':
        this.group();
        return;
      case ')':
        // group() consumes the ) of every group it opens: this one closes nothing.
        this.fail("Unmatched closing ')'");
      case '.':
        this.pos++;
        this.emitAtom(this.flags.has('s') ? '[\\s\\S]' : `[^${LINE_TERMINATORS}]`);
        return;
      case '$':
        this.pos++;
        this.out += this.flags.has('m') ? '$' : `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
        return;
      case ']':
      case '}':
        this.pos++;
        this.emitAtom(`\\${c}`);
        return;
      case '*':
      case '+':
      case '?':
        this.pos++;
        this.quantifier(c);
        return;
      case '{': {
        const m = /^\{(\d+)(,(\d*))?\}/.exec(this.p.slice(this.pos));
        if (!m) this.fail('Illegal repetition', this.pos + 1);
        if (m[3] && Number(m[3]) < Number(m[1])) this.fail('Illegal repetition range', this.pos + m[0].length - 1);
        this.pos += m[0].length;
        this.quantifier(m[0]);
        return;
      }
      default: {
        const cp = this.p.codePointAt(this.pos)!;
        const ch = String.fromCodePoint(cp);
        this.pos += ch.length;
        if (ch === '|' || ch === '^') this.out += ch;
        else this.emitAtom(ch);
      }
    }
  }

  private quantifier(q: string): void {
    if (this.lastAtomEnd !== this.out.length) this.fail(`Dangling meta character '${q[0]}'`, this.pos - q.length);
    let text = q;
    const next = this.p[this.pos];
    if (next === '+') this.unsupported('A possessive quantifier');
    if (next === '?') {
      text += '?';
      this.pos++;
    }
    this.out += text;
    this.lastAtomEnd = -1;
  }

  private group(): void {
    const rest = this.p.slice(this.pos);
    let open: string;
    if (!rest.startsWith('(?')) {
      open = '(';
      this.groupsOpened++;
    } else if (/^\(\?(?::|=|!|<=|<!)/.test(rest)) {
      open = /^\(\?(?::|=|!|<=|<!)/.exec(rest)![0];
    } else if (/^\(\?<[A-Za-z][A-Za-z0-9]*>/.test(rest)) {
      open = /^\(\?<[A-Za-z][A-Za-z0-9]*>/.exec(rest)![0];
      this.groupsOpened++;
    } else if (rest.startsWith('(?>')) {
      this.unsupported('An atomic group (?>...)');
    } else if (/^\(\?[idmsuxU-]*[):]/.test(rest)) {
      this.unsupported('An inline flag group that is not at the start of the pattern');
    } else {
      this.fail('Unknown inline modifier');
    }
    this.pos += open.length;
    this.out += open;
    let depth = 1;
    while (this.pos < this.p.length) {
      if (this.p[this.pos] === ')') {
        this.pos++;
        depth--;
        break;
      }
      this.outsideClass();
    }
    if (depth !== 0) this.fail('Unclosed group');
    this.out += ')';
    // The group as a whole is the atom a following quantifier applies to.
    this.lastAtomEnd = this.out.length;
  }

  private characterClass(): void {
    this.pos++; // [
    let body = '';
    if (this.p[this.pos] === '^') {
      body += '^';
      this.pos++;
    }
    let first = true;
    for (;;) {
      if (this.pos >= this.p.length) {
        if (body.length > 1 && body.endsWith('-')) this.fail('Illegal character range');
        this.fail('Unclosed character class', this.p.length - 1);
      }
      if (this.flags.has('x') && /[ \t\n\x0B\f\r]/.test(this.p[this.pos]!)) {
        this.pos++;
        continue;
      }
      const c = this.p[this.pos]!;
      if (c === ']' && !first) {
        this.pos++;
        break;
      }
      first = false;
      if (c === '[') this.unsupported('A nested character class');
      if (c === '&' && this.p[this.pos + 1] === '&') this.unsupported('A character class intersection (&&)');
      if (c === '\\') {
        this.pos++;
        body += this.escape(true);
        continue;
      }
      const cp = this.p.codePointAt(this.pos)!;
      const ch = String.fromCodePoint(cp);
      this.pos += ch.length;
      // A literal ] first in a Java class ([]a]) is a member; JavaScript needs it escaped.
      body += ch === ']' ? '\\]' : ch;
    }
    this.emitAtom(`[${body}]`);
  }

  /**
   * One escape after the backslash. Outside a class it is emitted; inside, its class contents are
   * returned.
   */
  private escape(inClass: boolean): string {
    if (this.pos >= this.p.length) this.fail('Unexpected internal error');
    const c = this.p[this.pos]!;
    const done = (s: string, classContents = s): string => {
      if (!inClass) this.emitAtom(s);
      return classContents;
    };
    const unsupportedInClass = (): void => {
      if (inClass) this.unsupported(`\\${c} inside a character class`);
    };
    this.pos++;
    switch (c) {
      case 't': return done('\\t');
      case 'n': return done('\\n');
      case 'r': return done('\\r');
      case 'f': return done('\\f');
      case 'a': return done('\\x07');
      case 'e': return done('\\x1B');
      case 'd': return done('\\d');
      case 'D': return done('\\D');
      case 'w': return done('\\w');
      case 'W': return done('\\W');
      case 's': return done(`[${ASCII_SPACE}]`, ASCII_SPACE);
      case 'S': return done(`[^${ASCII_SPACE}]`, '\\S');
      case 'h': return done(`[${HORIZONTAL_SPACE}]`, HORIZONTAL_SPACE);
      case 'H': unsupportedInClass(); return done(`[^${HORIZONTAL_SPACE}]`);
      case 'v': return done(`[${VERTICAL_SPACE}]`, VERTICAL_SPACE);
      case 'V': unsupportedInClass(); return done(`[^${VERTICAL_SPACE}]`);
      case 'R': unsupportedInClass(); return done(`(?:\\r\\n|[${VERTICAL_SPACE}])`);
      case 'b':
      case 'B':
        unsupportedInClass();
        this.out += `\\${c}`;
        return '';
      case 'A':
        unsupportedInClass();
        this.out += '(?<![\\s\\S])';
        return '';
      case 'z':
        unsupportedInClass();
        this.out += '(?![\\s\\S])';
        return '';
      case 'Z':
        unsupportedInClass();
        this.out += `(?=(?:\\r\\n|[${LINE_TERMINATORS}])?(?![\\s\\S]))`;
        return '';
      case 'G': return this.unsupported('\\G');
      case 'X': return this.unsupported('\\X');
      case 'N': return this.unsupported('\\N{...}');
      case 'Q': {
        const end = this.p.indexOf('\\E', this.pos);
        const text = this.p.slice(this.pos, end < 0 ? this.p.length : end);
        this.pos = end < 0 ? this.p.length : end + 2;
        const quoted = [...text].map((ch) => hex(ch.codePointAt(0)!)).join('');
        if (!inClass && quoted !== '') this.emitAtom(`(?:${quoted})`);
        return quoted;
      }
      case 'x': {
        const m = /^(?:\{([0-9a-fA-F]+)\}|([0-9a-fA-F]{2}))/.exec(this.p.slice(this.pos));
        if (!m) this.fail('Illegal hexadecimal escape sequence');
        this.pos += m[0].length;
        const cp = parseInt(m[1] ?? m[2]!, 16);
        if (cp > 0x10ffff) this.fail('Hexadecimal codepoint is too big');
        return done(hex(cp));
      }
      case 'u': {
        const m = /^[0-9a-fA-F]{4}/.exec(this.p.slice(this.pos));
        if (!m) this.fail('Illegal Unicode escape sequence');
        this.pos += 4;
        let cp = parseInt(m[0], 16);
        const low = /^\\u([dD][c-fC-F][0-9a-fA-F]{2})/.exec(this.p.slice(this.pos));
        if (cp >= 0xd800 && cp <= 0xdbff && low) {
          cp = 0x10000 + ((cp - 0xd800) << 10) + (parseInt(low[1]!, 16) - 0xdc00);
          this.pos += 6;
        }
        return done(hex(cp));
      }
      case '0': {
        const m = /^[0-7]{1,3}/.exec(this.p.slice(this.pos));
        if (!m) this.fail('Illegal octal escape sequence');
        let digits = m[0];
        if (digits.length === 3 && digits[0]! > '3') digits = digits.slice(0, 2);
        this.pos += digits.length;
        return done(hex(parseInt(digits, 8)));
      }
      case 'c': {
        if (this.pos >= this.p.length) this.fail('Illegal control escape sequence');
        const cp = this.p.charCodeAt(this.pos) ^ 64;
        this.pos++;
        return done(hex(cp));
      }
      case 'k': {
        unsupportedInClass();
        const m = /^<([A-Za-z][A-Za-z0-9]*)>/.exec(this.p.slice(this.pos));
        if (!m) this.fail('\\k is not followed by \'<\' for named capturing group');
        if (!this.namedGroups.has(m[1]!)) this.fail(`named capturing group <${m[1]}> does not exist`);
        this.pos += m[0].length;
        return done(`\\k<${m[1]}>`);
      }
      case 'p':
      case 'P':
        return done(...this.property(c === 'P', inClass));
      default:
        break;
    }
    if (c >= '1' && c <= '9') {
      if (inClass) this.unsupported('A backreference inside a character class');
      // Java reads more digits only while the number stays a group opened so far.
      let ref = c.charCodeAt(0) - 48;
      while (isDigit(this.p[this.pos])) {
        const next = ref * 10 + (this.p.charCodeAt(this.pos) - 48);
        if (next > this.groupsOpened) break;
        ref = next;
        this.pos++;
      }
      // A reference to a group not opened yet (or not at all) never matches in Java; in JavaScript
      // it would match the empty string, or be a syntax error.
      return done(ref > this.groupsOpened ? '(?!)' : `(?:\\${ref})`);
    }
    if (isAsciiLetterOrDigit(c)) this.fail('Illegal/unsupported escape sequence', this.pos - 1);
    // Any other escaped character stands for itself.
    this.pos--;
    const cp = this.p.codePointAt(this.pos)!;
    this.pos += String.fromCodePoint(cp).length;
    return done(hex(cp));
  }

  /** `\p{Name}`, `\pL` and their negations: [atom outside a class, contents inside one]. */
  private property(negated: boolean, inClass: boolean): [string, string] {
    let name: string;
    if (this.p[this.pos] === '{') {
      const end = this.p.indexOf('}', this.pos);
      if (end < 0) this.fail('Unclosed character family');
      name = this.p.slice(this.pos + 1, end);
      this.pos = end + 1;
    } else {
      if (this.pos >= this.p.length) this.fail('Illegal character family');
      name = this.p[this.pos]!;
      this.pos++;
    }
    const posix = POSIX_CLASSES[name] ?? (name.startsWith('Is') ? POSIX_CLASSES[name.slice(2)] : undefined);
    if (posix !== undefined) {
      if (negated && inClass) this.unsupported(`\\P{${name}} inside a character class`);
      return negated ? [`[^${posix}]`, ''] : [`[${posix}]`, posix];
    }
    let js: string | null = null;
    const bare = name.startsWith('Is') ? name.slice(2) : name;
    const category = name.startsWith('general_category=') ? name.slice('general_category='.length)
      : name.startsWith('gc=') ? name.slice(3) : bare;
    if (GENERAL_CATEGORY.test(category)) js = category === 'L&' ? 'LC' : category;
    else if (UNICODE_BINARY_PROPERTIES.has(bare)) js = BINARY_PROPERTY_ALIASES[bare] ?? bare;
    else if (/^(?:script|sc)=/.test(name)) js = `Script=${name.slice(name.indexOf('=') + 1)}`;
    else if (name.startsWith('java') || name.startsWith('In') || name.startsWith('block=') || name.startsWith('blk=')) {
      this.unsupported(`\\p{${name}}`);
    } else if (name.startsWith('Is') && /^[A-Z][a-z]+$/.test(bare)) js = `Script=${bare}`;
    if (js === null) this.fail(`Unknown character property name {${name}}`);
    const escape = `\\${negated ? 'P' : 'p'}{${js}}`;
    return [escape, escape];
  }
}

/** A compiled Java pattern: Pattern.matches and Matcher.replaceFirst semantics over a JavaScript RegExp. */
export class JavaPattern {
  private readonly whole: RegExp;
  private readonly first: RegExp;
  readonly groupCount: number;
  private readonly namedGroups: ReadonlyMap<string, number>;

  private constructor(readonly pattern: string, translation: Translation) {
    try {
      this.whole = new RegExp(`(?<![\\s\\S])(?:${translation.source})(?![\\s\\S])`, translation.flags);
      this.first = new RegExp(translation.source, translation.flags);
    } catch (e) {
      // Only JavaScript knows what is wrong: its words, in Java's layout (no index).
      const why = (e as Error).message.replace(/^Invalid regular expression: \/.*\/[a-z]*: /, '');
      throw new JavaPatternSyntaxError(`${why}\n${pattern}`, pattern);
    }
    this.groupCount = translation.groupCount;
    this.namedGroups = translation.namedGroups;
  }

  /** Pattern.compile. @throws JavaPatternSyntaxError for invalid or unsupported syntax. */
  static compile(pattern: string): JavaPattern {
    return new JavaPattern(pattern, new Translator(pattern).translate());
  }

  /** Matcher.matches: the whole input matches. */
  matches(input: string): boolean {
    return this.whole.test(input);
  }

  /**
   * Matcher.replaceFirst: the first match found scanning from the start (not necessarily the whole
   * input) replaced with the expanded replacement: `$n`, `${name}` and `\` escapes as in Java.
   * @throws DataError with the message of Java's IllegalArgumentException or IndexOutOfBoundsException
   *   for a bad replacement (Kafka fails the record the same way, with those Java exceptions).
   */
  replaceFirst(input: string, replacement: string): string {
    const m = this.first.exec(input);
    if (!m) return input;
    return input.slice(0, m.index) + this.expand(m, replacement) + input.slice(m.index + m[0].length);
  }

  toString(): string {
    return this.pattern;
  }

  /** Matcher.appendExpandedReplacement. */
  private expand(m: RegExpExecArray, replacement: string): string {
    let result = '';
    let cursor = 0;
    while (cursor < replacement.length) {
      let c = replacement[cursor]!;
      if (c === '\\') {
        cursor++;
        if (cursor === replacement.length) throw new DataError('character to be escaped is missing');
        result += replacement[cursor];
        cursor++;
      } else if (c === '$') {
        cursor++;
        if (cursor === replacement.length) throw new DataError('Illegal group reference: group index is missing');
        c = replacement[cursor]!;
        let ref: number;
        if (c === '{') {
          cursor++;
          let name = '';
          while (cursor < replacement.length && /[A-Za-z0-9]/.test(replacement[cursor]!)) name += replacement[cursor++];
          if (name.length === 0) throw new DataError('named capturing group has 0 length name');
          if (replacement[cursor] !== '}') throw new DataError("named capturing group is missing trailing '}'");
          if (isDigit(name[0])) throw new DataError(`capturing group name {${name}} starts with digit character`);
          const n = this.namedGroups.get(name);
          if (n === undefined) throw new DataError(`No group with name {${name}}`);
          ref = n;
          cursor++;
        } else {
          if (!isDigit(c)) throw new DataError('Illegal group reference');
          ref = c.charCodeAt(0) - 48;
          cursor++;
          while (cursor < replacement.length && isDigit(replacement[cursor])) {
            const next = ref * 10 + (replacement.charCodeAt(cursor) - 48);
            if (next > this.groupCount) break;
            ref = next;
            cursor++;
          }
        }
        if (ref > this.groupCount) throw new DataError(`No group ${ref}`);
        result += m[ref] ?? '';
      } else {
        result += c;
        cursor++;
      }
    }
    return result;
  }
}

/**
 * Kafka's RegexValidator (org.apache.kafka.connect.transforms.util.RegexValidator) for Java
 * patterns: "Invalid value x for configuration k: Invalid regex: <why>".
 */
export const JAVA_REGEX_VALIDATOR: Validator = LambdaValidator.with((name, value) => {
  // Java validates a missing value too (Pattern.compile(null)), adding this second error to "Missing required
  // configuration": tools count validation errors, so sluice reports the same two.
  if (value === null || value === undefined) {
    throw invalidValue(name, null, 'Invalid regex: Cannot invoke "String.isEmpty()" because "this.pattern" is null');
  }
  try {
    JavaPattern.compile(value as string);
  } catch (e) {
    throw invalidValue(name, value, `Invalid regex: ${(e as Error).message}`);
  }
}, 'valid regex');

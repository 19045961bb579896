import { describe, expect, it } from 'vitest';
import { JAVA_REGEX_VALIDATOR, JavaPattern, JavaPatternSyntaxError } from '../../../../src/transforms/util/java-regex.js';

// [pattern, input, Pattern.compile(pattern).matcher(input).matches()] as Java 17 answers.
const JAVA_MATCHES: [string, string, boolean][] = [
    ['orders-.*', 'orders-eu', true],
    ['a|ab', 'ab', true],
    ['(?i)abc', 'ABC', true],
    ['\\p{Upper}\\p{Lower}+', 'Hello', true],
    ['\\p{Punct}', '!', true],
    ['[\\w.-]+', 'a.b-c_d', true],
    ['\\s', '\u00a0', false],
    ['\\s', ' ', true],
    ['a.c', 'a\u000ac', false],
    ['(?s)a.c', 'a\u000ac', true],
    ['\\Qa+b\\E', 'a+b', true],
    ['a\\Q\\E+', 'aa', true],
    ['\\x{1F600}', '\ud83d\ude00', true],
    ['.', '\ud83d\ude00', true],
    ['\\u0041\\0101\\x41', 'AAA', true],
    ['[^abc]', '\ud83d\ude00', true],
    ['(a)(b)\\2\\1', 'abba', true],
    ['(a)\\11', 'aa1', true],
    ['\\h', '\u0009', true],
    ['\\v', '\u000b', true],
    ['\\R', '\u000d\u000a', true],
    ['a\\z', 'a', true],
    ['\\Aa\\Z', 'a', true],
    ['\\p{L}+', '\u00e9t\u00e9', true],
    ['\\p{IsAlphabetic}+', 'ab', true],
    ['\\p{Lu}', 'A', true],
    ['[\\p{Digit}x]+', '1x2', true],
    ['\\e\\a', '\u001b\u0007', true],
    ['\\cA', '\u0001', true],
    ['a{2,3}', 'aaa', true],
    ['a{2}?', 'aa', true],
    [']', ']', true],
    ['}', '}', true],
    ['[a\\-z]', '-', true],
    ['(?x) a b # comment\u000a c', 'abc', true],
    ['\\$\\.', '$.', true],
    ['(?<year>\\d{4})-\\k<year>', '2024-2024', true],
    ['\\bfoo\\b', 'foo', true],
    ['[\\]]', ']', true],
];

// [pattern, input, replacement, Matcher.replaceFirst(replacement)] as Java 17 answers, after matches().
const JAVA_REPLACE_FIRST: [string, string, string, string][] = [
    ['(.*)-(\\d+)', 'orders-2024', '$1_v$2', 'orders_v2024'],
    ['a|ab', 'ab', 'X', 'Xb'],
    ['(?<env>prod|dev)\\.(?<name>.+)', 'prod.orders', '${name}\\$$1', 'orders$prod'],
    ['(a)(b)(c)(d)(e)(f)(g)(h)(i)(j)(k)', 'abcdefghijk', '$11-$10-$1$2', 'k-j-ab'],
    ['(a)(b)', 'ab', '$12', 'a2'],
    ['(a)?b', 'b', '[$1]', '[]'],
    ['a*', 'aaa', 'x$0y', 'xaaay'],
    ['(x)', 'x', '\\\\$1\\n', '\\xn'],
];

describe('JavaPattern', () => {
  it.each(JAVA_MATCHES)('%s matches %j as Java does', (pattern, input, expected) => {
    expect(JavaPattern.compile(pattern).matches(input)).toBe(expected);
  });

  it.each(JAVA_REPLACE_FIRST)('%s on %s with %s replaces as Java does', (pattern, input, replacement, expected) => {
    expect(JavaPattern.compile(pattern).replaceFirst(input, replacement)).toBe(expected);
  });

  it('reports syntax errors with Java\'s words and layout', () => {
    const message = (p: string) => {
      try {
        JavaPattern.compile(p);
      } catch (e) {
        expect(e).toBeInstanceOf(JavaPatternSyntaxError);
        return (e as Error).message;
      }
      return null;
    };
    // Messages from Java 17's PatternSyntaxException.getMessage().
    expect(message('(ab')).toBe('Unclosed group near index 3\n(ab');
    expect(message('[a-')).toBe('Illegal character range near index 3\n[a-');
    expect(message('[a')).toBe('Unclosed character class near index 1\n[a\n ^');
    expect(message('a**')).toBe("Dangling meta character '*' near index 2\na**\n  ^");
    expect(message('x{2,1}')).toBe('Illegal repetition range near index 5\nx{2,1}\n     ^');
    expect(message('\\y')).toBe('Illegal/unsupported escape sequence near index 1\n\\y\n ^');
  });

  it('refuses Java syntax JavaScript cannot express, saying so', () => {
    for (const p of ['a++', '(?>a)', '(?U)\\w', 'a(?i)b', '(?i:a)', '[a-z&&[^e]]', '[a[b]]', '\\p{javaLowerCase}', '\\G']) {
      expect(() => JavaPattern.compile(p), p).toThrow(/is not supported by sluice/);
    }
  });

  it('fails replacements the way Java does', () => {
    expect(() => JavaPattern.compile('(a)').replaceFirst('a', '$2')).toThrow('No group 2');
    expect(() => JavaPattern.compile('a').replaceFirst('a', 'x\\')).toThrow('character to be escaped is missing');
    expect(() => JavaPattern.compile('a').replaceFirst('a', '$x')).toThrow('Illegal group reference');
    expect(() => JavaPattern.compile('(?<n>a)').replaceFirst('a', '${m}')).toThrow('No group with name {m}');
  });

  it('validates configs like Kafka\'s RegexValidator', () => {
    expect(() => JAVA_REGEX_VALIDATOR.ensureValid('regex', '(ab')).toThrow(
      'Invalid value (ab for configuration regex: Invalid regex: Unclosed group near index 3\n(ab');
    expect(() => JAVA_REGEX_VALIDATOR.ensureValid('regex', 'a.*')).not.toThrow();
    expect(String(JAVA_REGEX_VALIDATOR)).toBe('valid regex');
  });
});

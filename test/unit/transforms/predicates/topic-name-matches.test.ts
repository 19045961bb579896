import { describe, expect, it } from 'vitest';
import { Headers } from '../../../../src/data/headers.js';
import { SinkRecord } from '../../../../src/data/record.js';
import { Schemas } from '../../../../src/data/schemas.js';
import { TopicNameMatches } from '../../../../src/transforms/predicates/topic-name-matches.js';

const record = (topic: string, value: unknown = 'v', headers = new Headers()) =>
  new SinkRecord(topic, 0, null, null, value === null ? Schemas.OPTIONAL_STRING_SCHEMA : null, value, 0n, null, 'NoTimestampType', headers);

describe('TopicNameMatches', () => {
  it('is true when the whole topic matches the Java regex', () => {
    const p = new TopicNameMatches<SinkRecord>();
    p.configure({ pattern: 'orders-(eu|us)' });
    expect(p.test(record('orders-eu'))).toBe(true);
    expect(p.test(record('orders-eu-2'))).toBe(false);
    expect(p.test(record('my-orders-eu'))).toBe(false);
    expect(String(p)).toBe('TopicNameMatches{pattern=orders-(eu|us)}');
  });

  it('requires a non-empty valid pattern', () => {
    expect(() => new TopicNameMatches().configure({})).toThrow('Missing required configuration "pattern" which has no default value.');
    expect(() => new TopicNameMatches().configure({ pattern: '' })).toThrow(
      'Invalid value  for configuration pattern: String must be non-empty');
    expect(() => new TopicNameMatches().configure({ pattern: '[a' })).toThrow(
      'Invalid value [a for configuration pattern: Invalid regex: Unclosed character class near index 1\n[a\n ^');
  });
});

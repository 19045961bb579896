import { describe, expect, it } from 'vitest';
import { Headers } from '../../../src/data/headers.js';
import { SinkRecord } from '../../../src/data/record.js';
import { RegexRouter } from '../../../src/transforms/regex-router.js';

function route(regex: string, replacement: string, topic: string): SinkRecord {
  const t = new RegexRouter<SinkRecord>();
  t.configure({ regex, replacement });
  return t.apply(new SinkRecord(topic, 2, null, 'k', null, 'v', 9n, 1, 'CreateTime', new Headers().addString('h', 'x')))!;
}

describe('RegexRouter', () => {
  it('rewrites a topic the regex matches whole, with Java group references', () => {
    const out = route('(.*)-(\\d+)', '$1_v$2', 'orders-2024');
    expect(out.topic).toBe('orders_v2024');
    expect([out.kafkaPartition, out.key, out.value, out.kafkaOffset, out.timestamp]).toEqual([2, 'k', 'v', 9n, 1]);
    expect(out.headers.lastWithName('h')!.value).toBe('x');
    // The original topic stays known to sink tasks.
    expect(out.originalTopic).toBe('orders-2024');
  });

  it('leaves topics that only partly match alone, returning the same record', () => {
    const t = new RegexRouter<SinkRecord>();
    t.configure({ regex: 'orders', replacement: 'x' });
    const input = new SinkRecord('orders-eu', 0, null, null, null, null, 0n);
    expect(t.apply(input)).toBe(input);
  });

  it('refuses an invalid or unsupported regex when configured', () => {
    expect(() => new RegexRouter().configure({ regex: '(ab', replacement: 'x' })).toThrow(
      'Invalid value (ab for configuration regex: Invalid regex: Unclosed group near index 3\n(ab');
    expect(() => new RegexRouter().configure({ regex: 'a++', replacement: 'x' })).toThrow(/possessive quantifier is not supported/);
    expect(() => new RegexRouter().configure({ regex: 'a' })).toThrow(
      'Missing required configuration "replacement" which has no default value.');
  });
});

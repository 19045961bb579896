import { describe, expect, it } from 'vitest';
import { Headers } from '../../../src/data/headers.js';
import { SinkRecord } from '../../../src/data/record.js';
import { DropHeaders } from '../../../src/transforms/drop-headers.js';

describe('DropHeaders', () => {
  it('removes every header with a listed key and keeps the others in order, without touching the input', () => {
    const t = new DropHeaders<SinkRecord>();
    t.configure({ headers: 'a, c' });
    const headers = new Headers().addString('a', '1').addInt('b', 2).addString('a', '3').addString('c', null).addString('d', '4');
    const input = new SinkRecord('t', 0, null, 'k', null, 'v', 5n, 10, 'CreateTime', headers);
    const out = t.apply(input)!;
    expect([...out.headers].map((h) => [h.key, h.value])).toEqual([['b', 2], ['d', '4']]);
    expect(input.headers.size).toBe(5);
    expect([out.topic, out.kafkaPartition, out.key, out.value, out.kafkaOffset, out.timestamp]).toEqual(['t', 0, 'k', 'v', 5n, 10]);
  });

  it('requires headers, without empty names', () => {
    expect(() => new DropHeaders().configure({})).toThrow('Missing required configuration "headers" which has no default value.');
    expect(() => new DropHeaders().configure({ headers: 'a,,b' })).toThrow("Configuration 'headers' values must not be empty.");
  });
});

import { describe, expect, it } from 'vitest';
import { Headers } from '../../../src/data/headers.js';
import { SinkRecord } from '../../../src/data/record.js';
import { Type } from '../../../src/data/schema.js';
import { InsertHeader } from '../../../src/transforms/insert-header.js';

function insert(literal: string, headers = new Headers()): SinkRecord {
  const t = new InsertHeader<SinkRecord>();
  t.configure({ header: 'h', 'value.literal': literal });
  return t.apply(new SinkRecord('t', 0, null, null, null, 'v', 0n, null, 'NoTimestampType', headers))!;
}

describe('InsertHeader', () => {
  it('adds the literal parsed as Values.parseString does', () => {
    const header = (literal: string) => insert(literal).headers.lastWithName('h')!;
    expect([header('42').schema!.type, header('42').value]).toEqual([Type.INT8, 42]);
    expect([header('true').schema!.type, header('true').value]).toEqual([Type.BOOLEAN, true]);
    expect([header('hello world').schema!.type, header('hello world').value]).toEqual([Type.STRING, 'hello world']);
    expect(header('[1,2]').schema!.type).toBe(Type.ARRAY);
  });

  it('appends after existing headers of the same key and leaves the input record alone', () => {
    const headers = new Headers().addString('h', 'old');
    const out = insert('new', headers);
    expect([...out.headers.allWithName('h')].map((h) => h.value)).toEqual(['old', 'new']);
    expect(headers.size).toBe(1);
  });

  it('requires header and value.literal', () => {
    expect(() => new InsertHeader().configure({ header: 'h' })).toThrow(
      'Missing required configuration "value.literal" which has no default value.');
    expect(() => new InsertHeader().configure({ 'value.literal': 'x' })).toThrow(
      'Missing required configuration "header" which has no default value.');
  });
});

/** Headers: ConnectHeaders' list semantics and its schema checks. */
import { describe, expect, it } from 'vitest';
import { Headers } from '../../../src/data/headers.js';
import { ConnectTime, DecimalValue } from '../../../src/data/logical.js';
import { Schemas } from '../../../src/data/schemas.js';

describe('Headers', () => {
  it('keeps order and repeated keys', () => {
    const h = new Headers().addString('a', 'x').addInt('b', 1).add('a', 'y', Schemas.STRING_SCHEMA).add('c', { schema: Schemas.INT64_SCHEMA, value: 2n });
    expect(h.size).toBe(4);
    expect([...h].map((x) => [x.key, x.value])).toEqual([['a', 'x'], ['b', 1], ['a', 'y'], ['c', 2n]]);
    expect(h.lastWithName('a')!.value).toBe('y');
    expect([...h.allWithName('a')].map((x) => x.value)).toEqual(['x', 'y']);
    expect(h.lastWithName('zz')).toBeNull();
  });

  it('removes, retains the latest, applies transforms and duplicates', () => {
    const h = new Headers().addString('a', '1').addString('b', '2').addString('a', '3').addString('b', '4');
    const copy = h.duplicate();
    expect([...h.retainLatest('a')].map((x) => x.value)).toEqual(['2', '3', '4']);
    expect([...copy.retainLatest()].map((x) => x.value)).toEqual(['3', '4']);
    h.apply('b', (x) => (x.value === '2' ? null : x.with(Schemas.STRING_SCHEMA, 'B')));
    expect([...h].map((x) => `${x.key}=${x.value}`)).toEqual(['a=3', 'b=B']);
    expect([...h.remove('a')].map((x) => x.key)).toEqual(['b']);
    expect(h.clear().isEmpty()).toBe(true);
  });

  it('keeps a duplicate independent through every change of either side', () => {
    const original = new Headers().addString('a', '1');
    const copy = original.duplicate();
    copy.addString('b', '2');
    original.addInt('c', 3);
    expect([...original].map((x) => x.key)).toEqual(['a', 'c']);
    expect([...copy].map((x) => x.key)).toEqual(['a', 'b']);
    const third = copy.duplicate();
    copy.clear();
    third.addString('d', null);
    expect(copy.isEmpty()).toBe(true);
    expect([...third].map((x) => x.key)).toEqual(['a', 'b', 'd']);
    expect([...original].map((x) => x.key)).toEqual(['a', 'c']);
  });

  it('checks values against schemas', () => {
    expect(() => new Headers().add('k', null, Schemas.STRING_SCHEMA)).toThrow('A null value requires an optional schema but was Schema{STRING}');
    expect(() => new Headers().add('k', 5, Schemas.STRING_SCHEMA)).toThrow('The value 5 is not compatible with the schema Schema{STRING}');
    expect(() => new Headers().addTime('t', new Date(86400001))).toThrow('Kafka Connect Time type should not have any date fields set to non-zero values.');
    expect(new Headers().addTime('t', new Date(5)).lastWithName('t')!.schema).toBe(ConnectTime.SCHEMA);
    expect(new Headers().addDecimal('d', DecimalValue.parse('1.25')).lastWithName('d')!.schema!.parameters).toEqual({ scale: '2' });
    expect(() => new Headers().addList('l', [1], Schemas.INT8_SCHEMA)).toThrow('Expecting ARRAY but instead found INT8');
  });

  it('compares by content', () => {
    const a = new Headers().addString('a', 'x').addBytes('b', new Uint8Array([1]));
    const b = new Headers().addString('a', 'x').addBytes('b', new Uint8Array([1]));
    expect(a.equals(b)).toBe(true);
    expect(a.equals(b.addString('c', 'y'))).toBe(false);
  });
});

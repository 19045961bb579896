import { describe, expect, it } from 'vitest';
import { Headers } from '../../../../src/data/headers.js';
import { SinkRecord } from '../../../../src/data/record.js';
import { Schemas } from '../../../../src/data/schemas.js';
import { HasHeaderKey } from '../../../../src/transforms/predicates/has-header-key.js';

const record = (topic: string, value: unknown = 'v', headers = new Headers()) =>
  new SinkRecord(topic, 0, null, null, value === null ? Schemas.OPTIONAL_STRING_SCHEMA : null, value, 0n, null, 'NoTimestampType', headers);

describe('HasHeaderKey', () => {
  it('is true when at least one header has the name, whatever its value', () => {
    const p = new HasHeaderKey<SinkRecord>();
    p.configure({ name: 'trace' });
    expect(p.test(record('t', 'v', new Headers().addString('x', '1').addString('trace', null)))).toBe(true);
    expect(p.test(record('t', 'v', new Headers().addString('Trace', '1')))).toBe(false);
    expect(p.test(record('t'))).toBe(false);
  });

  it('requires a non-empty name', () => {
    expect(() => new HasHeaderKey().configure({ name: '' })).toThrow('Invalid value  for configuration name: String must be non-empty');
  });
});

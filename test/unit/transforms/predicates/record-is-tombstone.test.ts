import { describe, expect, it } from 'vitest';
import { Headers } from '../../../../src/data/headers.js';
import { SinkRecord } from '../../../../src/data/record.js';
import { Schemas } from '../../../../src/data/schemas.js';
import { RecordIsTombstone } from '../../../../src/transforms/predicates/record-is-tombstone.js';

const record = (topic: string, value: unknown = 'v', headers = new Headers()) =>
  new SinkRecord(topic, 0, null, null, value === null ? Schemas.OPTIONAL_STRING_SCHEMA : null, value, 0n, null, 'NoTimestampType', headers);

describe('RecordIsTombstone', () => {
  it('is true exactly when the value is null', () => {
    const p = new RecordIsTombstone<SinkRecord>();
    p.configure({});
    expect(p.test(record('t', null))).toBe(true);
    expect(p.test(record('t', ''))).toBe(false);
    expect(p.test(record('t', new Map()))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import { SinkRecord, SourceRecord } from '../../../src/data/record.js';
import { Filter } from '../../../src/transforms/filter.js';

describe('Filter', () => {
  it('drops every record, sink or source, and has no config', () => {
    const t = new Filter<SinkRecord | SourceRecord>();
    t.configure({});
    expect(t.apply(new SinkRecord('t', 0, null, null, null, 'v', 0n) as never)).toBeNull();
    expect(t.apply(new SourceRecord(null, null, 't', null, null, null, null, null) as never)).toBeNull();
    expect(t.config().names()).toEqual([]);
  });
});

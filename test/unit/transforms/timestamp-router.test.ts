import { describe, expect, it } from 'vitest';
import { SinkRecord, SourceRecord } from '../../../src/data/record.js';
import { TimestampRouter } from '../../../src/transforms/timestamp-router.js';

function configured(configs: Record<string, string> = {}): TimestampRouter<SinkRecord> {
  const t = new TimestampRouter<SinkRecord>();
  t.configure(configs);
  return t;
}

const at = (timestamp: number | null, topic = 'orders') => new SinkRecord(topic, 1, null, null, null, 'v', 3n, timestamp);

describe('TimestampRouter', () => {
  it('defaults to ${topic}-${timestamp} with yyyyMMdd in UTC', () => {
    expect(configured().apply(at(Date.UTC(2024, 1, 29, 23, 59)))!.topic).toBe('orders-20240229');
  });

  it('replaces every placeholder literally, even with $ or \\ in the topic', () => {
    const t = configured({ 'topic.format': '${timestamp}/${topic}/${topic}', 'timestamp.format': "yyyy-MM-dd'T'HH" });
    expect(t.apply(at(Date.UTC(2024, 0, 2, 5), 'a$1\\b'))!.topic).toBe('2024-01-02T05/a$1\\b/a$1\\b');
  });

  it('routes source records too', () => {
    const t = new TimestampRouter<SourceRecord>();
    t.configure({});
    expect(t.apply(new SourceRecord({}, {}, 'orders', null, null, null, null, null, 0))!.topic).toBe('orders-19700101');
  });

  it('fails a record without a timestamp, naming it', () => {
    expect(() => configured().apply(at(null))).toThrow("Timestamp missing on record: {topic='orders', kafkaPartition=1, offset=3}");
  });

  it('checks timestamp.format when configured (Kafka: at the first record)', () => {
    expect(() => configured({ 'timestamp.format': 'yyyy-q' })).toThrow(
      "Invalid value yyyy-q for configuration timestamp.format: Illegal pattern character 'q'");
  });
});

/**
 * Checking an existing internal topic's cleanup policy (TopicAdmin.verifyCleanupPolicyOnlyCompact)
 * when workers start together: a topic another worker just created may be unknown to the broker
 * asked for a moment. It is asked again rather than reported as a permission problem, and a wrong
 * policy found once it is visible still stops the worker.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ConfigError } from '../../../../src/api/errors.js';
import { KafkaConnection } from '../../../../src/kafka/protocol/connection.js';
import { TopicAdmin, type InternalTopic } from '../../../../src/storage/kafka/topic-admin.js';
import type { Logger } from '../../../../src/util/logger.js';

const TOPIC: InternalTopic = {
  name: 'connect-configs',
  partitions: 1,
  replicationFactor: 1,
  workerTopicConfig: 'config.storage.topic',
  purpose: 'connector configurations',
};

/** A DescribeConfigs v1 response for one topic: an error, or its cleanup.policy. */
function response(answer: { error: number } | { policy: string }): Buffer {
  const parts: Buffer[] = [];
  const int8 = (v: number) => parts.push(Buffer.from([v & 0xff]));
  const int16 = (v: number) => parts.push(Buffer.from([(v >> 8) & 0xff, v & 0xff]));
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    parts.push(b);
  };
  const string = (s: string | null) => {
    if (s === null) return int16(-1);
    int16(Buffer.byteLength(s));
    parts.push(Buffer.from(s));
  };
  int32(0); // throttle_time_ms
  int32(1); // one result
  int16('error' in answer ? answer.error : 0);
  string(null);
  int8(2); // TOPIC
  string(TOPIC.name);
  if ('error' in answer) {
    int32(0);
  } else {
    int32(1);
    string('cleanup.policy');
    string(answer.policy);
    int8(0); // read_only
    int8(1); // config_source
    int8(0); // is_sensitive
    int32(0); // synonyms
  }
  return Buffer.concat(parts);
}

/** The broker answers each DescribeConfigs with the next of `answers` (the last one repeats). */
function broker(answers: Buffer[]): { requests: () => number } {
  let count = 0;
  vi.spyOn(KafkaConnection, 'connect').mockImplementation(async () => {
    const conn = {
      request: async () => answers[Math.min(count++, answers.length - 1)]!,
      close: () => {},
    };
    return conn as unknown as KafkaConnection;
  });
  return { requests: () => count };
}

function logger(): Logger & { info: ReturnType<typeof vi.fn>; debug: ReturnType<typeof vi.fn> } {
  return { info: vi.fn(), debug: vi.fn(), warn: vi.fn(), error: vi.fn() } as never;
}

const UNKNOWN_TOPIC = 3;
const TOPIC_AUTHORIZATION_FAILED = 29;
const admin = (log: Logger) => new TopicAdmin({ 'bootstrap.servers': 'k1:9092' }, log);

afterEach(() => {
  vi.restoreAllMocks();
});

describe('TopicAdmin.verifyCleanupPolicyOnlyCompact', () => {
  it('asks again while the broker does not know a topic another worker just created, then verifies it quietly', async () => {
    const b = broker([response({ error: UNKNOWN_TOPIC }), response({ error: UNKNOWN_TOPIC }), response({ policy: 'compact' })]);
    const log = logger();
    expect(await admin(log).verifyCleanupPolicyOnlyCompact(TOPIC, 5_000)).toBe(true);
    expect(b.requests()).toBe(3);
    expect(log.info).not.toHaveBeenCalled();
  });

  it('still refuses a topic that is not compacted once it is visible', async () => {
    broker([response({ error: UNKNOWN_TOPIC }), response({ policy: 'delete' })]);
    const error = await admin(logger()).verifyCleanupPolicyOnlyCompact(TOPIC, 5_000).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).key).toBe('config.storage.topic');
    expect((error as Error).message).toContain("found the topic currently has 'cleanup.policy=delete'");
  });

  it('says the topic stayed invisible, not that describing configs is forbidden, when it never shows up', async () => {
    broker([response({ error: UNKNOWN_TOPIC })]);
    const log = logger();
    expect(await admin(log).verifyCleanupPolicyOnlyCompact(TOPIC, 150)).toBe(false);
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info.mock.calls[0]![0]).toContain('the topic exists but the broker asked still did not know it after 150 ms');
    expect(log.info.mock.calls[0]![0]).not.toContain('permission');
  });

  it('keeps Kafka Connect\'s permission line, at once, when the configs cannot be described', async () => {
    const b = broker([response({ error: TOPIC_AUTHORIZATION_FAILED })]);
    const log = logger();
    expect(await admin(log).verifyCleanupPolicyOnlyCompact(TOPIC, 5_000)).toBe(false);
    expect(b.requests()).toBe(1);
    expect(log.info).toHaveBeenCalledTimes(1);
    expect(log.info.mock.calls[0]![0]).toMatch(/^Unable to use admin client to verify the cleanup policy of 'connect-configs' topic is 'compact'/);
  });
});

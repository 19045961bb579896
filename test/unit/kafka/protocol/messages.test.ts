/**
 * The group and SASL API codecs against Apache Kafka's generated message classes: each case in
 * test/compat/connect-protocol/messages.json is a request or response body written by Kafka
 * 4.3.1's *Data classes at the version sluice speaks, with its JSON form from Kafka's own
 * *JsonConverter (regenerate with `node test/compat/connect-protocol/generate-fixtures.mjs`).
 * Requests: sluice must write the same bytes from the same values. Responses: sluice must read
 * the same values from Java's bytes, tagged fields included.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { ApiCodec } from '../../../../src/kafka/protocol/api.js';
import { ApiVersions } from '../../../../src/kafka/protocol/api-versions.js';
import { FindCoordinator } from '../../../../src/kafka/protocol/find-coordinator.js';
import { Heartbeat } from '../../../../src/kafka/protocol/heartbeat.js';
import { JoinGroup } from '../../../../src/kafka/protocol/join-group.js';
import { LeaveGroup } from '../../../../src/kafka/protocol/leave-group.js';
import { SaslAuthenticate } from '../../../../src/kafka/protocol/sasl-authenticate.js';
import { SaslHandshake } from '../../../../src/kafka/protocol/sasl-handshake.js';
import { SyncGroup } from '../../../../src/kafka/protocol/sync-group.js';

interface MessageCase {
  api: string;
  direction: 'request' | 'response';
  version: number;
  value: Record<string, unknown>;
  hex: string;
}

const file = join(dirname(fileURLToPath(import.meta.url)), '../../../compat/connect-protocol/messages.json');
const fixtures = JSON.parse(readFileSync(file, 'utf8')) as { kafkaVersion: string; cases: MessageCase[] };

const CODECS: Record<string, ApiCodec<never, unknown>> = { ApiVersions, FindCoordinator, JoinGroup, SyncGroup, Heartbeat, LeaveGroup, SaslHandshake, SaslAuthenticate };
/** Fields Kafka's JSON form carries as base64. */
const BYTES_FIELDS = new Set(['metadata', 'assignment', 'authBytes']);

/** Java JSON → the values sluice's codecs take (bytes as Buffers). */
function fromJava(value: unknown, field = ''): unknown {
  if (BYTES_FIELDS.has(field) && typeof value === 'string') return Buffer.from(value, 'base64');
  if (Array.isArray(value)) return value.map((v) => fromJava(v));
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fromJava(v, k)]));
  return value;
}

/** sluice's decoded values → Java's JSON shapes (bytes as base64, int64 as numbers). */
function toJava(value: unknown): unknown {
  if (Buffer.isBuffer(value)) return value.toString('base64');
  if (typeof value === 'bigint') return Number(value);
  if (Array.isArray(value)) return value.map(toJava);
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, toJava(v)]));
  return value;
}

describe(`protocol codecs match Apache Kafka ${fixtures.kafkaVersion}'s message classes`, () => {
  it('covers a request and a response of every API sluice speaks', () => {
    const seen = new Set(fixtures.cases.map((c) => `${c.api} ${c.direction}`));
    for (const api of Object.keys(CODECS)) {
      expect(seen).toContain(`${api} request`);
      expect(seen).toContain(`${api} response`);
    }
  });

  for (const [i, c] of fixtures.cases.entries()) {
    const codec = CODECS[c.api]!;
    it(`${c.api} v${c.version} ${c.direction} #${i}`, () => {
      expect(codec.apiVersion).toBe(c.version);
      if (c.direction === 'request') {
        expect(codec.encode(fromJava(c.value) as never).toString('hex')).toBe(c.hex);
      } else {
        const decoded = toJava(codec.decode(Buffer.from(c.hex, 'hex'))) as Record<string, unknown>;
        // every field sluice reads equals Java's; Java's extra (tagged) fields are skipped over
        expect(c.value).toMatchObject(decoded);
        expect(Object.keys(decoded).length).toBeGreaterThan(1);
      }
    });
  }
});

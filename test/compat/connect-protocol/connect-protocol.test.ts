/**
 * sluice's Connect group sub-protocol against Apache Kafka's own: every case in
 * fixtures.json (beside this file) was serialized by Kafka 4.3.1's ConnectProtocol or
 * IncrementalCooperativeConnectProtocol (java/, regenerate with
 * `node test/compat/connect-protocol/generate-fixtures.mjs`). sluice must write the same bytes
 * from the same values, and read Java's bytes back into those values.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  deserializeAssignment,
  deserializeMetadata,
  serializeAssignment,
  serializeMetadata,
  type ConnectAssignment,
  type WorkerState,
} from '../../../src/cluster/distributed/connect-protocol.js';

interface Fixture {
  id: string;
  kind: 'metadata' | 'assignment';
  version: number;
  input: WorkerState | ConnectAssignment;
  hex: string;
}

const dir = dirname(fileURLToPath(import.meta.url));
const fixtures = JSON.parse(readFileSync(join(dir, 'fixtures.json'), 'utf8')) as { kafkaVersion: string; cases: Fixture[] };

/** The wire groups tasks by connector and Java writes assigned connectors in HashSet order: compare as sets. */
function normalized(a: ConnectAssignment): ConnectAssignment {
  const byId = (x: { connector: string; task: number }, y: { connector: string; task: number }) =>
    x.connector.localeCompare(y.connector) || x.task - y.task;
  return {
    ...a,
    connectors: [...a.connectors].sort(),
    tasks: [...a.tasks].sort(byId),
    revokedConnectors: [...a.revokedConnectors].sort(),
    revokedTasks: [...a.revokedTasks].sort(byId),
  };
}

describe(`Connect protocol bytes match Apache Kafka ${fixtures.kafkaVersion}`, () => {
  it('has fixtures for every protocol version and both message kinds', () => {
    const kinds = new Set(fixtures.cases.map((c) => `${c.kind}-v${c.version}`));
    expect([...kinds].sort()).toEqual(['assignment-v0', 'assignment-v1', 'assignment-v2', 'metadata-v0', 'metadata-v1', 'metadata-v2']);
  });

  for (const c of fixtures.cases) {
    it(`${c.id}: writes Java's bytes`, () => {
      const bytes =
        c.kind === 'metadata' ? serializeMetadata(c.input as WorkerState, c.version) : serializeAssignment(c.input as ConnectAssignment, c.version);
      expect(bytes.toString('hex')).toBe(c.hex);
    });

    it(`${c.id}: reads Java's bytes`, () => {
      const buf = Buffer.from(c.hex, 'hex');
      if (c.kind === 'metadata') {
        const expected = c.input as WorkerState;
        const got = deserializeMetadata(buf);
        expect({ ...got, assignment: got.assignment && normalized(got.assignment) }).toEqual({
          ...expected,
          // The embedded assignment carries the metadata's version on the wire.
          assignment: expected.assignment && normalized({ ...expected.assignment, version: c.version }),
        });
      } else {
        const got = deserializeAssignment(buf);
        expect(normalized(got)).toEqual(normalized({ ...(c.input as ConnectAssignment), version: c.version }));
      }
    });
  }
});

import { describe, expect, it } from 'vitest';
import {
  deserializeAssignment,
  deserializeMetadata,
  metadataProtocols,
  protocolVersionOf,
  serializeAssignment,
  serializeMetadata,
  type ConnectAssignment,
} from '../../../src/cluster/distributed/connect-protocol.js';

const assignment: ConnectAssignment = {
  version: 2,
  error: 0,
  leader: 'w1',
  leaderUrl: 'http://w1:8083/',
  configOffset: 3,
  connectors: ['a'],
  tasks: [{ connector: 'a', task: 0 }],
  revokedConnectors: [],
  revokedTasks: [],
  delay: 0,
};

describe('Connect protocol metadata', () => {
  it('advertises sessioned, then compatible — never the eager "default" protocol', () => {
    const state = { url: 'http://w1:8083/', configOffset: 3, assignment };
    expect(metadataProtocols(state, 'sessioned').map((p) => p.name)).toEqual(['sessioned', 'compatible']);
    expect(metadataProtocols(state, 'compatible').map((p) => p.name)).toEqual(['compatible']);
    const [sessioned, compatible] = metadataProtocols(state, 'sessioned');
    expect(Buffer.from(sessioned!.metadata).readInt16BE(0)).toBe(2);
    expect(Buffer.from(compatible!.metadata).readInt16BE(0)).toBe(1);
  });

  it('reads a V0 (eager) subscription as a worker without an assignment', () => {
    const v0 = serializeMetadata({ url: 'http://old:8083/', configOffset: 9, assignment: assignment }, 0);
    expect(deserializeMetadata(v0)).toEqual({ url: 'http://old:8083/', configOffset: 9, assignment: null });
  });

  it('reads a V0 assignment through the V1 reader, with nothing revoked and no delay', () => {
    const v0 = serializeAssignment({ ...assignment, revokedConnectors: ['x'], delay: 5 }, 0);
    expect(deserializeAssignment(v0)).toEqual({ ...assignment, version: 0 });
  });

  it('maps protocol names to versions and rejects unknown ones', () => {
    expect(protocolVersionOf('default')).toBe(0);
    expect(protocolVersionOf('compatible')).toBe(1);
    expect(protocolVersionOf('sessioned')).toBe(2);
    expect(() => protocolVersionOf('range')).toThrow(/range/);
  });

  it('rejects a negative version and truncated bytes with messages naming the structure', () => {
    const bytes = serializeAssignment(assignment, 1);
    bytes.writeInt16BE(-1, 0);
    expect(() => deserializeAssignment(bytes)).toThrow(/Unsupported assignment version: -1/);
    expect(() => deserializeMetadata(serializeMetadata({ url: 'u', configOffset: 1, assignment: null }, 1).subarray(0, 6))).toThrow(
      /Connect worker metadata is truncated/,
    );
  });
});

import { describe, expect, it } from 'vitest';
import { WorkerGroupMember, type WorkerGroupMemberOptions } from '../../../src/cluster/distributed/group-member.js';

const base: WorkerGroupMemberOptions = {
  bootstrap: '127.0.0.1:9092',
  groupId: 'connect-cluster',
  restUrl: 'http://w1:8083/',
  configOffset: () => -1,
  assignor: () => new Map(),
  listener: { onRevoked: () => {}, onAssigned: () => {} },
};

describe('WorkerGroupMember settings', () => {
  it('uses Kafka Connect defaults until started', () => {
    const member = new WorkerGroupMember(base);
    expect(member.memberId).toBe('');
    expect(member.generationId).toBe(-1);
    expect(member.assignment).toBeNull();
    expect(member.isLeader).toBe(false);
    expect(member.currentProtocolVersion).toBeNull();
  });

  it('rejects a heartbeat interval not below the session timeout, naming both keys', () => {
    expect(() => new WorkerGroupMember({ ...base, heartbeatIntervalMs: 10_000, sessionTimeoutMs: 10_000 })).toThrow(
      /heartbeat\.interval\.ms \(10000\) must be lower than session\.timeout\.ms \(10000\)/,
    );
  });

  it('rejects bootstrap.servers without a broker', () => {
    expect(() => new WorkerGroupMember({ ...base, bootstrap: ' , ' })).toThrow(/bootstrap\.servers " , " names no broker/);
  });
});

import { describe, expect, it } from 'vitest';
import { ErrorCode, isProtocolError, protocolError, throwIfError } from '../../../../src/kafka/protocol/errors.js';

describe('protocol error codes', () => {
  it('maps the codes group membership reacts to onto their Kafka names', () => {
    expect(ErrorCode.REBALANCE_IN_PROGRESS).toBe(27);
    expect(ErrorCode.MEMBER_ID_REQUIRED).toBe(79);
    expect(ErrorCode.NOT_COORDINATOR).toBe(16);
    expect(ErrorCode.UNKNOWN_MEMBER_ID).toBe(25);
    expect(ErrorCode.ILLEGAL_GENERATION).toBe(22);
  });

  it('builds an error naming the API, the code and the broker description', () => {
    const err = protocolError(27, 'Heartbeat')!;
    expect(err.errorName).toBe('REBALANCE_IN_PROGRESS');
    expect(err.message).toBe('Heartbeat failed: REBALANCE_IN_PROGRESS (27): The group is rebalancing, so a rejoin is needed.');
    expect(err.is('REBALANCE_IN_PROGRESS')).toBe(true);
    expect(isProtocolError(err, 'REBALANCE_IN_PROGRESS')).toBe(true);
    expect(isProtocolError(err, 'NOT_COORDINATOR')).toBe(false);
  });

  it('marks the errors the Java client retries as retriable', () => {
    expect(protocolError(ErrorCode.NOT_COORDINATOR, 'JoinGroup')!.retriable).toBe(true);
    expect(protocolError(ErrorCode.COORDINATOR_LOAD_IN_PROGRESS, 'JoinGroup')!.retriable).toBe(true);
    expect(protocolError(ErrorCode.INCONSISTENT_GROUP_PROTOCOL, 'JoinGroup')!.retriable).toBe(false);
  });

  it('prefers the message the broker sent, and copes with codes newer than the table', () => {
    expect(protocolError(15, 'FindCoordinator', 'still loading')!.message).toBe('FindCoordinator failed: COORDINATOR_NOT_AVAILABLE (15): still loading');
    const unknown = protocolError(9999, 'SyncGroup')!;
    expect(unknown.errorName).toBe('UNKNOWN');
    expect(unknown.message).toMatch(/unknown error code 9999/);
    expect(protocolError(0, 'Heartbeat')).toBeNull();
    expect(() => throwIfError(0, 'Heartbeat')).not.toThrow();
    expect(() => throwIfError(25, 'SyncGroup')).toThrow(/UNKNOWN_MEMBER_ID/);
  });
});

/**
 * JoinGroup v9 (brokers since 3.2; what Apache Kafka 4.x clients send). group_instance_id stays
 * null: Connect does not use static membership (WorkerCoordinator refuses skip_assignment), so
 * skip_assignment is always false in answers to sluice.
 *
 * JoinGroup Request (Version: 9) => group_id session_timeout_ms rebalance_timeout_ms member_id group_instance_id protocol_type [protocols] reason _tagged_fields
 *   group_id => COMPACT_STRING
 *   session_timeout_ms => INT32
 *   rebalance_timeout_ms => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   protocol_type => COMPACT_STRING
 *   protocols => name metadata _tagged_fields
 *     name => COMPACT_STRING
 *     metadata => COMPACT_BYTES
 *   reason => COMPACT_NULLABLE_STRING
 *
 * JoinGroup Response (Version: 9) => throttle_time_ms error_code generation_id protocol_type protocol_name leader skip_assignment member_id [members] _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   generation_id => INT32
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 *   leader => COMPACT_STRING
 *   skip_assignment => BOOLEAN
 *   member_id => COMPACT_STRING
 *   members => member_id group_instance_id metadata _tagged_fields
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     metadata => COMPACT_BYTES
 */
import { headerVersions, type ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';

/** The member id a new member joins with (JoinGroupRequest.UNKNOWN_MEMBER_ID). */
export const UNKNOWN_MEMBER_ID = '';

export interface GroupProtocol {
  name: string;
  metadata: Uint8Array;
}

export interface JoinGroupRequest {
  groupId: string;
  sessionTimeoutMs: number;
  rebalanceTimeoutMs: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string;
  /** In order of preference: the coordinator picks the first one every member supports. */
  protocols: GroupProtocol[];
  reason: string | null;
}

export interface JoinGroupMember {
  memberId: string;
  groupInstanceId: string | null;
  metadata: Buffer;
}

export interface JoinGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  generationId: number;
  protocolType: string | null;
  protocolName: string | null;
  leader: string;
  skipAssignment: boolean;
  memberId: string;
  /** Every member with its metadata for the chosen protocol — filled for the leader only. */
  members: JoinGroupMember[];
}

export const JoinGroup: ApiCodec<JoinGroupRequest, JoinGroupResponse> = {
  name: 'JoinGroup',
  apiKey: 11,
  apiVersion: 9,
  ...headerVersions(true),
  encode: (req) =>
    new Writer()
      .compactString(req.groupId)
      .int32(req.sessionTimeoutMs)
      .int32(req.rebalanceTimeoutMs)
      .compactString(req.memberId)
      .compactString(req.groupInstanceId)
      .compactString(req.protocolType)
      .compactArray(req.protocols, (w, p) => w.compactString(p.name).compactBytes(p.metadata).emptyTaggedFields())
      .compactString(req.reason)
      .emptyTaggedFields()
      .build(),
  decode: (body) => {
    const r = new Reader(body, 'JoinGroup response');
    const res: JoinGroupResponse = {
      throttleTimeMs: r.int32(),
      errorCode: r.int16(),
      generationId: r.int32(),
      protocolType: r.compactNullableString(),
      protocolName: r.compactNullableString(),
      leader: r.compactString(),
      skipAssignment: r.bool(),
      memberId: r.compactString(),
      members: r.compactArray((e) => {
        const m: JoinGroupMember = { memberId: e.compactString(), groupInstanceId: e.compactNullableString(), metadata: e.compactBytes() };
        e.skipTaggedFields();
        return m;
      }),
    };
    r.skipTaggedFields();
    return res;
  },
};

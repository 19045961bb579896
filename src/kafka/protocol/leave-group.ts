/**
 * LeaveGroup v5 (KIP-800; brokers since 3.2): a member leaves at once instead of waiting for its
 * session to expire, so the group rebalances without it straight away.
 *
 * LeaveGroup Request (Version: 5) => group_id [members] _tagged_fields
 *   group_id => COMPACT_STRING
 *   members => member_id group_instance_id reason _tagged_fields
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     reason => COMPACT_NULLABLE_STRING
 *
 * LeaveGroup Response (Version: 5) => throttle_time_ms error_code [members] _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   members => member_id group_instance_id error_code _tagged_fields
 *     member_id => COMPACT_STRING
 *     group_instance_id => COMPACT_NULLABLE_STRING
 *     error_code => INT16
 */
import { headerVersions, type ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';

export interface LeavingMember {
  memberId: string;
  groupInstanceId: string | null;
  reason: string | null;
}

export interface LeaveGroupRequest {
  groupId: string;
  members: LeavingMember[];
}

export interface LeaveGroupMemberResponse {
  memberId: string;
  groupInstanceId: string | null;
  errorCode: number;
}

export interface LeaveGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  members: LeaveGroupMemberResponse[];
}

export const LeaveGroup: ApiCodec<LeaveGroupRequest, LeaveGroupResponse> = {
  name: 'LeaveGroup',
  apiKey: 13,
  apiVersion: 5,
  ...headerVersions(true),
  encode: (req) =>
    new Writer()
      .compactString(req.groupId)
      .compactArray(req.members, (w, m) => w.compactString(m.memberId).compactString(m.groupInstanceId).compactString(m.reason).emptyTaggedFields())
      .emptyTaggedFields()
      .build(),
  decode: (body) => {
    const r = new Reader(body, 'LeaveGroup response');
    const throttleTimeMs = r.int32();
    const errorCode = r.int16();
    const members = r.compactArray((e) => {
      const m = { memberId: e.compactString(), groupInstanceId: e.compactNullableString(), errorCode: e.int16() };
      e.skipTaggedFields();
      return m;
    });
    r.skipTaggedFields();
    return { throttleTimeMs, errorCode, members };
  },
};

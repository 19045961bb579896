/**
 * SyncGroup v5 (KIP-559; brokers since 2.5): the leader hands the coordinator every member's
 * assignment; each member (leader included) gets its own back. Followers send no assignments.
 *
 * SyncGroup Request (Version: 5) => group_id generation_id member_id group_instance_id protocol_type protocol_name [assignments] _tagged_fields
 *   group_id => COMPACT_STRING
 *   generation_id => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 *   assignments => member_id assignment _tagged_fields
 *     member_id => COMPACT_STRING
 *     assignment => COMPACT_BYTES
 *
 * SyncGroup Response (Version: 5) => throttle_time_ms error_code protocol_type protocol_name assignment _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 *   protocol_type => COMPACT_NULLABLE_STRING
 *   protocol_name => COMPACT_NULLABLE_STRING
 *   assignment => COMPACT_BYTES
 */
import { headerVersions, type ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';

export interface SyncGroupAssignment {
  memberId: string;
  assignment: Uint8Array;
}

export interface SyncGroupRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
  protocolType: string | null;
  protocolName: string | null;
  assignments: SyncGroupAssignment[];
}

export interface SyncGroupResponse {
  throttleTimeMs: number;
  errorCode: number;
  protocolType: string | null;
  protocolName: string | null;
  assignment: Buffer;
}

export const SyncGroup: ApiCodec<SyncGroupRequest, SyncGroupResponse> = {
  name: 'SyncGroup',
  apiKey: 14,
  apiVersion: 5,
  ...headerVersions(true),
  encode: (req) =>
    new Writer()
      .compactString(req.groupId)
      .int32(req.generationId)
      .compactString(req.memberId)
      .compactString(req.groupInstanceId)
      .compactString(req.protocolType)
      .compactString(req.protocolName)
      .compactArray(req.assignments, (w, a) => w.compactString(a.memberId).compactBytes(a.assignment).emptyTaggedFields())
      .emptyTaggedFields()
      .build(),
  decode: (body) => {
    const r = new Reader(body, 'SyncGroup response');
    const res: SyncGroupResponse = {
      throttleTimeMs: r.int32(),
      errorCode: r.int16(),
      protocolType: r.compactNullableString(),
      protocolName: r.compactNullableString(),
      assignment: r.compactBytes(),
    };
    r.skipTaggedFields();
    return res;
  },
};

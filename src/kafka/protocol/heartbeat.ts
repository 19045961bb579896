/**
 * Heartbeat v4 (brokers since 2.4): keeps a member's session alive; the error code tells it when
 * the group is rebalancing (REBALANCE_IN_PROGRESS) or it has been fenced out.
 *
 * Heartbeat Request (Version: 4) => group_id generation_id member_id group_instance_id _tagged_fields
 *   group_id => COMPACT_STRING
 *   generation_id => INT32
 *   member_id => COMPACT_STRING
 *   group_instance_id => COMPACT_NULLABLE_STRING
 *
 * Heartbeat Response (Version: 4) => throttle_time_ms error_code _tagged_fields
 *   throttle_time_ms => INT32
 *   error_code => INT16
 */
import { headerVersions, type ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';

export interface HeartbeatRequest {
  groupId: string;
  generationId: number;
  memberId: string;
  groupInstanceId: string | null;
}

export interface HeartbeatResponse {
  throttleTimeMs: number;
  errorCode: number;
}

export const Heartbeat: ApiCodec<HeartbeatRequest, HeartbeatResponse> = {
  name: 'Heartbeat',
  apiKey: 12,
  apiVersion: 4,
  ...headerVersions(true),
  encode: (req) =>
    new Writer()
      .compactString(req.groupId)
      .int32(req.generationId)
      .compactString(req.memberId)
      .compactString(req.groupInstanceId)
      .emptyTaggedFields()
      .build(),
  decode: (body) => {
    const r = new Reader(body, 'Heartbeat response');
    const res = { throttleTimeMs: r.int32(), errorCode: r.int16() };
    r.skipTaggedFields();
    return res;
  },
};

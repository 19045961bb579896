/**
 * FindCoordinator v4 (KIP-699; brokers since 3.0): the broker coordinating a group. v4 batches
 * keys; sluice asks for one group at a time.
 *
 * FindCoordinator Request (Version: 4) => key_type [coordinator_keys] _tagged_fields
 *   key_type => INT8
 *   coordinator_keys => COMPACT_STRING
 *
 * FindCoordinator Response (Version: 4) => throttle_time_ms [coordinators] _tagged_fields
 *   throttle_time_ms => INT32
 *   coordinators => key node_id host port error_code error_message _tagged_fields
 *     key => COMPACT_STRING
 *     node_id => INT32
 *     host => COMPACT_STRING
 *     port => INT32
 *     error_code => INT16
 *     error_message => COMPACT_NULLABLE_STRING
 */
import { headerVersions, type ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';

/** KeyType: 0 = group, 1 = transaction, 2 = share group. */
export const COORDINATOR_KEY_TYPE_GROUP = 0;

export interface FindCoordinatorRequest {
  keyType: number;
  coordinatorKeys: string[];
}

export interface Coordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

export interface FindCoordinatorResponse {
  throttleTimeMs: number;
  coordinators: Coordinator[];
}

export const FindCoordinator: ApiCodec<FindCoordinatorRequest, FindCoordinatorResponse> = {
  name: 'FindCoordinator',
  apiKey: 10,
  apiVersion: 4,
  ...headerVersions(true),
  encode: (req) =>
    new Writer()
      .int8(req.keyType)
      .compactArray(req.coordinatorKeys, (w, key) => w.compactString(key))
      .emptyTaggedFields()
      .build(),
  decode: (body) => {
    const r = new Reader(body, 'FindCoordinator response');
    const throttleTimeMs = r.int32();
    const coordinators = r.compactArray((e) => {
      const c: Coordinator = {
        key: e.compactString(),
        nodeId: e.int32(),
        host: e.compactString(),
        port: e.int32(),
        errorCode: e.int16(),
        errorMessage: e.compactNullableString(),
      };
      e.skipTaggedFields();
      return c;
    });
    r.skipTaggedFields();
    return { throttleTimeMs, coordinators };
  },
};

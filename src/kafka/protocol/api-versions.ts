/**
 * ApiVersions v3 (KIP-511; brokers since 2.4): which versions of each API the broker speaks.
 * sluice checks it once per coordinator connection so an old broker fails with a clear message
 * instead of a dropped connection. v3 rather than v4: v4 only changes how features with a minimum
 * version of 0 are listed, which sluice does not read.
 *
 * ApiVersions Request (Version: 3) => client_software_name client_software_version _tagged_fields
 *   client_software_name => COMPACT_STRING
 *   client_software_version => COMPACT_STRING
 *
 * ApiVersions Response (Version: 3) => error_code [api_keys] throttle_time_ms _tagged_fields
 *   error_code => INT16
 *   api_keys => api_key min_version max_version _tagged_fields
 *     api_key => INT16
 *     min_version => INT16
 *     max_version => INT16
 *   throttle_time_ms => INT32
 *
 * The response header is v0 whatever the version (ApiVersionsResponse.json: "Tagged fields are
 * only supported in the body but not in the header").
 */
import type { ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';
import { ErrorCode } from './errors.js';

const UNSUPPORTED_VERSION = ErrorCode.UNSUPPORTED_VERSION;

export interface ApiVersionsRequest {
  clientSoftwareName: string;
  clientSoftwareVersion: string;
}

export interface ApiVersionRange {
  apiKey: number;
  minVersion: number;
  maxVersion: number;
}

export interface ApiVersionsResponse {
  errorCode: number;
  apiKeys: ApiVersionRange[];
  throttleTimeMs: number;
}

export const ApiVersions: ApiCodec<ApiVersionsRequest, ApiVersionsResponse> = {
  name: 'ApiVersions',
  apiKey: 18,
  apiVersion: 3,
  requestHeaderVersion: 2,
  responseHeaderVersion: 0,
  encode: (req) =>
    new Writer().compactString(req.clientSoftwareName).compactString(req.clientSoftwareVersion).emptyTaggedFields().build(),
  decode: (body) => {
    const r = new Reader(body, 'ApiVersions response');
    const errorCode = r.int16();
    if (errorCode === UNSUPPORTED_VERSION) {
      // A broker older than v3 answers in v0 (int32 array, no tagged fields) with what it supports.
      const apiKeys = r.array((e) => ({ apiKey: e.int16(), minVersion: e.int16(), maxVersion: e.int16() }));
      return { errorCode, apiKeys, throttleTimeMs: 0 };
    }
    const apiKeys = r.compactArray((e) => {
      const range = { apiKey: e.int16(), minVersion: e.int16(), maxVersion: e.int16() };
      e.skipTaggedFields();
      return range;
    });
    const throttleTimeMs = r.int32();
    r.skipTaggedFields();
    return { errorCode, apiKeys, throttleTimeMs };
  },
};

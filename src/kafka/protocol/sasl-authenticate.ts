/**
 * SaslAuthenticate v2 (flexible; brokers since 2.5): one round of a SASL exchange.
 *
 * SaslAuthenticate Request (Version: 2) => auth_bytes _tagged_fields
 *   auth_bytes => COMPACT_BYTES
 *
 * SaslAuthenticate Response (Version: 2) => error_code error_message auth_bytes session_lifetime_ms _tagged_fields
 *   error_code => INT16
 *   error_message => COMPACT_NULLABLE_STRING
 *   auth_bytes => COMPACT_BYTES
 *   session_lifetime_ms => INT64
 */
import { headerVersions, type ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';

export interface SaslAuthenticateResponse {
  errorCode: number;
  errorMessage: string | null;
  authBytes: Buffer;
  sessionLifetimeMs: bigint;
}

export const SaslAuthenticate: ApiCodec<{ authBytes: Uint8Array }, SaslAuthenticateResponse> = {
  name: 'SaslAuthenticate',
  apiKey: 36,
  apiVersion: 2,
  ...headerVersions(true),
  encode: (req) => new Writer().compactBytes(req.authBytes).emptyTaggedFields().build(),
  decode: (body) => {
    const r = new Reader(body, 'SaslAuthenticate response');
    const res = { errorCode: r.int16(), errorMessage: r.compactNullableString(), authBytes: r.compactBytes(), sessionLifetimeMs: r.int64() };
    r.skipTaggedFields();
    return res;
  },
};

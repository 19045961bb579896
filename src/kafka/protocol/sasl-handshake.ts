/**
 * SaslHandshake v1 (KIP-152): names the SASL mechanism; the exchange itself then goes through
 * SaslAuthenticate. (v0, raw SASL tokens after the handshake, was removed in Kafka 4.0.)
 *
 * SaslHandshake Request (Version: 1) => mechanism
 *   mechanism => STRING
 *
 * SaslHandshake Response (Version: 1) => error_code [mechanisms]
 *   error_code => INT16
 *   mechanisms => STRING
 */
import { headerVersions, type ApiCodec } from './api.js';
import { Reader, Writer } from './codec.js';

export interface SaslHandshakeResponse {
  errorCode: number;
  /** The mechanisms the broker's listener enables. */
  mechanisms: string[];
}

export const SaslHandshake: ApiCodec<{ mechanism: string }, SaslHandshakeResponse> = {
  name: 'SaslHandshake',
  apiKey: 17,
  apiVersion: 1,
  ...headerVersions(false),
  encode: (req) => new Writer().string(req.mechanism).build(),
  decode: (body) => {
    const r = new Reader(body, 'SaslHandshake response');
    return { errorCode: r.int16(), mechanisms: r.array((e) => e.string()) };
  },
};

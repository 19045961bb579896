/**
 * What the connection needs to know about one API version: its key and version, which header
 * versions frame it, and how to turn a request into bytes and a response body back into data.
 * Each `src/kafka/protocol/<api>.ts` exports one of these.
 */
export interface ApiCodec<Req, Res> {
  /** The API's name in Kafka's message JSON (`JoinGroup`), for error messages. */
  readonly name: string;
  readonly apiKey: number;
  readonly apiVersion: number;
  /** Request header v1 (non-flexible APIs) or v2 (flexible: adds a tagged-field section). */
  readonly requestHeaderVersion: 1 | 2;
  /** Response header v0, or v1 for flexible versions (tagged fields) — except ApiVersions, always v0. */
  readonly responseHeaderVersion: 0 | 1;
  encode(request: Req): Buffer;
  decode(body: Buffer): Res;
}

/** Header versions for an API version that is (or is not) flexible. */
export function headerVersions(flexible: boolean): Pick<ApiCodec<unknown, unknown>, 'requestHeaderVersion' | 'responseHeaderVersion'> {
  return flexible ? { requestHeaderVersion: 2, responseHeaderVersion: 1 } : { requestHeaderVersion: 1, responseHeaderVersion: 0 };
}

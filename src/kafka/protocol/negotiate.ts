/**
 * Checks, once per connection, that the broker speaks the API versions sluice will send, so an
 * old broker fails with a message naming the API instead of a dropped connection.
 */
import type { ApiCodec } from './api.js';
import { ApiVersions, type ApiVersionRange } from './api-versions.js';
import type { KafkaConnection } from './connection.js';
import { throwIfError } from './errors.js';

export class UnsupportedApiVersionError extends Error {
  override readonly name = 'UnsupportedApiVersionError';
}

/** Asks the broker for its API versions and throws if any of `apis` is outside them. */
export async function assertApiVersions(
  conn: KafkaConnection,
  apis: readonly ApiCodec<never, unknown>[],
  software: { name: string; version: string },
): Promise<ApiVersionRange[]> {
  const res = await conn.send(ApiVersions, { clientSoftwareName: software.name, clientSoftwareVersion: software.version });
  throwIfError(res.errorCode, 'ApiVersions');
  const byKey = new Map(res.apiKeys.map((k) => [k.apiKey, k]));
  for (const api of apis) {
    const range = byKey.get(api.apiKey);
    if (!range || api.apiVersion < range.minVersion || api.apiVersion > range.maxVersion) {
      const supported = range ? `v${range.minVersion}-v${range.maxVersion}` : 'no version';
      throw new UnsupportedApiVersionError(
        `broker ${conn.address.host}:${conn.address.port} supports ${supported} of ${api.name}; sluice needs v${api.apiVersion} (Apache Kafka 3.2 or later)`,
      );
    }
  }
  return res.apiKeys;
}

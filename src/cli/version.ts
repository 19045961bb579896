import { readFileSync } from 'node:fs';

/** The version in package.json (the REST API's `GET /` reports it). */
export const SLUICE_VERSION: string = (
  JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }
).version;

/** The git commit, when built from a checkout; Kafka Connect reports its own commit id the same way. */
export const SLUICE_COMMIT: string = process.env.SLUICE_COMMIT ?? 'unknown';

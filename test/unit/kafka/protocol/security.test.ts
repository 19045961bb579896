import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src/api/errors.js';
import { securityFromConfig } from '../../../../src/kafka/protocol/security.js';

const dir = mkdtempSync(join(tmpdir(), 'sluice-security-'));
const PEM = '-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n';
const pemFile = join(dir, 'ca.pem');
writeFileSync(pemFile, PEM);
const jksFile = join(dir, 'truststore.jks');
writeFileSync(jksFile, Buffer.from('feedfeed00000002', 'hex'));

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError');
}

describe('connection security from worker configs', () => {
  it('is PLAINTEXT by default, as in Kafka', () => {
    expect(securityFromConfig({})).toEqual({ protocol: 'PLAINTEXT' });
  });

  it('reads SASL PLAIN credentials from sasl.jaas.config', () => {
    const s = securityFromConfig({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="connect" password="pw=1";',
    });
    expect(s).toEqual({ protocol: 'SASL_PLAINTEXT', sasl: { mechanism: 'PLAIN', username: 'connect', password: 'pw=1' } });
  });

  it('takes SCRAM over SSL with a PEM trust store, and can turn host name checks off', () => {
    const s = securityFromConfig({
      'security.protocol': 'sasl_ssl',
      'sasl.mechanism': 'SCRAM-SHA-512',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="u" password="p";',
      'ssl.truststore.type': 'PEM',
      'ssl.truststore.location': pemFile,
      'ssl.endpoint.identification.algorithm': '',
    });
    expect(s.protocol).toBe('SASL_SSL');
    expect(s.sasl?.mechanism).toBe('SCRAM-SHA-512');
    expect(String(s.tls?.ca)).toBe(PEM);
    expect(s.tls?.checkServerIdentity).toBeTypeOf('function');
    // host names are checked unless the algorithm is set to empty
    expect(securityFromConfig({ 'security.protocol': 'SSL' }).tls?.checkServerIdentity).toBeUndefined();
  });

  it('names the key of every setting it cannot honour', () => {
    expect(configError(() => securityFromConfig({ 'security.protocol': 'SASL_TLS' })).key).toBe('security.protocol');
    // Kafka's default mechanism is GSSAPI, which sluice does not speak
    expect(configError(() => securityFromConfig({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.jaas.config': 'x' })).key).toBe('sasl.mechanism');
    expect(configError(() => securityFromConfig({ 'security.protocol': 'SASL_PLAINTEXT', 'sasl.mechanism': 'PLAIN' })).key).toBe('sasl.jaas.config');
    const jks = configError(() => securityFromConfig({ 'security.protocol': 'SSL', 'ssl.truststore.location': jksFile }));
    expect(jks.key).toBe('ssl.truststore.location');
    expect(jks.message).toMatch(/PEM.*not JKS/);
    expect(configError(() => securityFromConfig({ 'security.protocol': 'SSL', 'ssl.keystore.location': join(dir, 'missing.p12') })).key).toBe(
      'ssl.keystore.location',
    );
    // with a prefix, errors name the key as the user wrote it
    expect(configError(() => securityFromConfig({ 'security.protocol': 'nope' }, 'consumer.')).message).toMatch(/consumer\.security\.protocol/);
  });
});

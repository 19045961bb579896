/**
 * How a protocol connection secures itself, from the worker's Java client keys (the same ones
 * src/kafka/client-config.ts hands librdkafka): `security.protocol`, `ssl.*`, `sasl.mechanism`,
 * `sasl.jaas.config`.
 *
 * Differences from the Java client, on purpose: node:tls reads PEM and PKCS12, not JKS, so a JKS
 * store is rejected with an error naming its key; SASL supports PLAIN and SCRAM (no GSSAPI or
 * OAUTHBEARER), and credentials come from the `username="..." password="..."` options of
 * PlainLoginModule or ScramLoginModule.
 */
import { readFileSync } from 'node:fs';
import type { ConnectionOptions } from 'node:tls';
import { ConfigError } from '../../api/errors.js';
import type { SaslCredentials, SaslMechanism } from './sasl.js';

export type SecurityProtocol = 'PLAINTEXT' | 'SSL' | 'SASL_PLAINTEXT' | 'SASL_SSL';

export interface ConnectionSecurity {
  protocol: SecurityProtocol;
  /** node:tls options for SSL and SASL_SSL. */
  tls?: ConnectionOptions;
  sasl?: SaslCredentials;
}

const PROTOCOLS: readonly SecurityProtocol[] = ['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'];
const MECHANISMS: readonly SaslMechanism[] = ['PLAIN', 'SCRAM-SHA-256', 'SCRAM-SHA-512'];

/**
 * Reads the security settings out of worker (or client) properties. `prefix` is prepended to key
 * names in error messages (e.g. "consumer." when the keys came from consumer overrides).
 */
export function securityFromConfig(props: Record<string, string | undefined>, prefix = ''): ConnectionSecurity {
  const key = (k: string): string => `${prefix}${k}`;
  const protocol = (props['security.protocol'] ?? 'PLAINTEXT').trim().toUpperCase() as SecurityProtocol;
  if (!PROTOCOLS.includes(protocol)) {
    throw new ConfigError(`Invalid value ${props['security.protocol']} for configuration ${key('security.protocol')}: must be one of ${PROTOCOLS.join(', ')}`, key('security.protocol'));
  }
  const security: ConnectionSecurity = { protocol };
  if (protocol === 'SSL' || protocol === 'SASL_SSL') security.tls = tlsOptions(props, key);
  if (protocol === 'SASL_PLAINTEXT' || protocol === 'SASL_SSL') security.sasl = saslCredentials(props, key);
  return security;
}

function tlsOptions(props: Record<string, string | undefined>, key: (k: string) => string): ConnectionOptions {
  const opts: ConnectionOptions = {};
  // Java's default is "https" (verify the host name); an empty value turns the check off.
  if ((props['ssl.endpoint.identification.algorithm'] ?? 'https').trim() === '') opts.checkServerIdentity = () => undefined;

  const inlineCa = props['ssl.truststore.certificates'];
  const truststore = props['ssl.truststore.location'];
  if (inlineCa) opts.ca = inlineCa;
  else if (truststore) {
    const type = (props['ssl.truststore.type'] ?? '').toUpperCase();
    const content = readStore(truststore, key('ssl.truststore.location'));
    if (type === 'PKCS12') {
      throw new ConfigError(`Unsupported value PKCS12 for configuration ${key('ssl.truststore.type')}: sluice reads trust stores as PEM (set ssl.truststore.type=PEM)`, key('ssl.truststore.type'));
    }
    if (!isPem(content)) {
      throw new ConfigError(`Invalid trust store ${truststore} in configuration ${key('ssl.truststore.location')}: sluice reads PEM certificates, not JKS (set ssl.truststore.type=PEM)`, key('ssl.truststore.location'));
    }
    opts.ca = content;
  }

  const chain = props['ssl.keystore.certificate.chain'];
  const inlineKey = props['ssl.keystore.key'];
  const keystore = props['ssl.keystore.location'];
  const keyPassword = props['ssl.key.password'] ?? props['ssl.keystore.password'];
  if (chain && inlineKey) {
    opts.cert = chain;
    opts.key = inlineKey;
    if (keyPassword) opts.passphrase = keyPassword;
  } else if (keystore) {
    const type = (props['ssl.keystore.type'] ?? '').toUpperCase();
    const content = readStore(keystore, key('ssl.keystore.location'));
    if (type === 'PKCS12') {
      opts.pfx = content;
      if (props['ssl.keystore.password']) opts.passphrase = props['ssl.keystore.password'];
    } else if (isPem(content)) {
      // A PEM key store holds the private key and the certificate chain in one file.
      opts.cert = content;
      opts.key = content;
      if (keyPassword) opts.passphrase = keyPassword;
    } else {
      throw new ConfigError(`Invalid key store ${keystore} in configuration ${key('ssl.keystore.location')}: sluice reads PEM or PKCS12 key stores, not JKS (set ssl.keystore.type)`, key('ssl.keystore.location'));
    }
  }
  return opts;
}

function saslCredentials(props: Record<string, string | undefined>, key: (k: string) => string): SaslCredentials {
  // Java's default mechanism is GSSAPI, which sluice does not speak: say so rather than guess PLAIN.
  const mechanism = (props['sasl.mechanism'] ?? 'GSSAPI').trim().toUpperCase() as SaslMechanism;
  if (!MECHANISMS.includes(mechanism)) {
    throw new ConfigError(`Unsupported value ${props['sasl.mechanism'] ?? 'GSSAPI (the default)'} for configuration ${key('sasl.mechanism')}: sluice supports ${MECHANISMS.join(', ')}`, key('sasl.mechanism'));
  }
  const jaas = props['sasl.jaas.config'];
  const user = jaas ? /\busername\s*=\s*"([^"]*)"/.exec(jaas) : null;
  const pass = jaas ? /\bpassword\s*=\s*"([^"]*)"/.exec(jaas) : null;
  if (!user || !pass) {
    throw new ConfigError(
      `Invalid value for configuration ${key('sasl.jaas.config')}: sluice reads username="..." and password="..." from PlainLoginModule or ScramLoginModule`,
      key('sasl.jaas.config'),
    );
  }
  return { mechanism, username: user[1]!, password: pass[1]! };
}

function readStore(path: string, configKey: string): Buffer {
  try {
    return readFileSync(path);
  } catch (err) {
    throw new ConfigError(`Cannot read ${path} named by configuration ${configKey}: ${(err as Error).message}`, configKey);
  }
}

function isPem(content: Buffer): boolean {
  return content.toString('latin1', 0, Math.min(content.length, 4096)).includes('-----BEGIN ');
}

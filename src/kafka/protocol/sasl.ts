/**
 * SASL authentication over a fresh connection (KIP-152): SaslHandshake names the mechanism, then
 * SaslAuthenticate carries each round. PLAIN is one round (RFC 4616); SCRAM-SHA-256/512 are two
 * (RFC 5802/7677), with the server's signature checked so a broker that does not know the
 * password cannot pretend it does.
 */
import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KafkaConnection } from './connection.js';
import { throwIfError } from './errors.js';
import { SaslAuthenticate } from './sasl-authenticate.js';
import { SaslHandshake } from './sasl-handshake.js';

export type SaslMechanism = 'PLAIN' | 'SCRAM-SHA-256' | 'SCRAM-SHA-512';

export interface SaslCredentials {
  mechanism: SaslMechanism;
  username: string;
  password: string;
}

export async function authenticateSasl(conn: KafkaConnection, sasl: SaslCredentials): Promise<void> {
  const handshake = await conn.send(SaslHandshake, { mechanism: sasl.mechanism });
  throwIfError(
    handshake.errorCode,
    'SaslHandshake',
    `the broker does not enable sasl.mechanism ${sasl.mechanism} on this listener (it enables ${handshake.mechanisms.join(', ') || 'none'})`,
  );
  const round = async (bytes: Buffer): Promise<Buffer> => {
    const res = await conn.send(SaslAuthenticate, { authBytes: bytes });
    throwIfError(res.errorCode, 'SaslAuthenticate', res.errorMessage);
    return res.authBytes;
  };
  await saslExchange(sasl, round);
}

/**
 * The client side of the mechanism's exchange; `round` sends one message and returns the
 * broker's answer. `clientNonce` is random unless given (RFC test vectors fix it).
 */
export async function saslExchange(sasl: SaslCredentials, round: (bytes: Buffer) => Promise<Buffer>, clientNonce?: string): Promise<void> {
  if (sasl.mechanism === 'PLAIN') {
    await round(Buffer.from(`\0${sasl.username}\0${sasl.password}`, 'utf8'));
    return;
  }
  await scram(sasl, round, clientNonce ?? randomBytes(24).toString('base64url'));
}

const SCRAM_HASH = { 'SCRAM-SHA-256': { hash: 'sha256', bytes: 32 }, 'SCRAM-SHA-512': { hash: 'sha512', bytes: 64 } } as const;

async function scram(sasl: SaslCredentials, round: (bytes: Buffer) => Promise<Buffer>, clientNonce: string): Promise<void> {
  const { hash, bytes } = SCRAM_HASH[sasl.mechanism as keyof typeof SCRAM_HASH];
  const clientFirstBare = `n=${saslName(sasl.username)},r=${clientNonce}`;
  const serverFirst = (await round(Buffer.from(`n,,${clientFirstBare}`, 'utf8'))).toString('utf8');
  const attrs = scramAttributes(serverFirst);
  const nonce = attrs.get('r');
  const salt = attrs.get('s');
  const iterations = Number(attrs.get('i'));
  if (!nonce?.startsWith(clientNonce) || !salt || !Number.isInteger(iterations) || iterations < 1) {
    throw new Error(`${sasl.mechanism} authentication failed: the broker's first message is invalid ("${serverFirst}")`);
  }
  const saltedPassword = pbkdf2Sync(Buffer.from(sasl.password, 'utf8'), Buffer.from(salt, 'base64'), iterations, bytes, hash);
  const hmac = (key: Buffer, text: string): Buffer => createHmac(hash, key).update(text, 'utf8').digest();
  const clientKey = hmac(saltedPassword, 'Client Key');
  const storedKey = createHash(hash).update(clientKey).digest();
  const clientFinalWithoutProof = `c=${Buffer.from('n,,').toString('base64')},r=${nonce}`;
  const authMessage = `${clientFirstBare},${serverFirst},${clientFinalWithoutProof}`;
  const clientSignature = hmac(storedKey, authMessage);
  const proof = Buffer.alloc(clientKey.length);
  for (let i = 0; i < proof.length; i++) proof[i] = clientKey[i]! ^ clientSignature[i]!;
  const serverFinal = (await round(Buffer.from(`${clientFinalWithoutProof},p=${proof.toString('base64')}`, 'utf8'))).toString('utf8');
  const final = scramAttributes(serverFinal);
  if (final.has('e')) throw new Error(`${sasl.mechanism} authentication failed: ${final.get('e')}`);
  const expected = hmac(hmac(saltedPassword, 'Server Key'), authMessage);
  const got = Buffer.from(final.get('v') ?? '', 'base64');
  if (got.length !== expected.length || !timingSafeEqual(got, expected)) {
    throw new Error(`${sasl.mechanism} authentication failed: the broker's signature does not match (is it the broker sluice meant to reach?)`);
  }
}

/** RFC 5802 saslname: "=" and "," escaped. */
function saslName(name: string): string {
  return name.replace(/=/g, '=3D').replace(/,/g, '=2C');
}

function scramAttributes(message: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out.set(part.slice(0, eq), part.slice(eq + 1));
  }
  return out;
}

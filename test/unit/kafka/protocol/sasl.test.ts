import { describe, expect, it } from 'vitest';
import { saslExchange } from '../../../../src/kafka/protocol/sasl.js';

/** Plays the broker's side of an exchange from a script, recording what the client sent. */
function scriptedBroker(answers: string[]): { sent: string[]; round: (b: Buffer) => Promise<Buffer> } {
  const sent: string[] = [];
  return {
    sent,
    round: async (b) => {
      sent.push(b.toString('utf8'));
      return Buffer.from(answers.shift() ?? '', 'utf8');
    },
  };
}

describe('SASL exchanges', () => {
  it('PLAIN sends authzid NUL user NUL password (RFC 4616)', async () => {
    const broker = scriptedBroker(['']);
    await saslExchange({ mechanism: 'PLAIN', username: 'alice', password: 's3cret' }, broker.round);
    expect(broker.sent).toEqual(['\0alice\0s3cret']);
  });

  // RFC 7677 section 3: the SCRAM-SHA-256 example exchange.
  const rfcServerFirst = 'r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096';
  const rfcClientFinal = 'c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=';
  const rfcServerFinal = 'v=6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=';

  it('SCRAM-SHA-256 reproduces the RFC 7677 example byte for byte', async () => {
    const broker = scriptedBroker([rfcServerFirst, rfcServerFinal]);
    await saslExchange({ mechanism: 'SCRAM-SHA-256', username: 'user', password: 'pencil' }, broker.round, 'rOprNGfwEbeRWgbNEkqO');
    expect(broker.sent).toEqual(['n,,n=user,r=rOprNGfwEbeRWgbNEkqO', rfcClientFinal]);
  });

  it('SCRAM rejects a broker whose signature does not prove it knows the password', async () => {
    const broker = scriptedBroker([rfcServerFirst, 'v=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=']);
    await expect(
      saslExchange({ mechanism: 'SCRAM-SHA-256', username: 'user', password: 'pencil' }, broker.round, 'rOprNGfwEbeRWgbNEkqO'),
    ).rejects.toThrow(/signature does not match/);
  });

  it('SCRAM rejects a server nonce that does not extend the client nonce', async () => {
    const broker = scriptedBroker(['r=someone-else,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096']);
    await expect(saslExchange({ mechanism: 'SCRAM-SHA-512', username: 'u', password: 'p' }, broker.round, 'abc')).rejects.toThrow(/first message is invalid/);
  });

  it('SCRAM reports the error the broker ends the exchange with', async () => {
    const broker = scriptedBroker([rfcServerFirst, 'e=invalid-proof']);
    await expect(
      saslExchange({ mechanism: 'SCRAM-SHA-256', username: 'user', password: 'wrong' }, broker.round, 'rOprNGfwEbeRWgbNEkqO'),
    ).rejects.toThrow(/invalid-proof/);
  });

  it('escapes "=" and "," in SCRAM user names (RFC 5802 saslname)', async () => {
    const broker = scriptedBroker(['r=n0nce-and-more,s=c2FsdA==,i=1', 'e=stop-here']);
    await saslExchange({ mechanism: 'SCRAM-SHA-512', username: 'a=b,c', password: 'p' }, broker.round, 'n0nce').catch(() => undefined);
    expect(broker.sent[0]).toBe('n,,n=a=3Db=2Cc,r=n0nce');
  });
});

/**
 * Connect group membership against the real broker: workers join one `connect` group through
 * sluice's own JoinGroup/SyncGroup/Heartbeat/LeaveGroup, the elected leader runs the incremental
 * cooperative assignor, and every member ends up running its share. Then the group changes: a
 * worker joins, one leaves cleanly, one is killed (SIGKILL, so it just stops heartbeating), and
 * the survivors take over its work after the session timeout and the scheduled rebalance delay.
 *
 * Three workers run in this process; the fourth runs in a child process so it can really be killed.
 *
 * A second broker, with SASL_PLAINTEXT (PLAIN and SCRAM-SHA-256) and SSL listeners, checks that a
 * member configured with the worker's security.protocol / sasl.* / ssl.* keys connects and joins.
 *
 * Last, sluice workers share a group with Apache Kafka Connect 4.3.1's own workers, following a
 * Java leader and leading a Java follower.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { pbkdf2Sync, randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { groupAssignor, IncrementalCooperativeAssignor } from '../../src/cluster/distributed/assignor.js';
import type { ConnectAssignment, ConnectorTaskId } from '../../src/cluster/distributed/connect-protocol.js';
import { WorkerGroupMember, type LeaderRound } from '../../src/cluster/distributed/group-member.js';
import type { ApiCodec } from '../../src/kafka/protocol/api.js';
import { Reader, Writer } from '../../src/kafka/protocol/codec.js';
import { KafkaConnection } from '../../src/kafka/protocol/connection.js';
import { isProtocolError } from '../../src/kafka/protocol/errors.js';
import { fetchClusterInfo } from '../../src/kafka/protocol/metadata.js';
import { securityFromConfig } from '../../src/kafka/protocol/security.js';
import { compileTs } from '../fixtures/ts-run.mjs';
import { bootstrap, uniqueTopic } from '../helpers/kafka.js';
import { startConnectDistributed, type ConnectDistributed } from '../helpers/kafka-connect-distributed.js';

// Short timeouts so the test sees expirations quickly (6000 is the broker's group.min.session.timeout.ms).
const TIMEOUTS = { sessionTimeoutMs: 6_000, heartbeatIntervalMs: 500, rebalanceTimeoutMs: 10_000, retryBackoffMs: 100 };
const MAX_DELAY_MS = 2_000; // scheduled.rebalance.max.delay.ms
const CONFIG: Record<string, number> = { alpha: 2, beta: 2, gamma: 2, delta: 2 };
const CONFIG_OFFSET = 7;

const ALL_CONNECTORS = Object.keys(CONFIG).sort();
const ALL_TASKS = Object.entries(CONFIG)
  .flatMap(([c, n]) => Array.from({ length: n }, (_, t) => `${c}-${t}`))
  .sort();

const key = (t: ConnectorTaskId): string => `${t.connector}-${t.task}`;

/** What a worker runs, as the group told it (in process: the member; child: its last report). */
interface WorkerView {
  name: string;
  memberId(): string;
  generation(): number;
  assignment(): ConnectAssignment | null;
}

/** The leader's assignor: what every worker's callback computes when it is elected. */
function makeAssignor(log: { generation: number; leaderId: string; result: Map<string, ConnectAssignment> }[]) {
  const assign = groupAssignor(new IncrementalCooperativeAssignor({ maxDelayMs: MAX_DELAY_MS }), () => ({
    offset: CONFIG_OFFSET,
    connectors: new Map(Object.entries(CONFIG)),
  }));
  return async (round: LeaderRound): Promise<Map<string, ConnectAssignment>> => {
    const assignments = await assign(round);
    log.push({ generation: round.generationId, leaderId: round.leaderId, result: assignments });
    return assignments;
  };
}

class InProcessWorker implements WorkerView {
  readonly computed: { generation: number; leaderId: string; result: Map<string, ConnectAssignment> }[] = [];
  readonly received: { generation: number; assignment: ConnectAssignment }[] = [];
  readonly revoked: { connectors: string[]; tasks: string[] }[] = [];
  readonly member: WorkerGroupMember;

  constructor(readonly name: string, groupId: string, brokers = bootstrap()) {
    this.member = new WorkerGroupMember({
      bootstrap: brokers,
      groupId,
      restUrl: `http://${name}:8083/`,
      configOffset: () => CONFIG_OFFSET,
      assignor: makeAssignor(this.computed),
      listener: {
        onRevoked: (_leader, connectors, tasks) => {
          this.revoked.push({ connectors, tasks: tasks.map(key) });
        },
        onAssigned: (assignment, generation) => {
          this.received.push({ generation, assignment });
        },
      },
      ...TIMEOUTS,
    });
  }

  memberId(): string {
    return this.member.memberId;
  }

  generation(): number {
    return this.member.generationId;
  }

  assignment(): ConnectAssignment | null {
    return this.member.assignment;
  }
}

/** A worker in a child process, reporting each assignment as a JSON line on stdout. */
class ChildWorker implements WorkerView {
  private last: { memberId: string; generation: number; assignment: ConnectAssignment } | null = null;
  readonly child: ChildProcess;
  private readonly stderr: string[] = [];

  constructor(readonly name: string, groupId: string, modules: { member: string; assignor: string }) {
    const script = `
      const { WorkerGroupMember } = await import(${JSON.stringify(pathToFileURL(modules.member).href)});
      const { IncrementalCooperativeAssignor } = await import(${JSON.stringify(pathToFileURL(modules.assignor).href)});
      const opts = JSON.parse(process.env.MEMBER_OPTIONS);
      const assignor = new IncrementalCooperativeAssignor({ maxDelayMs: opts.maxDelayMs });
      const member = new WorkerGroupMember({
        ...opts.member,
        configOffset: () => opts.configOffset,
        assignor: (round) => assignor.performAssignment({ ...round, config: { offset: opts.configOffset, connectors: new Map(Object.entries(opts.config)) } }).assignments,
        listener: {
          onRevoked: () => {},
          onAssigned: (assignment, generation) => console.log(JSON.stringify({ memberId: member.memberId, generation, assignment })),
          onError: (err) => console.error(String(err)),
        },
      });
      member.start();
    `;
    this.child = spawn(process.execPath, ['--input-type=module', '-e', script], {
      env: {
        ...process.env,
        MEMBER_OPTIONS: JSON.stringify({
          member: { bootstrap: bootstrap(), groupId, restUrl: `http://${name}:8083/`, ...TIMEOUTS },
          maxDelayMs: MAX_DELAY_MS,
          configOffset: CONFIG_OFFSET,
          config: CONFIG,
        }),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    createInterface({ input: this.child.stdout! }).on('line', (line) => {
      this.last = JSON.parse(line) as typeof this.last;
    });
    this.child.stderr!.on('data', (chunk: Buffer) => this.stderr.push(chunk.toString()));
  }

  memberId(): string {
    return this.last?.memberId ?? '';
  }

  generation(): number {
    return this.last?.generation ?? -1;
  }

  assignment(): ConnectAssignment | null {
    return this.last?.assignment ?? null;
  }

  errors(): string {
    return this.stderr.join('');
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}

async function waitFor(what: string, condition: () => boolean, timeoutMs: number): Promise<number> {
  const start = Date.now();
  while (!condition()) {
    if (Date.now() - start > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting until ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  return Date.now() - start;
}

/**
 * The group has settled on `workers`: all in one generation, and together they run every
 * configured connector and task exactly once.
 */
function settled(workers: WorkerView[]): boolean {
  const generations = new Set(workers.map((w) => w.generation()));
  if (generations.size !== 1 || generations.has(-1)) return false;
  const assignments = workers.map((w) => w.assignment());
  if (assignments.some((a) => a === null)) return false;
  const connectors = assignments.flatMap((a) => a!.connectors).sort();
  const tasks = assignments.flatMap((a) => a!.tasks.map(key)).sort();
  return JSON.stringify(connectors) === JSON.stringify(ALL_CONNECTORS) && JSON.stringify(tasks) === JSON.stringify(ALL_TASKS);
}

function loads(workers: WorkerView[]): { connectors: number[]; tasks: number[] } {
  return {
    connectors: workers.map((w) => w.assignment()!.connectors.length),
    tasks: workers.map((w) => w.assignment()!.tasks.length),
  };
}

const spread = (xs: number[]): number => Math.max(...xs) - Math.min(...xs);

describe('Connect group membership against a real broker', () => {
  const groupId = uniqueTopic('connect-group');
  const inProcess = ['w1', 'w2', 'w3'].map((n) => new InProcessWorker(n, groupId));
  const compiled = [compileTs('src/cluster/distributed/group-member.ts'), compileTs('src/cluster/distributed/assignor.ts')];
  let child: ChildWorker | null = null;
  let survivors: InProcessWorker[] = [];

  afterAll(async () => {
    child?.kill();
    await Promise.all(inProcess.map((w) => w.member.stop()));
    for (const c of compiled) c.cleanup();
  });

  it('three workers join, one is elected leader, and its assignor output reaches every member', async () => {
    for (const w of inProcess) w.member.start();
    await waitFor('three workers settle', () => settled(inProcess), 60_000);

    const generation = inProcess[0]!.generation();
    const leaders = inProcess.filter((w) => w.computed.some((c) => c.generation === generation));
    expect(leaders).toHaveLength(1);
    const leader = leaders[0]!;
    const computed = leader.computed.find((c) => c.generation === generation)!;
    expect(computed.leaderId).toBe(leader.memberId());
    expect([...computed.result.keys()].sort()).toEqual(inProcess.map((w) => w.memberId()).sort());

    for (const w of inProcess) {
      const got = w.received.find((r) => r.generation === generation)!.assignment;
      const sent = computed.result.get(w.memberId())!;
      // what the leader computed for this member is what this member received
      expect(got.leader).toBe(leader.memberId());
      expect(got.leaderUrl).toBe(`http://${leader.name}:8083/`);
      expect(got.configOffset).toBe(CONFIG_OFFSET);
      expect(got.version).toBe(2); // every member offered "sessioned"
      expect(got.connectors).toEqual(expect.arrayContaining(sent.connectors));
      expect(got.tasks.map(key)).toEqual(expect.arrayContaining(sent.tasks.map(key)));
      expect(got.revokedConnectors).toEqual(sent.revokedConnectors);
      expect(w.member.isLeader).toBe(w === leader);
    }
    expect(spread(loads(inProcess).connectors)).toBeLessThanOrEqual(1);
    expect(spread(loads(inProcess).tasks)).toBeLessThanOrEqual(1);
  });

  it('requestRejoin() (a config change) starts a new round that moves nothing', async () => {
    const generationBefore = inProcess[0]!.generation();
    const before = inProcess.map((w) => ({ connectors: [...w.assignment()!.connectors].sort(), tasks: w.assignment()!.tasks.map(key).sort() }));
    const revokedBefore = inProcess.map((w) => w.revoked.length);

    // Only one worker asks; the others learn of the round from their heartbeats (REBALANCE_IN_PROGRESS).
    inProcess[1]!.member.requestRejoin('connector config changed');
    await waitFor('every worker completes the new round', () => inProcess.every((w) => w.generation() > generationBefore) && settled(inProcess), 30_000);

    expect(inProcess.map((w) => w.revoked.length)).toEqual(revokedBefore);
    expect(inProcess.map((w) => ({ connectors: [...w.assignment()!.connectors].sort(), tasks: w.assignment()!.tasks.map(key).sort() }))).toEqual(before);
  });

  it('a fourth worker joins: work moves to it, and only the moved work is revoked', async () => {
    const before = new Map(inProcess.map((w) => [w.name, { connectors: [...w.assignment()!.connectors], tasks: w.assignment()!.tasks.map(key) }]));
    const revokedBefore = inProcess.map((w) => w.revoked.length);

    child = new ChildWorker('w4', groupId, { member: compiled[0]!.file, assignor: compiled[1]!.file });
    const all: WorkerView[] = [...inProcess, child];
    await waitFor('four workers settle', () => settled(all) && child!.assignment()!.tasks.length > 0, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; child stderr: ${child!.errors()}`);
    });

    expect(loads(all)).toEqual({ connectors: [1, 1, 1, 1], tasks: [2, 2, 2, 2] });
    // whatever an existing worker lost, it was told to stop; whatever it kept, it never stopped
    for (const [i, w] of inProcess.entries()) {
      const had = before.get(w.name)!;
      const stopped = w.revoked.slice(revokedBefore[i]).flatMap((r) => [...r.connectors, ...r.tasks]);
      const nowRuns = [...w.assignment()!.connectors, ...w.assignment()!.tasks.map(key)];
      const lost = [...had.connectors, ...had.tasks].filter((x) => !nowRuns.includes(x));
      expect(stopped.sort()).toEqual(lost.sort());
    }
    const moved = [...child.assignment()!.connectors, ...child.assignment()!.tasks.map(key)];
    const revokedTotal = inProcess.flatMap((w, i) => w.revoked.slice(revokedBefore[i]).flatMap((r) => [...r.connectors, ...r.tasks]));
    expect(revokedTotal.sort()).toEqual(moved.sort());
  });

  it('a worker that stops leaves the group at once; its work is reassigned after the scheduled delay', async () => {
    // A follower leaves: the leader keeps its history, so it holds the work for the delay. (A new
    // leader has no history and hands out everything not running at once, as in Kafka.)
    const leaving = inProcess.find((w) => !w.member.isLeader)!;
    survivors = inProcess.filter((w) => w !== leaving);
    const staying: WorkerView[] = [...survivors, child!];
    const generationBefore = survivors[0]!.generation();
    const started = Date.now();
    await leaving.member.stop();

    // LeaveGroup triggers the rebalance straight away, well before the 6 s session timeout.
    await waitFor('the others rebalance', () => staying.every((w) => w.generation() > generationBefore), TIMEOUTS.sessionTimeoutMs - 1_000);
    await waitFor('three workers settle', () => settled(staying), 30_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(MAX_DELAY_MS);
    expect(spread(loads(staying).connectors)).toBeLessThanOrEqual(1);
    expect(spread(loads(staying).tasks)).toBeLessThanOrEqual(1);
  });

  it('a killed worker stops heartbeating; after the session timeout the others take over its work', async () => {
    expect(survivors.some((w) => w.member.isLeader)).toBe(true); // the child is a follower
    const generationBefore = survivors[0]!.generation();
    const childWork = child!.assignment()!;
    expect(childWork.connectors.length + childWork.tasks.length).toBeGreaterThan(0);
    const killedAt = Date.now();
    child!.kill();

    await waitFor('the survivors rebalance', () => survivors.every((w) => w.generation() > generationBefore), 30_000);
    // The coordinator only notices through the missing heartbeats.
    expect(Date.now() - killedAt).toBeGreaterThanOrEqual(TIMEOUTS.sessionTimeoutMs - 1_000);
    await waitFor('two workers settle', () => settled(survivors), 30_000);
    const runs = survivors.flatMap((w) => [...w.assignment()!.connectors, ...w.assignment()!.tasks.map(key)]);
    for (const c of childWork.connectors) expect(runs).toContain(c);
    for (const t of childWork.tasks) expect(runs).toContain(key(t));
    expect(loads(survivors)).toEqual({ connectors: [2, 2], tasks: [4, 4] });
  });
});

// ---- SASL: a broker of its own, with a SASL_PLAINTEXT listener ----

interface SaslBroker {
  stop(): Promise<void>;
  restart(): Promise<unknown>;
}

// broker.mjs is plain JavaScript without type declarations (see test/setup/kafka-global-setup.ts).
const BROKER_MODULE: string = new URL('../../scripts/kafka/broker.mjs', import.meta.url).href;

/** AlterUserScramCredentials v0 (flexible): the broker stores PBKDF2(password), never the password. */
const AlterUserScramCredentials: ApiCodec<{ user: string; password: string }, { errorCode: number; errorMessage: string | null }[]> = {
  name: 'AlterUserScramCredentials',
  apiKey: 51,
  apiVersion: 0,
  requestHeaderVersion: 2,
  responseHeaderVersion: 1,
  encode: ({ user, password }) => {
    const salt = randomBytes(16);
    const iterations = 4096;
    const salted = pbkdf2Sync(password, salt, iterations, 32, 'sha256');
    return new Writer()
      .compactArray([], () => undefined) // deletions
      .compactArray([0], (w) => w.compactString(user).int8(1 /* SCRAM-SHA-256 */).int32(iterations).compactBytes(salt).compactBytes(salted).emptyTaggedFields())
      .emptyTaggedFields()
      .build();
  },
  decode: (body) => {
    const r = new Reader(body, 'AlterUserScramCredentials response');
    r.int32();
    return r.compactArray((e) => {
      e.compactString();
      const result = { errorCode: e.int16(), errorMessage: e.compactNullableString() };
      e.skipTaggedFields();
      return result;
    });
  },
};

/** A test CA and a broker key store (PEM: PKCS#8 key + certificate for 127.0.0.1) made with openssl. */
function makeCertificates(dir: string): { caFile: string; brokerKeystore: string } {
  const run = (args: string[]): void => {
    const res = spawnSync('openssl', args, { cwd: dir, encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`openssl ${args.join(' ')} failed: ${res.stderr}`);
  };
  run(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'ca.key', '-out', 'ca.pem', '-days', '2', '-subj', '/CN=sluice-test-ca']);
  run(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'broker.key', '-out', 'broker.csr', '-subj', '/CN=127.0.0.1']);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  run(['x509', '-req', '-in', 'broker.csr', '-CA', 'ca.pem', '-CAkey', 'ca.key', '-CAcreateserial', '-out', 'broker.pem', '-days', '2', '-extfile', 'san.ext']);
  run(['pkcs8', '-topk8', '-nocrypt', '-in', 'broker.key', '-out', 'broker.pk8']);
  const brokerKeystore = join(dir, 'broker-keystore.pem');
  writeFileSync(brokerKeystore, readFileSync(join(dir, 'broker.pk8'), 'utf8') + readFileSync(join(dir, 'broker.pem'), 'utf8'));
  return { caFile: join(dir, 'ca.pem'), brokerKeystore };
}

describe('Connect group membership over SASL and SSL', () => {
  let broker: SaslBroker;
  let dataDir: string;
  let plainBootstrap: string;
  let saslBootstrap: string;
  let sslBootstrap: string;
  let caFile: string;
  const members: WorkerGroupMember[] = [];

  beforeAll(async () => {
    const { startBroker, freePorts } = (await import(BROKER_MODULE)) as {
      startBroker(o: { dataDir: string; port: number; controllerPort: number; extraProps: Record<string, string> }): Promise<SaslBroker>;
      freePorts(n: number): Promise<number[]>;
    };
    const [port, controllerPort, saslPort, sslPort] = (await freePorts(4)) as [number, number, number, number];
    dataDir = await mkdtemp(join(tmpdir(), 'sluice-kafka-sasl-'));
    const pki = makeCertificates(dataDir);
    caFile = pki.caFile;
    broker = await startBroker({
      dataDir,
      port,
      controllerPort,
      extraProps: {
        listeners: `PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort},SSL://127.0.0.1:${sslPort},CONTROLLER://127.0.0.1:${controllerPort}`,
        'advertised.listeners': `PLAINTEXT://127.0.0.1:${port},SASL_PLAINTEXT://127.0.0.1:${saslPort},SSL://127.0.0.1:${sslPort}`,
        'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT,SSL:SSL,CONTROLLER:PLAINTEXT',
        'listener.name.ssl.ssl.keystore.type': 'PEM',
        'listener.name.ssl.ssl.keystore.location': pki.brokerKeystore,
        'sasl.enabled.mechanisms': 'PLAIN,SCRAM-SHA-256',
        'listener.name.sasl_plaintext.plain.sasl.jaas.config':
          'org.apache.kafka.common.security.plain.PlainLoginModule required user_alice="alice-secret";',
        'listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required;',
      },
    });
    plainBootstrap = `127.0.0.1:${port}`;
    saslBootstrap = `127.0.0.1:${saslPort}`;
    sslBootstrap = `127.0.0.1:${sslPort}`;
    const admin = await KafkaConnection.connect({ host: '127.0.0.1', port }, { clientId: 'sluice-test-admin' });
    try {
      const results = await admin.send(AlterUserScramCredentials, { user: 'bob', password: 'bob-secret' });
      expect(results).toEqual([{ errorCode: 0, errorMessage: null }]);
    } finally {
      admin.close();
    }
  }, 180_000);

  afterAll(async () => {
    await Promise.all(members.map((m) => m.stop()));
    await broker?.stop();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  /** A one-member group with the worker's own security keys; resolves with its first assignment or error. */
  async function joinWith(props: Record<string, string>, through = saslBootstrap): Promise<ConnectAssignment> {
    return new Promise((resolve, reject) => {
      const member = new WorkerGroupMember({
        bootstrap: through,
        groupId: uniqueTopic('connect-sasl'),
        restUrl: 'http://sasl-worker:8083/',
        configOffset: () => CONFIG_OFFSET,
        assignor: makeAssignor([]),
        listener: {
          onRevoked: () => {},
          onAssigned: (a) => resolve(a),
          // A fresh broker answers COORDINATOR_NOT_AVAILABLE until __consumer_offsets exists: the member retries.
          onError: (err) => (isProtocolError(err) && err.retriable ? undefined : reject(err)),
        },
        security: securityFromConfig(props),
        ...TIMEOUTS,
      });
      members.push(member);
      member.start();
    });
  }

  it('joins with SASL/PLAIN credentials from sasl.jaas.config', async () => {
    const assignment = await joinWith({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'PLAIN',
      'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";',
    });
    expect(assignment.connectors.sort()).toEqual(ALL_CONNECTORS);
    expect(assignment.tasks.map(key).sort()).toEqual(ALL_TASKS);
  });

  it('joins with SASL/SCRAM-SHA-256', async () => {
    const assignment = await joinWith({
      'security.protocol': 'SASL_PLAINTEXT',
      'sasl.mechanism': 'SCRAM-SHA-256',
      'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="bob-secret";',
    });
    expect(assignment.connectors.sort()).toEqual(ALL_CONNECTORS);
  });

  it('reads the cluster id over SASL with the Metadata client (GET / uses it)', async () => {
    const info = await fetchClusterInfo(saslBootstrap, {
      security: securityFromConfig({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'PLAIN',
        'sasl.jaas.config': 'org.apache.kafka.common.security.plain.PlainLoginModule required username="alice" password="alice-secret";',
      }),
    });
    expect(info.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    // the broker lists itself with the address of the listener asked
    expect(info.brokers.map((b) => `${b.host}:${b.port}`)).toEqual([saslBootstrap]);
  });

  it('joins over SSL, verifying the broker certificate against a PEM trust store', async () => {
    const assignment = await joinWith({ 'security.protocol': 'SSL', 'ssl.truststore.type': 'PEM', 'ssl.truststore.location': caFile }, sslBootstrap);
    expect(assignment.tasks.map(key).sort()).toEqual(ALL_TASKS);
  });

  it('refuses a broker whose certificate the trust store does not vouch for', async () => {
    // No trust store: node's default CAs do not include the test CA.
    await expect(joinWith({ 'security.protocol': 'SSL' }, sslBootstrap)).rejects.toThrow(/certificate/i);
  });

  it('survives a broker restart: stops its work while the coordinator is gone, and gets it back', async () => {
    const worker = new InProcessWorker('restart-worker', uniqueTopic('connect-restart'), plainBootstrap);
    members.push(worker.member);
    worker.member.start();
    await waitFor('the worker gets its assignment', () => settled([worker]), 60_000);
    const generation = worker.generation();

    await broker.restart();
    await waitFor('the worker runs everything again', () => worker.revoked.length > 0 && settled([worker]), 90_000);
    // While the coordinator was unreachable the worker stopped everything (WorkerCoordinator.poll does the same)...
    expect(worker.revoked[0]!.connectors.sort()).toEqual(ALL_CONNECTORS);
    expect(worker.revoked[0]!.tasks.sort()).toEqual(ALL_TASKS);
    // ...and rejoined once it was back.
    expect(worker.generation()).toBeGreaterThan(generation);
  });

  it("reports a wrong password as the broker's authentication failure", async () => {
    await expect(
      joinWith({
        'security.protocol': 'SASL_PLAINTEXT',
        'sasl.mechanism': 'SCRAM-SHA-256',
        'sasl.jaas.config': 'org.apache.kafka.common.security.scram.ScramLoginModule required username="bob" password="wrong";',
      }),
    ).rejects.toThrow(/SASL_AUTHENTICATION_FAILED/);
  });
});

// ---- one group with Apache Kafka Connect's own workers ----

describe('a Connect group shared with Apache Kafka Connect 4.3.1 workers', () => {
  // The Java workers' config topic stays empty (no connectors): both sides agree on offset -1.
  const EMPTY_CONFIG_OFFSET = -1;
  const groupId = uniqueTopic('connect-mixed');
  const topics = { configTopic: `${groupId}-configs`, offsetsTopic: `${groupId}-offsets`, statusTopic: `${groupId}-status` };
  const javaProps = {
    // Java offers [compatible, default]; sluice offers [sessioned, compatible]: the group speaks "compatible" (v1).
    'connect.protocol': 'compatible',
    'session.timeout.ms': String(TIMEOUTS.sessionTimeoutMs),
    'heartbeat.interval.ms': String(TIMEOUTS.heartbeatIntervalMs),
    'rebalance.timeout.ms': String(TIMEOUTS.rebalanceTimeoutMs),
    'scheduled.rebalance.max.delay.ms': String(MAX_DELAY_MS),
  };
  let dir: string;
  const javaWorkers: ConnectDistributed[] = [];
  const sluiceWorkers: WorkerGroupMember[] = [];
  const received = new Map<WorkerGroupMember, { generation: number; assignment: ConnectAssignment }[]>();

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-mixed-group-'));
  });

  afterAll(async () => {
    await Promise.all(sluiceWorkers.map((m) => m.stop()));
    await Promise.all(javaWorkers.map((w) => w.stop()));
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  function startSluice(name: string): WorkerGroupMember {
    const log: { generation: number; assignment: ConnectAssignment }[] = [];
    const member = new WorkerGroupMember({
      bootstrap: bootstrap(),
      groupId,
      restUrl: `http://${name}:8083/`,
      configOffset: () => EMPTY_CONFIG_OFFSET,
      assignor: groupAssignor(new IncrementalCooperativeAssignor({ maxDelayMs: MAX_DELAY_MS }), () => ({ offset: EMPTY_CONFIG_OFFSET, connectors: new Map() })),
      listener: { onRevoked: () => {}, onAssigned: (assignment, generation) => void log.push({ generation, assignment }) },
      ...TIMEOUTS,
    });
    received.set(member, log);
    sluiceWorkers.push(member);
    member.start();
    return member;
  }

  const lastAssignment = (m: WorkerGroupMember): ConnectAssignment | undefined => received.get(m)!.at(-1)?.assignment;

  it('sluice workers follow a Java leader: they read its assignments', async () => {
    const java = await startConnectDistributed({ bootstrap: bootstrap(), dir: join(dir, 'java-1'), groupId, ...topics, props: javaProps });
    javaWorkers.push(java);
    // Its REST API answers before it joined: wait until it leads the group on its own.
    await waitFor('the Java worker forms the group', () => /Joined group at generation \d+ .*leaderUrl='http:\/\/127\.0\.0\.1/.test(readFileSync(java.logFile, 'utf8')), 60_000);
    const [a, b] = [startSluice('s1'), startSluice('s2')];
    const javaUrl = `${java.url}/`;
    await waitFor(
      'both sluice workers get an assignment from the Java leader in one generation',
      () => [a, b].every((m) => lastAssignment(m)?.leaderUrl === javaUrl) && a.generationId === b.generationId,
      60_000,
    ).catch((err: Error) => {
      const seen = [a, b].map((m) => JSON.stringify({ generation: m.generationId, last: lastAssignment(m) }));
      throw new Error(`${err.message}; Java at ${javaUrl}; sluice workers saw ${seen.join(', ')}\n${readFileSync(java.logFile, 'utf8').split('\n').filter((l) => /Joined group|assignment|rebalance/i.test(l)).slice(-15).join('\n')}`);
    });
    for (const m of [a, b]) {
      const got = lastAssignment(m)!;
      expect(got.error).toBe(0);
      expect(got.version).toBe(1);
      expect(got.configOffset).toBe(EMPTY_CONFIG_OFFSET);
      expect(m.isLeader).toBe(false);
      expect(m.currentProtocolVersion).toBe(1);
    }
  });

  it('when the Java leader leaves, a sluice worker leads, and a new Java worker accepts its assignment', async () => {
    const [a, b] = sluiceWorkers as [WorkerGroupMember, WorkerGroupMember];
    await javaWorkers[0]!.stop();
    await waitFor('a sluice worker becomes leader', () => (a.isLeader || b.isLeader) && a.generationId === b.generationId, 30_000);
    const leader = a.isLeader ? a : b;

    const java = await startConnectDistributed({ bootstrap: bootstrap(), dir: join(dir, 'java-2'), groupId, ...topics, props: javaProps });
    javaWorkers.push(java);
    // The Java worker logs the assignment it decoded (DistributedHerder.RebalanceListener.onAssigned).
    const joined = new RegExp(`Joined group at generation \\d+ with protocol version 1 and got assignment: Assignment\\{error=0, leader='${leader.memberId}', leaderUrl='http://s\\d:8083/', offset=-1`);
    await waitFor('the Java worker joins under the sluice leader', () => joined.test(readFileSync(java.logFile, 'utf8')), 60_000);
    const log = readFileSync(java.logFile, 'utf8');
    expect(log).not.toMatch(/does not match group assignment|Unknown Connect protocol|SchemaException/);
    // it runs as a member: its REST API answers (it would refuse while rebalancing)
    expect((await fetch(`${java.url}/connectors`)).status).toBe(200);
    expect(leader.isLeader).toBe(true);
  });
});

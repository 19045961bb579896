// Starts and stops real Apache Kafka (KRaft, each node broker+controller) on 127.0.0.1:
// one node for most tests and the demo, three for cluster tests.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join, resolve } from 'node:path';
import { javaBin, log4jConfig, resolveArtifacts, tail } from './maven.mjs';

const HOST = '127.0.0.1';

// Sized for a 2-core / 24 GB machine that may run three brokers plus the code under test.
const JVM_OPTS = [
  '-Xms512m',
  '-Xmx1g',
  '-XX:+UseG1GC',
  '-XX:MaxGCPauseMillis=20',
  '-XX:InitiatingHeapOccupancyPercent=35',
  '-XX:+ExplicitGCInvokesConcurrent',
  '-XX:+ExitOnOutOfMemoryError',
  '-Djava.awt.headless=true',
];

/** A port nobody listens on right now (the OS picks it). */
export async function freePort() {
  return (await freePorts(1))[0];
}

/** `count` distinct free ports: all sockets stay open until every port is known. */
export async function freePorts(count) {
  const servers = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise((ok, fail) => server.once('error', fail).listen(0, HOST, ok));
    }
    return servers.map((s) => s.address().port);
  } finally {
    await Promise.all(servers.map((s) => new Promise((ok) => s.close(() => ok()))));
  }
}

/** A random KRaft cluster id (a Kafka Uuid: 16 bytes, URL-safe base64 without padding). */
export function newClusterId() {
  // kafka-storage reads an id starting with '-' as an option (about 1 in 64 random ids): redraw.
  for (;;) {
    const id = randomBytes(16).toString('base64url');
    if (!id.startsWith('-')) return id;
  }
}

/**
 * Starts one combined broker+controller and resolves once it answers Metadata requests.
 * Reusing a formatted `dataDir` keeps its topics (that is how a broker is restarted).
 * `detached: true` lets the broker outlive this process (the CLI uses it); otherwise the broker
 * is terminated when this process exits, even if stop() is never called.
 * `onSpawn(pid)` runs as soon as the JVM exists, before it is ready (the CLI records the pid).
 */
export async function startBroker({
  port,
  controllerPort,
  dataDir,
  logDir,
  nodeId = 1,
  clusterId,
  extraProps = {},
  jvmOpts = [],
  detached = false,
  onSpawn,
  readyTimeoutMs = 180_000,
} = {}) {
  if (!dataDir) throw new Error('startBroker needs a dataDir.');
  [port, controllerPort] = await pickPorts(port, controllerPort);
  await assertPortsFree([port, controllerPort]);
  const node = nodeSpec({ nodeId, port, controllerPort, dataDir, logDir });
  const props = {
    ...singleNodeDefaults(),
    ...extraProps,
    'controller.quorum.voters': `${nodeId}@${HOST}:${controllerPort}`,
  };
  const { classpath } = await resolveArtifacts('broker');
  prepareNode(node, props);
  await formatIfNeeded(node, clusterId ?? readClusterId(node) ?? newClusterId(), classpath);
  const handle = new BrokerHandle(node, classpath, jvmOpts, detached, onSpawn);
  await handle.start(readyTimeoutMs, [nodeId]);
  return handle;
}

/**
 * Starts a KRaft quorum of `brokers` nodes (each broker+controller, replication factor 3 by
 * default, min ISR 2) and resolves when every node sees every other one.
 * Returns `{ bootstrap, clusterId, nodes, stop() }`; `nodes[i]` is a broker handle whose
 * stop()/restart() take a single node down and back with the same data dir.
 * With `basePort`, node i listens on basePort+i and its controller on basePort+brokers+i.
 */
export async function startCluster({ brokers = 3, basePort, dataDir, extraProps = {}, jvmOpts = [], readyTimeoutMs = 240_000 } = {}) {
  if (!dataDir) throw new Error('startCluster needs a dataDir.');
  const ports = basePort ? Array.from({ length: 2 * brokers }, (_, i) => basePort + i) : await freePorts(2 * brokers);
  await assertPortsFree(ports);
  const nodes = Array.from({ length: brokers }, (_, i) =>
    nodeSpec({ nodeId: i + 1, port: ports[i], controllerPort: ports[brokers + i], dataDir: join(dataDir, `node-${i + 1}`) }),
  );
  const replication = Math.min(3, brokers);
  const props = {
    ...singleNodeDefaults(),
    'offsets.topic.replication.factor': replication,
    'transaction.state.log.replication.factor': replication,
    'transaction.state.log.min.isr': Math.min(2, replication),
    'share.coordinator.state.topic.replication.factor': replication,
    'share.coordinator.state.topic.min.isr': Math.min(2, replication),
    'default.replication.factor': replication,
    'min.insync.replicas': Math.min(2, replication),
    ...extraProps,
    'controller.quorum.voters': nodes.map((n) => `${n.nodeId}@${HOST}:${n.controllerPort}`).join(','),
  };
  const { classpath } = await resolveArtifacts('broker');
  const clusterId = readClusterId(nodes[0]) ?? newClusterId();
  for (const node of nodes) prepareNode(node, props);
  await Promise.all(nodes.map((node) => formatIfNeeded(node, clusterId, classpath)));

  // Controllers need a majority before any node can serve, so all of them start together.
  const handles = nodes.map((node) => new BrokerHandle(node, classpath, jvmOpts, false, undefined));
  const allIds = nodes.map((n) => n.nodeId);
  try {
    await Promise.all(handles.map((h) => h.start(readyTimeoutMs, allIds)));
  } catch (err) {
    await Promise.all(handles.map((h) => h.stop()));
    throw err;
  }
  return {
    bootstrap: handles.map((h) => h.bootstrap).join(','),
    clusterId,
    nodes: handles,
    stop: () => Promise.all(handles.map((h) => h.stop())).then(() => undefined),
  };
}

/** Stops a broker this process did not start (e.g. one started detached by the CLI). */
export async function stopPid(pid, { timeoutMs = 30_000 } = {}) {
  if (!isAlive(pid)) return;
  process.kill(pid, 'SIGTERM');
  if (await pollUntilDead(pid, timeoutMs)) return;
  process.kill(pid, 'SIGKILL');
  await pollUntilDead(pid, 10_000);
}

/** True when a process with this pid exists. */
export function isAlive(pid) {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return err.code === 'EPERM';
  }
}

/**
 * Asks the broker at host:port for cluster metadata (Kafka protocol, Metadata v4) and returns the
 * node ids of the brokers it reports. It only answers once it really serves clients, and a
 * KRaft broker only lists brokers that are registered and unfenced.
 */
export function metadataBrokerIds(port, { host = HOST, timeoutMs = 3_000 } = {}) {
  const clientId = Buffer.from('sluice-probe');
  const body = Buffer.alloc(2 + 2 + 4 + 2 + clientId.length + 4 + 1);
  let o = 0;
  o = body.writeInt16BE(3, o); // api key: Metadata
  o = body.writeInt16BE(4, o); // v4: the oldest version Kafka 4 still accepts, and not yet "flexible"
  o = body.writeInt32BE(1, o); // correlation id
  o = body.writeInt16BE(clientId.length, o);
  o += clientId.copy(body, o);
  o = body.writeInt32BE(0, o); // topics: none, we only want brokers
  body.writeInt8(0, o); // allow_auto_topic_creation
  const size = Buffer.alloc(4);
  size.writeInt32BE(body.length);

  return new Promise((ok, fail) => {
    const socket = createConnection({ host, port });
    let received = Buffer.alloc(0);
    const done = (err, ids) => {
      socket.destroy();
      err ? fail(err) : ok(ids);
    };
    socket.setTimeout(timeoutMs, () => done(new Error(`no Metadata response from ${host}:${port} within ${timeoutMs} ms`)));
    socket.on('error', (err) => done(err));
    socket.on('connect', () => socket.write(Buffer.concat([size, body])));
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk]);
      if (received.length < 4 || received.length < 4 + received.readInt32BE(0)) return;
      try {
        // size, correlation id, throttle_time_ms, then brokers: [node_id, host, port, rack]
        const count = received.readInt32BE(12);
        let p = 16;
        const ids = [];
        for (let i = 0; i < count; i++) {
          ids.push(received.readInt32BE(p));
          p += 4;
          p += 2 + received.readInt16BE(p) + 4; // host, port
          const rack = received.readInt16BE(p);
          p += 2 + Math.max(rack, 0);
        }
        done(null, ids);
      } catch (err) {
        done(err);
      }
    });
    socket.on('close', () => done(new Error(`connection to ${host}:${port} closed before a Metadata response`)));
  });
}

/** One running (or stopped) node; restart() brings it back on the same ports and data dir. */
class BrokerHandle {
  #node;
  #classpath;
  #jvmOpts;
  #detached;
  #onSpawn;
  #child = null;
  #exited = null; // resolves with a description of how the process ended
  #exitInfo = null;
  #logOffset = 0; // where this run's part of server.log starts (the file is appended to)

  constructor(node, classpath, jvmOpts, detached, onSpawn) {
    this.#node = node;
    this.#classpath = classpath;
    this.#jvmOpts = jvmOpts;
    this.#detached = detached;
    this.#onSpawn = onSpawn;
    this.nodeId = node.nodeId;
    this.port = node.port;
    this.controllerPort = node.controllerPort;
    this.bootstrap = `${HOST}:${node.port}`;
    this.dataDir = node.dataDir;
    this.logDir = node.logDir;
    this.logFile = node.logFile;
    this.startupMs = undefined;
  }

  get pid() {
    return this.#child?.pid;
  }

  get running() {
    return this.#child !== null && this.#exitInfo === null;
  }

  async start(readyTimeoutMs = 180_000, expectIds = [this.nodeId]) {
    if (this.running) return this;
    const node = this.#node;
    const started = Date.now();
    this.#logOffset = fileSize(node.logFile);
    const out = openSync(node.outFile, 'a');
    try {
      this.#child = spawn(
        javaBin(),
        // Later flags win, so jvmOpts can override the heap or the GC.
        [...JVM_OPTS, ...this.#jvmOpts, log4jConfig(node.log4jFile, node.logFile), '-cp', this.#classpath, 'kafka.Kafka', node.propsFile],
        { stdio: ['ignore', out, out], detached: this.#detached },
      );
    } finally {
      closeSync(out);
    }
    this.#exitInfo = null;
    const child = this.#child;
    // Unref'd: a forgotten stop() must not keep Node alive; the guard (or the CLI) ends the JVM.
    child.unref();
    const guard = this.#detached || !child.pid ? null : guardChild(child.pid);
    this.#exited = new Promise((ok) => {
      const ended = (info) => {
        guard?.kill('SIGKILL'); // its pid may be reused now
        ok((this.#exitInfo = info));
      };
      child.once('error', (err) => ended(`could not start java: ${err.message}`));
      child.once('exit', (code, signal) => ended(signal ? `killed by ${signal}` : `exit code ${code}`));
    });
    if (child.pid) this.#onSpawn?.(child.pid);

    try {
      await this.#waitReady(readyTimeoutMs, expectIds);
    } catch (err) {
      await this.stop();
      throw err;
    }
    this.startupMs = Date.now() - started;
    return this;
  }

  /** SIGTERM (Kafka's controlled shutdown), SIGKILL after `timeoutMs`. `signal: 'SIGKILL'` simulates a crash. */
  async stop({ timeoutMs = 30_000, signal = 'SIGTERM' } = {}) {
    if (!this.running) return;
    this.#child.kill(signal);
    if (await raceTimeout(this.#exited, timeoutMs)) return;
    this.#child.kill('SIGKILL');
    await raceTimeout(this.#exited, 10_000);
  }

  /** Stops the node (if running) and starts it again with the same ports and data dir. */
  async restart({ readyTimeoutMs = 180_000, ...stopOptions } = {}) {
    await this.stop(stopOptions);
    return this.start(readyTimeoutMs);
  }

  async #waitReady(timeoutMs, expectIds) {
    const deadline = Date.now() + timeoutMs;
    let lastError = 'no attempt yet';
    while (Date.now() < deadline) {
      if (this.#exitInfo) throw this.#failure(`Kafka broker ${this.nodeId} stopped during startup (${this.#exitInfo})`);
      try {
        const ids = await metadataBrokerIds(this.port);
        if (expectIds.every((id) => ids.includes(id))) return;
        lastError = `metadata lists brokers [${ids}], waiting for [${expectIds}]`;
      } catch (err) {
        lastError = err.message;
      }
      await sleep(250);
    }
    throw this.#failure(`Kafka broker ${this.nodeId} did not become ready on ${this.bootstrap} within ${timeoutMs} ms (${lastError})`);
  }

  // The cause is usually an ERROR far above the tail (Kafka logs a long shutdown after it).
  #failure(message) {
    const { logFile, outFile } = this.#node;
    return new Error(
      `${message}.\n--- errors in ${logFile} ---\n${firstErrors(logFile, this.#logOffset)}\n--- ${logFile} (tail) ---\n${tail(logFile, 15)}\n--- ${outFile} (tail) ---\n${tail(outFile, 20)}`,
    );
  }
}

// The first ERROR/FATAL entries of a Kafka log, each with the two lines after it (exception + frame).
function firstErrors(file, fromByte, max = 3) {
  let lines;
  try {
    lines = readFileSync(file).subarray(fromByte).toString('utf8').split('\n');
  } catch {
    return `(no ${file})`;
  }
  const found = [];
  for (let i = 0; i < lines.length && found.length < max; i++) {
    if (/^\[[^\]]+\] (ERROR|FATAL) /.test(lines[i])) found.push(lines.slice(i, i + 3).join('\n'));
  }
  return found.length ? found.join('\n') : '(none)';
}

function fileSize(file) {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

async function assertPortsFree(ports) {
  for (const port of ports) {
    const server = createServer();
    await new Promise((ok, fail) => server.once('error', fail).listen(port, HOST, ok)).catch((err) => {
      throw new Error(`Cannot start Kafka on ${HOST}:${port}: ${err.code === 'EADDRINUSE' ? 'the port is already in use' : err.message}.`);
    });
    await new Promise((ok) => server.close(() => ok()));
  }
}

function singleNodeDefaults() {
  return {
    'num.partitions': 1,
    'default.replication.factor': 1,
    'min.insync.replicas': 1,
    'offsets.topic.replication.factor': 1,
    // 50 by default: creating them slows the first consumer group on a 2-core machine.
    'offsets.topic.num.partitions': 10,
    'transaction.state.log.replication.factor': 1,
    'transaction.state.log.min.isr': 1,
    'share.coordinator.state.topic.replication.factor': 1,
    'share.coordinator.state.topic.min.isr': 1,
    // Tests join groups constantly; the 3 s default delay would dominate their run time.
    'group.initial.rebalance.delay.ms': 0,
    'auto.create.topics.enable': true,
  };
}

function nodeSpec({ nodeId, port, controllerPort, dataDir, logDir }) {
  dataDir = resolve(dataDir);
  logDir = resolve(logDir ?? join(dataDir, 'logs'));
  return {
    nodeId,
    port,
    controllerPort,
    dataDir,
    logDir,
    kafkaLogDir: join(dataDir, 'kraft'),
    propsFile: join(dataDir, 'server.properties'),
    log4jFile: join(dataDir, 'log4j2.properties'),
    logFile: join(logDir, 'server.log'),
    outFile: join(logDir, 'broker.out'), // JVM stdout/stderr: crashes before log4j is up land here
  };
}

function prepareNode(node, props) {
  mkdirSync(node.dataDir, { recursive: true });
  mkdirSync(node.logDir, { recursive: true });
  const all = {
    'process.roles': 'broker,controller',
    'node.id': node.nodeId,
    // Only ever 127.0.0.1: nothing of a test broker is reachable from other machines.
    listeners: `PLAINTEXT://${HOST}:${node.port},CONTROLLER://${HOST}:${node.controllerPort}`,
    'advertised.listeners': `PLAINTEXT://${HOST}:${node.port}`,
    'controller.listener.names': 'CONTROLLER',
    'inter.broker.listener.name': 'PLAINTEXT',
    'listener.security.protocol.map': 'PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT',
    'log.dirs': node.kafkaLogDir,
    ...props,
  };
  const text = Object.entries(all)
    .map(([k, v]) => `${k}=${String(v).replaceAll('\\', '\\\\')}`)
    .join('\n');
  writeFileSync(node.propsFile, `# Generated by scripts/kafka/broker.mjs\n${text}\n`);
}

function readClusterId(node) {
  try {
    return /^cluster\.id=(.+)$/m.exec(readFileSync(join(node.kafkaLogDir, 'meta.properties'), 'utf8'))?.[1] ?? null;
  } catch {
    return null;
  }
}

// Kafka's own StorageTool writes meta.properties and the bootstrap metadata; a formatted dir is kept.
async function formatIfNeeded(node, clusterId, classpath) {
  if (existsSync(join(node.kafkaLogDir, 'meta.properties'))) return;
  const args = ['-Xmx256m', '-cp', classpath, 'kafka.tools.StorageTool', 'format', '--cluster-id', clusterId, '--config', node.propsFile];
  const { code, output } = await new Promise((ok) => {
    const child = spawn(javaBin(), args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d) => (output += d));
    child.stderr.on('data', (d) => (output += d));
    child.on('error', (err) => ok({ code: err.message, output }));
    child.on('close', (code) => ok({ code, output }));
  });
  if (code !== 0) {
    // Messages and "Caused by" lines carry the reason; the stack frames only bury it.
    const reason = output.split('\n').filter((l) => l.trim() && !/^\s+(at |\.\.\. \d+ more)/.test(l)).slice(0, 10).join('\n');
    throw new Error(`Formatting the Kafka storage in ${node.kafkaLogDir} failed (exit ${code}):\n${reason}`);
  }
}

async function pickPorts(port, controllerPort) {
  const free = (await freePorts(2)).filter((p) => p !== port && p !== controllerPort);
  return [port || free.shift(), controllerPort || free.shift()];
}

// A tiny `sh` that holds a pipe from this process: when this process dies for any reason the pipe
// closes, `read` returns, and the JVM gets SIGTERM. Without it a crashed test run leaks brokers.
function guardChild(pid) {
  const guard = spawn('sh', ['-c', 'read _; kill -TERM "$0" 2>/dev/null', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  guard.on('error', () => {}); // without sh there is simply no guard
  guard.unref();
  guard.stdin.on('error', () => {});
  guard.stdin.unref();
  return guard;
}

async function pollUntilDead(pid, timeoutMs) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return true;
    await sleep(100);
  }
  return !isAlive(pid);
}

// True when `promise` settled first. The timer is ref'd on purpose: it keeps Node alive meanwhile.
function raceTimeout(promise, ms) {
  let timer;
  return Promise.race([
    promise.then(() => true),
    new Promise((ok) => (timer = setTimeout(() => ok(false), ms))),
  ]).finally(() => clearTimeout(timer));
}

function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}

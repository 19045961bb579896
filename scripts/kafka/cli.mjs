// `npm run kafka:start` / `kafka:stop`: a local broker for the demo and for development that
// outlives the command. State lives in one folder: broker.pid, broker.json, data/ and logs/.
//
//   node scripts/kafka/cli.mjs start [--port 9092] [--dir .cache/local-kafka]
//   node scripts/kafka/cli.mjs stop|status [--dir .cache/local-kafka]
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isAlive, metadataBrokerIds, startBroker, stopPid } from './broker.mjs';
import { cacheRoot } from './maven.mjs';

const USAGE = 'usage: node scripts/kafka/cli.mjs start|stop|status [--port 9092] [--dir <folder>]';

async function main(argv) {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string', default: '9092' }, dir: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
  });
  const [command] = positionals;
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length !== 1) return fail(USAGE, 2);
  const dir = resolve(values.dir ?? join(cacheRoot(), 'local-kafka'));

  switch (command) {
    case 'start':
      return start(dir, values.port);
    case 'stop':
      return stop(dir);
    case 'status':
      return status(dir);
    default:
      return fail(`Unknown command "${command}". ${USAGE}`, 2);
  }
}

async function start(dir, portArg) {
  const port = Number(portArg);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) return fail(`--port must be a port number, got "${portArg}".`, 2);
  const running = readState(dir);
  if (running) {
    const note = running.port === port ? '' : ` (not on ${port}; run stop first to move it)`;
    console.log(`Kafka is already running at ${running.bootstrap} (pid ${running.pid})${note}.`);
    return 0;
  }
  const started = Date.now();
  const dataDir = join(dir, 'data');
  // The state is written as soon as the JVM exists, so `stop` finds it even if this command is
  // interrupted while the broker is still starting.
  const writeState = (pid) => {
    const state = { pid, port, bootstrap: `127.0.0.1:${port}`, propsFile: join(dataDir, 'server.properties'), startedAt: new Date().toISOString() };
    writeFileSync(join(dir, 'broker.pid'), `${pid}\n`);
    writeFileSync(join(dir, 'broker.json'), `${JSON.stringify(state, null, 2)}\n`);
  };
  let broker;
  try {
    broker = await startBroker({ port, dataDir, logDir: join(dir, 'logs'), detached: true, onSpawn: writeState });
  } catch (err) {
    clearState(dir);
    throw err;
  }
  console.log(`Kafka is running at ${broker.bootstrap} (pid ${broker.pid}, started in ${((Date.now() - started) / 1000).toFixed(1)} s).`);
  console.log(`Logs: ${broker.logFile}`);
  return 0;
}

async function stop(dir) {
  const running = readState(dir);
  if (!running) {
    console.log('Kafka is not running.');
    return 0;
  }
  await stopPid(running.pid);
  clearState(dir);
  console.log(`Kafka at ${running.bootstrap} stopped.`);
  return 0;
}

async function status(dir) {
  const running = readState(dir);
  if (!running) {
    console.log('Kafka is not running.');
    return 1;
  }
  const serving = await metadataBrokerIds(running.port).then(() => true, () => false);
  console.log(`Kafka is ${serving ? 'running' : 'started but not answering yet'} at ${running.bootstrap} (pid ${running.pid}).`);
  return serving ? 0 : 1;
}

// The saved state, if its process is still our broker; a stale pid file (reboot, crash) is removed.
function readState(dir) {
  let state;
  try {
    state = JSON.parse(readFileSync(join(dir, 'broker.json'), 'utf8'));
  } catch {
    return null;
  }
  if (isAlive(state.pid) && isOurBroker(state)) return state;
  clearState(dir);
  return null;
}

// Pids are reused: on Linux make sure the pid still runs Kafka with our config file.
function isOurBroker({ pid, propsFile }) {
  const cmdline = `/proc/${pid}/cmdline`;
  if (!existsSync('/proc/self/cmdline')) return true;
  try {
    const args = readFileSync(cmdline, 'utf8');
    return args.includes('kafka.Kafka') && args.includes(propsFile);
  } catch {
    return false;
  }
}

function clearState(dir) {
  rmSync(join(dir, 'broker.pid'), { force: true });
  rmSync(join(dir, 'broker.json'), { force: true });
}

function fail(message, code = 1) {
  console.error(message);
  return code;
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (err) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = 1;
  },
);

// A real Schema Registry for tests and development: Apicurio Registry, fetched from Maven Central
// (its "-all" distribution of io.apicurio:apicurio-registry-app), run with in-memory storage, and
// spoken to through its Confluent-compatible API at <url>/apis/ccompat/v7. Confluent's own
// registry is not on Maven Central.
//
// Version 3.0.9 on purpose: it is the newest one whose classes run on Java 17 (3.3.x is built for
// Java 21, which Debian 12 does not ship), and it serves ccompat v7.
import { spawn, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { freePort, stopPid } from '../kafka/broker.mjs';
import { cacheRoot, checkJava, checkMaven, javaBin, tail } from '../kafka/maven.mjs';

export const APICURIO_VERSION = '3.0.9';
const ARTIFACT = `io.apicurio:apicurio-registry-app:${APICURIO_VERSION}:tar.gz:all`;
// 2.8's get with transitive=false fetches the file alone; 3.x also reads the parent POM, which Central lacks for 3.0.9.
const DEPENDENCY_PLUGIN = 'org.apache.maven.plugins:maven-dependency-plugin:2.8';
export const CCOMPAT_PATH = '/apis/ccompat/v7';
const HOST = '127.0.0.1';

/** Fetches and unpacks the registry into the cache once; returns the runnable jar. */
export async function resolveRegistry({ quiet = false } = {}) {
  checkJava();
  const dir = join(cacheRoot(), 'registry', `apicurio-${APICURIO_VERSION}`);
  const appDir = join(dir, 'app');
  const marker = join(dir, 'complete.json');
  if (!existsSync(marker) || !existsSync(appDir)) {
    checkMaven();
    mkdirSync(dir, { recursive: true });
    const logFile = join(dir, 'maven.log');
    const tmp = join(dir, `download.tmp-${process.pid}`);
    rmSync(tmp, { recursive: true, force: true });
    if (!quiet) process.stderr.write(`Fetching Apicurio Registry ${APICURIO_VERSION} from Maven Central (log: ${logFile})...\n`);
    const started = Date.now();
    const fd = openSync(logFile, 'w');
    const status = await new Promise((done) => {
      const child = spawn('mvn', ['-q', '-B', `${DEPENDENCY_PLUGIN}:get`, `-Dartifact=${ARTIFACT}`, '-Dtransitive=false'], {
        stdio: ['ignore', fd, fd],
        cwd: dir,
      });
      child.on('error', (err) => done(err.message));
      child.on('exit', (code, signal) => done(code ?? signal));
    }).finally(() => closeSync(fd));
    if (status !== 0) {
      rmSync(tmp, { recursive: true, force: true });
      throw new Error(`Maven could not fetch ${ARTIFACT} (exit ${status}); last lines of ${logFile}:\n${tail(logFile, 30)}`);
    }
    const archive = join(localRepository(), 'io', 'apicurio', 'apicurio-registry-app', APICURIO_VERSION, `apicurio-registry-app-${APICURIO_VERSION}-all.tar.gz`);
    if (!existsSync(archive)) throw new Error(`Maven reported success but ${archive} is missing; set MAVEN_REPO_LOCAL to your local repository.`);
    const unpackDir = join(tmp, 'app');
    mkdirSync(unpackDir, { recursive: true });
    const untar = spawnSync('tar', ['xzf', archive, '-C', unpackDir], { encoding: 'utf8' });
    if (untar.status !== 0) throw new Error(`Could not unpack ${archive}: ${untar.stderr}`);
    if (existsSync(marker) && existsSync(appDir)) {
      rmSync(tmp, { recursive: true, force: true }); // another process finished first
    } else {
      rmSync(appDir, { recursive: true, force: true });
      renameSync(unpackDir, appDir);
      rmSync(tmp, { recursive: true, force: true });
      writeFileSync(marker, JSON.stringify({ artifact: ARTIFACT, fetchedAt: new Date().toISOString(), seconds: (Date.now() - started) / 1000 }, null, 2));
    }
  }
  const jar = readdirSync(appDir).find((f) => f.endsWith('-runner.jar') || f === 'quarkus-run.jar');
  if (!jar) throw new Error(`No runnable jar in ${appDir}: delete ${dir} and try again.`);
  return { dir, jar: join(appDir, jar) };
}

/**
 * Starts a registry on `port` (a free one by default) and resolves once its ccompat API answers.
 * Returns { url, pid, logFile, stop() }; `url` is the ccompat base for schema.registry.url.
 * The registry dies with this process (a guard kills it if we do), so tests never leak it.
 */
export async function startRegistry({ port, logDir, readyTimeoutMs = 120_000, quiet = false } = {}) {
  const { dir, jar } = await resolveRegistry({ quiet });
  const httpPort = port ?? (await freePort());
  const logs = logDir ?? join(dir, 'logs');
  mkdirSync(logs, { recursive: true });
  const logFile = join(logs, `registry-${httpPort}.log`);
  const fd = openSync(logFile, 'w');
  const child = spawn(
    javaBin(),
    [
      '-Xmx512m',
      '-XX:TieredStopAtLevel=1', // quicker start; a test registry does little work
      `-Dquarkus.http.port=${httpPort}`,
      `-Dquarkus.http.host=${HOST}`,
      '-Dquarkus.log.level=WARN',
      '-Dquarkus.http.access-log.enabled=false',
      '-jar',
      jar,
    ],
    { stdio: ['ignore', fd, fd], detached: false },
  );
  closeSync(fd);
  const guard = guardChild(child.pid);
  let exited = null;
  child.on('exit', (code, signal) => (exited = code ?? signal));

  const url = `http://${HOST}:${httpPort}${CCOMPAT_PATH}`;
  const deadline = Date.now() + readyTimeoutMs;
  for (;;) {
    if (exited !== null) throw new Error(`The Schema Registry exited (${exited}) before it was ready; last lines of ${logFile}:\n${tail(logFile, 30)}`);
    if (await answers(`${url}/subjects`)) break;
    if (Date.now() > deadline) {
      await stopPid(child.pid);
      throw new Error(`The Schema Registry did not answer at ${url} within ${readyTimeoutMs / 1000} s; last lines of ${logFile}:\n${tail(logFile, 30)}`);
    }
    await sleep(250);
  }
  return {
    url,
    port: httpPort,
    pid: child.pid,
    logFile,
    async stop() {
      await stopPid(child.pid);
      guard.kill();
    },
  };
}

/** Maven's local repository: $MAVEN_REPO_LOCAL, <localRepository> of ~/.m2/settings.xml, or ~/.m2/repository. */
function localRepository() {
  if (process.env.MAVEN_REPO_LOCAL) return process.env.MAVEN_REPO_LOCAL;
  const home = homedir();
  try {
    const found = /<localRepository>\s*([^<]+?)\s*<\/localRepository>/.exec(readFileSync(join(home, '.m2', 'settings.xml'), 'utf8'));
    if (found) return found[1].replace('${user.home}', home);
  } catch {
    // no settings.xml: the default
  }
  return join(home, '.m2', 'repository');
}

async function answers(url) {
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2000) });
    return res.status === 200;
  } catch {
    return false;
  }
}

// Kills `pid` when this process's end closes the guard's stdin (as scripts/kafka/broker.mjs does).
function guardChild(pid) {
  const guard = spawn('sh', ['-c', 'read _; kill -TERM "$0" 2>/dev/null', String(pid)], { stdio: ['pipe', 'ignore', 'ignore'] });
  guard.on('error', () => {});
  guard.unref();
  guard.stdin.on('error', () => {});
  guard.stdin.unref();
  return guard;
}

function sleep(ms) {
  return new Promise((ok) => setTimeout(ok, ms));
}


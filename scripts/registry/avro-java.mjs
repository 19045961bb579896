// The Java Apache Avro library from Maven Central, for cross-checking sluice's Avro bytes
// (AvroCheck.java beside this file). Jars land in <cache>/maven/avro-java/libs once.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheRoot, checkJava, checkMaven, copyDependencies, javaBin, pomXml } from '../kafka/maven.mjs';

export const AVRO_JAVA_VERSION = '1.12.0';
const CHECK_SOURCE = join(dirname(fileURLToPath(import.meta.url)), 'AvroCheck.java');

const ARTIFACTS = [
  ['org.apache.avro', 'avro', AVRO_JAVA_VERSION],
  ['org.slf4j', 'slf4j-nop', '2.0.16'],
];

/** Fetches the jars once; returns the classpath wildcard. */
export async function resolveAvroJava({ quiet = false } = {}) {
  checkJava();
  const dir = join(cacheRoot(), 'maven', 'avro-java');
  const libs = join(dir, 'libs');
  const marker = join(dir, 'complete.json');
  if (!existsSync(marker)) {
    checkMaven();
    if (!quiet) process.stderr.write(`Fetching Apache Avro ${AVRO_JAVA_VERSION} for Java from Maven Central (log: ${join(dir, 'maven.log')})...\n`);
    let raced = false;
    await copyDependencies({
      setDir: dir, libsDir: libs, pom: pomXml('avro-java', ARTIFACTS, 'scripts/registry/avro-java.mjs', 'libs'), what: 'Apache Avro',
      alreadyDone: () => (raced = existsSync(marker)),
    });
    if (!raced) writeFileSync(marker, JSON.stringify({ version: AVRO_JAVA_VERSION, fetchedAt: new Date().toISOString() }));
  }
  if (readdirSync(libs).length === 0) throw new Error(`No jars in ${libs}: delete ${dir} and try again.`);
  return { classpath: join(libs, '*') };
}

/** Runs AvroCheck.java over a folder of <name>.avsc + <name>.bin cases; throws with its output on failure. */
export async function runAvroCheck(caseDir) {
  const { classpath } = await resolveAvroJava({ quiet: true });
  const res = spawnSync(javaBin(), ['-cp', classpath, CHECK_SOURCE, caseDir], { encoding: 'utf8', timeout: 120_000 });
  if (res.status !== 0) throw new Error(`AvroCheck.java failed (exit ${res.status ?? res.signal}):\n${res.stderr}\n${res.stdout}`);
  return res.stdout.trim();
}

// A set of jars fetched with Maven, once, into <cache>/maven/<name>/<subdir>: the bench's extra
// Java pieces (MirrorMaker's connectors, Apicurio's AvroConverter) that scripts/kafka/maven.mjs's
// 'broker' and 'connect' sets do not hold. A marker file names the version fetched, so a later
// run reuses the jars and a version change fetches again.
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { cacheRoot, copyDependencies, pomXml } from '../../scripts/kafka/maven.mjs';

/**
 * Fetches `artifacts` ("group:artifact:version") with `dependency:copy-dependencies` and the
 * given extra Maven arguments (-DexcludeTransitive=true, -DexcludeGroupIds=..., ...) into
 * <cache>/maven/<name>/<subdir>, unless the `version` marker is already there. Returns that folder.
 * @throws Error with the tail of Maven's log when Maven fails, or when no jar starting with
 *   `expect` arrived.
 */
export async function fetchJarSet({ name, subdir, version, artifacts, mavenArgs = [], expect }) {
  const setDir = join(cacheRoot(), 'maven', name);
  const libsDir = join(setDir, subdir);
  const marker = join(setDir, `complete-${version}`);
  if (existsSync(marker) && existsSync(libsDir)) return libsDir;
  const coords = artifacts.map((c) => c.split(':'));
  await copyDependencies({
    setDir, libsDir, pom: pomXml(name, coords, 'bench/lib/maven-jars.mjs', subdir), what: artifacts.join(', '), mavenArgs,
  });
  if (!readdirSync(libsDir).some((f) => f.startsWith(expect))) throw new Error(`no ${expect}* jar in ${libsDir}`);
  writeFileSync(marker, new Date().toISOString());
  return libsDir;
}

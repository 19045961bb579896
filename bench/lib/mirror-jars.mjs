// MirrorMaker 2's connectors (org.apache.kafka:connect-mirror, same version as the Connect peer)
// for the mirror-1KB scenario. connect-runtime alone has no Kafka→Kafka connector, so the two
// extra jars (without their dependencies: connect-runtime's are already on the classpath) are
// fetched with Maven, once, into <cache>/maven/bench-mirror/libs.
import { KAFKA_VERSION } from '../../scripts/kafka/maven.mjs';
import { fetchJarSet } from './maven-jars.mjs';

export function mirrorLibsDir() {
  return fetchJarSet({
    name: 'bench-mirror',
    subdir: 'libs',
    version: KAFKA_VERSION,
    artifacts: ['connect-mirror', 'connect-mirror-client'].map((a) => `org.apache.kafka:${a}:${KAFKA_VERSION}`),
    mavenArgs: ['-DexcludeTransitive=true'],
    expect: 'connect-mirror-',
  });
}

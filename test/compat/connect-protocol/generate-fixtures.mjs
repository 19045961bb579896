#!/usr/bin/env node
// Regenerates test/compat/connect-protocol/fixtures.json by serializing known worker states and
// assignments with Apache Kafka's own ConnectProtocol / IncrementalCooperativeConnectProtocol
// (org.apache.kafka:connect-runtime, fetched by Maven), and messages.json: request and response
// bodies of the group and SASL APIs written by Kafka's generated message classes.
//
//   node test/compat/connect-protocol/generate-fixtures.mjs
//
// Needs Java 17+ and Maven. Build output goes to .cache/connect-protocol-fixtures/. Commit the
// regenerated fixtures.json and messages.json.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const compatDir = dirname(fileURLToPath(import.meta.url));
const root = resolve(compatDir, '..', '..', '..');
const pom = join(compatDir, 'java', 'pom.xml');
const buildDir = join(root, '.cache', 'connect-protocol-fixtures');
const classpathFile = join(buildDir, 'classpath.txt');
const out = join(compatDir, 'fixtures.json');
const messages = join(compatDir, 'messages.json');

const run = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });

run('mvn', ['-q', '-B', '-Dstyle.color=never', '-f', pom, 'compile', 'dependency:build-classpath', `-Dmdep.outputFile=${classpathFile}`]);
const classpath = [join(buildDir, 'classes'), readFileSync(classpathFile, 'utf8').trim()].join(':');
run('java', ['-cp', classpath, 'sluice.compat.ConnectProtocolFixtures', out]);
run('java', ['-cp', classpath, 'sluice.compat.ProtocolMessageFixtures', messages]);
for (const file of [out, messages]) {
  const fixtures = JSON.parse(readFileSync(file, 'utf8'));
  console.log(`${file}: ${fixtures.cases.length} cases from Kafka ${fixtures.kafkaVersion} on Java ${fixtures.javaVersion}`);
}

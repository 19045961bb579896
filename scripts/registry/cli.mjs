// The Schema Registry for development and CI:
//   node scripts/registry/cli.mjs fetch            download Apicurio Registry and Java's Apache Avro into the cache (CI runs this)
//   node scripts/registry/cli.mjs start [--port N] run one in the foreground until Ctrl-C
import { parseArgs } from 'node:util';
import { resolveAvroJava } from './avro-java.mjs';
import { resolveRegistry, startRegistry } from './registry.mjs';

const USAGE = 'usage: node scripts/registry/cli.mjs fetch | start [--port 8081]';

const { values, positionals } = parseArgs({ allowPositionals: true, options: { port: { type: 'string' } } });
try {
  if (positionals[0] === 'fetch') {
    const { jar } = await resolveRegistry();
    const { classpath } = await resolveAvroJava();
    console.log(`${jar}\n${classpath}`);
  } else if (positionals[0] === 'start') {
    const registry = await startRegistry({ port: values.port ? Number(values.port) : undefined });
    console.log(`Schema Registry (Apicurio, Confluent-compatible API) at ${registry.url} (pid ${registry.pid}, log ${registry.logFile})`);
    const stop = () => registry.stop().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    setInterval(() => {}, 1 << 30);
  } else {
    console.error(USAGE);
    process.exit(2);
  }
} catch (err) {
  console.error(err.message);
  process.exit(1);
}

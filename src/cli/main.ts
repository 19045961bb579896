/**
 * The `sluice` command. `sluice standalone worker.properties connector.properties ...` takes the
 * same arguments as Kafka Connect's connect-standalone.
 */
import { Command } from 'commander';
import { SLUICE_VERSION } from './version.js';

const program = new Command()
  .name('sluice')
  .description('Kafka Connect, rebuilt for throughput: same configs, same REST API, same record formats.')
  .version(SLUICE_VERSION);

program
  .command('standalone')
  .description('Run a standalone worker, as connect-standalone.sh does')
  .argument('<worker.properties>', 'worker configuration (java.util.Properties syntax)')
  .argument('[connector...]', 'connector configurations: .properties, or .json (a flat map or {"name", "config"})')
  .action(async (workerFile: string, connectorFiles: string[]) => {
    // Loaded on demand: `sluice --help` should not load Kafka clients.
    const { runStandalone } = await import('./standalone.js');
    await runStandalone(workerFile, connectorFiles);
  });

program
  .command('distributed')
  .description('Run a distributed worker, as connect-distributed.sh does')
  .argument('<worker.properties>', 'worker configuration (java.util.Properties syntax)')
  .action(async (workerFile: string) => {
    const { runDistributed } = await import('./distributed.js');
    await runDistributed(workerFile);
  });

program
  .command('bench')
  .description('Run the end-to-end benchmark suite (bench/run.mjs, same options; `sluice bench --help`)')
  .helpOption(false).allowUnknownOption().allowExcessArguments().argument('[options...]')
  .action(async (args: string[]) => {
    const { runBench } = await import('./bench.js');
    process.exitCode = await runBench(args);
  });

program
  .command('tune')
  .description('Measure a connector at tasks.max = 1 … 2 × cores (bench/tune.mjs; `sluice tune --help`)')
  .helpOption(false).allowUnknownOption().allowExcessArguments().argument('[arguments...]')
  .action(async (args: string[]) => {
    const { runBench } = await import('./bench.js');
    process.exitCode = await runBench(args, 'tune.mjs');
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // One clear sentence naming the input; the stack only with SLUICE_DEBUG.
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`sluice: ${message}\n`);
  if (process.env.SLUICE_DEBUG && err instanceof Error) process.stderr.write(`${err.stack}\n`);
  process.exit(1);
});

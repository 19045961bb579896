#!/usr/bin/env node
// The README's first command: start a local Apache Kafka broker (fetched with Maven), then run a
// sluice standalone worker with a FileStreamSource → Kafka → FileStreamSink pipeline over a
// generated file, show records/s live, and check that the output equals the input.
//
//   npm run demo [-- --records 1000000 --keep]
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, mkdirSync, openSync, readSync, closeSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { startBroker } from './kafka/broker.mjs';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '1000000' },
    dir: { type: 'string', default: join(ROOT, '.cache', 'demo') },
    keep: { type: 'boolean', default: false },
  },
});
const RECORDS = Number(args.records);
const DIR = resolve(args.dir);

function freePort() {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => res(port));
    });
  });
}

/** Lines like a small event log: about 100 bytes each, every one distinct and numbered. */
function generateInput(file, count) {
  const fd = openSync(file, 'w');
  const actions = ['view', 'click', 'scroll', 'purchase', 'login', 'logout'];
  let chunk = '';
  for (let i = 0; i < count; i++) {
    chunk += `{"seq":${i},"user":"user-${i % 9973}","action":"${actions[i % actions.length]}","page":"/p/${(i * 7919) % 100000}","ok":${i % 17 !== 0}}\n`;
    if (chunk.length > 1 << 20) {
      writeFileSync(fd, chunk);
      chunk = '';
    }
  }
  writeFileSync(fd, chunk);
  closeSync(fd);
}

/** Counts newlines appended to a file since the last call (reads only the new bytes). */
function lineCounter(file) {
  let position = 0;
  let lines = 0;
  const buf = Buffer.allocUnsafe(1 << 20);
  return () => {
    if (!existsSync(file)) return lines;
    const fd = openSync(file, 'r');
    try {
      for (;;) {
        const n = readSync(fd, buf, 0, buf.length, position);
        if (n <= 0) break;
        position += n;
        for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
      }
    } finally {
      closeSync(fd);
    }
    return lines;
  };
}

function sha256(file) {
  return new Promise((res, rej) => {
    const h = createHash('sha256');
    createReadStream(file).on('data', (d) => h.update(d)).on('end', () => res(h.digest('hex'))).on('error', rej);
  });
}

const fmt = (n) => Math.round(n).toLocaleString('en-US');

async function main() {
  if (!existsSync(join(ROOT, 'dist', 'cli', 'main.js'))) {
    throw new Error('sluice is not built: run `npm ci` (or `npm run build`) first.');
  }
  rmSync(DIR, { recursive: true, force: true });
  mkdirSync(DIR, { recursive: true });

  console.log('sluice demo: FileStreamSource → Apache Kafka → FileStreamSink');
  console.log(`  [1/4] starting a local Apache Kafka broker (first run downloads it with Maven) ...`);
  const t0 = Date.now();
  const broker = await startBroker({ port: await freePort(), controllerPort: await freePort(), dataDir: join(DIR, 'kafka') });
  console.log(`        broker on ${broker.bootstrap} (${((Date.now() - t0) / 1000).toFixed(1)} s)`);

  let sluice;
  const cleanup = async () => {
    if (sluice && sluice.exitCode === null) sluice.kill('SIGTERM');
    await broker.stop();
  };
  process.once('SIGINT', () => cleanup().then(() => process.exit(130)));

  try {
    const input = join(DIR, 'input.txt');
    const output = join(DIR, 'output.txt');
    console.log(`  [2/4] generating ${fmt(RECORDS)} lines in ${input} ...`);
    generateInput(input, RECORDS);
    const inputBytes = statSync(input).size;

    const restPort = await freePort();
    writeFileSync(join(DIR, 'worker.properties'), [
      `bootstrap.servers=${broker.bootstrap}`,
      'key.converter=org.apache.kafka.connect.storage.StringConverter',
      'value.converter=org.apache.kafka.connect.storage.StringConverter',
      `offset.storage.file.filename=${join(DIR, 'connect.offsets')}`,
      'offset.flush.interval.ms=1000',
      `listeners=http://127.0.0.1:${restPort}`,
      '',
    ].join('\n'));
    writeFileSync(join(DIR, 'file-source.properties'), [
      'name=demo-file-source', 'connector.class=FileStreamSource', 'tasks.max=1', `file=${input}`, 'topic=demo-lines', '',
    ].join('\n'));
    writeFileSync(join(DIR, 'file-sink.properties'), [
      'name=demo-file-sink', 'connector.class=FileStreamSink', 'tasks.max=1', `file=${output}`, 'topics=demo-lines', '',
    ].join('\n'));

    console.log(`  [3/4] sluice standalone worker.properties file-source.properties file-sink.properties  (REST on http://127.0.0.1:${restPort})`);
    const logFile = join(DIR, 'sluice.log');
    const logFd = openSync(logFile, 'w');
    sluice = spawn(process.execPath, [join(ROOT, 'bin', 'sluice.js'), 'standalone',
      join(DIR, 'worker.properties'), join(DIR, 'file-source.properties'), join(DIR, 'file-sink.properties')],
    { stdio: ['ignore', logFd, logFd] });
    let exited = null;
    sluice.on('exit', (code, signal) => { exited = { code, signal }; });

    const count = lineCounter(output);
    const started = Date.now();
    let last = 0;
    let lastAt = started;
    let peak = 0;
    let firstAt = 0;
    while (count() < RECORDS) {
      await new Promise((r) => setTimeout(r, 1000));
      if (exited) throw new Error(`sluice exited early (${exited.code ?? exited.signal}); see ${logFile}`);
      const now = Date.now();
      const n = count();
      if (n > 0 && !firstAt) firstAt = lastAt;
      const rate = ((n - last) * 1000) / (now - lastAt);
      peak = Math.max(peak, rate);
      process.stdout.write(`\r        ${fmt(n).padStart(11)} / ${fmt(RECORDS)} records   ${fmt(rate).padStart(9)} records/s   `);
      last = n;
      lastAt = now;
      if (now - started > 10 * 60_000) throw new Error(`timed out; see ${logFile}`);
    }
    const elapsed = (Date.now() - (firstAt || started)) / 1000;
    process.stdout.write('\n');

    console.log('  [4/4] stopping sluice (SIGTERM: tasks stop gracefully and commit) ...');
    sluice.kill('SIGTERM');
    await new Promise((r) => (exited ? r() : sluice.once('exit', r)));
    const [a, b] = await Promise.all([sha256(input), sha256(output)]);
    console.log('');
    console.log('  summary');
    console.log(`    records           ${fmt(RECORDS)} (${(inputBytes / 1e6).toFixed(1)} MB)`);
    console.log(`    end to end        ${elapsed.toFixed(1)} s from the first record out, ${fmt(RECORDS / elapsed)} records/s on average, ${fmt(peak)} at peak`);
    console.log(`    output == input   ${a === b ? 'yes (sha256 identical, same order)' : 'NO: output differs from input'}`);
    console.log(`    files             ${DIR}`);
    if (a !== b) process.exitCode = 1;
  } finally {
    await cleanup();
    if (!args.keep && process.exitCode !== 1) rmSync(join(DIR, 'kafka'), { recursive: true, force: true });
  }
}

main().catch((err) => {
  console.error(`\ndemo failed: ${err.message}`);
  process.exit(1);
});

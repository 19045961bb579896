// `sluice standalone` with bad input, run as a user runs it: every case must stop at once with
// exit code 1 and one message on stderr that names the file (and line, or key) to fix, with
// Kafka Connect's own wording where the config layer has one, and no stack trace. Nothing may
// start: the worker points at a port nobody listens on, and a worker that got as far as starting
// would log (stderr would not match exactly) or never exit (runCli's timeout).
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, runCli, writeProperties } from '../helpers/sluice-process.js';

/** Each bad input must be refused well within this: reading and validating files only. */
const FAST_MS = 5_000;

let dir: string;
let worker: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'sluice-cli-bad-input-'));
  worker = writeProperties(join(dir, 'worker.properties'), {
    // Nobody listens here: a CLI that wrongly went on to start clients could not connect anyway.
    'bootstrap.servers': `127.0.0.1:${await freePort()}`,
    'key.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'value.converter': 'org.apache.kafka.connect.storage.StringConverter',
    'offset.storage.file.filename': join(dir, 'offsets.dat'),
    listeners: `http://127.0.0.1:${await freePort()}`,
  });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Write `name` in the temp dir with the exact text given (line numbers matter). */
function file(name: string, text: string): string {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
}

/** Run `sluice standalone ...args`, assert a fast exit 1 with nothing on stdout, and return stderr. */
async function refused(...args: string[]): Promise<string> {
  const started = Date.now();
  const { code, stdout, stderr } = await runCli(['standalone', ...args], 15_000);
  const elapsed = Date.now() - started;
  expect(code, `exit code; stderr: ${stderr}`).toBe(1);
  expect(stdout).toBe('');
  expect(stderr).toMatch(/^sluice: /);
  expect(stderr, 'no stack trace without SLUICE_DEBUG').not.toMatch(/^\s+at /m);
  expect(elapsed, `refused in ${elapsed} ms`).toBeLessThan(FAST_MS);
  return stderr;
}

const escapeRegExp = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

describe('sluice standalone refuses bad input with a message naming the file and line', () => {
  it('(a) a worker file with a malformed \\uXXXX escape: <file>:<line>, as java.util.Properties words it', async () => {
    const bad = file(
      'bad-escape-worker.properties',
      [
        'bootstrap.servers=127.0.0.1:1',
        '# a comment line still counts',
        'key.converter=org.apache.kafka.connect.storage.StringConverter',
        'value.converter=org.apache.kafka.connect.storage.String\\u12G4Converter',
        'offset.storage.file.filename=/tmp/never-written',
        '',
      ].join('\n'),
    );
    expect(await refused(bad)).toBe(`sluice: ${bad}:4: Malformed \\uxxxx encoding.\n`);
  });

  it('(a) a connector file with a malformed escape on a continued line: the line the entry starts on', async () => {
    const bad = file('bad-escape-connector.properties', 'name=esc\nconnector.class=FileStreamSource\ntopic=t\nfile=/tmp/a\\\n  b\\u00zz\n');
    expect(await refused(worker, bad)).toBe(`sluice: ${bad}:4: Malformed \\uxxxx encoding.\n`);
  });

  it('(b) an unknown connector class: the file and line of connector.class, the class, and the connectors there are', async () => {
    const bad = file('unknown-class.properties', 'name=mystery\n\nconnector.class=com.example.NoSuchConnector\ntopic=t\n');
    const stderr = await refused(worker, bad);
    expect(stderr).toMatch(
      new RegExp(
        `^sluice: ${escapeRegExp(bad)}:3: Failed to find any class that implements Connector and which name matches ` +
          'com\\.example\\.NoSuchConnector, available connectors are: .+\\n$',
      ),
    );
    expect(stderr).toContain('org.apache.kafka.connect.file.FileStreamSinkConnector');
    expect(stderr).toContain('org.apache.kafka.connect.file.FileStreamSourceConnector');
  });

  it('(b) a connector file without connector.class says it has no connector type', async () => {
    const bad = file('no-class.properties', 'name=classless\ntopic=t\n');
    expect(await refused(worker, bad)).toBe(`sluice: ${bad}: Connector config {name=classless, topic=t} contains no connector type\n`);
  });

  it('(c) FileStreamSource without topic: the file, the connector and the missing key', async () => {
    const bad = file('no-topic.properties', 'name=no-topic\nconnector.class=FileStreamSource\nfile=/tmp/in.txt\n');
    expect(await refused(worker, bad)).toBe(
      `sluice: ${bad}: connector no-topic has 1 invalid configuration value:\n` +
        `  ${bad}: Missing required configuration "topic" which has no default value.\n`,
    );
  });

  it('(d) tasks.max=abc: <file>:<line> and ConfigDef\'s message, without the follow-on "Invalid value null"', async () => {
    const bad = file('tasks-max.properties', 'name=bad-tasks\nconnector.class=FileStreamSource\ntopic=t\n\ntasks.max=abc\n');
    expect(await refused(worker, bad)).toBe(
      `sluice: ${bad}: connector bad-tasks has 1 invalid configuration value:\n` +
        `  ${bad}:5: Invalid value abc for configuration tasks.max: Not a number of type INT\n`,
    );
  });

  it('(d) every invalid value of one connector at once, each at its own line', async () => {
    const bad = file('many-bad.properties', 'name=many\nconnector.class=FileStreamSource\ntasks.max=0\nerrors.tolerance=some\n');
    expect(await refused(worker, bad)).toBe(
      `sluice: ${bad}: connector many has 3 invalid configuration values:\n` +
        `  ${bad}:3: Invalid value 0 for configuration tasks.max: Value must be at least 1\n` +
        `  ${bad}:4: Invalid value some for configuration errors.tolerance: String must be one of: none, all\n` +
        `  ${bad}: Missing required configuration "topic" which has no default value.\n`,
    );
  });

  it('(e) a .json connector file that is not an object', async () => {
    const bad = file('array.json', '[1,2]\n');
    expect(await refused(worker, bad)).toBe(`sluice: ${bad}: a connector config must be a JSON object, but this file holds an array.\n`);
  });

  it('(e) a .json connector file with a syntax error: <file>:<line>:<column>', async () => {
    const bad = file('syntax.json', '{\n  "name": "x",\n  "config": {"a": 1,,}\n}\n');
    const stderr = await refused(worker, bad);
    expect(stderr).toMatch(new RegExp(`^sluice: ${escapeRegExp(bad)}:3:21: invalid JSON: \\S.*\\n$`));
    expect(stderr).not.toMatch(/position \d+/);
  });

  it('(e) a .json connector file whose config holds a nested object names the key', async () => {
    const bad = file('nested.json', JSON.stringify({ name: 'n', config: { 'connector.class': 'FileStreamSource', topic: { name: 't' } } }));
    expect(await refused(worker, bad)).toBe(
      `sluice: ${bad}: the value of "config.topic" must be a string, number or boolean, but it is an object.\n`,
    );
  });

  it('(f) a worker file missing key.converter and offset.storage.file.filename: every missing key, each with the file', async () => {
    const bad = file(
      'incomplete-worker.properties',
      'bootstrap.servers=127.0.0.1:1\nvalue.converter=org.apache.kafka.connect.storage.StringConverter\n',
    );
    expect(await refused(bad)).toBe(
      `sluice: ${bad}: Missing required configuration "key.converter" which has no default value.\n` +
        `${bad}: Missing required configuration "offset.storage.file.filename" which has no default value.\n`,
    );
  });

  it('(f) a worker file with a value of the wrong type: <file>:<line> and ConfigDef\'s message', async () => {
    const bad = file(
      'typed-worker.properties',
      [
        'bootstrap.servers=127.0.0.1:1',
        'key.converter=org.apache.kafka.connect.storage.StringConverter',
        'value.converter=org.apache.kafka.connect.storage.StringConverter',
        'offset.storage.file.filename=/tmp/never-written',
        'offset.flush.interval.ms=soon',
        '',
      ].join('\n'),
    );
    expect(await refused(bad)).toBe(`sluice: ${bad}:5: Invalid value soon for configuration offset.flush.interval.ms: Not a number of type LONG\n`);
  });

  it('(f) a worker file naming a converter sluice does not have', async () => {
    const bad = file(
      'converter-worker.properties',
      'bootstrap.servers=127.0.0.1:1\nkey.converter=io.confluent.connect.protobuf.ProtobufConverter\nvalue.converter=StringConverter\noffset.storage.file.filename=/tmp/x\n',
    );
    expect(await refused(bad)).toBe(
      `sluice: ${bad}:2: Invalid value io.confluent.connect.protobuf.ProtobufConverter for configuration key.converter: ` +
        'Class io.confluent.connect.protobuf.ProtobufConverter could not be found.\n',
    );
  });

  it('(g) a worker file or connector file that does not exist, or is a directory', async () => {
    const missingWorker = join(dir, 'no-such-worker.properties');
    expect(await refused(missingWorker)).toBe(`sluice: ${missingWorker}: cannot read the file: No such file or directory\n`);
    const missingConnector = join(dir, 'no-such-connector.json');
    expect(await refused(worker, missingConnector)).toBe(`sluice: ${missingConnector}: cannot read the file: No such file or directory\n`);
    expect(await refused(worker, dir)).toBe(`sluice: ${dir}: cannot read the file: Is a directory\n`);
  });

  it('(h) a sink with both topics and topics.regex: SinkConnectorConfig\'s message at both lines', async () => {
    const bad = file('both-topics.properties', 'name=both\nconnector.class=FileStreamSink\ntopics=a,b\ntopics.regex=a.*\nfile=/tmp/out.txt\n');
    const message = 'topics and topics.regex are mutually exclusive options, but both are set.';
    expect(await refused(worker, bad)).toBe(
      `sluice: ${bad}: connector both has 2 invalid configuration values:\n  ${bad}:3: ${message}\n  ${bad}:4: ${message}\n`,
    );
  });

  it('(h) a sink with neither topics nor topics.regex', async () => {
    const bad = file('no-topics.properties', 'name=neither\nconnector.class=FileStreamSink\nfile=/tmp/out.txt\n');
    const message = 'Must configure one of topics or topics.regex';
    expect(await refused(worker, bad)).toBe(
      `sluice: ${bad}: connector neither has 2 invalid configuration values:\n  ${bad}: ${message}\n  ${bad}: ${message}\n`,
    );
  });

  it('two connector files with the same name are refused before either starts', async () => {
    const text = 'name=twin\nconnector.class=FileStreamSource\ntopic=t\nfile=/tmp/in.txt\n';
    const first = file('twin-1.properties', text);
    const second = file('twin-2.properties', text);
    expect(await refused(worker, first, second)).toBe(`sluice: ${second}: connector twin is already defined in ${first}\n`);
  });

  it('a bad connector file is reported even when a good one comes first', async () => {
    const good = file('good.properties', 'name=good\nconnector.class=FileStreamSource\ntopic=t\nfile=/tmp/in.txt\n');
    const bad = file('bad-after-good.json', '{"name": "late", "config": {"connector.class": "FileStreamSource", "topic": "t", "tasks.max": "x"}}');
    expect(await refused(worker, good, bad)).toBe(
      `sluice: ${bad}: connector late has 1 invalid configuration value:\n` +
        `  ${bad}: Invalid value x for configuration tasks.max: Not a number of type INT\n`,
    );
  });
});

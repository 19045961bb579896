import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PropertiesError, envToProps, loadConnectorFile, loadPropertiesFile, parseConnectorJson, parseProperties,
} from '../../../src/config/properties.js';

describe('parseProperties', () => {
  it('splits on the first unescaped =, : or blank and skips blanks around it', () => {
    const { props } = parseProperties(
      ['a=1', 'b:2', 'c 3', 'd = 4', 'e\t:\t5', 'f  =  =6', '  g=7', 'h', 'i=', 'j ::x'].join('\n'),
    );
    expect(props).toEqual({ a: '1', b: '2', c: '3', d: '4', e: '5', f: '=6', g: '7', h: '', i: '', j: ':x' });
  });

  it('keeps trailing blanks in values, as java.util.Properties does', () => {
    expect(parseProperties('k=v  ').props['k']).toBe('v  ');
  });

  it('skips # and ! comments and blank lines', () => {
    const { props } = parseProperties('# comment\n  ! another\n\n   \nk=v\n#k=w');
    expect(props).toEqual({ k: 'v' });
  });

  it('decodes escapes: \\t \\n \\r \\f \\uXXXX and \\x -> x, in keys and values', () => {
    const { props } = parseProperties(
      'tab=a\\tb\nnl=a\\nb\ncr=\\r\nff=\\f\nu=\\u00e9\\u0041\nother=\\q\\\\\\#\nkey\\=with\\:seps\\ x=v\n\\#notcomment=1',
    );
    expect(props).toEqual({
      tab: 'a\tb', nl: 'a\nb', cr: '\r', ff: '\f', u: 'éA', other: 'q\\#', 'key=with:seps x': 'v', '#notcomment': '1',
    });
  });

  it('joins continuation lines, dropping the next line\'s leading blanks', () => {
    const text = 'list=a,\\\n    b,\\\n\tc\nafter=1\neven=x\\\\\nnext=2';
    const { props, lines } = parseProperties(text);
    expect(props).toEqual({ list: 'a,b,c', after: '1', even: 'x\\', next: '2' });
    expect(lines).toEqual({ list: 1, after: 4, even: 5, next: 6 });
  });

  it('ends a continuation at an empty line and at end of input', () => {
    expect(parseProperties('a=1\\\n\nb=2').props).toEqual({ a: '1', b: '2' });
    expect(parseProperties('a=1\\').props).toEqual({ a: '1' });
  });

  it('does not continue comment lines', () => {
    expect(parseProperties('# comment \\\nk=v').props).toEqual({ k: 'v' });
  });

  it('accepts \\n, \\r\\n and \\r line ends', () => {
    const { props, lines } = parseProperties('a=1\r\nb=2\rc=3\nd=4');
    expect(props).toEqual({ a: '1', b: '2', c: '3', d: '4' });
    expect(lines).toEqual({ a: 1, b: 2, c: 3, d: 4 });
  });

  it('lets the last duplicate win, with its line', () => {
    const { props, lines } = parseProperties('k=1\nk=2\n');
    expect(props['k']).toBe('2');
    expect(lines['k']).toBe(2);
  });

  it('reports a malformed \\uXXXX with file and line', () => {
    expect(() => parseProperties('ok=1\nbad=\\u12G4', 'worker.properties')).toThrow(
      new PropertiesError('worker.properties', 2, 'Malformed \\uxxxx encoding.'),
    );
    try {
      parseProperties('a=1\n\nbad=\\u12', 'w.properties');
    } catch (e) {
      expect(e).toBeInstanceOf(PropertiesError);
      expect((e as Error).message).toBe('w.properties:3: Malformed \\uxxxx encoding.');
      expect((e as PropertiesError).line).toBe(3);
    }
  });
});

describe('files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'sluice-props-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  const write = async (name: string, text: string): Promise<string> => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };

  it('loads a .properties file as UTF-8, with lines', async () => {
    const path = await write('w.properties', '# worker\nbootstrap.servers=localhost:9092\nname=café\n');
    expect(await loadPropertiesFile(path)).toEqual({
      props: { 'bootstrap.servers': 'localhost:9092', name: 'café' },
      lines: { 'bootstrap.servers': 2, name: 3 },
    });
  });

  it('drops a leading byte order mark', async () => {
    const path = await write('bom.properties', '\uFEFFname=x\n');
    expect((await loadPropertiesFile(path)).props).toEqual({ name: 'x' });
    const json = await write('bom.json', '\uFEFF{"name":"x"}');
    expect((await loadConnectorFile(json)).name).toBe('x');
  });

  it('loads a connector .properties file, name from the config', async () => {
    const path = await write('c.properties', 'name=file-source\nconnector.class=FileStreamSource\ntasks.max=1\n');
    const file = await loadConnectorFile(path);
    expect(file.name).toBe('file-source');
    expect(file.config['connector.class']).toBe('FileStreamSource');
    expect(file.lines!['tasks.max']).toBe(3);
  });

  it('loads a flat JSON map, converting numbers and booleans to strings', async () => {
    const path = await write('flat.json', '{"name":"s","connector.class":"FileStreamSink","tasks.max":2,"x":true,"y":1.5}');
    expect(await loadConnectorFile(path)).toEqual({
      name: 's', config: { name: 's', 'connector.class': 'FileStreamSink', 'tasks.max': '2', x: 'true', y: '1.5' },
    });
  });

  it('loads a create request, taking the name from it', async () => {
    const path = await write('req.JSON', JSON.stringify({
      name: 'sink', config: { 'connector.class': 'FileStreamSink', topics: 't' }, initial_state: 'PAUSED',
    }));
    expect(await loadConnectorFile(path)).toEqual({
      name: 'sink', config: { 'connector.class': 'FileStreamSink', topics: 't', name: 'sink' }, initialState: 'PAUSED',
    });
  });

  it('rejects a create request whose config names another connector', () => {
    expect(() => parseConnectorJson('{"name":"a","config":{"name":"b"}}', 'c.json')).toThrow(
      "Connector name configuration in 'config' doesn't match the one specified in 'name' at 'c.json'",
    );
  });

  it('rejects a flat map without a name, as connect-standalone does', () => {
    expect(() => parseConnectorJson('{"connector.class":"X"}', 'c.json')).toThrow(
      "Connector configuration at 'c.json' is missing the mandatory 'name' configuration",
    );
  });

  it('names the file, line and column of a JSON syntax error', async () => {
    const path = await write('broken.json', '{\n  "name": "x",\n  "tasks.max": 1,\n}\n');
    await expect(loadConnectorFile(path)).rejects.toThrow(new RegExp(`^${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:4:1: invalid JSON: `));
    expect(() => parseConnectorJson('{"a":', 'e.json')).toThrow(/^e\.json:1:6: invalid JSON: /);
  });

  it('explains a JSON document that is not an object or holds nested values', () => {
    expect(() => parseConnectorJson('[1,2]', 'a.json')).toThrow(
      'a.json: a connector config must be a JSON object, but this file holds an array.',
    );
    expect(() => parseConnectorJson('{"name":"x","tags":["a"]}', 'b.json')).toThrow(
      'b.json: the value of "tags" must be a string, number or boolean, but it is an array.',
    );
    expect(() => parseConnectorJson('{"name":"x","config":{"k":null}}', 'c.json')).toThrow(
      'c.json: the value of "config.k" must be a string, number or boolean, but it is null.',
    );
  });
});

describe('envToProps', () => {
  it('maps CONNECT_ variables like the Confluent image', () => {
    expect(envToProps({
      CONNECT_BOOTSTRAP_SERVERS: 'b:9092',
      CONNECT_KEY_CONVERTER_SCHEMAS_ENABLE: 'false',
      CONNECT_PRODUCER_CLIENT___ID: 'x',
      CONNECT_SOME__UNDERSCORE_KEY: 'y',
      CONNECT_LOG4J_ROOT_LOGLEVEL: 'INFO',
      CONNECT_JMX_PORT: '9999',
      OTHER: 'z',
      CONNECT_: 'empty',
    })).toEqual({
      'bootstrap.servers': 'b:9092',
      'key.converter.schemas.enable': 'false',
      'producer.client-id': 'x',
      'some_underscore.key': 'y',
    });
  });

  it('reads Debezium\'s unprefixed variables, CONNECT_ winning', () => {
    expect(envToProps({
      BOOTSTRAP_SERVERS: 'kafka:9092', GROUP_ID: '1', CONFIG_STORAGE_TOPIC: 'c', OFFSET_STORAGE_TOPIC: 'o',
      STATUS_STORAGE_TOPIC: 's', CONNECT_GROUP_ID: '2',
    })).toEqual({
      'bootstrap.servers': 'kafka:9092', 'group.id': '2', 'config.storage.topic': 'c', 'offset.storage.topic': 'o',
      'status.storage.topic': 's',
    });
  });
});

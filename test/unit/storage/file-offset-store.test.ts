import { mkdtempSync, readFileSync, writeFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FileOffsetStore } from '../../../src/storage/file-offset-store.js';

const tmp = () => mkdtempSync(join(tmpdir(), 'sluice-offsets-'));

describe('FileOffsetStore', () => {
  it('persists offsets across instances, keyed like the Connect offsets topic', async () => {
    const file = join(tmp(), 'connect.offsets');
    const store = new FileOffsetStore(file);
    await store.start();
    await store.set([{ connector: 'src', partition: { filename: '/in.txt' }, offset: { position: 42 } }]);
    await store.stop();

    const doc = JSON.parse(readFileSync(file, 'utf8'));
    expect(doc.offsets).toEqual([{ key: ['src', { filename: '/in.txt' }], value: { position: 42 } }]);

    const again = new FileOffsetStore(file);
    await again.start();
    expect(again.get('src', { filename: '/in.txt' })).toEqual({ position: 42 });
    expect(again.get('other', { filename: '/in.txt' })).toBeNull();
    expect(again.list('src')).toEqual([{ partition: { filename: '/in.txt' }, offset: { position: 42 } }]);
  });

  it('deletes an offset written as null and leaves no temporary files', async () => {
    const dir = tmp();
    const file = join(dir, 'connect.offsets');
    const store = new FileOffsetStore(file);
    await store.start();
    await store.set([{ connector: 'src', partition: { f: 'a' }, offset: { p: 1 } }]);
    await store.set([{ connector: 'src', partition: { f: 'a' }, offset: null }]);
    expect(store.get('src', { f: 'a' })).toBeNull();
    expect(readdirSync(dir)).toEqual(['connect.offsets']);
  });

  it('names the file when it is not a sluice offsets file', async () => {
    const file = join(tmp(), 'connect.offsets');
    writeFileSync(file, '\xac\xed\x00\x05sr\x00\x11java.util.HashMap');
    await expect(new FileOffsetStore(file).start()).rejects.toThrow(`${file}: cannot read offsets`);
  });
});

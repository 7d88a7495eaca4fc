import { chmod, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { isMap, isSeq, type Document } from 'yaml';
import { ConfigError } from './config-error.ts';
import { updateConfigFile } from './write-config.ts';

const fsControl = vi.hoisted(() => ({ failRename: false }));

vi.mock('node:fs/promises', async (importOriginal) => {
  const actual = await importOriginal<typeof import('node:fs/promises')>();
  return {
    ...actual,
    rename: async (from: string, to: string) => {
      if (fsControl.failRename) throw Object.assign(new Error('simulated crash before rename'), { code: 'EIO' });
      return actual.rename(from, to);
    },
  };
});

const CONFIG = `# Switchyard config: hand-written, with comments
port: 0 # ephemeral
host: 127.0.0.1

# client keys
api-keys: [sk-client]

combos:
  # the fast one first
  - name: fast
    strategy: priority
    targets: [gpt-4o-mini, claude-haiku]
`;

let dir: string;
let file: string;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'write-config-'));
  file = join(dir, 'config.yaml');
  await writeFile(file, CONFIG);
  fsControl.failRename = false;
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

function addCombo(name: string) {
  return (document: Document) => {
    const combos = document.get('combos');
    if (!isSeq(combos)) throw new Error('combos missing');
    combos.add(document.createNode({ name, targets: ['gpt-4o-mini'] }));
  };
}

describe('updateConfigFile', () => {
  it('keeps comments and key order, and returns the validated config', async () => {
    const config = await updateConfigFile(file, addCombo('cheap'));
    const text = await readFile(file, 'utf8');
    expect(text).toContain('# Switchyard config: hand-written, with comments');
    expect(text).toContain('port: 0 # ephemeral');
    expect(text).toContain('# client keys');
    expect(text).toContain('# the fast one first');
    expect(text).toContain('api-keys: [sk-client]');
    expect(text).toContain('targets: [gpt-4o-mini, claude-haiku]');
    expect(text.indexOf('port:')).toBeLessThan(text.indexOf('api-keys:'));
    expect(text.indexOf('name: fast')).toBeLessThan(text.indexOf('name: cheap'));
    expect(config.combos.map((combo) => combo.name)).toEqual(['fast', 'cheap']);
    expect(config.path).toBe(file);
  });

  it('leaves the file byte-identical when the edit makes the config invalid', async () => {
    const before = await readFile(file);
    const attempt = updateConfigFile(file, (document) => {
      document.set('port', 'not-a-port');
    });
    await expect(attempt).rejects.toBeInstanceOf(ConfigError);
    await expect(attempt).rejects.toThrow(/port/);
    expect((await readFile(file)).equals(before)).toBe(true);
    expect(await readdir(dir)).toEqual(['config.yaml']);
  });

  it('writes nothing when the extra validation refuses the result', async () => {
    const before = await readFile(file);
    const validate = vi.fn((config: { combos: unknown[] }) => {
      if (config.combos.length > 1) throw new ConfigError('combos: too many');
    });
    await expect(updateConfigFile(file, addCombo('cheap'), { validate })).rejects.toThrow('combos: too many');
    expect(validate).toHaveBeenCalledOnce();
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('propagates an error thrown by the edit and writes nothing', async () => {
    const before = await readFile(file);
    await expect(
      updateConfigFile(file, () => {
        throw new Error('combo already exists');
      }),
    ).rejects.toThrow('combo already exists');
    expect((await readFile(file)).equals(before)).toBe(true);
  });

  it('leaves the original intact when the process dies between write and rename', async () => {
    const before = await readFile(file);
    fsControl.failRename = true;
    await expect(updateConfigFile(file, addCombo('cheap'))).rejects.toThrow('simulated crash before rename');
    expect((await readFile(file)).equals(before)).toBe(true);
    // The temp file is cleaned up; only the original remains.
    expect(await readdir(dir)).toEqual(['config.yaml']);
    fsControl.failRename = false;
    await updateConfigFile(file, addCombo('cheap'));
    expect(await readFile(file, 'utf8')).toContain('name: cheap');
  });

  it('serialises concurrent edits so that both land', async () => {
    const results = await Promise.all([updateConfigFile(file, addCombo('one')), updateConfigFile(file, addCombo('two')), updateConfigFile(file, addCombo('three'))]);
    expect(results[2]!.combos.map((combo) => combo.name)).toEqual(['fast', 'one', 'two', 'three']);
    const text = await readFile(file, 'utf8');
    for (const name of ['one', 'two', 'three']) expect(text).toContain(`name: ${name}`);
  });

  it('keeps going after a failed edit in the queue', async () => {
    const failing = updateConfigFile(file, (document) => document.set('port', -1));
    const next = updateConfigFile(file, addCombo('after'));
    await expect(failing).rejects.toBeInstanceOf(ConfigError);
    expect((await next).combos.map((combo) => combo.name)).toContain('after');
  });

  it('keeps the file mode', async () => {
    await chmod(file, 0o640);
    await updateConfigFile(file, addCombo('cheap'));
    expect((await stat(file)).mode & 0o777).toBe(0o640);
  });

  it('refuses to edit a file that is not valid YAML', async () => {
    await writeFile(file, 'port: [0\n');
    await expect(updateConfigFile(file, addCombo('x'))).rejects.toThrow(/not valid YAML/);
    expect(await readFile(file, 'utf8')).toBe('port: [0\n');
  });

  it('adds a section that did not exist yet', async () => {
    await updateConfigFile(file, (document) => {
      const breaker = document.createNode({ 'failure-threshold': 3 });
      document.set('circuit-breaker', breaker);
    });
    const config = await updateConfigFile(file, (document) => {
      const breaker = document.get('circuit-breaker');
      if (!isMap(breaker)) throw new Error('circuit-breaker missing');
      breaker.set('open-seconds', 10);
    });
    expect(config.circuitBreaker).toMatchObject({ failureThreshold: 3, openMs: 10_000 });
    expect(await readFile(file, 'utf8')).toMatch(/circuit-breaker:\n {2}failure-threshold: 3\n {2}open-seconds: 10\n/);
  });
});

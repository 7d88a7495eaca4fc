import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { parseDocument, type Document } from 'yaml';
import { ConfigError } from './config-error.ts';
import { parseConfigText } from './load-config.ts';
import type { GatewayConfig } from './types.ts';

/** One queue per file: edits are read-modify-write, so two at once would lose one. */
const queues = new Map<string, Promise<unknown>>();

export interface UpdateConfigOptions {
  env?: NodeJS.ProcessEnv;
  /** Checks beyond the schema (what the runtime would refuse); throwing keeps the file as it was. */
  validate?: (config: GatewayConfig) => void;
}

/**
 * Edits config.yaml through the `yaml` Document API, so comments, key order and quoting survive,
 * validates the result exactly as loading does, then replaces the file atomically (temp file in
 * the same directory, fsync, rename, fsync of the directory). An invalid result or a failed write
 * leaves the file as it was. Errors thrown by `edit` or `validate` propagate and nothing is written.
 */
export function updateConfigFile(path: string, edit: (document: Document) => void, options: UpdateConfigOptions = {}): Promise<GatewayConfig> {
  const key = resolve(path);
  const previous = queues.get(key) ?? Promise.resolve();
  const run = previous.then(() => applyEdit(key, path, edit, options));
  const tail = run.catch(() => undefined);
  queues.set(key, tail);
  void tail.then(() => {
    if (queues.get(key) === tail) queues.delete(key);
  });
  return run;
}

async function applyEdit(file: string, label: string, edit: (document: Document) => void, options: UpdateConfigOptions): Promise<GatewayConfig> {
  const original = await readFile(file, 'utf8');
  const document = parseDocument(original, { uniqueKeys: true });
  if (document.errors.length > 0) {
    throw new ConfigError(`${label}: the config file is not valid YAML (${document.errors[0]!.message.split('\n')[0]}); fix it before editing it through the API`);
  }
  edit(document);
  // Never re-fold long lines the user wrote on one line; keep `[a, b]` as hand-written YAML spells it.
  const text = document.toString({ lineWidth: 0, flowCollectionPadding: false });
  const config = parseConfigText(text, label, options.env ?? process.env);
  options.validate?.(config);
  if (text !== original) await replaceFile(file, text);
  return config;
}

async function replaceFile(file: string, text: string): Promise<void> {
  const { mode } = await stat(file);
  const directory = dirname(file);
  const temp = join(directory, `.${basename(file)}.${randomBytes(6).toString('hex')}.tmp`);
  const handle = await open(temp, 'wx', mode & 0o7777);
  try {
    try {
      await handle.writeFile(text, 'utf8');
      // open()'s mode is filtered by the umask; the original's mode must survive exactly.
      await handle.chmod(mode & 0o7777);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, file);
  } catch (error) {
    await unlink(temp).catch(() => undefined);
    throw error;
  }
  await syncDirectory(directory);
}

/** Makes the rename itself durable; some platforms cannot open a directory, which is fine there. */
async function syncDirectory(directory: string): Promise<void> {
  let handle;
  try {
    handle = await open(directory, 'r');
    await handle.sync();
  } catch {
    // Best effort: the data is already safe in the file; only the rename's durability is at stake.
  } finally {
    await handle?.close();
  }
}

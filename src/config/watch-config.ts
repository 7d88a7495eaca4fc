import { watch, type FSWatcher } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { parseConfigText } from './load-config.ts';
import type { GatewayConfig } from './types.ts';

export interface ConfigWatcherEvents {
  onReload(config: GatewayConfig): void;
  onInvalid(error: Error): void;
}

/**
 * Reloads the config when the file changes. Watches the directory, not the file, because editors
 * and tools replace files atomically (write temp + rename), which a file watch would lose.
 * Bursts of events are debounced; unchanged content is ignored; an invalid edit leaves the
 * running config in place.
 */
export function watchConfigFile(file: string, initialText: string, events: ConfigWatcherEvents, debounceMs = 150): () => void {
  const name = basename(file);
  let lastText = initialText;
  let timer: NodeJS.Timeout | undefined;
  let reloading = Promise.resolve();

  const reload = async () => {
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      // A rename in progress briefly leaves no file; the next event brings it back.
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      events.onInvalid(error as Error);
      return;
    }
    if (text === lastText) return;
    try {
      const config = parseConfigText(text, file);
      lastText = text;
      events.onReload(config);
    } catch (error) {
      lastText = text;
      events.onInvalid(error as Error);
    }
  };

  const watcher: FSWatcher = watch(dirname(file), { persistent: false }, (_event, changed) => {
    if (changed !== null && changed !== name) return;
    clearTimeout(timer);
    timer = setTimeout(() => {
      reloading = reloading.then(reload);
    }, debounceMs);
  });
  watcher.on('error', (error) => events.onInvalid(error));
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

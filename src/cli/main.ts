import { readFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { ConfigError } from '../config/config-error.ts';
import { parseConfigText } from '../config/load-config.ts';
import { startGateway } from '../main.ts';
import { releaseMemoryWhenIdle } from '../process/release-memory-when-idle.ts';
import { resolveConfigPath } from './resolve-config-path.ts';
import { restartIfTypeScriptWasStripped } from './restart-when-compiled.ts';

const USAGE = `Usage: switchyard [--config FILE]

Starts the Switchyard AI API gateway.

Options:
  -c, --config FILE   config.yaml to use (default: ./config.yaml, else the user data dir)
  -h, --help          show this help
  -v, --version       show the version`;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      config: { type: 'string', short: 'c' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
    strict: true,
  });
  if (values.help) {
    console.log(USAGE);
    return;
  }
  if (values.version) {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
    console.log(pkg.version);
    return;
  }
  // Before anything is written: a default config written by the process that restarts would be
  // found by the one that replaces it, which would then not say it wrote one.
  restartIfTypeScriptWasStripped();
  const { path, created } = await resolveConfigPath(values.config);
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new ConfigError(`${path}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  const config = parseConfigText(text, path);
  const gateway = await startGateway(config, { configText: text, createdConfig: created });
  console.log(`switchyard listening on ${gateway.url}`);
  const { runtime } = gateway;
  const idleRelease = releaseMemoryWhenIdle(
    { lastRequestAt: () => runtime.lastRequestAt, busy: () => runtime.activeStreams > 0 },
    () => runtime.snapshot.config.idleMemoryReleaseMs,
  );

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) process.exit(1);
    stopping = true;
    gateway.logger.info(`${signal} received, shutting down`);
    idleRelease.stop();
    void gateway.close().then(() => process.exit(0));
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError) {
    console.error(`switchyard: ${error.message}`);
    process.exit(2);
  }
  if (error instanceof TypeError && (error as NodeJS.ErrnoException).code?.startsWith('ERR_PARSE_ARGS')) {
    console.error(`switchyard: ${error.message}\n\n${USAGE}`);
    process.exit(2);
  }
  console.error('switchyard: failed to start:', error);
  process.exit(1);
});

import { readFile } from 'node:fs/promises';
import { LineCounter, parseDocument } from 'yaml';
import { ConfigError } from './config-error.ts';
import { formatKeyPath, locateKey } from './locate-key.ts';
import { normalizeConfig } from './normalize-config.ts';
import { configSchema } from './schema.ts';
import type { GatewayConfig } from './types.ts';

/** Parses and validates config text; every problem is reported with file, line, key and reason. */
export function parseConfigText(text: string, file: string, env: NodeJS.ProcessEnv = process.env): GatewayConfig {
  const lineCounter = new LineCounter();
  const document = parseDocument(text, { lineCounter, prettyErrors: true, uniqueKeys: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => {
      const position = error.linePos?.[0];
      return `${file}${position ? `:${position.line}:${position.col}` : ''}: ${error.message.split('\n')[0]}`;
    });
    throw new ConfigError(`invalid YAML\n  ${problems.join('\n  ')}`);
  }
  const value = document.toJS() ?? {};
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new ConfigError(`${file}: the config must be a mapping of keys to values`);
  }
  // `section:` with nothing under it is YAML null; CLIProxyAPI (Go) reads it as an empty section.
  for (const [key, field] of Object.entries(value)) if (field === null) delete (value as Record<string, unknown>)[key];
  const result = configSchema.safeParse(value);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${locateKey(document, lineCounter, file, issue.path)}: ${formatKeyPath(issue.path)}: ${issue.message}`,
    );
    throw new ConfigError(`invalid config\n  ${problems.join('\n  ')}`);
  }
  return normalizeConfig(result.data, file, env);
}

export async function loadConfigFile(file: string, env: NodeJS.ProcessEnv = process.env): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new ConfigError(`${file}: cannot read the config file (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
  }
  return parseConfigText(text, file, env);
}

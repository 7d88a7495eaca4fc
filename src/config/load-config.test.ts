import { describe, expect, it } from 'vitest';
import { ConfigError } from './config-error.ts';
import { parseConfigText } from './load-config.ts';

const noEnv = {};

describe('parseConfigText', () => {
  it('reads CLIProxyAPI provider sections with their base-URL semantics and keeps unknown keys', () => {
    const config = parseConfigText(
      `port: 9000
api-keys: [k1]
some-future-key: {nested: true}
claude-api-key:
  - api-key: sk-ant-1
    prefix: work
    models: [{name: claude-sonnet-4-5-20250929, alias: sonnet}]
gemini-api-key:
  - api-key: g-1
    base-url: http://127.0.0.1:1234/
openai-compatibility:
  - name: openrouter
    base-url: https://openrouter.ai/api/v1
    api-key-entries: [{api-key: or-1}, {api-key: or-2, proxy-url: socks5://127.0.0.1:1080}]
    models: [{name: moonshotai/kimi-k2, alias: kimi}]
`,
      'config.yaml',
      noEnv,
    );
    expect(config.port).toBe(9000);
    expect(config.credentials.map((c) => [c.id, c.type, c.baseUrl])).toEqual([
      ['claude-api-key[0]', 'claude', 'https://api.anthropic.com'],
      ['gemini-api-key[0]', 'gemini', 'http://127.0.0.1:1234'],
      ['openai-compatibility[0].api-key-entries[0]', 'openai-compatibility', 'https://openrouter.ai/api/v1'],
      ['openai-compatibility[0].api-key-entries[1]', 'openai-compatibility', 'https://openrouter.ai/api/v1'],
    ]);
    expect(config.credentials[3]!.proxyUrl).toBe('socks5://127.0.0.1:1080');
    expect(config.credentials[0]!.prefix).toBe('work');
    expect(config.credentials[0]!.authIndex).toMatch(/^[0-9a-f]{16}$/);
  });

  it('reports the file, line, key path and reason of an invalid value', () => {
    const text = 'port: 8317\nclaude-api-key:\n  - api-key: sk-1\n    priority: high\n';
    expect(() => parseConfigText(text, '/etc/sy/config.yaml', noEnv)).toThrow(ConfigError);
    try {
      parseConfigText(text, '/etc/sy/config.yaml', noEnv);
    } catch (error) {
      expect((error as Error).message).toMatch(/\/etc\/sy\/config\.yaml:4:15: claude-api-key\[0\]\.priority: .*number/);
    }
  });

  it('reads the idle memory release period: a minute unless set, 0 for never, never negative', () => {
    expect(parseConfigText('port: 1\n', 'c.yaml', noEnv).idleMemoryReleaseMs).toBe(60_000);
    expect(parseConfigText('idle-memory-release-seconds: 0\n', 'c.yaml', noEnv).idleMemoryReleaseMs).toBe(0);
    expect(parseConfigText('idle-memory-release-seconds: 300\n', 'c.yaml', noEnv).idleMemoryReleaseMs).toBe(300_000);
    expect(() => parseConfigText('idle-memory-release-seconds: -1\n', 'c.yaml', noEnv)).toThrow(/idle-memory-release-seconds/);
  });

  it('reports YAML syntax errors with their line', () => {
    expect(() => parseConfigText('port: 8317\napi-keys: [a, b\n', 'c.yaml', noEnv)).toThrow(/c\.yaml:\d+:\d+/);
  });

  it('rejects an empty api key in a provider entry', () => {
    expect(() => parseConfigText('claude-api-key:\n  - api-key: ""\n', 'c.yaml', noEnv)).toThrow(/claude-api-key\[0\]\.api-key: must not be empty/);
  });

  it('offers providers from the environment only when the config declares none', () => {
    const env = { OPENAI_API_KEY: 'sk-env', ANTHROPIC_API_KEY: 'sk-ant-env', GEMINI_API_KEY: 'g-env' };
    const fromEnv = parseConfigText('port: 1\n', 'c.yaml', env);
    expect(fromEnv.credentials.map((c) => c.type)).toEqual(['openai-compatibility', 'claude', 'gemini']);
    const configured = parseConfigText('claude-api-key: [{api-key: sk-1}]\n', 'c.yaml', env);
    expect(configured.credentials.map((c) => c.id)).toEqual(['claude-api-key[0]']);
  });

  it('reads an empty section as absent, as CLIProxyAPI does', () => {
    const config = parseConfigText('remote-management:\nclaude-api-key:\nport: 9\n', 'c.yaml', noEnv);
    expect(config.port).toBe(9);
    expect(config.remoteManagement.secretKey).toBe('');
    expect(config.credentials).toEqual([]);
  });

  it('applies CLIProxyAPI defaults', () => {
    const config = parseConfigText('{}\n', 'c.yaml', noEnv);
    expect(config.port).toBe(8317);
    expect(config.requestRetry).toBe(0);
    expect(config.routingStrategy).toBe('round-robin');
    expect(config.bodyLimitBytes).toBe(32 * 1024 * 1024);
  });
});

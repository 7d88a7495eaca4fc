import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type MockUpstream, startMockUpstream } from './server.ts';

/**
 * The unmodified agent CLIs pointed straight at the mock: each runs a shell tool the prompt
 * scripts, sends the result back and prints the mock's final answer. If they get through a
 * whole tool round trip, the mock's wire formats are what those clients expect.
 */
const run = promisify(execFile);
const bin = (name: string) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));

let mock: MockUpstream;
let home: string;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());
beforeEach(() => {
  mock.reset();
  home = mkdtempSync(join(tmpdir(), 'mock-upstream-home-'));
  return () => rmSync(home, { recursive: true, force: true });
});

async function cli(name: string, args: string[], env: Record<string, string>): Promise<string> {
  const pending = run(bin(name), args, { cwd: home, env: { PATH: process.env.PATH ?? '', HOME: home, ...env }, timeout: 90_000 });
  // Codex exec reads extra prompt text from a piped stdin until it closes.
  pending.child.stdin?.end();
  return (await pending).stdout;
}

describe('agent CLIs against the mock', () => {
  it('Claude Code runs Bash through Anthropic Messages, thinking signature included', { timeout: 120_000 }, async () => {
    const out = await cli('claude', ['-p', 'go [[mock:think]] [[mock:tool name=Bash cmd="echo from-claude"]]', '--allowedTools', 'Bash'], {
      ANTHROPIC_BASE_URL: mock.url,
      ANTHROPIC_API_KEY: 'test-claude',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
    });
    expect(out.trim()).toBe('tool result: from-claude');
    const last = mock.requests.at(-1)?.body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(last.messages.at(-2)?.content)).toContain('"type":"thinking"');
  });

  it('Codex CLI runs exec_command through the ChatGPT Codex backend', { timeout: 120_000 }, async () => {
    const provider = `model_providers.mock={ name = "mock", base_url = "${mock.url}/backend-api/codex", env_key = "MOCK_KEY", wire_api = "responses" }`;
    const out = await cli(
      'codex',
      ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-c', 'model_provider=mock', '-c', provider, '-m', 'gpt-5.5', 'go [[mock:think]] [[mock:tool cmd="echo from-codex"]]'],
      { MOCK_KEY: 'test-codex' },
    );
    expect(out).toContain('tool result:');
    expect(out).toContain('from-codex');
    const calls = mock.requests.filter((r) => r.path === '/backend-api/codex/responses');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(calls.at(-1)?.body)).toContain('"encrypted_content"');
  });

  it('Gemini CLI runs run_shell_command through streamGenerateContent', { timeout: 120_000 }, async () => {
    mkdirSync(join(home, '.gemini'));
    writeFileSync(join(home, '.gemini', 'settings.json'), JSON.stringify({ security: { auth: { selectedType: 'gemini-api-key' } } }));
    const out = await cli('gemini', ['--yolo', '-p', 'go [[mock:think]] [[mock:tool name=run_shell_command cmd="echo from-gemini"]]'], {
      GEMINI_API_KEY: 'test-gemini',
      GOOGLE_GEMINI_BASE_URL: mock.url,
      GEMINI_CLI_NO_RELAUNCH: '1',
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
    });
    expect(out).toContain('tool result:');
    expect(out).toContain('from-gemini');
    expect(mock.requests.some((r) => r.query.alt === 'sse')).toBe(true);
  });
});

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { type AgentRun, describeAgentRun, killRunningAgents, runAgent } from '../support/agents.ts';
import { type MockUpstream, startMockUpstream } from './server.ts';

/**
 * The unmodified agent CLIs pointed straight at the mock: each runs a shell tool the prompt
 * scripts, sends the result back and prints the mock's final answer. If they get through a
 * whole tool round trip, the mock's wire formats are what those clients expect.
 */
let mock: MockUpstream;

beforeAll(async () => {
  mock = await startMockUpstream();
});
afterAll(() => mock.close());
beforeEach(() => mock.reset());
afterEach(() => killRunningAgents());

function answerOf(run: AgentRun): string {
  expect(run.answer, describeAgentRun(run)).toBeTypeOf('string');
  return run.answer!;
}

describe('agent CLIs against the mock', () => {
  it('Claude Code runs Bash through Anthropic Messages, thinking signature included', { timeout: 120_000 }, async () => {
    const run = await runAgent('claude', { url: mock.url, apiKey: 'test-claude', prompt: 'go [[mock:think]] [[mock:tool name=Bash cmd="echo from-claude"]]' });
    expect(answerOf(run).trim(), describeAgentRun(run)).toBe('tool result: from-claude');
    const last = mock.requests.at(-1)?.body as { messages: Array<{ role: string; content: unknown }> };
    expect(JSON.stringify(last.messages.at(-2)?.content)).toContain('"type":"thinking"');
  });

  it('Codex CLI runs exec_command through the ChatGPT Codex backend', { timeout: 120_000 }, async () => {
    const run = await runAgent('codex', {
      url: mock.url,
      codexPath: '/backend-api/codex',
      apiKey: 'test-codex',
      model: 'gpt-5.5',
      prompt: 'go [[mock:think]] [[mock:tool cmd="echo from-codex"]]',
    });
    const answer = answerOf(run);
    expect(answer, describeAgentRun(run)).toContain('tool result:');
    expect(answer, describeAgentRun(run)).toContain('from-codex');
    const calls = mock.requests.filter((r) => r.path === '/backend-api/codex/responses');
    expect(calls.length).toBeGreaterThanOrEqual(2);
    expect(JSON.stringify(calls.at(-1)?.body)).toContain('"encrypted_content"');
  });

  it('Gemini CLI runs run_shell_command through streamGenerateContent', { timeout: 120_000 }, async () => {
    const run = await runAgent('gemini', { url: mock.url, apiKey: 'test-gemini', prompt: 'go [[mock:think]] [[mock:tool name=run_shell_command cmd="echo from-gemini"]]' });
    const answer = answerOf(run);
    expect(answer, describeAgentRun(run)).toContain('tool result:');
    expect(answer, describeAgentRun(run)).toContain('from-gemini');
    expect(mock.requests.some((r) => r.query.alt === 'sse')).toBe(true);
  });
});

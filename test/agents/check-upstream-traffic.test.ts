import { describe, expect, it } from 'vitest';
import type { RecordedRequest } from '../mock-upstream/types.ts';
import { upstreamTrafficProblems } from './check-upstream-traffic.ts';
import type { ClientRequest } from './recording-proxy.ts';
import { AGENT_UPSTREAMS } from './upstreams.ts';

/** The checker itself must catch every way the gateway could misbehave, or the agent tests prove nothing. */
const openai = AGENT_UPSTREAMS.find((upstream) => upstream.id === 'openai-compatibility')!;
const gemini = AGENT_UPSTREAMS.find((upstream) => upstream.id === 'gemini')!;
const clientKey = 'sk-client-secret';

const client: ClientRequest = {
  method: 'POST',
  path: '/v1/messages',
  query: { beta: 'true' },
  headers: { 'x-api-key': clientKey, 'anthropic-version': '2023-06-01' },
  body: { model: 'claude-x', max_tokens: 100, system: [{ type: 'text', text: 'Be brief.' }, { type: 'text', text: 'Use tools.' }], messages: [{ role: 'user', content: 'hi' }] },
};

function upstreamRequest(overrides: { headers?: RecordedRequest['headers']; body?: Record<string, unknown>; path?: string; provider?: RecordedRequest['provider'] } = {}): RecordedRequest {
  return {
    method: 'POST',
    path: overrides.path ?? '/v1/chat/completions',
    query: {},
    headers: overrides.headers ?? { authorization: 'Bearer test-upstream-openai' },
    provider: overrides.provider ?? 'openai-chat',
    receivedAt: 0,
    body: overrides.body ?? {
      model: 'mock-openai-compatibility-claude-x',
      messages: [
        { role: 'system', content: 'Be brief.\n\nUse tools.' },
        { role: 'user', content: 'hi' },
      ],
    },
  };
}

const check = (received: RecordedRequest[], clients: ClientRequest[] = [client]) => upstreamTrafficProblems({ upstream: openai, clientKey, client: clients, received });

describe('upstreamTrafficProblems', () => {
  it('accepts a faithful translation', () => {
    expect(check([upstreamRequest()])).toEqual([]);
  });

  it('reports a model that was not rewritten', () => {
    const body = { model: 'claude-x', messages: [{ role: 'system', content: 'Be brief. Use tools.' }, { role: 'user', content: 'hi' }] };
    expect(check([upstreamRequest({ body })]).join('\n')).toMatch(/model claude-x, expected one of mock-openai-compatibility-claude-x/);
  });

  it('reports text the gateway added to the system prompt', () => {
    const body = { model: 'mock-openai-compatibility-claude-x', messages: [{ role: 'system', content: 'You are Claude Code.\nBe brief.\nUse tools.' }, { role: 'user', content: 'hi' }] };
    expect(check([upstreamRequest({ body })]).join('\n')).toMatch(/system prompt is not one the client sent/);
  });

  it('reports a system prompt that lost a block', () => {
    const body = { model: 'mock-openai-compatibility-claude-x', messages: [{ role: 'system', content: 'Be brief.' }, { role: 'user', content: 'hi' }] };
    expect(check([upstreamRequest({ body })]).join('\n')).toMatch(/system prompt is not one the client sent/);
  });

  it('reports the client key reaching the upstream, and a wrong upstream credential', () => {
    const problems = check([upstreamRequest({ headers: { authorization: `Bearer ${clientKey}` } })]).join('\n');
    expect(problems).toMatch(/carries the client key/);
    expect(problems).toMatch(/credential "sk-client-secret", expected test-upstream-openai/);
  });

  it('reports another wire format on another path', () => {
    const body = { model: 'mock-openai-compatibility-claude-x', max_tokens: 100, system: 'Be brief. Use tools.', messages: [{ role: 'user', content: 'hi' }] };
    const problems = check([upstreamRequest({ path: '/v1/messages', provider: 'anthropic', headers: { 'x-api-key': 'test-upstream-openai' }, body })]).join('\n');
    expect(problems).toMatch(/answered as anthropic, expected openai-chat/);
    expect(problems).toMatch(/path does not match/);
  });

  it('reports upstream requests the agent did not make (gateway retries)', () => {
    expect(check([upstreamRequest(), upstreamRequest()]).join('\n')).toMatch(/the agent made 1 generation requests, the upstream got 2/);
  });

  it('reads the model from the path for Gemini upstreams', () => {
    const received: RecordedRequest = {
      method: 'POST',
      path: '/v1beta/models/mock-gemini-claude-x:streamGenerateContent',
      query: { alt: 'sse' },
      headers: { 'x-goog-api-key': 'test-upstream-gemini' },
      provider: 'gemini',
      receivedAt: 0,
      body: { systemInstruction: { parts: [{ text: 'Be brief.' }, { text: 'Use tools.' }] }, contents: [{ role: 'user', parts: [{ text: 'hi' }] }] },
    };
    expect(upstreamTrafficProblems({ upstream: gemini, clientKey, client: [client], received: [received] })).toEqual([]);
    const renamed = { ...received, path: '/v1beta/models/claude-x:streamGenerateContent' };
    expect(upstreamTrafficProblems({ upstream: gemini, clientKey, client: [client], received: [renamed] }).join('\n')).toMatch(/model claude-x/);
  });
});

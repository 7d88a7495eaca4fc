import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../ir/gateway-error.ts';
import type { CanonicalResponse } from '../../ir/response.ts';
import { readJsonFixture } from './__fixtures__/fixtures.ts';
import { decodeResponsesCompactRequest, encodeResponsesCompactResponse } from './compact.ts';
import { COMPACTION_PROMPT, decodeCompactionContent, encodeCompactionContent } from './compaction-summary.ts';
import { decodeResponsesRequest } from './decode-request.ts';

const codexCompactBody = (() => {
  const codex = readJsonFixture('codex-request.json');
  // What Codex posts to /responses/compact: model, input and instructions.
  return { model: codex.model, input: codex.input, instructions: codex.instructions };
})();

function answer(text: string): CanonicalResponse {
  return {
    id: 'msg_01',
    model: 'claude-sonnet-4',
    created: 1764967971,
    content: [{ type: 'text', text }],
    finishReason: { unified: 'stop' },
    usage: { inputTokens: 139, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 438, reasoningTokens: 64 },
  };
}

describe('decodeResponsesCompactRequest', () => {
  it('asks for a summary of the whole conversation, non-streamed and without tool calls', () => {
    const request = decodeResponsesCompactRequest({ ...codexCompactBody, stream: true, tools: [{ type: 'function', name: 'shell' }] });
    expect(request.model).toBe('gpt-5-codex');
    expect(request.stream).toBe(false);
    expect(request.toolChoice).toEqual({ type: 'none' });
    expect(request.messages[0]).toMatchObject({ role: 'system', content: [{ type: 'text', text: codexCompactBody.instructions }] });
    expect(request.messages.at(-1)).toEqual({
      role: 'user',
      content: [{ type: 'text', text: COMPACTION_PROMPT }],
      extensions: { 'openai-responses': { compactionPrompt: true } },
    });
    // The conversation itself is untouched, so the upstream's prompt cache still matches.
    const plain = decodeResponsesRequest(codexCompactBody, {});
    expect(request.messages.slice(0, -1)).toEqual(plain.messages);
    expect(request.extensions?.['openai-responses']?.compact).toBe(true);
  });

  it('rejects what the real endpoint would reject statelessly', () => {
    expect(() => decodeResponsesCompactRequest({ model: 'm', input: 'x', previous_response_id: 'resp_1' })).toThrow(/previous_response_id/);
    expect(() => decodeResponsesCompactRequest('x')).toThrow(GatewayError);
  });
});

describe('encodeResponsesCompactResponse', () => {
  it('returns the user messages followed by one compaction item holding the summary', () => {
    const request = decodeResponsesCompactRequest(codexCompactBody);
    const body = encodeResponsesCompactResponse(answer('Goal: add a.txt. Done. Next: show it.'), request);
    expect(body).toMatchObject({
      object: 'response.compaction',
      created_at: 1764967971,
      usage: {
        input_tokens: 139,
        input_tokens_details: { cached_tokens: 0 },
        output_tokens: 438,
        output_tokens_details: { reasoning_tokens: 64 },
        total_tokens: 577,
      },
    });
    expect(body.id).toMatch(/^resp_/);
    const output = body.output as Record<string, unknown>[];
    const input = codexCompactBody.input as Record<string, unknown>[];
    expect(output.slice(0, -1).map(({ id, ...item }) => item)).toEqual(
      [input[1], input[2], input[9]].map((item) => ({ ...item, status: 'completed' })),
    );
    for (const item of output.slice(0, -1)) expect(item.id).toMatch(/^msg_/);
    const compaction = output.at(-1) as Record<string, unknown>;
    expect(compaction.type).toBe('compaction');
    expect(compaction.id).toMatch(/^cmp_/);
    expect(decodeCompactionContent(compaction.encrypted_content as string)).toBe('Goal: add a.txt. Done. Next: show it.');
  });

  it('compacts again without keeping the previous summary as a user message', () => {
    const request = decodeResponsesCompactRequest({
      model: 'gpt-5',
      input: [
        { role: 'user', content: 'Build the parser' },
        { type: 'compaction', id: 'cmp_old', encrypted_content: encodeCompactionContent('Parser started.') },
        { role: 'user', content: 'Add tests' },
        { role: 'assistant', content: 'Tests added.' },
      ],
    });
    const output = encodeResponsesCompactResponse(answer('Parser done, tests added.'), request).output as Record<string, unknown>[];
    expect(output.map((item) => item.type)).toEqual(['message', 'message', 'compaction']);
    expect(output.map((item) => (item.content as Array<{ text: string }> | undefined)?.[0]?.text)).toEqual(['Build the parser', 'Add tests', undefined]);
  });

  it('fails when the model gave no summary', () => {
    const request = decodeResponsesCompactRequest(codexCompactBody);
    expect(() => encodeResponsesCompactResponse(answer('  '), request)).toThrow(/empty compaction summary/);
  });
});

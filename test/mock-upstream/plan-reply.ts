import { type MockDirectives, stripMockDirectives, type MockToolDirective } from './directives.ts';
import { mockSignature } from './ids.ts';
import { mockArgumentsFromSchema, mockValueFromSchema } from './schema-arguments.ts';
import { MOCK_CHARS_PER_TOKEN, countMockTokens, mockFillerText } from './tokens.ts';
import type { MockReply, MockTool, MockToolCall, RequestFacts } from './types.ts';

export interface MockPlanContext {
  /** Tags reasoning signatures, so a provider can reject another provider's. */
  signatureOrigin: string;
  /** The JSON `[[mock:inspect]]` answers with. */
  inspect(): string;
}

/** Decides what the mock model answers; the wire formats only render it. */
export function planMockReply(facts: RequestFacts, directives: MockDirectives, context: MockPlanContext): MockReply {
  let text: string;
  let toolCalls: MockToolCall[] = [];
  if (facts.toolResults) {
    text = directives.inspect ? context.inspect() : facts.toolResults.map((r) => `tool result: ${r}`).join('\n');
  } else if (directives.unknown.length > 0) {
    text = `mock: unknown directive ${directives.unknown.map((n) => `[[mock:${n}]]`).join(' ')}`;
  } else if (directives.tools.length > 0 || facts.forcedTool !== undefined) {
    const wanted: MockToolDirective[] =
      directives.tools.length > 0
        ? directives.tools
        : [{ name: typeof facts.forcedTool === 'string' ? facts.forcedTool : undefined, fields: {} }];
    const missing = wanted.find((d) => !findTool(facts.tools, d.name));
    if (missing && facts.responseSchema) {
      // Side calls of agents (Gemini CLI's router) see the same prompt but must get their JSON.
      text = JSON.stringify(mockValueFromSchema(facts.responseSchema));
    } else if (missing) {
      text = `mock: no tool ${missing.name ? `named ${missing.name}` : 'declared'} in the request`;
    } else {
      toolCalls = wanted.map((d) => callTool(findTool(facts.tools, d.name)!, d));
      text = directives.reply ?? '';
    }
  } else if (directives.inspect) {
    text = context.inspect();
  } else if (directives.reply !== undefined) {
    text = directives.reply;
  } else if (directives.long !== undefined) {
    text = mockFillerText(directives.long);
  } else if (facts.responseSchema) {
    text = JSON.stringify(mockValueFromSchema(facts.responseSchema));
  } else if (directives.json || facts.jsonMode) {
    text = JSON.stringify(facts.summarize());
  } else {
    text = `echo: ${facts.echoText.includes('[[mock:') ? stripMockDirectives(facts.echoText) : facts.echoText}`;
  }

  let finish: MockReply['finish'] = toolCalls.length > 0 ? 'tool' : 'stop';
  const limit = facts.maxOutputTokens;
  if (toolCalls.length === 0 && limit !== undefined && limit > 0 && countMockTokens(text.length) > limit) {
    text = truncate(text, limit * MOCK_CHARS_PER_TOKEN);
    finish = 'length';
  }

  let reasoning: MockReply['reasoning'];
  if (directives.think) {
    const thought = mockFillerText(directives.think.tokens ?? 16);
    reasoning = { text: thought, signature: mockSignature(context.signatureOrigin, thought) };
  }

  const input = Math.max(1, countMockTokens(facts.inputChars));
  let cacheRead = 0;
  let cacheWrite = 0;
  if (directives.cache) {
    cacheRead = Math.min(input, directives.cache.read ?? Math.floor(input / 2));
    cacheWrite = Math.min(input - cacheRead, directives.cache.write ?? 0);
  }
  const reasoningTokens = reasoning ? countMockTokens(reasoning.text.length) : 0;
  let output = countMockTokens(text.length) + reasoningTokens;
  for (const call of toolCalls) output += countMockTokens(call.input.length);

  return {
    reasoning,
    text,
    toolCalls,
    finish,
    usage: { input, cacheRead, cacheWrite, output: Math.max(1, output), reasoning: reasoningTokens },
  };
}

function findTool(tools: MockTool[], name: string | undefined): MockTool | undefined {
  if (name === undefined) return tools[0];
  return tools.find((t) => t.name === name) ?? tools.find((t) => t.name.toLowerCase() === name.toLowerCase());
}

function callTool(tool: MockTool, directive: MockToolDirective): MockToolCall {
  if (tool.kind === 'custom') return { name: tool.name, kind: tool.kind, input: directive.args ?? directive.cmd ?? 'mock input' };
  if (tool.kind === 'local_shell') return { name: tool.name, kind: tool.kind, input: directive.cmd ?? 'echo mock' };
  const input =
    directive.args ?? JSON.stringify(mockArgumentsFromSchema(tool.name, tool.schema, { command: directive.cmd, fields: directive.fields }));
  return { name: tool.name, kind: tool.kind, input };
}

function truncate(text: string, length: number): string {
  const code = text.charCodeAt(length - 1);
  return text.slice(0, code >= 0xd800 && code <= 0xdbff ? length + 1 : length);
}

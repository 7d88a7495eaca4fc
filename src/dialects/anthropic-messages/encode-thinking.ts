import type { CanonicalRequest } from '../../ir/request.ts';
import { type ReasoningEffort, effortToBudget, resolveReasoningBudget } from '../../ir/reasoning.ts';
import type { AnthropicWireMessage } from './encode-messages.ts';
import type { AnthropicRequestExtension, WireBlock } from './extensions.ts';

/**
 * Claude requires max_tokens; 8192 is what every current Claude model can produce and enough for a full
 * answer, where a small default would truncate replies for clients that never send a limit.
 */
export const ANTHROPIC_DEFAULT_MAX_TOKENS = 8192;
/** Claude's smallest accepted thinking budget. */
const MIN_THINKING_BUDGET = 1024;

const CLAUDE_EFFORTS = new Set<string>(['low', 'medium', 'high', 'xhigh', 'max']);

export interface AnthropicThinkingPlan {
  thinking?: WireBlock;
  effort?: string;
  maxTokens: number;
  /** Thinking may run: Claude then rejects temperature, top_p and top_k. */
  thinkingOn: boolean;
}

function claudeEffort(effort: ReasoningEffort | undefined): string | undefined {
  if (effort === undefined || effort === 'none') return undefined;
  return effort === 'minimal' ? 'low' : CLAUDE_EFFORTS.has(effort) ? effort : undefined;
}

/**
 * With thinking on, Claude requires the last assistant turn of an ongoing tool loop to start with its
 * (signed) thinking block. History produced by another upstream has none, so thinking waits for the
 * next user turn instead of failing the request.
 */
function toolLoopLacksThinking(messages: readonly AnthropicWireMessage[]): boolean {
  for (let i = messages.length - 1; i >= 0; i--) {
    const message = messages[i];
    if (message.role !== 'assistant') continue;
    const first = message.content[0]?.type;
    return first !== 'thinking' && first !== 'redacted_thinking' && message.content.some((block) => block.type === 'tool_use');
  }
  return false;
}

/** `thinking`, `output_config.effort` and `max_tokens` for a request whose messages are already encoded. */
export function planAnthropicThinking(
  request: CanonicalRequest,
  extension: AnthropicRequestExtension | undefined,
  messages: readonly AnthropicWireMessage[],
): AnthropicThinkingPlan {
  let maxTokens = request.maxOutputTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS;
  const reasoning = request.reasoning;

  // Routing left the client's reasoning alone: send exactly what the Claude client sent.
  if (extension?.reasoningKey !== undefined && extension.reasoningKey === JSON.stringify(reasoning)) {
    const thinking = extension.thinking;
    return {
      thinking,
      effort: extension.effort,
      maxTokens,
      thinkingOn: thinking !== undefined && thinking.type !== 'disabled',
    };
  }

  // Disabled thinking is omitted rather than sent as {type:"disabled"}, which models without thinking reject.
  if (!reasoning?.enabled || reasoning.effort === 'none') return { maxTokens, thinkingOn: false };
  // Claude refuses thinking together with a forced tool (tool_choice any/tool); the client's demand for a
  // tool call is a contract, thinking only a quality setting, so thinking gives way.
  const choice = request.toolChoice?.type;
  if ((choice === 'required' || choice === 'tool') && request.tools !== undefined && request.tools.length > 0) {
    return { maxTokens, thinkingOn: false };
  }
  if (toolLoopLacksThinking(messages)) return { maxTokens, thinkingOn: false };
  if (reasoning.adaptive) {
    return { thinking: { type: 'adaptive' }, effort: claudeEffort(reasoning.effort), maxTokens, thinkingOn: true };
  }
  let budget = Math.max(MIN_THINKING_BUDGET, resolveReasoningBudget(reasoning, effortToBudget('medium')));
  // Claude requires budget_tokens < max_tokens, and thinking counts toward max_tokens.
  if (budget >= maxTokens) {
    if (request.maxOutputTokens === undefined) {
      // No limit from the client: leave the default room for the answer after the thinking.
      maxTokens = budget + ANTHROPIC_DEFAULT_MAX_TOKENS;
    } else if (maxTokens - 1 >= MIN_THINKING_BUDGET) {
      // The client's limit is a total (OpenAI and Gemini count reasoning in it too): think within it.
      budget = maxTokens - 1;
    } else {
      // Below Claude's minimum budget thinking cannot run within the client's limit; answer without it.
      return { maxTokens, thinkingOn: false };
    }
  }
  return { thinking: { type: 'enabled', budget_tokens: budget }, maxTokens, thinkingOn: true };
}

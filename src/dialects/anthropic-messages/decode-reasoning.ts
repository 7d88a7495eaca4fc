import { invalidRequest } from '../../ir/gateway-error.ts';
import { type ReasoningConfig, isReasoningEffort } from '../../ir/reasoning.ts';
import type { AnthropicRequestExtension } from './extensions.ts';
import { optionalInteger, requireRecord } from './read-field.ts';

/**
 * `thinking` plus `output_config.effort` → ReasoningConfig. The raw values and a fingerprint of the
 * derived config are kept so that, when routing leaves reasoning untouched, an Anthropic upstream gets
 * exactly what the client sent (display, explicit "disabled", effort without thinking, future types).
 */
export function decodeAnthropicReasoning(
  thinking: unknown,
  effort: unknown,
  extension: AnthropicRequestExtension,
): ReasoningConfig | undefined {
  let reasoning: ReasoningConfig | undefined;
  if (thinking !== undefined && thinking !== null) {
    const config = requireRecord(thinking, 'thinking');
    const omitted = config.display === 'omitted';
    switch (config.type) {
      case 'enabled': {
        const budget = optionalInteger(config.budget_tokens, 'thinking.budget_tokens', 0);
        if (budget === undefined) throw invalidRequest('thinking.enabled.budget_tokens: Field required');
        reasoning = { enabled: true, budgetTokens: budget, includeThoughts: !omitted };
        break;
      }
      case 'adaptive':
        reasoning = { enabled: true, adaptive: true, includeThoughts: !omitted };
        break;
      case 'disabled':
        reasoning = { enabled: false };
        break;
      default:
        if (typeof config.type !== 'string') throw invalidRequest('thinking.type: Field required');
        // A thinking mode newer than this gateway: thinking is on, the details only Claude understands.
        reasoning = { enabled: true };
    }
    extension.thinking = config;
  }
  if (effort !== undefined && effort !== null) {
    if (!isReasoningEffort(effort)) {
      throw invalidRequest("output_config.effort: Input should be 'low', 'medium', 'high', 'xhigh' or 'max'");
    }
    reasoning = reasoning ? { ...reasoning, effort } : { enabled: true, effort };
    extension.effort = effort;
  }
  if (reasoning) extension.reasoningKey = JSON.stringify(reasoning);
  return reasoning;
}

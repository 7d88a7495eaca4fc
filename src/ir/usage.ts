/**
 * Token usage as the upstream reported it. Totals are inclusive: `inputTokens` counts cached and
 * cache-written tokens too, `outputTokens` counts reasoning tokens too. Never invented: a codec
 * that gets no figure leaves it 0, and `estimated` marks a local estimate.
 */
export interface Usage {
  inputTokens: number;
  cachedInputTokens: number;
  cacheWriteTokens: number;
  outputTokens: number;
  reasoningTokens: number;
  estimated?: boolean;
}

export function emptyUsage(): Usage {
  return { inputTokens: 0, cachedInputTokens: 0, cacheWriteTokens: 0, outputTokens: 0, reasoningTokens: 0 };
}

/** Later reports replace earlier ones field by field when they carry a non-zero figure (streams report in pieces). */
export function mergeUsage(into: Usage, next: Partial<Usage>): Usage {
  for (const key of ['inputTokens', 'cachedInputTokens', 'cacheWriteTokens', 'outputTokens', 'reasoningTokens'] as const) {
    const value = next[key];
    if (typeof value === 'number' && value > 0) into[key] = value;
  }
  if (next.estimated) into.estimated = true;
  return into;
}

export function totalTokens(usage: Usage): number {
  return usage.inputTokens + usage.outputTokens;
}

import { benchTargets, type BenchTarget, type RequestSpec, type StreamShape } from '../bench-targets.ts';

/**
 * One of the benchmark's own targets (same prompts, same models, same `[[mock:...]]` stream
 * directives), for the stress phases: `direct`, `passthrough`, `anthropic-to-openai`, or
 * `node-ceiling` when `urls` has the bare Node proxy.
 */
export function stressTarget(urls: { mock: string; gateway?: string; nodeCeiling?: string }, id: string, shape: StreamShape): BenchTarget {
  const target = benchTargets(urls, shape, [id])[0];
  if (!target) throw new Error(`no bench target ${id}`);
  return target;
}

/** The same request with room for a long answer: the targets ask for 256 tokens, and the mock cuts `[[mock:long N]]` there. */
export function withMaxTokens(request: RequestSpec, maxTokens: number): RequestSpec {
  const body = JSON.parse(request.body) as { max_tokens?: number };
  return { ...request, body: JSON.stringify({ ...body, max_tokens: maxTokens }) };
}

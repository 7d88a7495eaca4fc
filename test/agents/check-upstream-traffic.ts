import type { IncomingHttpHeaders } from 'node:http';
import type { MockRoute } from '../mock-upstream/provider.ts';
import { matchMockRoute } from '../mock-upstream/routes.ts';
import type { RecordedRequest } from '../mock-upstream/types.ts';
import type { ClientRequest } from './recording-proxy.ts';
import { type AgentUpstream, upstreamModelName } from './upstreams.ts';

/** A generation request read the way the mock reads it (any of the four wire formats). */
interface GenerationView {
  route: MockRoute;
  model: string;
  system: string;
}

export interface TrafficCheck {
  upstream: AgentUpstream;
  clientKey: string;
  /** What the agent sent the gateway. */
  client: readonly ClientRequest[];
  /** What the gateway sent the mock. */
  received: readonly RecordedRequest[];
}

/**
 * Everything wrong with what reached the upstream, as readable lines (empty when all is well):
 * its own wire format on its own path, the configured key and never the client's, the model
 * rewritten to the configured upstream name, and exactly the client's system prompt.
 */
export function upstreamTrafficProblems({ upstream, clientKey, client, received }: TrafficCheck): string[] {
  const problems: string[] = [];
  const clientViews = client.flatMap((request) => generationView(request) ?? []);
  const expectedModels = new Set(clientViews.map((view) => upstreamModelName(upstream, view.model)));
  const clientSystems = new Set(clientViews.map((view) => squash(view.system)));
  const seenModels = new Set<string>();

  received.forEach((request, index) => {
    const where = `upstream request #${index + 1} (${request.method} ${request.path})`;
    if (request.provider !== upstream.wireFormat) problems.push(`${where}: answered as ${request.provider ?? 'no known format'}, expected ${upstream.wireFormat}`);
    if (!upstream.path.test(request.path)) problems.push(`${where}: path does not match ${upstream.path}`);
    if (JSON.stringify([request.headers, request.query, request.body]).includes(clientKey)) problems.push(`${where}: carries the client key`);
    const view = generationView(request);
    if (!view) {
      problems.push(`${where}: not a generation request`);
      return;
    }
    const credential = view.route.provider.credential(request.headers, new URLSearchParams(request.query), view.route);
    if (credential !== upstream.key) problems.push(`${where}: credential ${JSON.stringify(credential)}, expected ${upstream.key}`);
    seenModels.add(view.model);
    if (!expectedModels.has(view.model)) problems.push(`${where}: model ${view.model}, expected one of ${[...expectedModels].join(', ')}`);
    if (!clientSystems.has(squash(view.system))) {
      problems.push(`${where}: system prompt is not one the client sent (injected or altered): ${JSON.stringify(clip(view.system))}`);
    }
  });

  if (received.length !== clientViews.length) {
    problems.push(`the agent made ${clientViews.length} generation requests, the upstream got ${received.length}`);
  }
  for (const model of expectedModels) if (!seenModels.has(model)) problems.push(`no upstream request used ${model}`);
  return problems;
}

function generationView(request: { method: string; path: string; query: Record<string, string>; headers: IncomingHttpHeaders; body: unknown }): GenerationView | undefined {
  const route = matchMockRoute(request.method, request.path, new URLSearchParams(request.query), request.headers);
  const body = request.body;
  if (route?.action !== 'generate' || body === null || typeof body !== 'object' || Array.isArray(body)) return undefined;
  const json = body as Record<string, unknown>;
  if (route.model === undefined && typeof json.model === 'string') route.model = json.model;
  const summary = route.provider.readRequest(json, route, 0).summarize();
  return { route, model: route.model ?? '', system: summary.system };
}

/** Dialects join system blocks with different separators; the words must not change. */
function squash(text: string): string {
  return text.replace(/\s+/g, '');
}

function clip(text: string): string {
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

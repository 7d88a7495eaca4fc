import type { MockProviderName } from '../mock-upstream/types.ts';

/**
 * The upstream dialects the agents are sent through: one gateway config per upstream, every
 * model name an agent uses mapped (as an alias) to an upstream-specific name, all pointing at
 * one mock upstream.
 */
export type AgentUpstreamId = 'openai-compatibility' | 'claude' | 'gemini' | 'codex' | 'vertex';

export interface AgentUpstream {
  id: AgentUpstreamId;
  /** The credential the gateway must send upstream (the mock accepts `test-*`). */
  key: string;
  /** The mock's wire format that must answer every upstream request. */
  wireFormat: MockProviderName;
  /** The path every generation request must take. */
  path: RegExp;
  /** The config section that points this provider at the mock. */
  section(mockUrl: string, models: Array<{ name: string; alias: string }>): Record<string, unknown>;
}

const GEMINI_METHOD = ':(?:generateContent|streamGenerateContent)$';

export const AGENT_UPSTREAMS: readonly AgentUpstream[] = [
  {
    id: 'openai-compatibility',
    key: 'test-upstream-openai',
    wireFormat: 'openai-chat',
    path: /^\/v1\/chat\/completions$/,
    section: (mockUrl, models) => ({
      'openai-compatibility': [{ name: 'mock-openai', 'base-url': `${mockUrl}/v1`, 'api-key-entries': [{ 'api-key': 'test-upstream-openai' }], models }],
    }),
  },
  {
    id: 'claude',
    key: 'test-upstream-claude',
    wireFormat: 'anthropic',
    path: /^\/v1\/messages$/,
    section: (mockUrl, models) => ({ 'claude-api-key': [{ 'api-key': 'test-upstream-claude', 'base-url': mockUrl, models }] }),
  },
  {
    id: 'gemini',
    key: 'test-upstream-gemini',
    wireFormat: 'gemini',
    path: new RegExp(`^/v1beta/models/[^/:]+${GEMINI_METHOD}`),
    section: (mockUrl, models) => ({ 'gemini-api-key': [{ 'api-key': 'test-upstream-gemini', 'base-url': mockUrl, models }] }),
  },
  {
    id: 'codex',
    key: 'test-upstream-codex',
    wireFormat: 'openai-responses',
    path: /^\/backend-api\/codex\/responses$/,
    section: (mockUrl, models) => ({ 'codex-api-key': [{ 'api-key': 'test-upstream-codex', 'base-url': `${mockUrl}/backend-api/codex`, models }] }),
  },
  {
    id: 'vertex',
    key: 'test-upstream-vertex',
    wireFormat: 'gemini',
    path: new RegExp(`^/v1/publishers/google/models/[^/:]+${GEMINI_METHOD}`),
    section: (mockUrl, models) => ({ 'vertex-api-key': [{ 'api-key': 'test-upstream-vertex', 'base-url': mockUrl, models }] }),
  },
];

/** The name the upstream knows a client model by: never the client's name, so a rewrite shows. */
export function upstreamModelName(upstream: AgentUpstream, clientModel: string): string {
  return `mock-${upstream.id}-${clientModel}`;
}

/** The gateway config (JSON is YAML) serving `clientModels` through `upstream` only. */
export function agentGatewayConfig(upstream: AgentUpstream, mockUrl: string, clientKey: string, clientModels: readonly string[]): string {
  const models = clientModels.map((alias) => ({ name: upstreamModelName(upstream, alias), alias }));
  return JSON.stringify({ host: '127.0.0.1', port: 0, 'api-keys': [clientKey], 'request-retry': 0, ...upstream.section(mockUrl, models) }, null, 2);
}

import { randomBytes } from 'node:crypto';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { type MockUpstream, startMockUpstream } from '../mock-upstream/index.ts';
import { AGENT_SHELL_TOOLS, type AgentName, type AgentRun, describeAgentRun, killRunningAgents, lastChars, runAgent } from '../support/agents.ts';
import { type GatewayProcess, startGatewayProcess } from '../support/start-gateway.ts';
import { upstreamTrafficProblems } from './check-upstream-traffic.ts';
import { type RecordingProxy, startRecordingProxy } from './recording-proxy.ts';
import { createResultMatrix } from './result-matrix.ts';
import { AGENT_UPSTREAMS, agentGatewayConfig } from './upstreams.ts';

/**
 * The real coding agents, headless, against the gateway: agent → recording proxy → gateway →
 * mock upstream, through every upstream dialect. Each run gets its own mock, gateway and HOME,
 * so what the mock recorded belongs to that run alone.
 */

// Two cores: two agents (each with its own gateway) at a time.
vi.setConfig({ maxConcurrency: 2 });

interface AgentProfile {
  agent: AgentName;
  model?: string;
  smallModel?: string;
  /** Every model name the agent calls, side calls included; the gateway serves exactly these. */
  models: string[];
}

const AGENT_PROFILES: readonly AgentProfile[] = [
  { agent: 'claude', model: 'claude-opus-5-5', smallModel: 'claude-haiku-4-5', models: ['claude-opus-5-5', 'claude-haiku-4-5'] },
  { agent: 'codex', model: 'gpt-5-codex', models: ['gpt-5-codex'] },
  // No pinned model: Gemini CLI's router asks its classifier (flash-lite), then calls the tier the
  // mock's answer picks (flash). Should the gateway mangle that JSON answer, the CLI falls back to
  // a pro model nobody serves, and the run fails.
  { agent: 'gemini', models: ['gemini-3.5-flash-lite', 'gemini-3.8-flash'] },
];

interface Scenario {
  id: string;
  prompt(agent: AgentName, nonce: string): string;
  /** Problems with the final answer (empty when right). */
  checkAnswer(answer: string, nonce: string): string[];
  /** What must have reached the upstream besides the prompt (the tool output, sent back). */
  upstreamMustContain?(nonce: string): string;
}

const SCENARIOS: readonly Scenario[] = [
  {
    id: 'plain turn',
    prompt: (_agent, nonce) => `Say something about switchyard-${nonce}`,
    checkAnswer: (answer, nonce) => {
      const expected = `echo: Say something about switchyard-${nonce}`;
      return answer.trim() === expected ? [] : [`answer should be ${JSON.stringify(expected)}`];
    },
  },
  {
    id: 'tool loop',
    // printf joins the two halves, so the token appears only if the command really ran.
    prompt: (agent, nonce) => `Run the check. [[mock:tool name=${AGENT_SHELL_TOOLS[agent]} cmd="printf 'switchyard-ok-%s' ${nonce}"]]`,
    checkAnswer: (answer, nonce) =>
      new RegExp(`tool result:[\\s\\S]*switchyard-ok-${nonce}`).test(answer) ? [] : [`answer should contain "tool result: …switchyard-ok-${nonce}"`],
    upstreamMustContain: (nonce) => `switchyard-ok-${nonce}`,
  },
];

const matrix = createResultMatrix();

// Tests run side by side, so no afterEach may kill "all agents": each run dies with its own test
// (its hard timeout, or the test's signal when vitest times the test out); this is the backstop.
afterAll(() => {
  killRunningAgents();
  console.log(`\nagents through the gateway (agent · scenario × upstream):\n${matrix.render()}\n`);
});

describe.concurrent('real agents through the gateway', () => {
  for (const upstream of AGENT_UPSTREAMS) {
    for (const profile of AGENT_PROFILES) {
      for (const scenario of SCENARIOS) {
        it(`${profile.agent} → ${upstream.id}: ${scenario.id}`, { timeout: 120_000 }, async ({ signal }) => {
          matrix.start(profile.agent, upstream.id, scenario.id);
          const clientKey = `sk-client-${randomBytes(8).toString('hex')}`;
          const nonce = randomBytes(4).toString('hex');
          let mock: MockUpstream | undefined;
          let gateway: GatewayProcess | undefined;
          let proxy: RecordingProxy | undefined;
          try {
            mock = await startMockUpstream();
            gateway = await startGatewayProcess(agentGatewayConfig(upstream, mock.url, clientKey, profile.models));
            // A gateway error or a retry stops the agent at once instead of after its backoff.
            const stop = new AbortController();
            proxy = await startRecordingProxy(gateway.url, () => stop.abort());
            const run: AgentRun = await runAgent(profile.agent, {
              url: proxy.url,
              apiKey: clientKey,
              prompt: scenario.prompt(profile.agent, nonce),
              model: profile.model,
              smallModel: profile.smallModel,
              timeoutMs: 90_000,
              signal: AbortSignal.any([signal, stop.signal]),
            });

            const problems = [...proxy.problems];
            problems.push(...(run.answer === undefined ? ['the agent gave no answer'] : scenario.checkAnswer(run.answer, nonce)));
            problems.push(...upstreamTrafficProblems({ upstream, clientKey, client: proxy.requests, received: mock.requests }));
            const mustContain = scenario.upstreamMustContain?.(nonce);
            if (mustContain && !mock.requests.some((request) => JSON.stringify(request.body).includes(mustContain))) {
              problems.push(`no upstream request carried the tool output ${mustContain}`);
            }
            const report = [...problems, '', describeAgentRun(run), '--- gateway ---', lastChars(gateway.output())].join('\n');
            expect(problems, report).toEqual([]);
            matrix.pass(profile.agent, upstream.id, scenario.id);
          } finally {
            await proxy?.close();
            await gateway?.stop();
            await mock?.close();
          }
        });
      }
    }
  }
});

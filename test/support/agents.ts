import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Runs the real coding agents (Claude Code, Codex CLI, Gemini CLI from node_modules) headless,
 * each in its own temporary HOME, with retries turned off so a failing backend fails the run at
 * once instead of after minutes of backoff.
 */
export type AgentName = 'claude' | 'codex' | 'gemini';

export const AGENT_NAMES: readonly AgentName[] = ['claude', 'codex', 'gemini'];

/** The shell tool each agent declares (the mock's `[[mock:tool name=…]]` target). */
export const AGENT_SHELL_TOOLS: Record<AgentName, string> = {
  claude: 'Bash',
  codex: 'exec_command',
  gemini: 'run_shell_command',
};

export interface AgentRunOptions {
  prompt: string;
  /** Host root the agent calls (Anthropic / Gemini base URL); Codex gets `url + codexPath`. */
  url: string;
  apiKey: string;
  /** Main model; each agent's own default when absent. */
  model?: string;
  /** Claude Code's small model (title, quota probes). */
  smallModel?: string;
  /** Codex only: where the Responses API lives under `url` (default `/v1`). */
  codexPath?: string;
  /** Hard limit: the agent's whole process group is killed after this (default 60 s). */
  timeoutMs?: number;
  /** Kills the agent early (a test's own signal, aborted when the test times out). */
  signal?: AbortSignal;
}

export interface AgentRun {
  agent: AgentName;
  exitCode: number | null;
  signal: NodeJS.Signals | null;
  timedOut: boolean;
  /** Killed through `signal` (the test saw enough to fail). */
  aborted: boolean;
  durationMs: number;
  stdout: string;
  stderr: string;
  /** The agent's final answer as its structured output reports it; undefined when it gave none. */
  answer?: string;
  /** The error the agent reported in its structured output, if any. */
  error?: string;
}

interface AgentLaunch {
  args: string[];
  env: Record<string, string>;
  /** Reads the final answer once the process has exited. */
  readResult(stdout: string): Promise<{ answer?: string; error?: string }>;
}

const bin = (name: AgentName) => fileURLToPath(new URL(`../../node_modules/.bin/${name}`, import.meta.url));
const running = new Set<ChildProcess>();

async function launchClaude(options: AgentRunOptions): Promise<AgentLaunch> {
  const model = options.model ? ['--model', options.model] : [];
  const small: Record<string, string> = options.smallModel
    ? { ANTHROPIC_SMALL_FAST_MODEL: options.smallModel, ANTHROPIC_DEFAULT_HAIKU_MODEL: options.smallModel }
    : {};
  return {
    args: ['-p', options.prompt, '--output-format', 'json', '--allowedTools', 'Bash', ...model],
    env: {
      ANTHROPIC_BASE_URL: options.url,
      ANTHROPIC_API_KEY: options.apiKey,
      CLAUDE_CODE_MAX_RETRIES: '0',
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: '1',
      DISABLE_TELEMETRY: '1',
      DISABLE_AUTOUPDATER: '1',
      ...small,
    },
    readResult: async (stdout) => {
      const result = lastJsonObject(stdout);
      if (!result) return {};
      const text = typeof result.result === 'string' ? result.result : undefined;
      return result.is_error === true ? { error: text ?? JSON.stringify(result) } : { answer: text };
    },
  };
}

async function launchCodex(options: AgentRunOptions, home: string): Promise<AgentLaunch> {
  const codexHome = join(home, '.codex');
  await mkdir(codexHome);
  const config = [
    `model = ${JSON.stringify(options.model ?? 'gpt-5-codex')}`,
    'model_provider = "switchyard"',
    '[model_providers.switchyard]',
    'name = "Switchyard"',
    `base_url = ${JSON.stringify(options.url + (options.codexPath ?? '/v1'))}`,
    'env_key = "SWITCHYARD_KEY"',
    'wire_api = "responses"',
    'request_max_retries = 0',
    'stream_max_retries = 0',
  ];
  await writeFile(join(codexHome, 'config.toml'), config.join('\n') + '\n');
  const lastMessage = join(home, 'last-message.txt');
  return {
    args: ['exec', '--skip-git-repo-check', '--dangerously-bypass-approvals-and-sandbox', '-o', lastMessage, options.prompt],
    env: { CODEX_HOME: codexHome, SWITCHYARD_KEY: options.apiKey },
    // Codex prints its errors (not JSON) on stderr; only a completed turn writes the file.
    readResult: async () => ({ answer: await readFile(lastMessage, 'utf8').catch(() => undefined) }),
  };
}

async function launchGemini(options: AgentRunOptions, home: string): Promise<AgentLaunch> {
  await mkdir(join(home, '.gemini'));
  const settings = {
    security: { auth: { selectedType: 'gemini-api-key' } },
    general: { maxAttempts: 1, retryFetchErrors: false },
  };
  await writeFile(join(home, '.gemini', 'settings.json'), JSON.stringify(settings));
  const model = options.model ? ['-m', options.model] : [];
  return {
    args: ['--yolo', '-o', 'json', ...model, '-p', options.prompt],
    env: {
      GEMINI_API_KEY: options.apiKey,
      GOOGLE_GEMINI_BASE_URL: options.url,
      GEMINI_CLI_NO_RELAUNCH: '1',
      GEMINI_CLI_TRUST_WORKSPACE: 'true',
    },
    readResult: async (stdout) => {
      const result = lastJsonObject(stdout);
      if (!result) return {};
      if (result.error !== undefined && result.error !== null) return { error: JSON.stringify(result.error) };
      return { answer: typeof result.response === 'string' ? result.response : undefined };
    },
  };
}

const LAUNCHERS: Record<AgentName, (options: AgentRunOptions, home: string) => Promise<AgentLaunch>> = {
  claude: launchClaude,
  codex: launchCodex,
  gemini: launchGemini,
};

/** Runs one headless agent turn to completion; never throws for a failed run (tests assert on it). */
export async function runAgent(agent: AgentName, options: AgentRunOptions): Promise<AgentRun> {
  const home = await mkdtemp(join(tmpdir(), `switchyard-${agent}-home-`));
  try {
    const launch = await LAUNCHERS[agent](options, home);
    const started = performance.now();
    // Its own process group, so a timeout also takes down the shells and helpers it spawned.
    const child = spawn(bin(agent), launch.args, {
      cwd: home,
      env: { PATH: process.env.PATH ?? '', HOME: home, ...launch.env },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    running.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      killGroup(child);
    }, options.timeoutMs ?? 60_000);
    let aborted = false;
    const abort = () => {
      aborted = true;
      killGroup(child);
    };
    if (options.signal?.aborted) abort();
    else options.signal?.addEventListener('abort', abort, { once: true });
    const [exitCode, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => {
      child.once('error', (err) => {
        stderr += `\nspawn failed: ${err.message}`;
        resolve([null, null]);
      });
      child.once('close', (code, sig) => resolve([code, sig]));
    });
    clearTimeout(timer);
    options.signal?.removeEventListener('abort', abort);
    running.delete(child);
    const durationMs = Math.round(performance.now() - started);
    const result = await launch.readResult(stdout);
    return { agent, exitCode, signal, timedOut, aborted, durationMs, stdout, stderr, ...result };
  } finally {
    await rm(home, { recursive: true, force: true });
  }
}

/** Kills every agent process group still running (a last resort for afterEach / afterAll). */
export function killRunningAgents(): void {
  for (const child of running) killGroup(child);
  running.clear();
}

/** Everything about a run a failing assertion should show. */
export function describeAgentRun(run: AgentRun): string {
  const status = run.timedOut ? 'timed out' : run.aborted ? 'stopped by the test' : `exit ${run.exitCode}${run.signal ? ` (${run.signal})` : ''}`;
  return [
    `${run.agent}: ${status} after ${run.durationMs} ms`,
    `answer: ${run.answer === undefined ? '(none)' : JSON.stringify(run.answer)}`,
    ...(run.error ? [`error: ${run.error}`] : []),
    `--- stdout ---\n${lastChars(run.stdout)}`,
    `--- stderr ---\n${lastChars(run.stderr)}`,
  ].join('\n');
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // Already gone.
  }
}

function lastJsonObject(stdout: string): Record<string, unknown> | undefined {
  // The JSON result is the last thing printed; anything before it is the agent's chatter.
  const start = stdout.lastIndexOf('\n{');
  const text = (start === -1 ? stdout : stdout.slice(start)).trim();
  try {
    const value: unknown = JSON.parse(text);
    return value !== null && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** The end of a long log, where the error usually is. */
export function lastChars(text: string, max = 4000): string {
  return text.length > max ? `…${text.slice(-max)}` : text;
}

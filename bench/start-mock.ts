import { fileURLToPath } from 'node:url';
import { startBenchProcess, type BenchProcess } from './bench-process.ts';

const MOCK_MAIN = fileURLToPath(new URL('../test/mock-upstream/main.ts', import.meta.url));

/** The upstream's credential: the mock accepts it and refuses anything else. */
export const MOCK_UPSTREAM_KEY = 'test-bench-upstream';

/**
 * The failover targets' primary credential. The mock accepts it too; their prompts carry
 * `[[mock:error 500 key=…]]`, so every request made with it, and only with it, gets a 500.
 */
export const MOCK_FAILING_KEY = 'test-bench-primary';

export interface BenchMock {
  url: string;
  process: BenchProcess;
}

export interface BenchMockOptions {
  cpu?: number;
  latencyMs: number;
  /** Tokens per stream chunk (the mock's default: 1); the long-stream phase sends many per chunk so the mock is not the bottleneck. */
  tokensPerChunk?: number;
  /** Pause between stream chunks when a prompt sets none (the mock's default: 0). */
  chunkDelayMs?: number;
}

/** Starts the in-repo mock upstream as its own process (no recording, zero latency unless asked). */
export async function startBenchMock(options: BenchMockOptions): Promise<BenchMock> {
  const streamShape = [
    ...(options.tokensPerChunk === undefined ? [] : ['--tokens-per-chunk', String(options.tokensPerChunk)]),
    ...(options.chunkDelayMs === undefined ? [] : ['--chunk-delay-ms', String(options.chunkDelayMs)]),
  ];
  const started = await startBenchProcess('mock upstream', process.execPath, {
    args: [MOCK_MAIN, '--port', '0', '--latency-ms', String(options.latencyMs), ...streamShape, '--keys', `${MOCK_UPSTREAM_KEY},${MOCK_FAILING_KEY}`],
    cpu: options.cpu,
    ready: /^(http:\/\/\S+)$/m,
  });
  return { url: started.match![1]!, process: started.process };
}

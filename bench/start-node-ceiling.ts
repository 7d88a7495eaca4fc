import { fileURLToPath } from 'node:url';
import { startBenchProcess, type BenchProcess } from './bench-process.ts';

const NODE_PROXY = fileURLToPath(new URL('./ceiling/node-proxy.js', import.meta.url));

/** Starts the bare node:http + undici proxy (the Node ceiling) in front of the mock. */
export async function startBenchNodeCeiling(upstreamUrl: string, cpu?: number): Promise<{ url: string; process: BenchProcess }> {
  const started = await startBenchProcess('node ceiling proxy', process.execPath, { args: [NODE_PROXY, upstreamUrl], cpu, ready: /^(http:\/\/\S+)$/m });
  return { url: started.match![1]!, process: started.process };
}

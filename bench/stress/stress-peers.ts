import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LOAD_CPU, PROXY_CPU } from '../cpu-pinning.ts';
import { startBenchGateway, type BenchGateway } from '../start-gateway.ts';
import { startBenchMock, type BenchMock, type BenchMockOptions } from '../start-mock.ts';
import { startBenchNodeCeiling } from '../start-node-ceiling.ts';

export interface StressPeers {
  mock: BenchMock;
  /** The proxy under test: Switchyard, or the bare Node proxy when asked for (`nodeCeiling`). */
  gateway: BenchGateway;
  /** The bare Node proxy beside the gateway (`nodeCeilingBeside`), on the same CPU. */
  nodeCeiling?: BenchGateway;
}

interface StressPeerOptions {
  mock: Omit<BenchMockOptions, 'cpu'>;
  switchyardBin?: string;
  nodeCeiling?: boolean;
  nodeCeilingBeside?: boolean;
}

/**
 * Starts a mock (load CPU) and the main gateway (proxy CPU) for one stress phase, runs it, and
 * stops both whatever happens, so every phase can run alone and leaves nothing behind. With
 * `nodeCeiling`, the bare node:http + undici proxy stands in for the gateway, as evidence of what
 * Node itself does under the same load; with `nodeCeilingBeside`, it runs beside the gateway, so a
 * phase can measure both in the same run.
 */
export function withStressPeers<T>(
  options: StressPeerOptions & { nodeCeilingBeside: true },
  run: (peers: StressPeers & { nodeCeiling: BenchGateway }) => Promise<T>,
): Promise<T>;
export function withStressPeers<T>(options: StressPeerOptions, run: (peers: StressPeers) => Promise<T>): Promise<T>;
export async function withStressPeers<T>(
  options: StressPeerOptions,
  run: ((peers: StressPeers) => Promise<T>) | ((peers: StressPeers & { nodeCeiling: BenchGateway }) => Promise<T>),
): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'switchyard-stress-'));
  let mock: BenchMock | undefined;
  let gateway: BenchGateway | undefined;
  let nodeCeiling: BenchGateway | undefined;
  try {
    mock = await startBenchMock({ ...options.mock, cpu: LOAD_CPU });
    gateway = options.nodeCeiling
      ? await startBenchNodeCeiling(mock.url, PROXY_CPU)
      : await startBenchGateway({ mockUrl: mock.url, dir: join(dir, 'gateway'), role: 'main', cpu: PROXY_CPU, bin: options.switchyardBin });
    if (options.nodeCeilingBeside) nodeCeiling = await startBenchNodeCeiling(mock.url, PROXY_CPU);
    // The first overload guarantees `nodeCeiling` to the callers that asked for it.
    return await (run as (peers: StressPeers) => Promise<T>)({ mock, gateway, nodeCeiling });
  } finally {
    await nodeCeiling?.process.stop();
    await gateway?.process.stop();
    await mock?.process.stop();
    await rm(dir, { recursive: true, force: true });
  }
}

import { setTimeout as sleep } from 'node:timers/promises';
import { type MockUpstream, type RecordedRequest, startMockUpstream } from '../../mock-upstream/index.ts';
import { type GatewayProcess, startGatewayProcess } from '../../support/start-gateway.ts';
import { conformanceConfig } from './upstreams.ts';

/** The client key every conformance gateway accepts. */
export const CONFORMANCE_KEY = 'sk-conformance-0123456789';

export interface ConformanceHarness {
  mock: MockUpstream;
  gateway: GatewayProcess;
  /** The gateway's base URL. */
  url: string;
  /** Upstream requests whose body carries `tag`, oldest first. */
  upstreamRequests(tag: string): RecordedRequest[];
  /** Resolves once `count` upstream requests carrying `tag` have arrived. */
  waitForUpstream(tag: string, count?: number, timeoutMs?: number): Promise<RecordedRequest[]>;
  close(): Promise<void>;
}

/** A mock upstream and the gateway CLI in front of it, configured with every upstream type. */
export async function startConformanceHarness(options: { extraConfig?: string } = {}): Promise<ConformanceHarness> {
  const mock = await startMockUpstream();
  let gateway: GatewayProcess;
  try {
    gateway = await startGatewayProcess(conformanceConfig(mock.url, CONFORMANCE_KEY, options.extraConfig));
  } catch (error) {
    await mock.close();
    throw error;
  }
  const serialized = new WeakMap<object, string>();
  const textOf = (request: RecordedRequest): string => {
    if (typeof request.body !== 'object' || request.body === null) return String(request.body ?? '');
    let text = serialized.get(request.body);
    if (text === undefined) serialized.set(request.body, (text = JSON.stringify(request.body)));
    return text;
  };
  const upstreamRequests = (tag: string) => mock.requests.filter((request) => textOf(request).includes(tag));
  return {
    mock,
    gateway,
    url: gateway.url,
    upstreamRequests,
    async waitForUpstream(tag, count = 1, timeoutMs = 5000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = upstreamRequests(tag);
        if (found.length >= count) return found;
        if (Date.now() > deadline) throw new Error(`expected ${count} upstream request(s) tagged ${tag}, saw ${found.length}`);
        await sleep(5);
      }
    },
    async close() {
      await gateway.stop();
      await mock.close();
    },
  };
}

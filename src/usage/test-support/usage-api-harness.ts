import { randomUUID } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { parseConfigText } from '../../config/load-config.ts';
import { openaiChatCodec } from '../../dialects/openai-chat/index.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { createLogger } from '../../observability/logger.ts';
import type { HttpContext } from '../../server/http-context.ts';
import { usageApiRoutes, type UsageApiRoute } from '../api/usage-api-routes.ts';
import type { UsageApiServices } from '../api/usage-services.ts';
import { BudgetTracker } from '../budgets.ts';
import { PricingTable } from '../pricing/pricing-table.ts';
import { InMemoryUsageStore } from './in-memory-usage-store.ts';

export interface HarnessResponse {
  status: number;
  headers: Headers;
  text: string;
  json: any;
}

export interface UsageApiHarness {
  url: string;
  runtime: GatewayRuntime & UsageApiServices;
  store: InMemoryUsageStore;
  configPath: string;
  configText(): Promise<string>;
  logs(): string;
  call(method: string, path: string, body?: unknown): Promise<HarnessResponse>;
  close(): Promise<void>;
}

/** Exact paths first, then one-`:param` patterns, as the lead's route table matches them. */
function matchUsageRoute(method: string, pathname: string): { route: UsageApiRoute; params: Record<string, string> } | undefined {
  const exact = usageApiRoutes.find((route) => route.method === method && route.path === pathname);
  if (exact) return { route: exact, params: {} };
  const segments = pathname.split('/');
  for (const route of usageApiRoutes) {
    if (route.method !== method || !route.path.includes('/:')) continue;
    const pattern = route.path.split('/');
    if (pattern.length !== segments.length) continue;
    const params: Record<string, string> = {};
    const matches = pattern.every((part, index) => {
      if (!part.startsWith(':')) return part === segments[index];
      if (!segments[index]) return false;
      params[part.slice(1)] = decodeURIComponent(segments[index]!);
      return true;
    });
    if (matches) return { route, params };
  }
  return undefined;
}

/**
 * The usage API served in process with no auth in front (the lead's route table adds it): a real
 * GatewayRuntime over a temp config file (so config writes happen), the in-memory store double,
 * and pricing and budgets from the config's `pricing:` and `budgets:` sections.
 */
export async function startUsageApiHarness(configYaml: string): Promise<UsageApiHarness> {
  const dir = await mkdtemp(join(tmpdir(), 'usage-api-'));
  const configPath = join(dir, 'config.yaml');
  await writeFile(configPath, configYaml);
  let logs = '';
  const destination = new Writable({
    write(chunk, _encoding, done) {
      logs += String(chunk);
      done();
    },
  });
  const config = parseConfigText(configYaml, configPath, {});
  const store = new InMemoryUsageStore();
  const pricing = new PricingTable(config.pricing);
  const budgets = new BudgetTracker();
  budgets.configure(config.budgets, config.apiKeys);
  const runtime = Object.assign(new GatewayRuntime(config, createLogger({ destination })), { usageStore: store, pricing, budgets });

  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://harness');
    const matched = matchUsageRoute(req.method ?? 'GET', url.pathname);
    if (!matched) {
      res.writeHead(404).end();
      return;
    }
    const context: HttpContext = {
      req,
      res,
      pathname: url.pathname,
      query: url.searchParams,
      params: matched.params,
      runtime,
      snapshot: runtime.snapshot,
      requestId: randomUUID(),
      receivedAt: performance.now(),
      receivedAtEpoch: Date.now(),
      clientKey: '',
      errorCodec: openaiChatCodec,
    };
    Promise.resolve(matched.route.handler(context)).catch((error: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end(`unhandled: ${error.stack ?? error.message}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url,
    runtime,
    store,
    configPath,
    configText: () => readFile(configPath, 'utf8'),
    logs: () => logs,
    async call(method, path, body) {
      const response = await fetch(`${url}${path}`, {
        method,
        headers: body === undefined ? {} : { 'content-type': 'application/json' },
        body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
      });
      const text = await response.text();
      let json: unknown;
      try {
        json = text ? JSON.parse(text) : undefined;
      } catch {
        json = undefined;
      }
      return { status: response.status, headers: response.headers, text, json };
    },
    async close() {
      await new Promise((resolve) => server.close(resolve));
      await runtime.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
}

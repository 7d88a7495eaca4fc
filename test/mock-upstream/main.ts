import { parseArgs } from 'node:util';
import { startMockUpstream } from './server.ts';

/**
 * `node test/mock-upstream/main.ts --port N`: runs the mock as its own process (the benchmark
 * does this) and prints its URL on stdout once it listens.
 */
const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    host: { type: 'string', default: '127.0.0.1' },
    'latency-ms': { type: 'string', default: '0' },
    'chunk-delay-ms': { type: 'string', default: '0' },
    'tokens-per-chunk': { type: 'string', default: '1' },
    'latency-jitter-ms': { type: 'string', default: '0' },
    'error-rate': { type: 'string', default: '0' },
    'rate-limit-rate': { type: 'string', default: '0' },
    keys: { type: 'string' },
  },
});

const mock = await startMockUpstream({
  port: Number(values.port),
  host: values.host,
  latencyMs: Number(values['latency-ms']),
  chunkDelayMs: Number(values['chunk-delay-ms']),
  tokensPerChunk: Number(values['tokens-per-chunk']),
  latencyJitterMs: Number(values['latency-jitter-ms']),
  errorRate: Number(values['error-rate']),
  rateLimitRate: Number(values['rate-limit-rate']),
  apiKeys: values.keys ? values.keys.split(',') : undefined,
  record: false,
});
process.stdout.write(`${mock.url}\n`);

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    mock.close().then(() => process.exit(0));
  });
}

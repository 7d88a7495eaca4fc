import { seededRandom } from '../src/routing/test-support/seeded-random.ts';
import type { UsageRecord } from '../src/usage/usage-record.ts';

interface ProviderShape {
  provider: string;
  dialect: string;
  credentials: string[];
  models: Array<{ name: string; inputPerM: number; outputPerM: number; reasoning: boolean }>;
}

/** A mixed deployment: four providers, twelve served models, seven credentials. */
const PROVIDERS: ProviderShape[] = [
  {
    provider: 'claude',
    dialect: 'anthropic-messages',
    credentials: ['claude-api-key[0]', 'claude-api-key[1]'],
    models: [
      { name: 'claude-sonnet-4-5', inputPerM: 3, outputPerM: 15, reasoning: true },
      { name: 'claude-opus-4-1', inputPerM: 15, outputPerM: 75, reasoning: true },
      { name: 'claude-haiku-4-5', inputPerM: 1, outputPerM: 5, reasoning: false },
    ],
  },
  {
    provider: 'openrouter',
    dialect: 'openai-chat',
    credentials: ['openai-compatibility[0][0]', 'openai-compatibility[0][1]'],
    models: [
      { name: 'openai/gpt-4.1', inputPerM: 2, outputPerM: 8, reasoning: false },
      { name: 'openai/gpt-4.1-mini', inputPerM: 0.4, outputPerM: 1.6, reasoning: false },
      { name: 'deepseek/deepseek-chat', inputPerM: 0.27, outputPerM: 1.1, reasoning: false },
      { name: 'moonshotai/kimi-k2', inputPerM: 0.6, outputPerM: 2.5, reasoning: false },
    ],
  },
  {
    provider: 'gemini',
    dialect: 'gemini',
    credentials: ['gemini-api-key[0]', 'gemini-api-key[1]'],
    models: [
      { name: 'gemini-2.5-pro', inputPerM: 1.25, outputPerM: 10, reasoning: true },
      { name: 'gemini-2.5-flash', inputPerM: 0.3, outputPerM: 2.5, reasoning: true },
      { name: 'gemini-2.5-flash-lite', inputPerM: 0.1, outputPerM: 0.4, reasoning: false },
    ],
  },
  {
    provider: 'codex',
    dialect: 'openai-responses',
    credentials: ['codex-api-key[0]'],
    models: [
      { name: 'gpt-5', inputPerM: 1.25, outputPerM: 10, reasoning: true },
      { name: 'gpt-5-codex', inputPerM: 1.25, outputPerM: 10, reasoning: true },
    ],
  },
];
const CLIENT_DIALECTS = [
  ['/v1/chat/completions', 'openai-chat'],
  ['/v1/messages', 'anthropic-messages'],
  ['/v1/responses', 'openai-responses'],
  ['/v1beta/models/{model}:streamGenerateContent', 'gemini'],
] as const;

/** A version 7 UUID, as the gateway's request ids are: time first (their order matters to index size and insert cost). */
function uuid(random: () => number, timestamp: number): string {
  const time = timestamp.toString(16).padStart(12, '0');
  const hex = Array.from({ length: 20 }, () => Math.floor(random() * 16).toString(16)).join('');
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${hex.slice(0, 3)}-a${hex.slice(3, 6)}-${hex.slice(8)}`;
}

export interface UsageRecordGeneratorOptions {
  count: number;
  /** The records span [end - days, end). */
  end: number;
  days: number;
  clientKeys: number;
  seed?: number;
}

/**
 * Attempt records as a busy shared gateway writes them: a few client keys doing most of the work,
 * 3% failed attempts (429s and 5xx, no tokens) each followed by a retry on another credential,
 * long inputs with cache reads, reasoning on thinking models.
 * Yields batches in time order, the way the recorder flushes them.
 */
export function* generateUsageRecords(options: UsageRecordGeneratorOptions, batchSize: number): Generator<UsageRecord[]> {
  // Deterministic: the same seed gives the same data set.
  const random = seededRandom(options.seed ?? 42);
  const start = options.end - options.days * 86_400_000;
  const step = (options.end - start) / options.count;
  const keyWeights = Array.from({ length: options.clientKeys }, (_, index) => 1 / (index + 1));
  const keyWeightTotal = keyWeights.reduce((sum, weight) => sum + weight, 0);
  const pickKey = () => {
    let roll = random() * keyWeightTotal;
    for (let index = 0; index < keyWeights.length; index++) {
      roll -= keyWeights[index]!;
      if (roll <= 0) return index;
    }
    return keyWeights.length - 1;
  };
  let batch: UsageRecord[] = [];
  let produced = 0;
  let requestNumber = 0;
  while (produced < options.count) {
    const base = start + produced * step;
    const timestamp = Math.floor(base + random() * step);
    const shape = PROVIDERS[Math.floor(random() * PROVIDERS.length)]!;
    const model = shape.models[Math.floor(random() * shape.models.length)]!;
    const [endpoint, clientDialect] = CLIENT_DIALECTS[Math.floor(random() * CLIENT_DIALECTS.length)]!;
    const key = pickKey();
    const requestId = uuid(random, timestamp);
    requestNumber++;
    const failedFirst = random() < 0.03;
    const attempts = failedFirst ? 2 : 1;
    for (let attempt = 1; attempt <= attempts && produced < options.count; attempt++) {
      const failed = attempt < attempts;
      const input = failed ? 0 : Math.floor(200 + random() ** 2 * 60_000);
      const cached = failed || random() < 0.5 ? 0 : Math.floor(input * random() * 0.9);
      const output = failed ? 0 : Math.floor(20 + random() ** 2 * 4_000);
      const reasoning = failed || !model.reasoning ? 0 : Math.floor(output * random() * 0.6);
      const latency = failed ? Math.floor(50 + random() * 400) : Math.floor(300 + random() * 20_000);
      batch.push({
        id: `${requestId}:${attempt}`,
        requestId,
        attempt,
        timestamp: timestamp + (attempt - 1) * 500,
        clientKeyId: `key${key.toString().padStart(2, '0')}-digest`,
        clientKeyLabel: `sk-${key.toString().padStart(2, '0')}…beef`,
        provider: shape.provider,
        credentialId: shape.credentials[(attempt + requestNumber) % shape.credentials.length]!,
        authIndex: `idx${shape.provider}${attempt}`,
        authType: 'api-key',
        modelRequested: model.name,
        modelServed: model.name,
        endpoint,
        clientDialect,
        upstreamDialect: shape.dialect,
        stream: random() < 0.7,
        status: failed ? (random() < 0.6 ? 429 : 503) : 200,
        failed,
        ...(failed ? { errorCode: 'upstream_error' } : {}),
        inputTokens: input,
        outputTokens: output,
        cachedInputTokens: cached,
        cacheWriteTokens: 0,
        reasoningTokens: reasoning,
        estimated: false,
        latencyMs: latency,
        ...(failed ? {} : { ttftMs: Math.floor(latency * 0.2) }),
        costUsd: ((input - cached) * model.inputPerM + cached * model.inputPerM * 0.1 + output * model.outputPerM) / 1e6,
        subscription: false,
      });
      produced++;
      if (batch.length === batchSize) {
        yield batch;
        batch = [];
      }
    }
  }
  if (batch.length > 0) yield batch;
}

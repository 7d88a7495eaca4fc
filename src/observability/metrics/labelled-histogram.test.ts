import { Histogram, Registry } from 'prom-client';
import { describe, expect, it } from 'vitest';
import { LabelledHistogram } from './labelled-histogram.ts';

const BUCKETS = [0.05, 0.1, 1, 10];
const openai = { provider: 'openai', model: 'gpt-x', client_dialect: 'openai-chat' };
const claude = { provider: 'claude', model: 'sonnet', client_dialect: 'anthropic-messages' };
const observations: Array<[typeof openai, number]> = [
  [openai, 0.02],
  [openai, 0.05],
  [claude, 0.5],
  [openai, 3],
  [claude, 42],
  [openai, 0.1],
];

/** The same observations through prom-client's own histogram and through ours, each in a registry of its own. */
function bothRegistries(): { theirs: Registry; ours: Registry; labelled: LabelledHistogram<typeof openai> } {
  const theirs = new Registry();
  const histogram = new Histogram({ name: 'latency_seconds', help: 'Latency.', labelNames: ['provider', 'model', 'client_dialect'], buckets: BUCKETS, registers: [theirs] });
  const ours = new Registry();
  const labelled = new LabelledHistogram<typeof openai>({ name: 'latency_seconds', help: 'Latency.', buckets: BUCKETS, registry: ours });
  for (const [labels, value] of observations) {
    histogram.observe(labels, value);
    labelled.observe(labels, value);
  }
  return { theirs, ours, labelled };
}

describe('LabelledHistogram', () => {
  it("exposes exactly what prom-client's histogram exposes for the same observations", async () => {
    const { theirs, ours } = bothRegistries();
    expect(await ours.metrics()).toBe(await theirs.metrics());
    expect(await ours.getMetricsAsJSON()).toEqual(await theirs.getMetricsAsJSON());
  });

  it('counts values on a bucket bound in that bucket and values past the last bound in +Inf only', async () => {
    const { ours } = bothRegistries();
    const text = await ours.metrics();
    expect(text).toContain('latency_seconds_bucket{le="0.05",provider="openai",model="gpt-x",client_dialect="openai-chat"} 2');
    expect(text).toContain('latency_seconds_bucket{le="10",provider="claude",model="sonnet",client_dialect="anthropic-messages"} 1');
    expect(text).toContain('latency_seconds_bucket{le="+Inf",provider="claude",model="sonnet",client_dialect="anthropic-messages"} 2');
    expect(text).toContain('latency_seconds_sum{provider="claude",model="sonnet",client_dialect="anthropic-messages"} 42.5');
  });

  it('starts over on a registry reset and refuses a value that is not a number', async () => {
    const { ours, labelled } = bothRegistries();
    ours.resetMetrics();
    expect(await ours.metrics()).toBe('# HELP latency_seconds Latency.\n# TYPE latency_seconds histogram\n');
    expect(() => labelled.observe(openai, Number.NaN)).toThrow(TypeError);
  });
});

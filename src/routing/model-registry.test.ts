import { describe, expect, it } from 'vitest';
import { parseConfigText } from '../config/load-config.ts';
import { CredentialRotation } from './credential-rotation.ts';
import { ModelRegistry } from './model-registry.ts';
import { parseThinkingSuffix } from './thinking-suffix.ts';

function registryFor(yaml: string) {
  const config = parseConfigText(yaml, 'c.yaml', {});
  return new ModelRegistry(config.credentials, { forceModelPrefix: config.forceModelPrefix });
}

describe('ModelRegistry', () => {
  it('serves aliases, prefixed names and built-in models', () => {
    const registry = registryFor(`
claude-api-key:
  - api-key: a
    prefix: team
    models: [{name: claude-sonnet-4-5-20250929, alias: sonnet}]
gemini-api-key:
  - api-key: g
`);
    expect(registry.resolve('sonnet')?.[0]?.upstreamModel).toBe('claude-sonnet-4-5-20250929');
    expect(registry.resolve('team/sonnet')?.[0]?.upstreamModel).toBe('claude-sonnet-4-5-20250929');
    expect(registry.resolve('claude-sonnet-4-5-20250929')).toBeUndefined();
    expect(registry.resolve('gemini-2.5-flash')?.[0]?.provider.dialect).toBe('gemini');
    expect(registry.resolve('nope')).toBeUndefined();
  });

  it('hides bare names behind the prefix with force-model-prefix', () => {
    const registry = registryFor('force-model-prefix: true\nclaude-api-key: [{api-key: a, prefix: p, models: [{name: m}]}]\n');
    expect(registry.resolve('m')).toBeUndefined();
    expect(registry.resolve('p/m')).toHaveLength(1);
  });

  it('drops excluded models (globs)', () => {
    const registry = registryFor('gemini-api-key: [{api-key: g, excluded-models: ["gemini-2.5-*"]}]\n');
    expect(registry.resolve('gemini-2.5-pro')).toBeUndefined();
    expect(registry.resolve('gemini-3-pro-preview')).toHaveLength(1);
  });

  it('pools credentials that share an alias, highest priority first', () => {
    const registry = registryFor(`
openai-compatibility:
  - name: low
    base-url: http://a/v1
    priority: 1
    api-key-entries: [{api-key: k1}]
    models: [{name: x, alias: shared}]
  - name: high
    base-url: http://b/v1
    priority: 5
    api-key-entries: [{api-key: k2}, {api-key: k3}]
    models: [{name: y, alias: shared}]
`);
    const targets = registry.resolve('shared')!;
    expect(targets.map((t) => t.credential.provider)).toEqual(['high', 'high', 'low']);
    const rotation = new CredentialRotation('round-robin');
    const first = rotation.order('shared', targets).map((t) => t.credential.apiKey);
    const second = rotation.order('shared', targets).map((t) => t.credential.apiKey);
    expect(first).toEqual(['k2', 'k3', 'k1']);
    expect(second).toEqual(['k3', 'k2', 'k1']);
    const fillFirst = new CredentialRotation('fill-first');
    expect(fillFirst.order('shared', targets).map((t) => t.credential.apiKey)).toEqual(['k2', 'k3', 'k1']);
    expect(fillFirst.order('shared', targets).map((t) => t.credential.apiKey)).toEqual(['k2', 'k3', 'k1']);
  });
});

describe('parseThinkingSuffix', () => {
  it('reads levels, budgets, none and auto', () => {
    expect(parseThinkingSuffix('claude-sonnet-4-5(high)')).toEqual({ model: 'claude-sonnet-4-5', reasoning: { enabled: true, effort: 'high' } });
    expect(parseThinkingSuffix('gemini-2.5-pro(8192)')).toEqual({ model: 'gemini-2.5-pro', reasoning: { enabled: true, budgetTokens: 8192 } });
    expect(parseThinkingSuffix('gpt-5(none)')).toEqual({ model: 'gpt-5', reasoning: { enabled: false, effort: 'none' } });
    expect(parseThinkingSuffix('gpt-5(auto)').reasoning).toEqual({ enabled: true, adaptive: true });
    expect(parseThinkingSuffix('plain-model')).toEqual({ model: 'plain-model' });
    expect(parseThinkingSuffix('weird(xyz)')).toEqual({ model: 'weird(xyz)' });
  });
});

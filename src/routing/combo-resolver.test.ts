import { describe, expect, it } from 'vitest';
import type { ComboConfig } from '../config/types.ts';
import type { StrategyContext, TargetHealth } from './strategies/combo-strategy.ts';
import type { StrategyContextFactory } from './combo-resolver.ts';
import { ComboResolver } from './combo-resolver.ts';

const served = new Set(['claude/sonnet', 'sonnet', 'gemini-pro', 'gpt-5', 'gpt-5-mini', 'flash', 'opus']);
const isServed = (model: string) => served.has(model);

function combo(name: string, targets: Array<string | { model: string; weight?: number }>, strategy: ComboConfig['strategy'] = 'priority'): ComboConfig {
  return { name, strategy, targets: targets.map((target) => (typeof target === 'string' ? { model: target } : target)) };
}

function resolver(combos: ComboConfig[], fallbackChains: Record<string, string[]> = {}) {
  return new ComboResolver({ combos, fallbackChains, isServed });
}

/** A factory that records each call and serves the given health and cursors. */
function contexts(health: Record<string, TargetHealth> = {}, cursors: Record<string, number> = {}) {
  const calls: Array<{ combo: string; models: readonly string[] }> = [];
  const factory: StrategyContextFactory = (comboName, models): StrategyContext => {
    calls.push({ combo: comboName, models });
    return {
      health: new Map(Object.entries(health)),
      cursor: cursors[comboName] ?? 0,
      random: () => {
        throw new Error('no randomness expected');
      },
    };
  };
  return { factory, calls };
}

describe('ComboResolver', () => {
  it('knows which names are combos', () => {
    const r = resolver([combo('smart', ['sonnet'])]);
    expect(r.isCombo('smart')).toBe(true);
    expect(r.isCombo('sonnet')).toBe(false);
  });

  it('orders a combo by its strategy, with the caller’s health and cursor', () => {
    const r = resolver([combo('rr', ['sonnet', 'gemini-pro', 'gpt-5'], 'round-robin')]);
    const { factory, calls } = contexts({ 'gemini-pro': { available: false } }, { rr: 1 });
    expect(r.resolve('rr', factory)).toEqual(['gpt-5', 'sonnet', 'gemini-pro']);
    expect(calls).toEqual([{ combo: 'rr', models: ['sonnet', 'gemini-pro', 'gpt-5'] }]);
  });

  it('expands nested combos in place and drops later duplicates', () => {
    const r = resolver([
      combo('top', ['sonnet', 'middle', 'gpt-5', 'flash']),
      combo('middle', ['gemini-pro', 'inner', 'sonnet']),
      combo('inner', ['gpt-5', 'opus']),
    ]);
    const { factory, calls } = contexts();
    expect(r.resolve('top', factory)).toEqual(['sonnet', 'gemini-pro', 'gpt-5', 'opus', 'flash']);
    expect(calls.map((call) => call.combo)).toEqual(['top', 'middle', 'inner']);
    // Nested combos are not concrete models: the factory is asked only about real targets.
    expect(calls[0]!.models).toEqual(['sonnet', 'gpt-5', 'flash']);
  });

  it('orders a combo that appears twice in the tree only once', () => {
    const r = resolver([combo('top', ['a-combo', 'b-combo']), combo('a-combo', ['shared']), combo('b-combo', ['shared', 'flash']), combo('shared', ['opus'])]);
    const { factory, calls } = contexts();
    expect(r.resolve('top', factory)).toEqual(['opus', 'flash']);
    expect(calls.filter((call) => call.combo === 'shared')).toHaveLength(1);
  });

  it('returns a plain model first, then its fallback chain', () => {
    const r = resolver([], { 'gpt-5': ['sonnet', 'gemini-pro'] });
    expect(r.resolve('gpt-5', contexts().factory)).toEqual(['gpt-5', 'sonnet', 'gemini-pro']);
    expect(r.resolve('opus', contexts().factory)).toEqual(['opus']);
  });

  it('returns a plain name first even when not served, leaving unknown names to the caller', () => {
    const r = resolver([], { 'gpt-6': ['gpt-5'] });
    expect(r.resolve('gpt-6', contexts().factory)).toEqual(['gpt-6', 'gpt-5']);
    expect(r.resolve('sonnet(high)', contexts().factory)).toEqual(['sonnet(high)']);
  });

  it('expands combos named in a chain, but does not chain the chain', () => {
    const r = resolver([combo('cheap', ['flash', 'gpt-5-mini'])], { 'gpt-5': ['cheap', 'sonnet'], sonnet: ['opus'], flash: ['gemini-pro'] });
    expect(r.resolve('gpt-5', contexts().factory)).toEqual(['gpt-5', 'flash', 'gpt-5-mini', 'sonnet']);
  });

  it('appends the chain of a combo name after the combo’s own targets', () => {
    const r = resolver([combo('smart', ['sonnet', 'gpt-5'])], { smart: ['gpt-5', 'flash'] });
    expect(r.resolve('smart', contexts().factory)).toEqual(['sonnet', 'gpt-5', 'flash']);
  });

  it('skips unknown targets at resolve time, before the strategy sees them, and reports them', () => {
    const r = resolver([combo('rr', ['sonnet', 'typo-model', 'gpt-5'], 'round-robin')], { opus: ['nope', 'flash'] });
    const { factory, calls } = contexts({}, { rr: 1 });
    expect(r.resolve('rr', factory)).toEqual(['gpt-5', 'sonnet']);
    expect(calls[0]!.models).toEqual(['sonnet', 'gpt-5']);
    expect(r.resolve('opus', factory)).toEqual(['opus', 'flash']);
    expect(r.validate()).toEqual([
      'combo rr: target typo-model is neither a served model nor a combo; skipped',
      'fallback chain of opus: nope is neither a served model nor a combo; skipped',
    ]);
  });

  it('reports a combo without usable targets and resolves it to nothing', () => {
    const r = resolver([combo('empty', ['ghost'])]);
    expect(r.validate()).toContain('combo empty has no usable target');
    expect(r.resolve('empty', contexts().factory)).toEqual([]);
  });

  it('reports a combo that shadows a served model', () => {
    const r = resolver([combo('opus', ['sonnet'])]);
    expect(r.validate()).toEqual(['combo opus has the name of a served model; the combo takes precedence']);
    expect(r.resolve('opus', contexts().factory)).toEqual(['sonnet']);
  });

  it('has nothing to report for a clean config', () => {
    expect(resolver([combo('smart', ['sonnet', 'other']), combo('other', ['flash'])], { 'gpt-5': ['smart'] }).validate()).toEqual([]);
  });

  it('accepts nesting exactly three combos deep', () => {
    const r = resolver([combo('a', ['b']), combo('b', ['c']), combo('c', ['opus'])]);
    expect(r.resolve('a', contexts().factory)).toEqual(['opus']);
  });

  it('rejects nesting deeper than three combos, naming the path', () => {
    expect(() => resolver([combo('a', ['b']), combo('b', ['c']), combo('c', ['d']), combo('d', ['opus'])])).toThrow(
      'combo a → b → c → d nests deeper than 3 levels',
    );
  });

  it.each([
    [[combo('a', ['a'])], 'combo a → a is a cycle'],
    [[combo('a', ['sonnet', 'b']), combo('b', ['a'])], 'combo a → b → a is a cycle'],
    [[combo('x', ['a']), combo('a', ['b']), combo('b', ['a'])], 'combo a → b → a is a cycle'],
  ])('rejects a cycle at construction (%#)', (combos, message) => {
    expect(() => resolver(combos)).toThrow(message);
  });

  it('rejects a combo defined twice', () => {
    expect(() => resolver([combo('smart', ['sonnet']), combo('smart', ['opus'])])).toThrow('combo smart is defined twice');
  });
});

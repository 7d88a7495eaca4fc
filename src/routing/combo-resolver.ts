import type { ComboConfig } from '../config/types.ts';
import type { ComboStrategy, ComboTarget, StrategyContext } from './strategies/combo-strategy.ts';
import { comboStrategies } from './strategies/index.ts';

/** How many combos may nest inside each other, counting the one the client asked for. */
export const MAX_COMBO_DEPTH = 3;

/**
 * Supplies the health snapshot, cursor and randomness for one combo's ordering. `models` are the
 * combo's concrete targets (nested combos left out: they have no health of their own and count
 * as available).
 */
export type StrategyContextFactory = (comboName: string, models: readonly string[]) => StrategyContext;

export interface ComboResolverOptions {
  combos: readonly ComboConfig[];
  fallbackChains: Readonly<Record<string, readonly string[]>>;
  /** Whether the model registry serves this name. */
  isServed: (model: string) => boolean;
}

interface CompiledCombo {
  name: string;
  strategy: ComboStrategy;
  /** Targets that are served or are combos; unknown ones are dropped here, once. */
  targets: ComboTarget[];
  /** The concrete models among `targets`, for the context factory. */
  models: string[];
}

/**
 * Turns the model name a client sent into the ordered list of concrete models to try: a combo's
 * targets ordered by its strategy (nested combos expanded in place), then the name's fallback
 * chain. Built once per config; structural errors (cycles, nesting deeper than MAX_COMBO_DEPTH,
 * a name defined twice) throw at construction so a bad config never goes live.
 */
export class ComboResolver {
  private readonly combos = new Map<string, CompiledCombo>();
  /** Chains without their unknown entries. */
  private readonly fallbackChains = new Map<string, string[]>();
  private readonly problems: string[] = [];

  constructor(options: ComboResolverOptions) {
    const { combos, fallbackChains, isServed } = options;
    const names = new Set<string>();
    for (const combo of combos) {
      if (names.has(combo.name)) throw new Error(`combo ${combo.name} is defined twice`);
      names.add(combo.name);
    }
    for (const combo of combos) {
      const targets: ComboTarget[] = [];
      const models: string[] = [];
      for (const target of combo.targets) {
        if (names.has(target.model)) targets.push(target);
        else if (isServed(target.model)) {
          targets.push(target);
          models.push(target.model);
        } else this.problems.push(`combo ${combo.name}: target ${target.model} is neither a served model nor a combo; skipped`);
      }
      if (targets.length === 0) this.problems.push(`combo ${combo.name} has no usable target`);
      if (isServed(combo.name)) this.problems.push(`combo ${combo.name} has the name of a served model; the combo takes precedence`);
      this.combos.set(combo.name, { name: combo.name, strategy: comboStrategies[combo.strategy], targets, models });
    }
    for (const combo of combos) this.checkNesting([combo.name]);
    for (const [model, chain] of Object.entries(fallbackChains)) {
      const usable: string[] = [];
      for (const next of chain) {
        if (names.has(next) || isServed(next)) usable.push(next);
        else this.problems.push(`fallback chain of ${model}: ${next} is neither a served model nor a combo; skipped`);
      }
      this.fallbackChains.set(model, usable);
    }
  }

  isCombo(name: string): boolean {
    return this.combos.has(name);
  }

  /** Config problems that do not stop the gateway (unknown targets, shadowed names), for the log. */
  validate(): readonly string[] {
    return this.problems;
  }

  /**
   * The concrete models to try for `name`, most preferred first, without duplicates (the first
   * occurrence wins). A plain model name always comes first, served or not, so the caller keeps
   * its own handling of unknown names and name suffixes; its chain follows. Chain entries are not
   * chained again (no fallback of a fallback), which keeps the list short and free of cycles; a
   * chain entry that is a combo is expanded.
   */
  resolve(name: string, contextFor: StrategyContextFactory): string[] {
    const models = new Set<string>();
    const expanded = new Set<string>();
    if (this.combos.has(name)) this.expand(name, contextFor, models, expanded);
    else models.add(name);
    for (const next of this.fallbackChains.get(name) ?? []) {
      if (this.combos.has(next)) this.expand(next, contextFor, models, expanded);
      else models.add(next);
    }
    return [...models];
  }

  /** A combo already expanded in this resolution adds nothing new, so it is not ordered again. */
  private expand(name: string, contextFor: StrategyContextFactory, models: Set<string>, expanded: Set<string>): void {
    if (expanded.has(name)) return;
    expanded.add(name);
    const combo = this.combos.get(name)!;
    if (combo.targets.length === 0) return;
    for (const target of combo.strategy(combo.targets, contextFor(name, combo.models))) {
      if (this.combos.has(target.model)) this.expand(target.model, contextFor, models, expanded);
      else models.add(target.model);
    }
  }

  private checkNesting(path: string[]): void {
    for (const target of this.combos.get(path.at(-1)!)!.targets) {
      if (!this.combos.has(target.model)) continue;
      const next = [...path, target.model];
      if (path.includes(target.model)) throw new Error(`combo ${next.slice(path.indexOf(target.model)).join(' → ')} is a cycle`);
      if (next.length > MAX_COMBO_DEPTH) throw new Error(`combo ${next.join(' → ')} nests deeper than ${MAX_COMBO_DEPTH} levels`);
      this.checkNesting(next);
    }
  }
}

import type { RouteTarget } from './model-registry.ts';

/**
 * Order in which to try a model's targets: the highest-priority group first, rotating the start
 * within each group per model (round-robin) or always from the first (fill-first); lower groups
 * follow as fallback.
 */
export class CredentialRotation {
  private readonly cursors = new Map<string, number>();
  private strategy: 'round-robin' | 'fill-first';

  constructor(strategy: 'round-robin' | 'fill-first') {
    this.strategy = strategy;
  }

  setStrategy(strategy: 'round-robin' | 'fill-first'): void {
    this.strategy = strategy;
  }

  order(model: string, targets: readonly RouteTarget[]): RouteTarget[] {
    if (targets.length <= 1 || this.strategy === 'fill-first') return targets.slice();
    const cursor = this.cursors.get(model) ?? 0;
    this.cursors.set(model, cursor + 1);
    const ordered: RouteTarget[] = [];
    let start = 0;
    while (start < targets.length) {
      const priority = targets[start]!.credential.priority;
      let end = start;
      while (end < targets.length && targets[end]!.credential.priority === priority) end++;
      const size = end - start;
      for (let i = 0; i < size; i++) ordered.push(targets[start + ((cursor + i) % size)]!);
      start = end;
    }
    return ordered;
  }
}

import type { RuntimeSnapshot } from '../../gateway/runtime.ts';
import { parseThinkingSuffix } from '../../routing/thinking-suffix.ts';

/** The label of every model name the running config does not know: client input never becomes a label value. */
export const OTHER_MODEL_LABEL = 'other';

/** Whether the config serves a model under this client-facing name (a model, alias, prefixed name or combo). */
export function isConfiguredModel(snapshot: RuntimeSnapshot, model: string): boolean {
  return snapshot.registry.resolve(model) !== undefined || snapshot.combos.isCombo(model);
}

/**
 * The `model` label of a requested model name: the configured name without its reasoning suffix
 * (`model(8192)` would otherwise mint a series per budget), or `other`.
 */
export function metricsModelLabel(model: string, isConfigured: (model: string) => boolean): string {
  if (isConfigured(model)) return model;
  // 41 is ')': only a name that can carry a suffix pays for the parse.
  if (model.charCodeAt(model.length - 1) !== 41) return OTHER_MODEL_LABEL;
  const base = parseThinkingSuffix(model).model;
  return base !== model && isConfigured(base) ? base : OTHER_MODEL_LABEL;
}

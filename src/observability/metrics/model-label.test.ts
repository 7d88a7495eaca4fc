import { describe, expect, it } from 'vitest';
import { metricsModelLabel } from './model-label.ts';

const configured = new Set(['gpt-4o', 'literal(high)', 'team/claude-x']);
const isConfigured = (model: string) => configured.has(model);

describe('metricsModelLabel', () => {
  it('keeps configured names and drops a reasoning suffix', () => {
    expect(metricsModelLabel('gpt-4o', isConfigured)).toBe('gpt-4o');
    expect(metricsModelLabel('team/claude-x', isConfigured)).toBe('team/claude-x');
    expect(metricsModelLabel('gpt-4o(high)', isConfigured)).toBe('gpt-4o');
    expect(metricsModelLabel('gpt-4o(8192)', isConfigured)).toBe('gpt-4o');
  });

  it('keeps a configured name that merely looks like it has a suffix', () => {
    expect(metricsModelLabel('literal(high)', isConfigured)).toBe('literal(high)');
  });

  it('labels everything else other', () => {
    for (const model of ['', 'gpt-4o-mini', 'GPT-4O', 'unknown(high)', 'gpt-4o(not-a-setting)', 'gpt-4o()', '(high)']) {
      expect(metricsModelLabel(model, isConfigured), model).toBe('other');
    }
  });
});

import { describe, expect, it } from 'vitest';
import { normalizeModelName, plainModelName, stripEffortSuffix } from './normalize-model-name.ts';

describe('normalizeModelName', () => {
  it.each([
    ['claude-sonnet-4-5-20250929', 'claude-sonnet-4-5'],
    ['Claude-Sonnet-4.5', 'claude-sonnet-4-5'],
    ['claude-opus-4-1@20250805', 'claude-opus-4-1'],
    ['anthropic/claude-3-5-haiku-latest', 'claude-3-5-haiku'],
    ['claude-sonnet-4-5-20250929-thinking', 'claude-sonnet-4-5'],
    ['claude-sonnet-4-5(high)', 'claude-sonnet-4-5'],
    ['gpt-4.1-2025-04-14', 'gpt-4-1'],
    ['openai/gpt-4o-mini-2024-07-18', 'gpt-4o-mini'],
    ['models/gemini-2.5-pro', 'gemini-2-5-pro'],
    ['publishers/google/models/gemini-3-flash-preview', 'gemini-3-flash'],
    ['gemini-2.5-flash-preview-09-2025', 'gemini-2-5-flash'],
    ['gemini-2.5-flash-lite-preview-06-17', 'gemini-2-5-flash-lite'],
    ['gemini-3-pro-preview(8192)', 'gemini-3-pro'],
    ['gemini-2.0-flash-001', 'gemini-2-0-flash'],
    ['  o3  ', 'o3'],
  ])('%s → %s', (name, normalized) => {
    expect(normalizeModelName(name)).toBe(normalized);
  });

  it('never strips a name down to nothing', () => {
    expect(normalizeModelName('latest')).toBe('latest');
    expect(normalizeModelName('20250929')).toBe('20250929');
  });

  it('keeps what tells models apart: sizes, versions and variants', () => {
    expect(normalizeModelName('gpt-5-mini')).toBe('gpt-5-mini');
    expect(normalizeModelName('o3-pro')).toBe('o3-pro');
    expect(normalizeModelName('gpt-5.1-codex-max')).toBe('gpt-5-1-codex-max');
  });
});

describe('plainModelName', () => {
  it('only drops case, prefixes and a thinking setting', () => {
    expect(plainModelName('Models/GPT-4o-2024-05-13(high)')).toBe('gpt-4o-2024-05-13');
  });
});

describe('stripEffortSuffix', () => {
  it('removes a reasoning effort baked into the name', () => {
    expect(stripEffortSuffix('gpt-5-codex-high')).toBe('gpt-5-codex');
    expect(stripEffortSuffix('gpt-5-1-codex-max-xhigh')).toBe('gpt-5-1-codex-max');
    expect(stripEffortSuffix('gpt-5-minimal')).toBe('gpt-5');
  });

  it('leaves names without one alone', () => {
    expect(stripEffortSuffix('gpt-5-mini')).toBeUndefined();
    expect(stripEffortSuffix('gpt-5')).toBeUndefined();
    expect(stripEffortSuffix('high')).toBeUndefined();
  });
});

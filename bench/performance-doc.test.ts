import { describe, expect, it } from 'vitest';
import { addRunToHistory, KEPT_RUNS } from './performance-doc.ts';

const doc = (runs: string[]) =>
  `# Performance\n\nHand-written method.\n\n<!-- bench-runs:start -->\n${runs.map((run) => `<!-- bench-run -->\n${run}\n`).join('\n')}<!-- bench-runs:end -->\n\nHand-written tail.\n`;

describe('addRunToHistory', () => {
  it('puts the new run on top and keeps the text around the history', () => {
    const next = addRunToHistory(doc(['### old']), '### new\n');
    expect(next.indexOf('### new')).toBeLessThan(next.indexOf('### old'));
    expect(next).toContain('Hand-written method.');
    expect(next).toContain('Hand-written tail.');
  });

  it(`keeps at most ${KEPT_RUNS} runs, dropping the oldest`, () => {
    let text = doc([]);
    for (let i = 1; i <= KEPT_RUNS + 2; i++) text = addRunToHistory(text, `### run ${i}`);
    expect(text.match(/### run \d+/g)).toEqual(['### run 7', '### run 6', '### run 5', '### run 4', '### run 3']);
  });

  it('adds the history section to a document that has none', () => {
    const next = addRunToHistory('# Performance\n\nIntro.\n', '### first');
    expect(next).toContain('Intro.');
    expect(addRunToHistory(next, '### second').match(/### \w+/g)).toEqual(['### second', '### first']);
  });
});

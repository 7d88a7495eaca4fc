import { readFile, writeFile } from 'node:fs/promises';

const START = '<!-- bench-runs:start -->';
const END = '<!-- bench-runs:end -->';
const SEPARATOR = '<!-- bench-run -->';
export const KEPT_RUNS = 5;

const SKELETON = `# Performance\n\n## Runs\n\n${START}\n${END}\n`;

/**
 * Puts a run on top of the history kept between the markers of docs/performance.md, dropping
 * the oldest beyond ${KEPT_RUNS}. Text outside the markers is left as written.
 */
export function addRunToHistory(document: string, report: string): string {
  const text = document.includes(START) && document.includes(END) ? document : `${document.trimEnd()}\n\n${SKELETON}`;
  const start = text.indexOf(START) + START.length;
  const end = text.indexOf(END);
  const previous = text
    .slice(start, end)
    .split(SEPARATOR)
    .map((run) => run.trim())
    .filter((run) => run.length > 0);
  const runs = [report.trim(), ...previous].slice(0, KEPT_RUNS);
  return `${text.slice(0, start)}\n${runs.map((run) => `${SEPARATOR}\n${run}\n`).join('\n')}${text.slice(end)}`;
}

export async function recordRun(path: string, report: string): Promise<void> {
  const current = await readFile(path, 'utf8').catch(() => SKELETON);
  await writeFile(path, addRunToHistory(current, report));
}

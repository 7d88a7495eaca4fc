/** The report's Markdown pieces, shared by the main report and the stress report. */

/** A table whose first column is left-aligned and the others (figures) right-aligned. */
export function markdownTable(header: string[], rows: string[][]): string {
  return [`| ${header.join(' | ')} |`, `|${header.map((_, i) => (i === 0 ? '---' : '---:')).join('|')}|`, ...rows.map((row) => `| ${row.join(' | ')} |`)].join('\n');
}

/** `+1.23` / `−1.23`, with a real minus sign. */
export const signed = (value: number, digits = 2): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(digits)}`;

export const percent = (share: number): string => `${Math.round(share * 100)}%`;

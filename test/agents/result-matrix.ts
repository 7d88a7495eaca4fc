/**
 * Collects pass/fail per agent × upstream × scenario and renders it as a small text table
 * (rows: agent and scenario; columns: upstreams), so a run shows at a glance which path broke.
 */
export interface ResultMatrix {
  /** Marks a cell as started; it stays FAIL unless `pass` follows. */
  start(agent: string, upstream: string, scenario: string): void;
  pass(agent: string, upstream: string, scenario: string): void;
  render(): string;
}

export function createResultMatrix(): ResultMatrix {
  const cells = new Map<string, 'pass' | 'FAIL'>();
  const rows: string[] = [];
  const columns: string[] = [];
  const key = (row: string, column: string) => `${row}\u0000${column}`;
  const remember = (list: string[], value: string) => {
    if (!list.includes(value)) list.push(value);
  };
  return {
    start(agent, upstream, scenario) {
      const row = `${agent} · ${scenario}`;
      remember(rows, row);
      remember(columns, upstream);
      cells.set(key(row, upstream), 'FAIL');
    },
    pass(agent, upstream, scenario) {
      cells.set(key(`${agent} · ${scenario}`, upstream), 'pass');
    },
    render() {
      const header = ['', ...columns];
      const body = rows.map((row) => [row, ...columns.map((column) => cells.get(key(row, column)) ?? '-')]);
      const widths = header.map((_, i) => Math.max(...[header, ...body].map((line) => line[i]!.length)));
      return [header, ...body].map((line) => line.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd()).join('\n');
    },
  };
}

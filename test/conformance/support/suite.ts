import { afterAll, beforeAll, describe, it } from 'vitest';
import type { ClientAdapter, ClientConnection } from './client.ts';
import { uniqueTag } from './fixtures.ts';
import { CONFORMANCE_KEY, type ConformanceHarness, startConformanceHarness } from './harness.ts';
import { findKnownGap } from './known-gaps.ts';
import { type MatrixCell, publishMatrix } from './matrix.ts';
import { SCENARIOS, type Scenario } from './scenarios.ts';
import { UPSTREAMS } from './upstreams.ts';

const MODES = [
  { mode: 'non-stream', stream: false },
  { mode: 'stream', stream: true },
] as const;

/**
 * The conformance matrix for one client dialect: every upstream × {non-stream, stream} × every
 * scenario, against one gateway process and one mock, started once for the file.
 */
export function defineConformanceSuite(client: ClientAdapter): void {
  let harness: ConformanceHarness;
  let connection: ClientConnection;
  const cells: MatrixCell[] = [];

  beforeAll(async () => {
    harness = await startConformanceHarness();
    connection = client.connect(harness.url, CONFORMANCE_KEY);
  });
  afterAll(async () => {
    await publishMatrix(client.dialect, cells);
    await harness?.close();
  });

  describe.each(UPSTREAMS)(`${client.dialect} → $id`, (upstream) => {
    describe.each(MODES)('$mode', ({ mode, stream }) => {
      const applicable: Scenario[] = [];
      const unsupported: Array<{ id: string; reason: string }> = [];
      for (const scenario of SCENARIOS) {
        const reason = client.unsupported?.[scenario.id];
        if (reason === undefined) applicable.push(scenario);
        else {
          unsupported.push({ id: scenario.id, reason });
          cells.push({ client: client.dialect, upstream: upstream.id, mode, scenario: scenario.id, status: 'n/a', notes: [reason] });
        }
      }

      it.for(applicable)('$id: $title', async (scenario, context) => {
        const notes: string[] = [];
        const gaps: string[] = [];
        const cell: MatrixCell = { client: client.dialect, upstream: upstream.id, mode, scenario: scenario.id, status: 'fail', notes };
        cells.push(cell);
        const check = (name: string, assertion: () => void) => {
          const gap = findKnownGap(client.dialect, upstream.id, scenario.id, name);
          try {
            assertion();
          } catch (error) {
            if (!gap) throw error;
            gaps.push(`known gap (${name}): ${gap.reason}`);
            return;
          }
          if (gap) throw new Error(`known gap "${name}" no longer reproduces for ${client.dialect} → ${upstream.id}: remove it from KNOWN_GAPS`);
        };
        await scenario.run({ harness, client, connection, upstream, stream, tag: uniqueTag(), note: (text) => notes.push(text), check });
        if (gaps.length === 0) {
          cell.status = 'pass';
          return;
        }
        cell.status = 'gap';
        notes.push(...gaps);
        context.skip(gaps.join('; '));
      });

      it.skip.each(unsupported)('$id: n/a ($reason)', () => {});
    });
  });
}

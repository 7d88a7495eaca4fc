import { getHeapSpaceStatistics } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { releaseMemory } from './release-memory.ts';

const MB = 1024 * 1024;

function youngGenerationBytes(): number {
  return getHeapSpaceStatistics().find((space) => space.space_name === 'new_space')!.space_size;
}

describe('releaseMemory', () => {
  it('shrinks a young generation that a burst of surviving objects grew', () => {
    // Objects that survive scavenges make V8 grow the young generation, as loading modules does.
    const kept: unknown[] = [];
    for (let i = 0; i < 400_000; i++) kept.push({ i, text: `item ${i}` });
    const grown = youngGenerationBytes();
    expect(grown).toBeGreaterThan(4 * MB);
    kept.length = 0;

    releaseMemory();
    expect(youngGenerationBytes()).toBeLessThan(grown / 2);
  });

  it('skips the collection when the heap has not grown since the last one', () => {
    releaseMemory();
    expect(releaseMemory()).toBe(false);
    const kept: unknown[] = [];
    for (let i = 0; i < 400_000; i++) kept.push({ i, text: `item ${i}` });
    expect(releaseMemory()).toBe(true);
    expect(kept.length).toBe(400_000);
  });

  it('leaves no `gc` global behind', () => {
    releaseMemory();
    expect('gc' in globalThis).toBe(false);
  });
});

import { measureQuietly, QuietBudget } from '../foreign-cpu.ts';

/**
 * Runs a stress measurement once, without waiting for quiet or repeating it (the phases are long,
 * the run's time is bounded), and tells the share of the machine (0..1) other processes used meanwhile.
 */
export async function measureWithOtherLoad<T>(measure: () => Promise<T>): Promise<{ result: T; otherLoad: number }> {
  const measured = await measureQuietly(measure, { threshold: 1, attempts: 1, waitMs: 0 }, new QuietBudget(0));
  return { result: measured.result, otherLoad: measured.otherLoad };
}

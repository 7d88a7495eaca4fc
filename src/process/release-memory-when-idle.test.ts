import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { releaseMemoryWhenIdle } from './release-memory-when-idle.ts';

describe('releaseMemoryWhenIdle', () => {
  beforeEach(() => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  function watch(quietMs = 1_000) {
    const state = { lastRequestAt: performance.now(), busy: false, quietMs };
    const release = vi.fn();
    const handle = releaseMemoryWhenIdle({ lastRequestAt: () => state.lastRequestAt, busy: () => state.busy }, () => state.quietMs, release);
    const request = () => {
      state.lastRequestAt = performance.now();
    };
    return { state, release, handle, request };
  }

  it('releases once the process has been quiet for the whole period, and only then', () => {
    const { release } = watch();
    vi.advanceTimersByTime(999);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('counts the quiet period from the last request', () => {
    const { release, request } = watch();
    vi.advanceTimersByTime(600);
    request();
    vi.advanceTimersByTime(400);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(599);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('does not release again until requests have come and gone quiet again', () => {
    const { release, request } = watch();
    vi.advanceTimersByTime(10_000);
    expect(release).toHaveBeenCalledTimes(1);
    request();
    vi.advanceTimersByTime(500);
    expect(release).toHaveBeenCalledTimes(1);
    vi.advanceTimersByTime(2_000);
    expect(release).toHaveBeenCalledTimes(2);
  });

  it('waits while the process is busy (a stream in flight), however quiet', () => {
    const { release, state } = watch();
    state.busy = true;
    vi.advanceTimersByTime(5_000);
    expect(release).not.toHaveBeenCalled();
    state.busy = false;
    vi.advanceTimersByTime(1_000);
    expect(release).toHaveBeenCalledTimes(1);
  });

  it('takes a changed period (a reloaded config) from the next check on, and never releases with 0', () => {
    const { release, state, request } = watch();
    state.quietMs = 3_000;
    vi.advanceTimersByTime(2_999);
    expect(release).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(release).toHaveBeenCalledTimes(1);
    request();
    state.quietMs = 0;
    vi.advanceTimersByTime(600_000);
    expect(release).toHaveBeenCalledTimes(1);
    // Turned on again, it applies within a minute of the change.
    state.quietMs = 1_000;
    vi.advanceTimersByTime(60_000);
    expect(release).toHaveBeenCalledTimes(2);
  });

  it('starts off when its period is 0', () => {
    const { release } = watch(0);
    vi.advanceTimersByTime(600_000);
    expect(release).not.toHaveBeenCalled();
  });

  it('never releases once stopped', () => {
    const { release, handle } = watch();
    handle.stop();
    vi.advanceTimersByTime(10_000);
    expect(release).not.toHaveBeenCalled();
  });
});

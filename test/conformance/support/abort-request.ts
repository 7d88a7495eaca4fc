/**
 * The abort scenario's two moves, shared by every client adapter: drop a stream at its first
 * content, or drop a plain request while the upstream is still answering. Both return the
 * `performance.now()` of the abort, from which the upstream's close is timed.
 */
export async function abortAtFirstContent<T>(controller: AbortController, stream: AsyncIterable<T>, isContent: (item: T) => boolean): Promise<number> {
  try {
    for await (const item of stream) {
      if (isContent(item)) {
        const at = performance.now();
        controller.abort();
        return at;
      }
    }
  } catch (error) {
    if (!controller.signal.aborted) throw error;
  }
  throw new Error('the stream ended before any content arrived');
}

/** `pending` is the request's promise (reading its whole answer); `ready` resolves once the upstream has it. */
export async function abortWhilePending(controller: AbortController, pending: Promise<unknown>, ready: () => Promise<void>): Promise<number> {
  const settled = pending.then(
    () => 'answered',
    () => 'aborted',
  );
  await ready();
  const at = performance.now();
  controller.abort();
  if ((await settled) !== 'aborted') throw new Error('the request was answered before it could be aborted');
  return at;
}

import type { ServerResponse } from 'node:http';
import type { MockHttpAnswer, MockStreamAnswer, MockStreamFault } from './types.ts';

/** A complete answer; `cut` sends half the body and then resets the connection. */
export function sendMockHttpAnswer(res: ServerResponse, answer: MockHttpAnswer, cut = false): void {
  res.writeHead(answer.status, { ...answer.headers, 'content-length': String(Buffer.byteLength(answer.body)) });
  if (!cut) {
    res.end(answer.body);
    return;
  }
  res.write(answer.body.slice(0, Math.floor(answer.body.length / 2)), () => res.destroy());
}

/**
 * Writes stream frames, paced by `delayMs`, and misbehaves as `fault` says: a reset connection
 * or the provider's in-stream error after some frames.
 */
export function sendMockStream(res: ServerResponse, stream: MockStreamAnswer, delayMs: number, fault: MockStreamFault = {}): void {
  const { frames } = stream;
  const stopAt = Math.min(frames.length, fault.cutAfter ?? fault.errorAfter ?? frames.length);
  const finish = (): void => {
    if (fault.cutAfter !== undefined) {
      res.write('', () => res.destroy());
    } else if (fault.error && fault.errorAfter !== undefined) {
      res.end(stream.errorFrame(fault.error, stopAt));
    } else {
      res.end();
    }
  };
  res.writeHead(200, stream.headers);
  if (delayMs <= 0) {
    if (stopAt > 0) res.write(stopAt === frames.length ? frames.join('') : frames.slice(0, stopAt).join(''));
    finish();
    return;
  }
  let next = 0;
  let timer: NodeJS.Timeout | undefined;
  res.on('close', () => clearTimeout(timer));
  const tick = (): void => {
    if (next >= stopAt) {
      finish();
      return;
    }
    res.write(frames[next++]);
    timer = setTimeout(tick, delayMs);
  };
  tick();
}

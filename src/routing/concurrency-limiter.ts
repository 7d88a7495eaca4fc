import { GatewayError } from '../ir/gateway-error.ts';

interface Waiter {
  resolve: (release: () => void) => void;
  reject: (error: Error) => void;
  timer: NodeJS.Timeout;
}

interface Slot {
  active: number;
  waiters: Waiter[];
}

/** Requests that may wait for a busy credential, per credential; beyond this the next credential is tried. */
export const MAX_QUEUED_PER_CREDENTIAL = 64;
/** Longest wait for a busy credential before trying the next one. */
export const MAX_QUEUE_WAIT_MS = 30_000;

/**
 * Per-credential concurrency limit (`max-concurrent`) with a bounded FIFO wait queue. A full
 * queue or a wait that times out rejects at once with a retryable error, so the failover loop
 * moves on instead of piling up.
 */
export class ConcurrencyLimiter {
  private readonly slots = new Map<string, Slot>();

  /** A release function when the credential has a free slot now, else undefined (never waits). */
  tryAcquire(credentialId: string, limit: number | undefined): (() => void) | undefined {
    if (limit === undefined) return noop;
    let slot = this.slots.get(credentialId);
    if (!slot) this.slots.set(credentialId, (slot = { active: 0, waiters: [] }));
    if (slot.active >= limit) return undefined;
    slot.active++;
    return this.releaser(credentialId, slot);
  }

  /** Resolves with a release function once the credential has a free slot. */
  acquire(credentialId: string, limit: number | undefined, signal?: AbortSignal): Promise<() => void> | (() => void) {
    if (limit === undefined) return noop;
    let slot = this.slots.get(credentialId);
    if (!slot) this.slots.set(credentialId, (slot = { active: 0, waiters: [] }));
    if (slot.active < limit) {
      slot.active++;
      return this.releaser(credentialId, slot);
    }
    if (slot.waiters.length >= MAX_QUEUED_PER_CREDENTIAL) return Promise.reject(busy(credentialId, 'its wait queue is full'));
    const current = slot;
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        resolve,
        reject,
        timer: setTimeout(() => {
          current.waiters.splice(current.waiters.indexOf(waiter), 1);
          reject(busy(credentialId, `no slot freed within ${MAX_QUEUE_WAIT_MS / 1000}s`));
        }, MAX_QUEUE_WAIT_MS),
      };
      current.waiters.push(waiter);
      signal?.addEventListener(
        'abort',
        () => {
          const index = current.waiters.indexOf(waiter);
          if (index === -1) return;
          current.waiters.splice(index, 1);
          clearTimeout(waiter.timer);
          reject(new GatewayError({ status: 499, code: 'client_closed', message: 'client closed the request', retryable: false }));
        },
        { once: true },
      );
    });
  }

  /** Active and queued requests per credential, for monitoring. */
  snapshot(): Array<{ credentialId: string; active: number; queued: number }> {
    return [...this.slots].map(([credentialId, slot]) => ({ credentialId, active: slot.active, queued: slot.waiters.length }));
  }

  private releaser(credentialId: string, slot: Slot): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = slot.waiters.shift();
      if (next) {
        clearTimeout(next.timer);
        next.resolve(this.releaser(credentialId, slot));
        return;
      }
      slot.active--;
      if (slot.active === 0) this.slots.delete(credentialId);
    };
  }
}

function noop(): void {}

function busy(credentialId: string, why: string): GatewayError {
  return new GatewayError({ status: 503, code: 'overloaded', message: `credential ${credentialId} is at its max-concurrent limit and ${why}`, retryable: true });
}

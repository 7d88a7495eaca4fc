import { readFileSync } from 'node:fs';

/**
 * The machine's count of connections dropped because a listen queue was full (TcpExt
 * ListenOverflows). Node listens with a backlog of 511: a burst of 1,000 connects can overflow it
 * while the event loop is busy, and each dropped SYN is retried by the client's kernel a second
 * later, which shows as a one-second first byte, not as a failure.
 */
export function listenOverflows(): number {
  const lines = readFileSync('/proc/net/netstat', 'utf8').split('\n');
  for (let i = 0; i + 1 < lines.length; i += 2) {
    const names = lines[i]!.split(' ');
    if (names[0] !== 'TcpExt:') continue;
    const index = names.indexOf('ListenOverflows');
    return index === -1 ? Number.NaN : Number(lines[i + 1]!.split(' ')[index]);
  }
  return Number.NaN;
}

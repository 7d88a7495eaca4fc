/**
 * A duration the way Go's `time.Duration.String()` prints it after rounding to the second
 * (`29m59s`, `1h0m0s`, `45s`), which is what CLIProxyAPI's messages and clients show.
 */
export function formatGoDuration(ms: number): string {
  const total = Math.max(0, Math.round(ms / 1000));
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const seconds = total % 60;
  if (hours > 0) return `${hours}h${minutes}m${seconds}s`;
  if (minutes > 0) return `${minutes}m${seconds}s`;
  return `${seconds}s`;
}

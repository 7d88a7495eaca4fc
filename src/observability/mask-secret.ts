/** `sk-ant-abc…wxyz` → `sk-a…wxyz`: enough to tell keys apart, never enough to use one. */
export function maskSecret(secret: string): string {
  if (secret.length <= 8) return '*'.repeat(secret.length);
  return `${secret.slice(0, 4)}…${secret.slice(-4)}`;
}

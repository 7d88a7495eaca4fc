import { describe, expect, it } from 'vitest';
import { parseWrkOutput } from './run-wrk.ts';

const OUTPUT = `Running 8s test @ http://127.0.0.1:41817/v1/chat/completions
  1 threads and 50 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.31ms    1.10ms  40.21ms   93.05%
    Req/Sec    21.94k     1.02k   23.50k    80.00%
  Latency Distribution
     50%    2.15ms
     75%    2.48ms
     90%    2.97ms
     99%  850.00us
  174650 requests in 8.00s, 160.12MB read
  Socket errors: connect 0, read 2, write 0, timeout 1
  Non-2xx or 3xx responses: 650
Requests/sec:  21831.25
Transfer/sec:     20.01MB
`;

describe('parseWrkOutput', () => {
  it('reads rate, percentiles in any unit, and counts failures apart', () => {
    const result = parseWrkOutput(OUTPUT);
    expect(result.requests).toBe(174_000);
    expect(result.errors).toBe(653);
    expect(result.seconds).toBe(8);
    expect(result.p50).toBeCloseTo(2150);
    expect(result.p99).toBeCloseTo(850);
    expect(result.rps).toBeCloseTo((21831.25 * 174_000) / 174_650);
    expect(result.firstError).toContain('650 non-2xx');
  });

  it('refuses output it does not understand', () => {
    expect(() => parseWrkOutput('unable to connect to 127.0.0.1:1 Connection refused')).toThrow(/unexpected wrk output/);
  });
});

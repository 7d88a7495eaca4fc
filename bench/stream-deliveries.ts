import type { StreamSample } from './load-jobs.ts';

/** One read of a response body: milliseconds since the request was sent, and its text. */
export interface TimedRead {
  at: number;
  text: string;
}

/**
 * Groups body reads into deliveries (reads closer than half the mock's delay between chunks come
 * from one upstream write) and times those that carry content chunks. A gateway that holds
 * chunks back shows fewer content deliveries, some carrying several chunks.
 */
export function analyseDeliveries(reads: readonly TimedRead[], delayMs: number, content: RegExp, total: number): StreamSample | string {
  const deliveries: TimedRead[] = [];
  let previous = Number.NEGATIVE_INFINITY;
  for (const read of reads) {
    if (read.at - previous >= delayMs / 2) deliveries.push({ ...read });
    else deliveries[deliveries.length - 1]!.text += read.text;
    previous = read.at;
  }
  const withContent = deliveries
    .map((delivery) => ({ at: delivery.at, chunks: delivery.text.match(content)?.length ?? 0 }))
    .filter((delivery) => delivery.chunks > 0);
  if (withContent.length === 0) return 'no content chunk in the stream';
  return {
    ttfb: reads[0]!.at,
    ttft: withContent[0]!.at,
    total,
    contentDeliveries: withContent.length,
    maxChunksPerDelivery: Math.max(...withContent.map((delivery) => delivery.chunks)),
    gaps: withContent.slice(1).map((delivery, i) => delivery.at - withContent[i]!.at),
  };
}

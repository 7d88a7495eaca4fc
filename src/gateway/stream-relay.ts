import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { StreamCollector } from '../ir/collect-stream.ts';
import type { ClientCodec, SseEvent, StreamDecoder, StreamEncoder, StreamEncoderOptions } from '../ir/codec.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import type { CanonicalResponse } from '../ir/response.ts';
import type { StreamPart } from '../ir/stream-part.ts';
import { SseParser } from '../transport/sse-parser.ts';

export interface RelayOptions {
  upstream: Readable;
  res: ServerResponse;
  headers: Record<string, string>;
  /** Same dialect both sides: forward the upstream's bytes untouched. */
  passthrough: boolean;
  decoder: StreamDecoder;
  encoder: StreamEncoder;
  clientCodec: ClientCodec;
  encoderOptions: StreamEncoderOptions;
  signal: AbortSignal;
}

function cutError(error: unknown): GatewayError {
  return new GatewayError({
    status: 502,
    code: 'upstream_error',
    message: `upstream stream failed: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`,
  });
}

/**
 * Streams an upstream answer to the client as it arrives: each upstream chunk becomes at most one
 * client write. Backpressure from a slow client pauses the upstream. A failure after the first
 * byte ends the stream with an error event of the client's dialect, never a silent truncation.
 */
export function relayStream(options: RelayOptions): Promise<void> {
  const { upstream, res, passthrough, decoder, encoder, clientCodec, encoderOptions } = options;
  res.writeHead(200, {
    ...options.headers,
    'content-type': encoderOptions.jsonArray ? 'application/json' : 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  res.flushHeaders();

  return new Promise((resolve) => {
    const parser = passthrough ? undefined : new SseParser();
    let finished = false;

    const finish = (trailer: string) => {
      if (finished) return;
      finished = true;
      upstream.removeAllListeners('data');
      if (!res.destroyed) res.end(trailer);
      resolve();
    };

    const fail = (error: GatewayError) => {
      finish(clientCodec.encodeStreamError(error, encoderOptions));
      upstream.destroy();
    };

    /** Encodes parts; returns the client text, or undefined when an error part ended the stream. */
    const encodeParts = (events: SseEvent[], tail: StreamPart[]): string | undefined => {
      let text = '';
      const emit = (part: StreamPart): boolean => {
        if (part.type === 'error') {
          if (text) res.write(text);
          fail(part.error);
          return false;
        }
        text += encoder.encode(part);
        return true;
      };
      for (const event of events) {
        for (const part of decoder.decode(event)) if (!emit(part)) return undefined;
      }
      for (const part of tail) if (!emit(part)) return undefined;
      return text;
    };

    const write = (text: string) => {
      if (text.length === 0 || res.write(text)) return;
      upstream.pause();
      res.once('drain', () => upstream.resume());
    };

    upstream.on('data', (chunk: Buffer) => {
      if (finished) return;
      if (parser === undefined) {
        if (!res.write(chunk)) {
          upstream.pause();
          res.once('drain', () => upstream.resume());
        }
        return;
      }
      const text = encodeParts(parser.push(chunk), []);
      if (text !== undefined) write(text);
    });
    upstream.on('end', () => {
      if (finished) return;
      if (parser === undefined) {
        finish('');
        return;
      }
      const text = encodeParts(parser.end(), decoder.flush());
      if (text !== undefined) {
        write(text);
        finish(encoder.end());
      }
    });
    upstream.on('error', (error) => {
      if (finished) return;
      if (options.signal.aborted) {
        finished = true;
        resolve();
        return;
      }
      fail(cutError(error));
    });
    res.once('close', () => {
      if (!finished) {
        finished = true;
        upstream.destroy();
        resolve();
      }
    });
  });
}

/** Reads a whole upstream stream into one response (for stream-only upstreams serving plain requests). */
export function collectUpstreamStream(
  upstream: Readable,
  decoder: StreamDecoder,
  signal: AbortSignal,
): Promise<{ response: CanonicalResponse; error?: GatewayError }> {
  const parser = new SseParser();
  const collector = new StreamCollector();
  const push = (events: SseEvent[], tail: StreamPart[]) => {
    for (const event of events) for (const part of decoder.decode(event)) collector.push(part);
    for (const part of tail) collector.push(part);
  };
  return new Promise((resolve) => {
    upstream.on('data', (chunk: Buffer) => push(parser.push(chunk), []));
    upstream.on('end', () => {
      push(parser.end(), decoder.flush());
      resolve({ response: collector.result(), error: collector.error });
    });
    upstream.on('error', (error) => {
      resolve({ response: collector.result(), error: signal.aborted ? undefined : cutError(error) });
    });
  });
}

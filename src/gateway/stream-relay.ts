import type { ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import { StreamCollector } from '../ir/collect-stream.ts';
import type { ClientCodec, SseEvent, StreamDecoder, StreamEncoder, StreamEncoderOptions } from '../ir/codec.ts';
import { GatewayError } from '../ir/gateway-error.ts';
import type { CanonicalResponse } from '../ir/response.ts';
import type { Usage } from '../ir/usage.ts';
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
 *
 * In passthrough the upstream's bytes go out untouched, and the decoder still reads them, to see
 * whether the stream reached its terminal event.
 */
export interface RelayOutcome {
  /** The error that ended the stream after its first byte, if any. */
  error?: GatewayError;
  /** Usage as the upstream reported it in its terminal event. */
  usage?: Usage;
  /** Characters of text, reasoning and tool arguments streamed, for an estimate when no usage came. */
  outputCharacters: number;
}

export function relayStream(options: RelayOptions): Promise<RelayOutcome> {
  const { upstream, res, passthrough, decoder, encoder, clientCodec, encoderOptions } = options;
  res.writeHead(200, {
    ...options.headers,
    'content-type': encoderOptions.jsonArray ? 'application/json' : 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache',
    'x-accel-buffering': 'no',
  });
  // The headers go out with the first chunk, which mostly comes in the same read as the
  // upstream's headers: one write and one packet instead of two. When the first chunk is slow
  // (a model thinking first), the headers still leave at once, on the next turn of the loop.
  const headersAlone = setImmediate(() => {
    if (!res.destroyed) res.flushHeaders();
  });

  return new Promise((resolve) => {
    const parser = new SseParser();
    let finished = false;
    const outcome: RelayOutcome = { outputCharacters: 0 };
    /** Passthrough only: the upstream's own finish or error event went out, so its end is complete. */
    let terminated = false;

    const finish = (trailer: string) => {
      if (finished) return;
      finished = true;
      clearImmediate(headersAlone);
      upstream.removeAllListeners('data');
      if (!res.destroyed) res.end(trailer);
      resolve(outcome);
    };

    const fail = (error: GatewayError) => {
      outcome.error = error;
      finish(clientCodec.encodeStreamError(error, encoderOptions));
      upstream.destroy();
    };

    const write = (data: string | Buffer) => {
      if (data.length === 0) return;
      clearImmediate(headersAlone);
      if (res.write(data)) return;
      upstream.pause();
      res.once('drain', () => upstream.resume());
    };

    const count = (part: StreamPart) => {
      if (part.type === 'text-delta' || part.type === 'reasoning-delta') outcome.outputCharacters += part.delta.length;
      else if (part.type === 'tool-call-delta') outcome.outputCharacters += part.argumentsDelta.length;
      else if (part.type === 'finish') outcome.usage = part.usage;
    };

    /** Translates parts into client text; returns undefined once an error part has ended the stream. */
    const translate = (events: SseEvent[], tail: StreamPart[]): string | undefined => {
      let text = '';
      const emit = (part: StreamPart): boolean => {
        if (part.type === 'error') {
          if (text) res.write(text);
          fail(part.error);
          return false;
        }
        count(part);
        text += encoder.encode(part);
        return true;
      };
      for (const event of events) {
        for (const part of decoder.decode(event)) if (!emit(part)) return undefined;
      }
      for (const part of tail) if (!emit(part)) return undefined;
      return text;
    };

    /** Passthrough: the parts are only watched; a missing terminal event at the end is an error. */
    const observe = (part: StreamPart) => {
      count(part);
      if (part.type === 'finish' || part.type === 'error') terminated = true;
    };
    const watch = (events: SseEvent[], tail: StreamPart[]): GatewayError | undefined => {
      for (const event of events) for (const part of decoder.decode(event)) observe(part);
      for (const part of tail) {
        if (part.type === 'error' && !terminated) return part.error;
        observe(part);
      }
      return undefined;
    };

    upstream.on('data', (chunk: Buffer) => {
      if (finished) return;
      if (passthrough) {
        write(chunk);
        watch(parser.push(chunk), []);
        return;
      }
      const text = translate(parser.push(chunk), []);
      if (text !== undefined) write(text);
    });
    upstream.on('end', () => {
      if (finished) return;
      if (passthrough) {
        const error = watch(parser.end(), decoder.flush());
        if (error) fail(error);
        else finish('');
        return;
      }
      const text = translate(parser.end(), decoder.flush());
      if (text !== undefined) {
        write(text);
        finish(encoder.end());
      }
    });
    upstream.on('error', (error) => {
      if (finished) return;
      if (options.signal.aborted) {
        finished = true;
        resolve(outcome);
        return;
      }
      fail(cutError(error));
    });
    res.once('close', () => {
      clearImmediate(headersAlone);
      if (!finished) {
        finished = true;
        upstream.destroy();
        resolve(outcome);
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

/** The stream dialects the stress phases read: OpenAI chat (passthrough) and Anthropic messages (translated). */
export type SseDialect = 'openai-chat' | 'anthropic';

interface ChatChunk {
  choices?: { delta?: { content?: string | null } }[];
  error?: unknown;
}

interface AnthropicEvent {
  type?: string;
  delta?: { type?: string; text?: string };
}

/**
 * Reads an SSE body as it arrives and counts what a client would show: the content chunks, their
 * text, whether the stream reached its end marker (`data: [DONE]`, Anthropic's `message_stop`)
 * and any in-stream error. A stream is complete only with its end marker and all its text.
 */
export class SseTally {
  events = 0;
  contentChunks = 0;
  textChars = 0;
  /** The text itself, when asked to keep it (to compare with what the mock sent). */
  text = '';
  done = false;
  error: string | undefined;
  private pending = '';
  private readonly dialect: SseDialect;
  private readonly keepText: boolean;

  constructor(dialect: SseDialect, keepText = false) {
    this.dialect = dialect;
    this.keepText = keepText;
  }

  push(chunk: string): void {
    this.pending += chunk;
    const end = this.pending.lastIndexOf('\n\n');
    if (end === -1) return;
    const complete = this.pending.slice(0, end);
    this.pending = this.pending.slice(end + 2);
    for (const block of complete.split('\n\n')) this.readEvent(block);
  }

  /** The body ended: a last event without its blank line still counts. */
  end(): void {
    if (this.pending.trim()) this.readEvent(this.pending);
    this.pending = '';
  }

  private readEvent(block: string): void {
    const data = block
      .split('\n')
      .filter((line) => line.startsWith('data:'))
      .map((line) => line.slice(line.charAt(5) === ' ' ? 6 : 5).replace(/\r$/, ''))
      .join('\n');
    if (!data) return;
    this.events++;
    if (data === '[DONE]') {
      this.done = true;
      return;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(data);
    } catch {
      this.error ??= `not JSON: ${data.slice(0, 100)}`;
      return;
    }
    const text = this.dialect === 'openai-chat' ? this.chatText(parsed as ChatChunk) : this.anthropicText(parsed as AnthropicEvent);
    if (!text) return;
    this.contentChunks++;
    this.textChars += text.length;
    if (this.keepText) this.text += text;
  }

  private chatText(chunk: ChatChunk): string | undefined {
    if (chunk.error !== undefined) this.error ??= JSON.stringify(chunk.error).slice(0, 200);
    return chunk.choices?.[0]?.delta?.content ?? undefined;
  }

  private anthropicText(event: AnthropicEvent): string | undefined {
    if (event.type === 'message_stop') this.done = true;
    else if (event.type === 'error') this.error ??= JSON.stringify(event).slice(0, 200);
    return event.type === 'content_block_delta' && event.delta?.type === 'text_delta' ? event.delta.text : undefined;
  }
}

/** Anthropic clients use `/v1/messages`; everything else the stress phases send is OpenAI chat. */
export function sseDialectOf(path: string): SseDialect {
  return path.startsWith('/v1/messages') ? 'anthropic' : 'openai-chat';
}

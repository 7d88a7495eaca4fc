/**
 * Plain text of a message content in any of the wire formats: a string, or parts that carry
 * `text` (text, input_text, output_text...); images and files show as a marker.
 */
export function mockContentText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return content === undefined || content === null ? '' : JSON.stringify(content);
  let out = '';
  for (const part of content) {
    const piece = partText(part);
    if (piece === undefined) continue;
    out = out ? `${out}\n${piece}` : piece;
  }
  return out;
}

/** The last text part, what `echo:` repeats (Claude Code puts reminders before the prompt). */
export function mockLastPartText(content: unknown): string {
  if (typeof content === 'string') return content;
  if (!Array.isArray(content)) return '';
  for (let i = content.length - 1; i >= 0; i--) {
    const part = content[i] as Record<string, unknown>;
    if (typeof part?.text === 'string' && part.thought !== true) return part.text;
  }
  return '';
}

export function mockHasText(content: unknown): boolean {
  if (typeof content === 'string') return true;
  return Array.isArray(content) && content.some((p) => typeof p?.text === 'string' && p.thought !== true);
}

function partText(part: unknown): string | undefined {
  if (typeof part === 'string') return part;
  if (!part || typeof part !== 'object') return undefined;
  const p = part as Record<string, unknown>;
  if (p.thought === true) return undefined;
  if (typeof p.text === 'string') return p.text;
  const type = String(p.type ?? '');
  if (type.includes('image') || p.inlineData || p.inline_data || p.fileData) return '[image]';
  if (type.includes('file') || type === 'document') return '[file]';
  return undefined;
}

export function clipMockText(text: string, max = 200): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

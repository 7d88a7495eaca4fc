import type { ImageSource } from '../../ir/content.ts';

/**
 * `data:<media type>;base64,<data>` becomes an inline source; anything else (http URLs, and the
 * rare percent-encoded data URL, which no target takes inline) stays a URL.
 */
export function openaiChatSourceFromUrl(url: string): ImageSource {
  if (!url.startsWith('data:')) return { kind: 'url', url };
  const comma = url.indexOf(',');
  const marker = ';base64';
  if (comma === -1 || url.lastIndexOf(marker, comma) !== comma - marker.length) return { kind: 'url', url };
  const parameters = url.slice(5, comma - marker.length);
  const semicolon = parameters.indexOf(';');
  const mediaType = semicolon === -1 ? parameters : parameters.slice(0, semicolon);
  return { kind: 'base64', mediaType: mediaType || 'application/octet-stream', data: url.slice(comma + 1) };
}

export function openaiChatUrlFromSource(source: ImageSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

import type { ImageSource } from '../../ir/content.ts';

/**
 * Reads `data:<type>[;params];base64,<data>` without scanning the payload (images can be megabytes).
 * Non-base64 data URLs stay URLs.
 */
export function sourceFromUrl(url: string): ImageSource {
  if (!url.startsWith('data:')) return { kind: 'url', url };
  const comma = url.indexOf(',');
  if (comma === -1) return { kind: 'url', url };
  const meta = url.slice(5, comma);
  if (!meta.endsWith(';base64')) return { kind: 'url', url };
  const semicolon = meta.indexOf(';');
  const mediaType = meta.slice(0, semicolon);
  return { kind: 'base64', mediaType: mediaType || 'application/octet-stream', data: url.slice(comma + 1) };
}

export function urlFromSource(source: ImageSource): string {
  return source.kind === 'url' ? source.url : `data:${source.mediaType};base64,${source.data}`;
}

const MEDIA_TYPE_BY_EXTENSION: Record<string, string> = {
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  csv: 'text/csv',
  json: 'application/json',
  html: 'text/html',
  docx: 'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
};

/** `input_file.file_data` may be bare base64; the filename is then the only hint of its type. */
export function mediaTypeForFilename(filename: string | undefined): string {
  const dot = filename?.lastIndexOf('.') ?? -1;
  if (filename === undefined || dot === -1) return 'application/octet-stream';
  return MEDIA_TYPE_BY_EXTENSION[filename.slice(dot + 1).toLowerCase()] ?? 'application/octet-stream';
}

import type { FilePart, ImagePart, ImageSource } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord, optionalJsonString } from '../shared/json-fields.ts';
import type { GeminiPart } from './wire-types.ts';
import { field } from './read-fields.ts';

/**
 * `inlineData` / `fileData` of a client part as an image or file part; undefined when the part
 * holds neither. Images become image parts, everything else (PDF, audio, video) a file part.
 */
export function decodeGeminiMedia(part: Record<string, unknown>, path: string): ImagePart | FilePart | undefined {
  const inline = field(part, 'inlineData', 'inline_data');
  if (inline !== undefined) {
    if (!isRecord(inline)) throw invalidRequest(`${path}.inlineData: must be an object`);
    const mediaType = optionalJsonString(field(inline, 'mimeType', 'mime_type'), `${path}.inlineData.mimeType`);
    const data = optionalJsonString(inline.data, `${path}.inlineData.data`);
    if (mediaType === undefined || data === undefined) throw invalidRequest(`${path}.inlineData: mimeType and data are required`);
    return mediaPart(mediaType, { kind: 'base64', mediaType, data });
  }
  const file = field(part, 'fileData', 'file_data');
  if (file !== undefined) {
    if (!isRecord(file)) throw invalidRequest(`${path}.fileData: must be an object`);
    const url = optionalJsonString(field(file, 'fileUri', 'file_uri'), `${path}.fileData.fileUri`);
    if (url === undefined) throw invalidRequest(`${path}.fileData.fileUri: is required`);
    const mimeType = optionalJsonString(field(file, 'mimeType', 'mime_type'), `${path}.fileData.mimeType`);
    const decoded = mediaPart(mimeType ?? guessMediaType(url, ''), { kind: 'url', url });
    // A URL source has no media type; Files API URIs have no extension to guess it from again.
    if (mimeType !== undefined) decoded.extensions = { gemini: { mimeType } };
    return decoded;
  }
  return undefined;
}

function mediaPart(mediaType: string, source: ImageSource): ImagePart | FilePart {
  return mediaType.startsWith('image/') ? { type: 'image', source } : { type: 'file', source };
}

/**
 * An image or file as a Gemini part: inline bytes stay inline (data: URLs too), other URLs
 * become `fileData`. OpenAI's `detail` and a file's name have no per-part Gemini field and are
 * dropped; neither changes what the model sees.
 */
export function encodeGeminiMedia(part: ImagePart | FilePart): GeminiPart {
  const source = part.source;
  if (source.kind === 'base64') return { inlineData: { mimeType: source.mediaType, data: source.data } };
  if (source.url.startsWith('data:')) return { inlineData: parseDataUrl(source.url) };
  const known = part.extensions?.gemini?.mimeType;
  if (typeof known === 'string') return { fileData: { mimeType: known, fileUri: source.url } };
  // fileData requires a mimeType; guess from the extension, with a default per kind.
  const fallback = part.type === 'image' ? 'image/jpeg' : 'application/pdf';
  return { fileData: { mimeType: guessMediaType(source.url, fallback), fileUri: source.url } };
}

function parseDataUrl(url: string): { mimeType: string; data: string } {
  const comma = url.indexOf(',');
  const header = url.slice(5, comma === -1 ? url.length : comma);
  const payload = comma === -1 ? '' : url.slice(comma + 1);
  const semicolon = header.indexOf(';');
  const mimeType = (semicolon === -1 ? header : header.slice(0, semicolon)) || 'application/octet-stream';
  const data = header.endsWith(';base64') ? payload : Buffer.from(decodeURIComponent(payload), 'utf8').toString('base64');
  return { mimeType, data };
}

const MEDIA_TYPES: Record<string, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  webp: 'image/webp',
  heic: 'image/heic',
  heif: 'image/heif',
  pdf: 'application/pdf',
  txt: 'text/plain',
  md: 'text/markdown',
  html: 'text/html',
  csv: 'text/csv',
  mp3: 'audio/mpeg',
  wav: 'audio/wav',
  mp4: 'video/mp4',
  mov: 'video/quicktime',
  webm: 'video/webm',
};

function guessMediaType(url: string, fallback: string): string {
  const end = url.search(/[?#]/);
  const path = end === -1 ? url : url.slice(0, end);
  const dot = path.lastIndexOf('.');
  if (dot === -1 || dot < path.lastIndexOf('/')) return fallback;
  return MEDIA_TYPES[path.slice(dot + 1).toLowerCase()] ?? fallback;
}

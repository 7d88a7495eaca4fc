import type { FilePart, ImagePart, TextPart, UserContentPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { expectRecord, optionalJsonString } from '../shared/json-fields.ts';
import { openaiChatSourceFromUrl } from './data-url.ts';

type PartKinds = 'text' | 'text-image' | 'user';

function decodeText(part: Record<string, unknown>, path: string): TextPart {
  if (typeof part.text !== 'string') throw invalidRequest(`${path}.text: must be a string`);
  return { type: 'text', text: part.text };
}

function decodeImage(part: Record<string, unknown>, path: string): ImagePart {
  // Some clients (older LangChain, vLLM examples) send `image_url` as a bare string.
  if (typeof part.image_url === 'string') return { type: 'image', source: openaiChatSourceFromUrl(part.image_url) };
  const imageUrl = expectRecord(part.image_url, `${path}.image_url`);
  if (typeof imageUrl.url !== 'string') throw invalidRequest(`${path}.image_url.url: must be a string`);
  const image: ImagePart = { type: 'image', source: openaiChatSourceFromUrl(imageUrl.url) };
  const detail = optionalJsonString(imageUrl.detail, `${path}.image_url.detail`);
  if (detail === 'auto' || detail === 'low' || detail === 'high') image.detail = detail;
  // Levels the IR does not name (`original`) survive a same-dialect round trip only.
  else if (detail !== undefined) image.extensions = { 'openai-chat': { detail } };
  return image;
}

function decodeFile(part: Record<string, unknown>, path: string): FilePart {
  const file = expectRecord(part.file, `${path}.file`);
  const filename = optionalJsonString(file.filename, `${path}.file.filename`);
  const fileData = optionalJsonString(file.file_data, `${path}.file.file_data`);
  if (fileData === undefined) {
    if (file.file_id !== undefined) {
      throw invalidRequest(`${path}.file.file_id: uploaded file references are not supported; send the content as file_data`);
    }
    throw invalidRequest(`${path}.file.file_data: must be a string`);
  }
  // OpenAI documents file_data as a data URL but also accepts bare base64; Chat Completions only takes PDFs.
  const source = fileData.startsWith('data:')
    ? openaiChatSourceFromUrl(fileData)
    : { kind: 'base64' as const, mediaType: 'application/pdf', data: fileData };
  return filename === undefined ? { type: 'file', source } : { type: 'file', source, filename };
}

function decodePart(value: unknown, path: string, kinds: PartKinds): UserContentPart {
  const part = expectRecord(value, path);
  const type = part.type;
  if (type === 'text') return decodeText(part, path);
  if (type === 'image_url' && kinds !== 'text') return decodeImage(part, path);
  if (type === 'file' && kinds === 'user') return decodeFile(part, path);
  if (type === 'input_audio') throw invalidRequest(`${path}: audio input (input_audio) is not supported by this gateway`);
  if (typeof type !== 'string') throw invalidRequest(`${path}.type: must be a string`);
  throw invalidRequest(`${path}.type: content part type "${type}" is not supported here`);
}

function decodeParts(content: unknown, path: string, kinds: PartKinds): UserContentPart[] {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`${path}: must be a string or an array of content parts`);
  return content.map((part, index) => decodePart(part, `${path}[${index}]`, kinds));
}

export function decodeOpenaiChatUserContent(content: unknown, path: string): UserContentPart[] {
  return decodeParts(content, path, 'user');
}

export function decodeOpenaiChatTextContent(content: unknown, path: string): TextPart[] {
  return decodeParts(content, path, 'text') as TextPart[];
}

/** Tool results: text officially, images tolerated (compatible servers and agents send screenshots). */
export function decodeOpenaiChatToolResultContent(content: unknown, path: string): Array<TextPart | ImagePart> {
  if (content === null || content === undefined) return [];
  return decodeParts(content, path, 'text-image') as Array<TextPart | ImagePart>;
}

import type { FilePart, ImagePart, TextPart, UserContentPart } from '../../ir/content.ts';
import { invalidRequest } from '../../ir/gateway-error.ts';
import { isRecord } from '../shared/json-fields.ts';
import { mediaTypeForFilename, sourceFromUrl } from './data-url.ts';
import { responsesExtension } from './extensions.ts';
import { optionalString, requiredString } from './json-guards.ts';

const IR_DETAILS = new Set(['auto', 'low', 'high']);

function contentType(part: Record<string, unknown>, path: string): string {
  const type = part.type;
  if (typeof type !== 'string') throw invalidRequest(`${path}.type: required`);
  return type;
}

function textPart(part: Record<string, unknown>, path: string): TextPart {
  return { type: 'text', text: requiredString(part, 'text', path) };
}

export function decodeInputImage(part: Record<string, unknown>, path: string): ImagePart {
  const url = optionalString(part, 'image_url', path);
  if (url === undefined) {
    if (part.file_id !== undefined && part.file_id !== null) {
      throw invalidRequest(`${path}.file_id: uploaded file references are not supported by this gateway; send image_url (an https or data URL)`);
    }
    throw invalidRequest(`${path}.image_url: required`);
  }
  const image: ImagePart = { type: 'image', source: sourceFromUrl(url) };
  const detail = optionalString(part, 'detail', path);
  if (detail !== undefined) {
    if (IR_DETAILS.has(detail)) image.detail = detail as ImagePart['detail'];
    // Newer levels (e.g. "original") have no IR field; keep them for a same-dialect round trip.
    else image.extensions = responsesExtension({ detail });
  }
  return image;
}

function decodeInputFile(part: Record<string, unknown>, path: string): FilePart {
  const filename = optionalString(part, 'filename', path);
  const fileData = optionalString(part, 'file_data', path);
  const fileUrl = optionalString(part, 'file_url', path);
  let file: FilePart;
  if (fileData !== undefined) {
    file = fileData.startsWith('data:')
      ? { type: 'file', source: sourceFromUrl(fileData) }
      : { type: 'file', source: { kind: 'base64', mediaType: mediaTypeForFilename(filename), data: fileData } };
  } else if (fileUrl !== undefined) {
    file = { type: 'file', source: { kind: 'url', url: fileUrl } };
  } else if (part.file_id !== undefined && part.file_id !== null) {
    throw invalidRequest(`${path}.file_id: uploaded file references are not supported by this gateway; send file_data or file_url`);
  } else {
    throw invalidRequest(`${path}: input_file needs file_data or file_url`);
  }
  if (filename !== undefined) file.filename = filename;
  return file;
}

/**
 * A string (one text part) or an array of typed content parts, each decoded by `decodePart`, which
 * throws on a type the context does not allow.
 */
function decodeParts<T>(
  content: unknown,
  path: string,
  decodePart: (part: Record<string, unknown>, type: string, partPath: string) => T,
): Array<T | TextPart> {
  if (typeof content === 'string') return [{ type: 'text', text: content }];
  if (!Array.isArray(content)) throw invalidRequest(`${path}: must be a string or an array of content parts`);
  return content.map((part, i) => {
    const partPath = `${path}[${i}]`;
    if (!isRecord(part)) throw invalidRequest(`${partPath}: must be an object`);
    return decodePart(part, contentType(part, partPath), partPath);
  });
}

function isTextType(type: string): boolean {
  return type === 'input_text' || type === 'output_text' || type === 'text';
}

/** A user message's content: a string, or input_text / input_image / input_file parts. */
export function decodeUserContent(content: unknown, path: string): UserContentPart[] {
  return decodeParts(content, path, (part, type, partPath): UserContentPart => {
    if (isTextType(type)) return textPart(part, partPath);
    if (type === 'input_image') return decodeInputImage(part, partPath);
    if (type === 'input_file') return decodeInputFile(part, partPath);
    throw invalidRequest(`${partPath}.type: unsupported content type "${type}"`);
  });
}

/** Assistant content: output_text parts, and refusals kept as text with a marker. */
export function decodeAssistantContent(content: unknown, path: string): TextPart[] {
  return decodeParts(content, path, (part, type, partPath): TextPart => {
    if (type === 'refusal') {
      return { type: 'text', text: requiredString(part, 'refusal', partPath), extensions: responsesExtension({ refusal: true }) };
    }
    if (isTextType(type)) return textPart(part, partPath);
    throw invalidRequest(`${partPath}.type: unsupported assistant content type "${type}"`);
  });
}

/** System and developer messages carry text only. */
export function decodeInstructionContent(content: unknown, path: string): TextPart[] {
  return decodeParts(content, path, (part, type, partPath): TextPart => {
    if (isTextType(type)) return textPart(part, partPath);
    throw invalidRequest(`${partPath}.type: only text is allowed in system and developer messages`);
  });
}

/** `function_call_output.output`: a string, or input_text / input_image parts. */
export function decodeToolOutput(output: unknown, path: string): Array<TextPart | ImagePart> {
  return decodeParts(output, path, (part, type, partPath): TextPart | ImagePart => {
    if (isTextType(type)) return textPart(part, partPath);
    if (type === 'input_image') return decodeInputImage(part, partPath);
    throw invalidRequest(`${partPath}.type: "${type}" is not supported in tool output (text and images only)`);
  });
}

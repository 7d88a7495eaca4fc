import type { Extensions } from '../../ir/dialect-id.ts';

/** The data this dialect keeps on IR objects, under its own key, for same-dialect round trips. */
export type ResponsesExtension = Record<string, unknown>;

export function ownExtension(extensions: Extensions | undefined): ResponsesExtension | undefined {
  return extensions?.['openai-responses'];
}

export function responsesExtension(data: ResponsesExtension): Extensions {
  return { 'openai-responses': data };
}

/** Reads a string field of this dialect's extension. */
export function extensionString(extensions: Extensions | undefined, key: string): string | undefined {
  const value = extensions?.['openai-responses']?.[key];
  return typeof value === 'string' ? value : undefined;
}

export function extensionFlag(extensions: Extensions | undefined, key: string): boolean {
  return extensions?.['openai-responses']?.[key] === true;
}

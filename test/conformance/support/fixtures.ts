/** Inputs every scenario shares, so that what reaches the upstream can be compared exactly. */

export const CONFORMANCE_TOOL = {
  name: 'get_weather',
  description: 'Current weather in a city',
  parameters: {
    type: 'object',
    properties: { city: { type: 'string', description: 'City name' } },
    required: ['city'],
  },
} as const;

/** A 1×1 transparent PNG. */
export const PNG_BASE64 = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==';
export const IMAGE_URL = 'https://example.com/conformance/cat.png';

export const SAMPLING = { temperature: 0.3, topP: 0.8, maxTokens: 64, stop: ['ZZSTOP'] } as const;

export const RETRY_AFTER_SECONDS = 7;

let counter = 0;
/** A marker unique to one test, to find the upstream requests it caused (fixed width: no tag contains another). */
export function uniqueTag(): string {
  counter++;
  return `cx${process.pid.toString(36)}n${String(counter).padStart(6, '0')}`;
}

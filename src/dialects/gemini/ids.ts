/** Gemini response ids look like `IZI2acSKMoWl0-kPmYj2yQc`: 22+ base64url characters. */
export function newGeminiResponseId(): string {
  return Buffer.from(crypto.randomUUID().replaceAll('-', ''), 'hex').toString('base64url');
}

/** For function calls the upstream sent without an id. */
export function newGeminiCallId(): string {
  return `call_${crypto.randomUUID().replaceAll('-', '').slice(0, 24)}`;
}

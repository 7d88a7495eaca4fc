/**
 * Gemini function calls may carry no id, so each response is paired with the earliest open
 * call of the same name (or the call with its id, when both have one), and both get the same
 * synthetic id. The ids are deterministic: every turn of a conversation decodes its history to
 * the same ids, so other dialects see a consistent conversation.
 */
export class GeminiToolCallPairing {
  private readonly open = new Map<string, string[]>();
  private count = 0;

  callId(name: string, geminiId: string | undefined): string {
    const id = geminiId ?? this.synthetic(name);
    const queue = this.open.get(name);
    if (queue) queue.push(id);
    else this.open.set(name, [id]);
    return id;
  }

  resultId(name: string, geminiId: string | undefined): string {
    const queue = this.open.get(name);
    if (queue && queue.length > 0) {
      const match = geminiId === undefined ? -1 : queue.indexOf(geminiId);
      return queue.splice(match === -1 ? 0 : match, 1)[0];
    }
    return geminiId ?? this.synthetic(name);
  }

  private synthetic(name: string): string {
    return `call_${name.replace(/[^A-Za-z0-9_-]/g, '_')}_${this.count++}`;
  }
}

/**
 * The directive language: `[[mock:name arg key=value key="quoted value"]]` anywhere in the last
 * user text scripts the mock model, so unmodified clients can be driven through the prompt alone.
 */

export interface MockToolDirective {
  name?: string;
  cmd?: string;
  /** Explicit JSON arguments (or raw input for a custom tool). */
  args?: string;
  /** Any other key=value: an argument value that overrides the generated one. */
  fields: Record<string, string>;
}

export interface MockErrorDirective {
  status: number;
  message?: string;
  retryAfter?: number;
  /** Fail only the first N requests carrying the same text. */
  times?: number;
  /** Fail only requests made with this API key. */
  key?: string;
  /** Streams: send N frames, then the in-stream error. */
  after?: number;
}

export interface MockDirectives {
  tools: MockToolDirective[];
  think?: { tokens?: number };
  error?: MockErrorDirective;
  cut?: { after?: number; times?: number };
  slowMs?: number;
  delayMs?: number;
  long?: number;
  inspect: boolean;
  json: boolean;
  cache?: { read?: number; write?: number };
  reply?: string;
  unknown: string[];
}

const OPEN = '[[mock:';

export function parseMockDirectives(text: string): MockDirectives {
  const directives: MockDirectives = { tools: [], inspect: false, json: false, unknown: [] };
  let from = text.indexOf(OPEN);
  while (from !== -1) {
    const close = text.indexOf(']]', from);
    if (close === -1) break;
    const { name, positional, named } = tokenize(text.slice(from + OPEN.length, close));
    apply(directives, name, positional, named);
    from = text.indexOf(OPEN, close + 2);
  }
  return directives;
}

/** The text without its directives, what `echo:` repeats. */
export function stripMockDirectives(text: string): string {
  let out = '';
  let at = 0;
  let from = text.indexOf(OPEN);
  while (from !== -1) {
    const close = text.indexOf(']]', from);
    if (close === -1) break;
    out += text.slice(at, from);
    at = close + 2;
    if (text[at] === ' ' && (out === '' || out.endsWith(' '))) at++;
    from = text.indexOf(OPEN, at);
  }
  return (out + text.slice(at)).trim();
}

function apply(d: MockDirectives, name: string, positional: string[], named: Record<string, string>): void {
  switch (name) {
    case 'tool': {
      const { name: toolName, cmd, args, ...fields } = named;
      d.tools.push({ name: toolName, cmd: cmd ?? positional[0], args, fields });
      return;
    }
    case 'think':
      d.think = { tokens: int(positional[0] ?? named.tokens) };
      return;
    case 'error':
      d.error = {
        status: int(positional[0] ?? named.status) ?? 500,
        message: named.message,
        retryAfter: int(named['retry-after']),
        times: int(named.times),
        key: named.key,
        after: int(named.after),
      };
      return;
    case 'cut':
      d.cut = { after: int(positional[0] ?? named.after), times: int(named.times) };
      return;
    case 'slow':
      d.slowMs = int(positional[0]) ?? 50;
      return;
    case 'delay':
      d.delayMs = int(positional[0]) ?? 1000;
      return;
    case 'long':
      d.long = int(positional[0]) ?? 1000;
      return;
    case 'inspect':
      d.inspect = true;
      return;
    case 'json':
      d.json = true;
      return;
    case 'cache':
      d.cache = { read: int(named.read ?? positional[0]), write: int(named.write) };
      return;
    case 'reply':
      d.reply = positional[0] ?? named.text ?? '';
      return;
    default:
      d.unknown.push(name);
  }
}

function int(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
}

/** Splits `name a "b c" k=v k2='x y'` into the name, positional arguments and named ones. */
function tokenize(body: string): { name: string; positional: string[]; named: Record<string, string> } {
  const tokens: string[] = [];
  const named: Record<string, string> = {};
  let i = 0;
  while (i < body.length) {
    while (i < body.length && body[i] === ' ') i++;
    if (i >= body.length) break;
    let key: string | undefined;
    let value = '';
    const start = i;
    while (i < body.length && body[i] !== ' ' && body[i] !== '=' && body[i] !== '"' && body[i] !== "'") i++;
    if (body[i] === '=') {
      key = body.slice(start, i);
      i++;
    } else {
      i = start;
    }
    const quote = body[i];
    if (quote === '"' || quote === "'") {
      const end = body.indexOf(quote, i + 1);
      value = end === -1 ? body.slice(i + 1) : body.slice(i + 1, end);
      i = end === -1 ? body.length : end + 1;
    } else {
      const end = body.indexOf(' ', i);
      value = end === -1 ? body.slice(i) : body.slice(i, end);
      i = end === -1 ? body.length : end;
    }
    if (key !== undefined) named[key] = value;
    else tokens.push(value);
  }
  const [name = '', ...positional] = tokens;
  return { name, positional, named };
}

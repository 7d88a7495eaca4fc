/**
 * A strict reader of the Prometheus text format (0.0.4) for tests: every line must be a comment,
 * HELP, TYPE or a sample of a declared family, or it throws.
 */
export interface PrometheusSample {
  name: string;
  labels: Record<string, string>;
  value: number;
}

export interface PrometheusText {
  types: Map<string, string>;
  samples: PrometheusSample[];
}

const SAMPLE = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{.*\})? (\S+)(?: (-?\d+))?$/;
const NAME = /^[a-zA-Z_][a-zA-Z0-9_]*$/;

function parseValue(text: string, line: string): number {
  if (text === '+Inf') return Infinity;
  if (text === '-Inf') return -Infinity;
  if (text === 'NaN' || text === 'Nan') return NaN;
  const value = Number(text);
  if (text === '' || Number.isNaN(value)) throw new Error(`bad sample value in: ${line}`);
  return value;
}

function parseLabels(text: string, line: string): Record<string, string> {
  const labels: Record<string, string> = {};
  let index = 1;
  const end = text.length - 1;
  while (index < end) {
    const equals = text.indexOf('=', index);
    const name = text.slice(index, equals);
    if (equals === -1 || !NAME.test(name) || text[equals + 1] !== '"') throw new Error(`bad label in: ${line}`);
    let value = '';
    let at = equals + 2;
    for (; at < end && text[at] !== '"'; at++) {
      if (text[at] !== '\\') {
        value += text[at];
        continue;
      }
      const escaped = text[++at];
      if (escaped === 'n') value += '\n';
      else if (escaped === '\\' || escaped === '"') value += escaped;
      else throw new Error(`bad escape in: ${line}`);
    }
    if (text[at] !== '"') throw new Error(`unterminated label value in: ${line}`);
    if (name in labels) throw new Error(`duplicate label ${name} in: ${line}`);
    labels[name] = value;
    index = at + 1;
    if (text[index] === ',') index++;
    else if (index !== end) throw new Error(`bad label separator in: ${line}`);
  }
  return labels;
}

function familyOf(name: string, types: Map<string, string>): string | undefined {
  if (types.has(name)) return name;
  for (const suffix of ['_bucket', '_sum', '_count']) {
    const base = name.slice(0, -suffix.length);
    if (name.endsWith(suffix) && (types.get(base) === 'histogram' || types.get(base) === 'summary')) return base;
  }
  return undefined;
}

export function parsePrometheusText(text: string): PrometheusText {
  if (!text.endsWith('\n')) throw new Error('the exposition must end with a newline');
  const types = new Map<string, string>();
  const samples: PrometheusSample[] = [];
  for (const line of text.slice(0, -1).split('\n')) {
    if (line === '') continue;
    if (line.startsWith('# TYPE ')) {
      const [name, type] = line.slice(7).split(' ');
      if (!['counter', 'gauge', 'histogram', 'summary', 'untyped'].includes(type)) throw new Error(`bad type in: ${line}`);
      if (types.has(name)) throw new Error(`family declared twice: ${name}`);
      types.set(name, type);
      continue;
    }
    if (line.startsWith('#')) continue;
    const match = SAMPLE.exec(line);
    if (!match) throw new Error(`not a sample line: ${line}`);
    const [, name, labelText, valueText] = match;
    if (!familyOf(name, types)) throw new Error(`sample before its TYPE line: ${line}`);
    samples.push({ name, labels: labelText ? parseLabels(labelText, line) : {}, value: parseValue(valueText, line) });
  }
  return { types, samples };
}

function sameLabels(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a);
  return keys.length === Object.keys(b).length && keys.every((key) => a[key] === b[key]);
}

/** The value of the sample with exactly these labels; undefined when there is none. */
export function sampleValue(parsed: PrometheusText, name: string, labels: Record<string, string> = {}): number | undefined {
  const matches = parsed.samples.filter((sample) => sample.name === name && sameLabels(sample.labels, labels));
  if (matches.length > 1) throw new Error(`duplicate series ${name} ${JSON.stringify(labels)}`);
  return matches[0]?.value;
}

/** The label sets of every sample of a family member, for asserting that nothing else is there. */
export function labelSets(parsed: PrometheusText, name: string): Record<string, string>[] {
  return parsed.samples.filter((sample) => sample.name === name).map((sample) => sample.labels);
}

/** Cumulative bucket counts by `le` of one histogram series (its other labels given). */
export function histogramBuckets(parsed: PrometheusText, name: string, labels: Record<string, string>): Map<string, number> {
  const buckets = new Map<string, number>();
  for (const sample of parsed.samples) {
    if (sample.name !== `${name}_bucket`) continue;
    const { le, ...rest } = sample.labels;
    if (le !== undefined && sameLabels(rest, labels)) buckets.set(le, sample.value);
  }
  return buckets;
}

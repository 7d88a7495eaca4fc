/** Suffixes that name a release of a model, not a different model; stripped repeatedly from the end. */
const RELEASE_SUFFIXES = [
  /-\d{8}$/, // Anthropic dates: claude-sonnet-4-5-20250929
  /-\d{4}-\d{2}-\d{2}$/, // OpenAI dates: gpt-4.1-2025-04-14
  /-preview(?:-\d{2}-\d{2,4})?$/, // Gemini previews: gemini-2.5-flash-preview-09-2025
  /-latest$/,
  /-thinking$/,
  /-\d{3}$/, // Gemini stable revisions: gemini-2.0-flash-001
];
const THINKING_SETTING = /\([^()]*\)$/;
/** Reasoning effort baked into a model name (gpt-5-codex-high); tried only when the full name is unpriced. */
const EFFORT_SUFFIX = /-(?:none|minimal|low|medium|high|xhigh)$/;

/** The name as written, minus case, a provider or path prefix and a thinking setting: what an exact match compares. */
export function plainModelName(name: string): string {
  const lower = name.trim().toLowerCase();
  return lower.slice(lower.lastIndexOf('/') + 1).replace(THINKING_SETTING, '');
}

/**
 * The name a model is priced under: lower case, without a provider or path prefix (`models/`,
 * `openai/`, `publishers/google/models/`), a thinking setting (`(high)`), a Vertex version
 * (`@20250929`), release dates, `-preview`, `-latest`, `-thinking` or revision numbers, and with
 * dots written as dashes (`claude-sonnet-4.5` and `claude-sonnet-4-5` are one model).
 */
export function normalizeModelName(name: string): string {
  let normalized = plainModelName(name);
  const at = normalized.indexOf('@');
  if (at > 0) normalized = normalized.slice(0, at);
  let stripped = true;
  while (stripped) {
    stripped = false;
    for (const suffix of RELEASE_SUFFIXES) {
      const next = normalized.replace(suffix, '');
      if (next !== normalized && next.length > 0) {
        normalized = next;
        stripped = true;
      }
    }
  }
  return normalized.replaceAll('.', '-');
}

/** `gpt-5-codex-high` → `gpt-5-codex`; undefined when the name carries no effort suffix. */
export function stripEffortSuffix(normalizedName: string): string | undefined {
  const stripped = normalizedName.replace(EFFORT_SUFFIX, '');
  return stripped !== normalizedName && stripped.length > 0 ? stripped : undefined;
}

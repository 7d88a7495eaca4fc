import type { Document } from 'yaml';
import type { z } from 'zod';
import { ConfigError } from '../../config/config-error.ts';
import type { GatewayConfig } from '../../config/types.ts';
import { updateConfigFile } from '../../config/write-config.ts';
import { GatewayRuntime } from '../../gateway/runtime.ts';
import { GatewayError } from '../../ir/gateway-error.ts';
import { sendJson, type HttpContext, type RouteHandler } from '../http-context.ts';
import { readBody } from '../read-body.ts';

/** Management bodies are small settings objects; nothing legitimate comes near this. */
const MANAGEMENT_BODY_LIMIT_BYTES = 1024 * 1024;

/** A management API failure: rendered as CLIProxyAPI's `{"error": "..."}`. */
export class ManagementError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.name = 'ManagementError';
    this.status = status;
  }
}

/**
 * Wraps a management handler so every expected failure (a bad body, an unknown id, a config edit
 * that would not load) answers `{"error": message}` with its status, like CLIProxyAPI's API.
 */
export function managementRoute(handler: RouteHandler): RouteHandler {
  return async (context) => {
    try {
      await handler(context);
    } catch (error) {
      if (error instanceof ManagementError) sendJson(context, error.status, { error: error.message });
      else if (error instanceof ConfigError) sendJson(context, 400, { error: error.message });
      else if (error instanceof GatewayError && error.status < 500) sendJson(context, error.status, { error: error.message });
      else throw error;
    }
  };
}

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  return issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

/** A JSON object body; anything else is a 400 with exactly `message` (CLIProxyAPI answers these routes with fixed texts). */
export async function readJsonObjectBody(context: HttpContext, limitBytes: number, message: string): Promise<Record<string, unknown>> {
  const raw = await readBody(context.req, limitBytes);
  let value: unknown;
  try {
    value = JSON.parse(raw.toString('utf8'));
  } catch {
    throw new ManagementError(400, message);
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new ManagementError(400, message);
  return value as Record<string, unknown>;
}

/** Reads and validates a JSON body; an empty body counts as `{}` so optional-only schemas accept it. */
export async function readManagementBody<T>(context: HttpContext, schema: z.ZodType<T>): Promise<T> {
  const raw = await readBody(context.req, MANAGEMENT_BODY_LIMIT_BYTES);
  let value: unknown = {};
  if (raw.length > 0) {
    try {
      value = JSON.parse(raw.toString('utf8'));
    } catch (error) {
      throw new ManagementError(400, `invalid body: not valid JSON (${(error as Error).message})`);
    }
  }
  const result = schema.safeParse(value);
  if (!result.success) throw new ManagementError(400, `invalid body: ${describeIssues(result.error.issues)}`);
  return result.data;
}

/**
 * Applies an edit to the running config's file and makes the result live at once, so the API
 * reads its own writes; the file watcher reloading the same text afterwards changes nothing. The
 * result must build a runtime snapshot (combo cycles, nesting) before it is written.
 */
export async function editRunningConfig(context: HttpContext, edit: (document: Document) => void): Promise<GatewayConfig> {
  const path = context.snapshot.config.path;
  if (!path) throw new ManagementError(409, 'the running config was not loaded from a file, so it cannot be edited');
  const config = await updateConfigFile(path, edit, { validate: (next) => void GatewayRuntime.build(next) });
  context.runtime.apply(config);
  context.runtime.logger.info({ requestId: context.requestId, path: context.pathname }, 'config updated through the management API');
  return context.runtime.snapshot.config;
}

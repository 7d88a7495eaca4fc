import type { z } from 'zod';

/** `path: message; ...` as the management API words validation errors. */
export function describeZodIssues(error: z.ZodError): string {
  return error.issues.map((issue) => (issue.path.length > 0 ? `${issue.path.join('.')}: ${issue.message}` : issue.message)).join('; ');
}

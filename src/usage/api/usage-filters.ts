import type { CredentialConfig } from '../../config/types.ts';
import { ManagementError } from '../../server/management/management-route.ts';
import type { UsageQuery } from '../../storage/usage-store.ts';

export type UsageFilters = Pick<UsageQuery, 'provider' | 'model' | 'clientKeyId' | 'credentialId' | 'failed'>;

/**
 * Filters shared by the usage endpoints: `provider`, `model` (the served model), `apiKeyId` (or
 * OmniRoute's `apiKey`), `connectionId` (or `account`: a credential id or auth index) and `status`
 * (`ok` or `error`).
 */
export function usageFiltersOf(query: URLSearchParams, credentials: readonly CredentialConfig[]): UsageFilters {
  const filters: UsageFilters = {};
  const provider = query.get('provider');
  if (provider) filters.provider = provider;
  const model = query.get('model');
  if (model) filters.model = model;
  const apiKeyId = query.get('apiKeyId') ?? query.get('apiKey');
  if (apiKeyId !== null) filters.clientKeyId = apiKeyId;
  const connection = query.get('connectionId') ?? query.get('account');
  if (connection) filters.credentialId = credentialIdOf(connection, credentials);
  const status = query.get('status');
  if (status === 'ok' || status === 'success') filters.failed = false;
  else if (status === 'error' || status === 'failed') filters.failed = true;
  else if (status) throw new ManagementError(400, `invalid status: ${status} (ok or error)`);
  return filters;
}

/** A credential named by its id or by its CLIProxyAPI auth index; unknown names pass through (its history may outlive it). */
export function credentialIdOf(name: string, credentials: readonly CredentialConfig[]): string {
  return credentials.find((credential) => credential.id === name || credential.authIndex === name)?.id ?? name;
}

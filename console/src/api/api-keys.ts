import { useQuery } from '@tanstack/react-query';
import { api } from './api-client.js';

/** An API key as `GET /v1/keys` and `GET /v1/keys/me` show it (never its secret). */
export interface ApiKey {
  id: string;
  name: string;
  prefix: string;
  admin: boolean;
  created_at: number;
  revoked_at: number | null;
  rate_limit_per_minute: number | null;
  monthly_budget_usd: number | null;
  spent_this_month_usd: number | null;
}

/** `GET /v1/keys/me`: the key the tab is signed in with; null when signed in without one. */
export function useCallerKey() {
  return useQuery({ queryKey: ['keys', 'me'], queryFn: () => api<ApiKey | null>('/v1/keys/me') });
}

/**
 * `GET /v1/keys`: every key, for admin keys. `enabled: false` skips the request, so a page that only
 * offers keys to admins does not ask (and log a 403) for anyone else.
 */
export function useApiKeys(enabled = true) {
  return useQuery({
    queryKey: ['keys'],
    queryFn: () => api<{ data: ApiKey[] }>('/v1/keys'),
    enabled,
  });
}

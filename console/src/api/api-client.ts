import { clearSessionKey, readSessionKey } from './session-key.js';

/** An error answered by the API in its `{error: {type, code, message, param}}` shape. */
export class ApiRequestError extends Error {
  override readonly name = 'ApiRequestError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly param: string | null,
  ) {
    super(message);
  }
}

/** Headers every API call carries: the session's key as a bearer token, when there is one. */
export function authHeaders(key: string | null = readSessionKey()): Record<string, string> {
  return key ? { Authorization: `Bearer ${key}` } : {};
}

/** Calls the imagegate API; JSON in (or a FormData or Blob body as it is) and out, errors thrown as `ApiRequestError`. A 401 signs the tab out. */
export async function api<T>(
  path: string,
  init: { method?: string; body?: unknown; key?: string | null; signal?: AbortSignal } = {},
): Promise<T> {
  const headers: Record<string, string> = {
    ...authHeaders(init.key === undefined ? readSessionKey() : init.key),
  };
  let body: BodyInit | undefined;
  if (init.body instanceof FormData) body = init.body;
  else if (init.body instanceof Blob) {
    // A body sent as it is (a flow file as application/yaml), typed by the blob.
    if (init.body.type) headers['Content-Type'] = init.body.type;
    body = init.body;
  } else if (init.body !== undefined) {
    headers['Content-Type'] = 'application/json';
    body = JSON.stringify(init.body);
  }
  const response = await fetch(path, {
    method: init.method ?? (body ? 'POST' : 'GET'),
    headers,
    ...(body !== undefined ? { body } : {}),
    ...(init.signal ? { signal: init.signal } : {}),
  });
  const text = await response.text();
  const parsed: unknown = text ? JSON.parse(text) : null;
  if (!response.ok) {
    const error = (parsed as { error?: { code?: string; message?: string; param?: string | null } } | null)
      ?.error;
    if (response.status === 401 && init.key === undefined) {
      clearSessionKey();
      window.dispatchEvent(new Event('imagegate:signed-out'));
    }
    throw new ApiRequestError(
      response.status,
      error?.code ?? 'http_error',
      error?.message ?? `HTTP ${response.status}`,
      error?.param ?? null,
    );
  }
  return parsed as T;
}

/** `?a=1&b=2` from the defined values, or ''. */
export function queryString(values: Record<string, string | number | undefined | null>): string {
  const search = new URLSearchParams();
  for (const [name, value] of Object.entries(values)) {
    if (value !== undefined && value !== null && value !== '') search.set(name, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

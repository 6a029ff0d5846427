import { invalidApiKey, missingCredential } from './api-errors.js';

/** Who is calling: an API key (header or `?key=`) or an OAuth bearer token (Vertex AI). */
export type Credential = { kind: 'api-key'; apiKey: string } | { kind: 'bearer'; token: string };

export interface AuthInput {
  /** Looks up a request header, case-insensitively. */
  header(name: string): string | undefined;
  /** The `key` query parameter, if any. */
  keyQueryParameter: string | undefined;
}

/**
 * Finds the caller's credential the way Google does: `x-goog-api-key` first, then `?key=`, then an
 * `Authorization: Bearer` token. Throws the real 403 when there is none and the real 400
 * API_KEY_INVALID when the key is listed in `invalidApiKeys`, or when `acceptedApiKeys` is given and
 * does not list it. Any bearer token is accepted.
 */
export function authenticate(
  input: AuthInput,
  invalidApiKeys: ReadonlySet<string>,
  acceptedApiKeys?: ReadonlySet<string>,
): Credential {
  const apiKey = input.header('x-goog-api-key')?.trim() || input.keyQueryParameter?.trim();
  if (apiKey) {
    if (invalidApiKeys.has(apiKey) || (acceptedApiKeys && !acceptedApiKeys.has(apiKey)))
      throw invalidApiKey();
    return { kind: 'api-key', apiKey };
  }
  const authorization = input.header('authorization')?.trim() ?? '';
  const bearer = /^Bearer\s+(\S+)$/i.exec(authorization);
  if (bearer?.[1]) return { kind: 'bearer', token: bearer[1] };
  throw missingCredential();
}

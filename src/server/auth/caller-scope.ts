import type { Context } from 'hono';
import type { AuthEnv } from './auth-middleware.js';

/**
 * Who is asking, for ownership: every resource (task, event stream, image, file, webhook delivery)
 * belongs to the key that created it, or to nobody when it was created without a key. One rule, used by
 * every route: a caller reaches what its key owns; an admin key reaches everything; a keyless caller
 * (only possible while no key exists) reaches only what was created without a key.
 */
export interface CallerScope {
  /** The caller's key id; undefined without a key. */
  keyId: string | undefined;
  admin: boolean;
}

export function callerScope(c: Context<AuthEnv>): CallerScope {
  const key = c.get('apiKey');
  return { keyId: key?.id, admin: key?.admin === true };
}

/** Whether the caller may see or act on a resource owned by `ownerKeyId` (undefined: created without a key). */
export function mayAccess(scope: CallerScope, ownerKeyId: string | undefined): boolean {
  return scope.admin || scope.keyId === ownerKeyId;
}

/**
 * The owner a listing is filtered to: a key id, null for "created without a key", or undefined for
 * everything (admins).
 */
export function listOwner(scope: CallerScope): string | null | undefined {
  if (scope.admin) return undefined;
  return scope.keyId ?? null;
}

/**
 * The owner a listing is filtered to when the caller also asks for one key's resources
 * (`requestedKeyId`): the caller's own scope narrowed by the request. An admin key gets that key's; a
 * plain or keyless caller gets its own when it names itself and nothing otherwise (`false`), exactly as
 * if the other key had no resources, so a listing cannot tell whether another key exists.
 */
export function narrowedListOwner(
  scope: CallerScope,
  requestedKeyId: string | undefined,
): string | null | undefined | false {
  const owner = listOwner(scope);
  if (requestedKeyId === undefined) return owner;
  if (owner === undefined || owner === requestedKeyId) return requestedKeyId;
  return false;
}

import { ImagegateError, type ImagegateErrorOptions } from '../errors/index.js';

/**
 * Who is asking. Every flow and run belongs to the API key that created it; a request by another key
 * gets "not found" (never "forbidden", which would confirm the name exists). Without auth (local CLI, an
 * open server) `keyId` is undefined and everything is visible; an admin key sees everything.
 */
export interface FlowAccess {
  keyId?: string;
  admin?: boolean;
}

export const localAccess: FlowAccess = {};

export function mayAccess(access: FlowAccess, ownerKeyId: string | undefined): boolean {
  return access.admin === true || access.keyId === undefined || access.keyId === ownerKeyId;
}

/** A flow, version or run that does not exist, or belongs to another key. */
export class FlowNotFoundError extends ImagegateError {
  constructor(
    readonly what: 'flow' | 'version' | 'run' | 'node' | 'variant',
    readonly id: string,
  ) {
    super('not_found', `No ${what} "${id}".`, { code: `${what}_not_found` });
  }
}

/** A request that cannot be done in the current state (retry of a running run, promote of an unfinished one). */
export class FlowStateError extends ImagegateError {
  constructor(message: string, options: ImagegateErrorOptions = {}) {
    super('conflict', message, { code: 'invalid_state', ...options });
  }
}

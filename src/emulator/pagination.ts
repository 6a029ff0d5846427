import { invalidArgument } from './api-errors.js';

/**
 * List pagination as Google does it: `pageSize` capped at a maximum, an opaque `pageToken`, and no
 * `nextPageToken` on the last page.
 */

export interface PageLimits {
  /** Page size when the call names none. */
  defaultPageSize: number;
  /** Larger requested sizes are reduced to this. */
  maxPageSize: number;
}

export interface Page<Item> {
  items: Item[];
  nextPageToken: string | undefined;
}

function encodeToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url');
}

function decodeToken(token: string): number | undefined {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : undefined;
}

export function paginate<Item>(
  items: readonly Item[],
  query: { pageSize: string | undefined; pageToken: string | undefined },
  limits: PageLimits,
): Page<Item> {
  let pageSize = limits.defaultPageSize;
  if (query.pageSize !== undefined && query.pageSize !== '') {
    const requested = Number(query.pageSize);
    if (!Number.isInteger(requested) || requested < 0) {
      throw invalidArgument(
        `Invalid value at 'page_size' (TYPE_INT32), "${query.pageSize}": expected a whole number.`,
      );
    }
    pageSize = requested === 0 ? limits.defaultPageSize : Math.min(requested, limits.maxPageSize);
  }
  let offset = 0;
  if (query.pageToken) {
    const decoded = decodeToken(query.pageToken);
    if (decoded === undefined) throw invalidArgument(`Invalid page_token "${query.pageToken}".`);
    offset = decoded;
  }
  const end = offset + pageSize;
  return {
    items: items.slice(offset, end),
    nextPageToken: end < items.length ? encodeToken(end) : undefined,
  };
}

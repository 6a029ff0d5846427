import { describe, expect, it } from 'vitest';
import { paginate } from './pagination.js';

const limits = { defaultPageSize: 2, maxPageSize: 3 };
const items = [1, 2, 3, 4, 5];

describe('paginate', () => {
  it('walks every page and omits nextPageToken on the last one', () => {
    const seen: number[] = [];
    let pageToken: string | undefined;
    let pages = 0;
    do {
      const page = paginate(items, { pageSize: undefined, pageToken }, limits);
      seen.push(...page.items);
      pageToken = page.nextPageToken;
      pages += 1;
    } while (pageToken);
    expect(seen).toEqual(items);
    expect(pages).toBe(3);
  });

  it('caps the page size at the maximum', () => {
    expect(paginate(items, { pageSize: '1000', pageToken: undefined }, limits).items).toEqual([1, 2, 3]);
  });

  it('refuses a malformed page size or token, naming the value', () => {
    expect(() => paginate(items, { pageSize: 'ten', pageToken: undefined }, limits)).toThrow(/"ten"/);
    expect(() => paginate(items, { pageSize: undefined, pageToken: 'garbage' }, limits)).toThrow(
      /Invalid page_token "garbage"/,
    );
  });
});

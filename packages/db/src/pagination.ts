/** A 1-based page request. */
export interface PageRequest {
  page: number;
  limit: number;
}

/** One page of rows plus the number of rows across all pages. */
export interface PagedRows<T> {
  rows: T[];
  total: number;
}

/** The OFFSET for a page; rejects values the API should already have refused. */
export function pageOffset({ page, limit }: PageRequest): number {
  if (!Number.isSafeInteger(page) || page < 1) throw new RangeError(`invalid page: ${page}`);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new RangeError(`invalid limit: ${limit}`);
  return (page - 1) * limit;
}

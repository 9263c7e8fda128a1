/**
 * Procore v1 pagination: `page` (1-based) and `per_page`, answered with `Total`, `Per-Page` and an RFC 5988
 * `Link` header (first/prev/next/last; `next` is left out on the last page, which is how clients stop).
 */
import type { Request, Response } from 'express';

export const DEFAULT_PER_PAGE = 100;

export function paginate<T>(req: Request, res: Response, items: T[]): T[] {
  const perPage = clampInt(req.query.per_page, DEFAULT_PER_PAGE, 1, 10_000);
  const lastPage = Math.max(1, Math.ceil(items.length / perPage));
  const page = clampInt(req.query.page, 1, 1, Number.MAX_SAFE_INTEGER);
  const link = (p: number, rel: string) => `<${pageUrl(req, p, perPage)}>; rel="${rel}"`;
  const links = [link(1, 'first')];
  if (page > 1) links.push(link(Math.min(page - 1, lastPage), 'prev'));
  if (page < lastPage) links.push(link(page + 1, 'next'));
  links.push(link(lastPage, 'last'));
  res.setHeader('Total', String(items.length));
  res.setHeader('Per-Page', String(perPage));
  res.setHeader('Link', links.join(', '));
  return items.slice((page - 1) * perPage, page * perPage);
}

function clampInt(raw: unknown, fallback: number, min: number, max: number): number {
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? Number(raw) : fallback;
  return Math.min(max, Math.max(min, n));
}

function pageUrl(req: Request, page: number, perPage: number): string {
  const url = new URL(req.originalUrl, `${req.protocol}://${req.get('host') ?? 'localhost'}`);
  url.searchParams.set('page', String(page));
  url.searchParams.set('per_page', String(perPage));
  return url.toString();
}

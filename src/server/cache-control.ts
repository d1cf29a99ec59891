/**
 * The request's `Cache-Control` header as the freshness its answers must have: `no-cache` takes
 * every answer from the upstream (and refreshes the cache), `max-age=N` accepts cached answers at
 * most N seconds old. Other directives mean nothing to this service and are ignored; a `max-age`
 * that is not a number of seconds is refused, so that a typo does not pass for "anything cached".
 */
import type { IncomingHttpHeaders } from 'node:http';
import type { Freshness } from '../woori/api';
import { BadHeaderError } from './request-input';

/** The longest max-age taken as it is (a year, in seconds); larger ones mean the same. */
const MAX_AGE_SECONDS = 31_536_000;

/** The freshness a request asks for; undefined when it asks for none. Throws {@link BadHeaderError}. */
export function freshnessOf(headers: IncomingHttpHeaders): Freshness | undefined {
  const raw = headers['cache-control'];
  const value = Array.isArray(raw) ? raw.join(',') : raw;
  if (value === undefined || value.trim() === '') return undefined;
  let noCache = false;
  let maxAgeMs: number | undefined;
  for (const directive of value.split(',')) {
    const [name, ...rest] = directive.trim().split('=');
    const argument = rest
      .join('=')
      .trim()
      .replace(/^"(.*)"$/, '$1');
    switch (name.trim().toLowerCase()) {
      case 'no-cache':
        noCache = true;
        break;
      case 'max-age': {
        if (!/^\d{1,12}$/.test(argument)) {
          throw new BadHeaderError(
            'cache-control',
            `needs max-age to be a whole number of seconds, like max-age=60, but got ${JSON.stringify(argument.slice(0, 20))}`,
          );
        }
        const seconds = Math.min(Number(argument), MAX_AGE_SECONDS);
        maxAgeMs = Math.min(maxAgeMs ?? Infinity, seconds * 1000);
        break;
      }
      default:
        break;
    }
  }
  if (noCache) return { noCache: true };
  return maxAgeMs === undefined ? undefined : { maxAgeMs };
}

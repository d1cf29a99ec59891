import { freshnessOf } from '../../src/server/cache-control';
import { BadHeaderError } from '../../src/server/request-input';

describe('freshnessOf', () => {
  it.each([
    [undefined, undefined],
    ['', undefined],
    ['no-cache', { noCache: true }],
    ['No-Cache', { noCache: true }],
    ['max-age=30', { maxAgeMs: 30_000 }],
    ['max-age="30"', { maxAgeMs: 30_000 }],
    ['max-age=0', { maxAgeMs: 0 }],
    ['max-age=60, max-age=10', { maxAgeMs: 10_000 }],
    ['max-age=60, no-cache', { noCache: true }],
    ['no-store, must-revalidate', undefined],
    ['max-age=999999999999', { maxAgeMs: 31_536_000_000 }],
  ])('reads %j as %j', (header, freshness) => {
    expect(freshnessOf(header === undefined ? {} : { 'cache-control': header })).toEqual(freshness);
  });

  it.each(['max-age=', 'max-age=-1', 'max-age=1.5', 'max-age=soon'])(
    'refuses %j, naming the header',
    (header) => {
      expect(() => freshnessOf({ 'cache-control': header })).toThrow(BadHeaderError);
      expect(() => freshnessOf({ 'cache-control': header })).toThrow(/cache-control header needs max-age/);
    },
  );
});

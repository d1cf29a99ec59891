/**
 * The fuzz test's checks, each shown to catch what it is for: answers that break one rule get that
 * violation, and a sound answer gets none.
 */
import { type Answer, checkAnswer, type Oracle } from './invariants';
import type { RenderedRequest, RequestContext, World } from './render';

const world: World = {
  baseUrls: { dev: 'http://127.0.0.1:1', prod: 'http://127.0.0.1:2' },
  customers: [
    { name: 'demo', token: 'tok-demo', accounts: ['1002146788200', '1002160010529'] },
    { name: 'many', token: 'tok-many', accounts: ['1081301002227', '1002999999999'] },
    { name: 'ten', token: 'tok-ten', accounts: ['1002888888888'] },
  ],
  cursors: { dev: [], prod: [] },
  lastDay: '2026-06-30',
};
const oracle: Oracle = {
  world,
  secrets: ['the-app-key-123', 'the-secret-key-456'],
  tokens: ['tok-demo', 'tok-many', 'tok-ten'],
  hugeAccount: '1002999999999',
  hugeBalance: '123456789012345678',
};
const request: RenderedRequest = {
  method: 'POST',
  url: 'http://127.0.0.1:1/graphql',
  headers: {},
  body: '{"query":"{ accounts { number } }"}',
};
const demo: RequestContext = {
  mode: 'prod',
  customer: 0,
  token: 'tok-demo',
  phone: '010-2468-1357',
  document: null,
};

function answer(status: number, body: unknown, contentType = 'application/json'): Answer {
  return { status, headers: new Headers({ 'content-type': contentType }), text: JSON.stringify(body) };
}

const kinds = (a: Answer, context = demo, req = request) =>
  checkAnswer(a, req, context, oracle).map((v) => v.kind);

describe('the fuzz checks', () => {
  it('find nothing wrong with a sound answer', () => {
    const sound = answer(200, {
      data: { accounts: [{ number: '1002146788200', balance: { amount: '71888', currency: 'KRW' } }] },
      errors: [
        {
          message: 'The Woori API failed.',
          path: ['accounts', 0, 'detail'],
          extensions: { code: 'UPSTREAM_ERROR', upstreamCode: 'SYSCD09999' },
        },
      ],
    });
    expect(kinds(sound)).toEqual([]);
  });

  it.each([
    [
      'a 500',
      answer(500, { errors: [{ message: 'x', extensions: { code: 'INTERNAL_SERVER_ERROR' } }] }),
      '5xx',
    ],
    [
      'an unregistered code',
      answer(400, { errors: [{ message: 'x', extensions: { code: 'MADE_UP' } }] }),
      'unregistered-code',
    ],
    [
      'a code with a status it never has',
      answer(200, { errors: [{ message: 'x', extensions: { code: 'GRAPHQL_PARSE_FAILED' } }] }),
      'status-not-allowed',
    ],
    [
      'an undeclared extension',
      answer(400, { errors: [{ message: 'x', extensions: { code: 'BAD_REQUEST', exception: {} } }] }),
      'undeclared-extension',
    ],
    ['a 4xx without errors', answer(400, { data: null }), 'no-errors-on-failure'],
    ['the app key', answer(200, { data: { accounts: [] }, extensions: { k: 'the-app-key-123' } }), 'leak'],
    [
      "the caller's own token echoed",
      answer(400, { errors: [{ message: 'bad tok-demo', extensions: { code: 'BAD_REQUEST' } }] }),
      'leak',
    ],
    ["the caller's phone echoed", answer(200, { data: { memo: '010-2468-1357' } }), 'leak'],
    [
      'a stack trace',
      answer(400, {
        errors: [{ message: 'at Object.run (/srv/app/src/x.ts:12:3)', extensions: { code: 'BAD_REQUEST' } }],
      }),
      'stack-trace',
    ],
    [
      'another customer’s account',
      answer(200, { data: { account: { number: '1081301002227' } } }),
      'other-customer-data',
    ],
    ['an amount as a number', answer(200, { data: { balance: { amount: 71888 } } }), 'inexact-amount'],
    [
      'an amount rounded',
      answer(200, { data: { balance: { amount: '1.2345678901234568e+17' } } }),
      'inexact-amount',
    ],
    ['an unsafe integer', answer(200, { data: { totalCount: 2 ** 60 } }), 'inexact-amount'],
    [
      'not JSON',
      { status: 200, headers: new Headers({ 'content-type': 'application/json' }), text: '<html>' },
      'not-json',
    ],
  ])('catch %s', (_name, bad, kind) => {
    expect(kinds(bad)).toContain(kind);
  });

  it('catch the 18-digit balance when it is not exact', () => {
    const many: RequestContext = { ...demo, customer: 1, token: 'tok-many' };
    const rounded = answer(200, {
      data: { accounts: [{ number: '1002999999999', balance: { amount: '123456789012345680' } }] },
    });
    expect(kinds(rounded, many)).toEqual(['wrong-huge-balance']);
    const exact = answer(200, {
      data: { accounts: [{ number: '1002999999999', balance: { amount: '123456789012345678' } }] },
    });
    expect(kinds(exact, many)).toEqual([]);
  });

  it("allow another customer's number in an error when the request itself carried it", () => {
    const asked: RenderedRequest = {
      ...request,
      body: '{"query":"{ account(number: \\"1081301002227\\") { number } }"}',
    };
    const echoed = answer(200, {
      data: { account: null },
      errors: [{ message: 'x 1081301002227', extensions: { code: 'BAD_USER_INPUT' } }],
    });
    expect(kinds(echoed, demo, asked)).toEqual([]);
  });

  it('allow GraphiQL only in development, to a GET', () => {
    const page = {
      status: 200,
      headers: new Headers({ 'content-type': 'text/html; charset=utf-8' }),
      text: '<html>',
    };
    const get: RenderedRequest = { method: 'GET', url: 'http://127.0.0.1:1/graphql', headers: {} };
    expect(kinds(page, { ...demo, mode: 'dev' }, get)).toEqual([]);
    expect(kinds(page, demo, get)).toEqual(['not-json']);
  });
});

/**
 * ts-jest compiles each file on its own (tsconfig's `isolatedModules`): no type checking in the
 * tests, which is `npm run typecheck`'s job, so a cold run does not type-check the project once per
 * worker. Decorator metadata still holds: classes are referenced as in a full compile, and the
 * schema test fails if a field's type could not be inferred.
 *
 * One worker per core: the tests mostly wait on I/O (the sandbox over HTTP, child processes,
 * timers), and jest's default (cores - 1) would run the whole suite in one process on 2 cores.
 *
 * @type {import('jest').Config}
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }] },
  setupFiles: ['reflect-metadata'],
  testTimeout: 30000,
  maxWorkers: '100%',
};

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  // tsconfig sets isolatedModules, so ts-jest transpiles file by file (type checking is `npm run typecheck`).
  transform: { '^.+\\.ts$': ['ts-jest', {}] },
  testTimeout: 60000,
  // PGlite/PostgreSQL-backed suites are CPU heavy; two workers match the 2-core machine.
  maxWorkers: 2,
  reporters: ['default', '<rootDir>/tests/support/summary-reporter.js'],
};

// Tests run on TypeScript sources through swc (no type check here: `pnpm typecheck` does that).
/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/packages', '<rootDir>/apps', '<rootDir>/examples'].filter((p) =>
    require('fs').existsSync(p.replace('<rootDir>', __dirname)),
  ),
  testMatch: ['**/test/**/*.test.ts'],
  transform: { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022', parser: { syntax: 'typescript' } } }] },
  moduleNameMapper: { '^@tts-ecs/([a-z-]+)$': '<rootDir>/packages/$1/src' },
  modulePathIgnorePatterns: ['<rootDir>/.*/dist/'],
  testPathIgnorePatterns: ['/node_modules/', '/dist/'],
  // Temporary folders of a run live under one folder, removed at the end (scripts/jest-temp-*.js).
  globalSetup: '<rootDir>/scripts/jest-temp-setup.js',
  globalTeardown: '<rootDir>/scripts/jest-temp-teardown.js',
  // Synth-heavy tests: two workers match the 2-core CI machine and cap memory.
  maxWorkers: process.env.JEST_MAX_WORKERS ?? 2,
};

/**
 * Jest projects, a test pyramid (TypeScript through swc; type checking is `npm run typecheck`):
 *   unit        pure logic: mappings, planners, registries, payload parsing — no server, no database, seconds
 *   simulators  the simulators' own tests (packages/*) and the connector's clients against them, in-process
 *   workflow    workflows with stub activities on a real Temporal dev server the test environment starts
 *   integration the API and store on real PostgreSQL and Temporal (tests/global-setup.ts)
 *   e2e         everything over HTTP: API, worker, both simulators (tests/global-setup.ts)
 * `npm test` runs all, one file at a time (integration and e2e share one Temporal server and PostgreSQL);
 * `npm run test:unit` the first.
 */
const transform = { '^.+\\.ts$': ['@swc/jest', { jsc: { target: 'es2022' } }] };
const project = (name, roots, extra = {}) => ({
  displayName: name,
  testEnvironment: 'node',
  roots,
  testMatch: ['**/*.test.ts'],
  transform,
  ...extra,
});
const services = {
  globalSetup: '<rootDir>/tests/global-setup.ts',
  globalTeardown: '<rootDir>/tests/global-teardown.ts',
};

module.exports = {
  testTimeout: 120000,
  projects: [
    project('unit', ['<rootDir>/tests/unit']),
    project('simulators', [
      '<rootDir>/tests/simulators',
      '<rootDir>/packages/procore-simulator/tests',
      '<rootDir>/packages/acumatica-simulator/tests',
    ]),
    project('workflow', ['<rootDir>/tests/workflow']),
    project('integration', ['<rootDir>/tests/integration'], services),
    project('e2e', ['<rootDir>/tests/e2e'], services),
  ],
};

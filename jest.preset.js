// Shared jest settings: TypeScript through swc (with Nest's decorator metadata and React's JSX),
// and @mixflow/* imports mapped to their sources so tests never need a build of their dependencies.
const { root, projects } = require('./tools/workspace');

const swc = {
  jsc: {
    parser: { syntax: 'typescript', tsx: true, decorators: true },
    transform: { legacyDecorator: true, decoratorMetadata: true, react: { runtime: 'automatic' } },
    target: 'es2022',
    keepClassNames: true,
  },
  module: { type: 'commonjs' },
  sourceMaps: 'inline',
};

const moduleNameMapper = Object.fromEntries(
  projects()
    .filter((p) => !p.dir.startsWith('apps/') && !p.dir.startsWith('e2e/'))
    .map((p) => [`^${p.name}$`, `${root}/${p.dir}/src/index.ts`]),
);

/** One jest project for a workspace folder; `overrides` for the few that differ (jsdom, globs). */
function project(dir, overrides = {}) {
  const entry = projects().find((p) => p.dir === dir);
  return {
    displayName: entry ? entry.short : dir,
    rootDir: `${root}/${dir}`,
    testEnvironment: 'node',
    transform: { '^.+\\.(t|j)sx?$': ['@swc/jest', swc] },
    moduleNameMapper,
    testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/src/**/*.spec.tsx'],
    testPathIgnorePatterns: ['/node_modules/', '/dist/', '\\.redis\\.spec\\.ts$', '\\.browser\\.spec\\.ts$'],
    ...overrides,
  };
}

module.exports = { project, projects, root, swc, moduleNameMapper };

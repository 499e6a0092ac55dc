// `npm test`: every project's unit tests and the API end-to-end suite (no outside services needed).
// The browser suite (jest.web.config.js) and the Redis suite (jest.redis.config.js) have their own commands.
const { project, projects, moduleNameMapper } = require('./jest.preset');

const special = {
  'apps/web': () =>
    project('apps/web', {
      testEnvironment: 'jsdom',
      setupFilesAfterEnv: ['<rootDir>/src/test/setup.ts'],
      moduleNameMapper: {
        ...moduleNameMapper,
        '^@mixflow/component-sdk/params$': '<rootDir>/../../libs/component-sdk/src/params.ts',
        '\\.css$': '<rootDir>/src/test/style-stub.cjs',
      },
    }),
};

module.exports = {
  // Engine tests start worker threads; on a busy 2-core machine a start alone can take seconds.
  testTimeout: 30_000,
  projects: projects()
    .filter((p) => p.dir !== 'e2e/web')
    .map((p) => (special[p.dir] ? special[p.dir]() : project(p.dir))),
};

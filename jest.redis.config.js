// `npm run test:redis`: suites that start a real redis-server on a loopback port (see README).
const { project, projects } = require('./jest.preset');

module.exports = {
  projects: projects().map((p) =>
    project(p.dir, { testMatch: ['<rootDir>/src/**/*.redis.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] }),
  ),
};

// `npm run test:web`: the console in Debian's Chromium through playwright-core (see README).
const { project } = require('./jest.preset');

module.exports = {
  projects: [project('e2e/web', { testMatch: ['<rootDir>/src/**/*.browser.spec.ts'], testPathIgnorePatterns: ['/node_modules/', '/dist/'] })],
};

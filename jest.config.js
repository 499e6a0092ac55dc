// `npm test`: every project's unit tests and the API end-to-end suite (no outside services needed).
// The browser suite (jest.web.config.js) and the Redis suite (jest.redis.config.js) have their own commands.
const { project, projects } = require('./jest.preset');

const special = { 'apps/web': () => project('apps/web', { testEnvironment: 'jsdom' }) };

module.exports = {
  projects: projects()
    .filter((p) => p.dir !== 'e2e/web')
    .map((p) => (special[p.dir] ? special[p.dir]() : project(p.dir))),
};

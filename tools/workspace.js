// The one list of the workspace's TypeScript projects: jest, tsconfig paths and the plugin loader read it.
// Each entry: import name -> folder. Keep it in step with package.json "workspaces".
const path = require('node:path');
const fs = require('node:fs');

const root = path.resolve(__dirname, '..');
const groups = ['libs', 'plugins', 'apps', 'e2e'];

/** @returns {{ name: string, dir: string, short: string }[]} */
function projects() {
  const out = [];
  for (const group of groups) {
    const base = path.join(root, group);
    if (!fs.existsSync(base)) continue;
    for (const entry of fs.readdirSync(base).sort()) {
      const pkgFile = path.join(base, entry, 'package.json');
      if (!fs.existsSync(pkgFile)) continue;
      const pkg = JSON.parse(fs.readFileSync(pkgFile, 'utf8'));
      out.push({ name: pkg.name, dir: `${group}/${entry}`, short: `${group === 'libs' ? '' : group.replace(/s$/, '') + '-'}${entry}` });
    }
  }
  return out;
}

module.exports = { root, projects };

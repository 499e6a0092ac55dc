/**
 * `npm install` on the oldest Node the project supports: every package the lockfile records, and every package
 * installed, must accept the lowest version of the root `engines.node` range (20.19.0), as npm's own EBADENGINE check
 * does (npm-install-checks: `semver.satisfies(node, engines.node, { includePrerelease: true })`).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

const root = path.resolve(__dirname, '..', '..', '..');
const semver = require('semver') as {
  satisfies(version: string, range: string, options?: { includePrerelease?: boolean }): boolean;
  minVersion(range: string): { version: string } | null;
};

type Manifest = { name?: string; version?: string; engines?: unknown };
const readJson = <T>(file: string): T => JSON.parse(fs.readFileSync(file, 'utf8')) as T;

/** the Node version npm would reject first: the lowest one the root package.json admits */
const oldestNode = (): string => {
  const range = (readJson<{ engines: { node: string } }>(path.join(root, 'package.json'))).engines.node;
  const lowest = semver.minVersion(range);
  if (!lowest) throw new Error(`package.json engines.node "${range}" admits no version`);
  return lowest.version;
};

/** "name@version needs node <range>" for a manifest whose engines.node rejects `node`; null when it accepts it */
function rejects(manifest: Manifest, node: string, where: string): string | null {
  const engines = manifest.engines as { node?: unknown } | undefined;
  // npm reads engines.node only from an object (a few old packages carry an array, which npm ignores)
  if (!engines || typeof engines !== 'object' || Array.isArray(engines) || typeof engines.node !== 'string') return null;
  return semver.satisfies(node, engines.node, { includePrerelease: true }) ? null : `${where} (${manifest.version}) needs node ${engines.node}`;
}

/** every package.json under the node_modules folders of the root and the workspaces, nested ones included */
function installedManifests(): { where: string; manifest: Manifest }[] {
  const out: { where: string; manifest: Manifest }[] = [];
  const visit = (modules: string) => {
    if (!fs.existsSync(modules)) return;
    for (const entry of fs.readdirSync(modules, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue;
      const dir = path.join(modules, entry.name);
      if (entry.name.startsWith('@')) {
        visit(dir);
        continue;
      }
      if (entry.isSymbolicLink()) continue; // the workspaces themselves
      const file = path.join(dir, 'package.json');
      if (!fs.existsSync(file)) continue;
      out.push({ where: path.relative(root, dir), manifest: readJson<Manifest>(file) });
      visit(path.join(dir, 'node_modules'));
    }
  };
  visit(path.join(root, 'node_modules'));
  for (const group of ['apps', 'libs', 'plugins', 'e2e']) {
    for (const ws of fs.readdirSync(path.join(root, group))) visit(path.join(root, group, ws, 'node_modules'));
  }
  return out;
}

describe('npm install on Node 20', () => {
  const node = oldestNode();

  it('admits Node 20 at the root', () => {
    expect(node).toMatch(/^20\./);
  });

  it('every package in package-lock.json accepts the oldest supported Node (no EBADENGINE warning)', () => {
    const lock = readJson<{ packages: Record<string, Manifest> }>(path.join(root, 'package-lock.json'));
    const entries = Object.entries(lock.packages).filter(([where]) => where.includes('node_modules/'));
    expect(entries.length).toBeGreaterThan(500);
    const bad = entries.map(([where, manifest]) => rejects(manifest, node, where)).filter((m): m is string => m !== null);
    expect(bad).toEqual([]);
  });

  it('every installed package accepts the oldest supported Node', () => {
    const installed = installedManifests();
    expect(installed.length).toBeGreaterThan(500);
    const bad = installed.map(({ where, manifest }) => rejects(manifest, node, where)).filter((m): m is string => m !== null);
    expect(bad).toEqual([]);
  });

  it('the check itself rejects what npm rejects', () => {
    expect(rejects({ version: '22.3.0', engines: { node: '>=22' } }, '20.19.0', 'file-type')).toMatch(/file-type .*needs node >=22/);
    expect(rejects({ engines: { node: '^20.19.0 || >=22.12.0' } }, '20.19.0', 'x')).toBeNull();
    expect(rejects({ engines: ['node >= 0.4'] }, '20.19.0', 'x')).toBeNull();
  });
});

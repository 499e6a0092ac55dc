// Lint: TypeScript rules plus the layers' boundaries, so arrows point one way (apps -> plugins -> platform -> engine).
// Every project has a type tag (type:lib | plugin | app | e2e) and a scope tag (scope:engine | platform | plugin |
// client | app) in its project.json. The scope rule below is built from those tags and the package names here, so
// `eslint .` enforces it without Nx's project graph; Nx's enforce-module-boundaries checks the type tags (and
// builds the project graph itself when none is cached).
import { createProjectGraphAsync } from '@nx/devkit';
import nx from '@nx/eslint-plugin';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import tseslint from 'typescript-eslint';

const require = createRequire(import.meta.url);
const { projects } = require('./tools/workspace.js');

/** What each scope may import (besides itself where listed). */
const SCOPE_MAY_IMPORT = {
  'scope:engine': ['scope:engine'],
  'scope:platform': ['scope:platform', 'scope:engine'],
  'scope:plugin': ['scope:platform', 'scope:engine'],
  'scope:client': ['scope:client', 'scope:platform', 'scope:engine'],
  'scope:app': ['scope:app', 'scope:platform', 'scope:engine', 'scope:plugin', 'scope:client'],
};

/** The platform that knows no algorithm: these never import the GMM engine or plugin (they speak of descriptions, tables, model ports and views). */
const KNOWS_NO_ALGORITHM = ['libs/component-sdk', 'libs/workflow', 'libs/executor', 'apps/api'];
const ALGORITHM_PACKAGES = ['@mixflow/gmm', '@mixflow/plugin-gmm'];

const workspace = projects().map((p) => {
  const tags = JSON.parse(readFileSync(new URL(`./${p.dir}/project.json`, import.meta.url), 'utf8')).tags ?? [];
  const scope = tags.find((t) => t.startsWith('scope:'));
  if (!SCOPE_MAY_IMPORT[scope]) throw new Error(`${p.dir}/project.json: give it one scope tag of ${Object.keys(SCOPE_MAY_IMPORT).join(', ')}`);
  return { ...p, scope };
});

/** One no-restricted-imports entry per project: the packages of the scopes it may not import. */
const scopeBoundaries = workspace.map((p) => {
  const allowed = SCOPE_MAY_IMPORT[p.scope];
  const banned = workspace.filter((q) => q.name !== p.name && !allowed.includes(q.scope)).map((q) => q.name);
  if (KNOWS_NO_ALGORITHM.includes(p.dir)) banned.push(...ALGORITHM_PACKAGES.filter((n) => !banned.includes(n)));
  const paths = banned.map((name) => ({
    name,
    message: `${p.dir} (${p.scope}) may import only ${allowed.join(', ')}${KNOWS_NO_ALGORITHM.includes(p.dir) ? ', and never an algorithm (GMM) package' : ''}; see ARCHITECTURE.md`,
  }));
  const patterns = banned.map((name) => ({ group: [`${name}/*`], message: paths.find((x) => x.name === name).message }));
  return { files: [`${p.dir}/**/*.ts`, `${p.dir}/**/*.tsx`], rules: { 'no-restricted-imports': ['error', { paths, patterns }] } };
});

// enforce-module-boundaries skips its check when no project graph is cached; build one first
await createProjectGraphAsync({ exitOnError: false }).catch(() => undefined);

const consoleLibraryImports = {
  regex: '^@mixflow/(?!component-sdk/params$)',
  allowTypeImports: true,
  message: 'apps/web may import only types from the libraries (import type / export type), and values only from @mixflow/component-sdk/params.',
};
// typescript-eslint lets a type import through when any matching pattern allows type imports, so outside the GMM
// web part the library pattern leaves GMM's packages to the stricter one below
const otherLibraryImports = { ...consoleLibraryImports, regex: '^@mixflow/(?!component-sdk/params$|gmm(/|$)|plugin-gmm(/|$))' };
const gmmOutsideItsWebPart = {
  regex: '^@mixflow/(gmm|plugin-gmm)(/|$)',
  message: "GMM's types are the GMM plugin's web part's (apps/web/src/plugins/gmm); the console's generic modules speak of views, not of GMM.",
};

export default [
  { ignores: ['**/dist/**', '**/node_modules/**', '**/coverage/**', 'data/**', 'tools/**', '**/*.js', '**/*.mjs', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { '@nx': nx },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-require-imports': 'off',
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'scope:engine', onlyDependOnLibsWithTags: ['scope:engine'] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:plugin'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:plugin', 'type:app'] },
          ],
        },
      ],
    },
  },
  ...scopeBoundaries,
  {
    // The console's bundle holds no Node code: it uses the libraries' types (erased), never their values. The one
    // exception is the component SDK's parameter rules (libs/component-sdk/src/params.ts, pure: no imports but
    // types), so the inspector checks parameters exactly as the API does. GMM's types belong to the GMM plugin's
    // web part (apps/web/src/plugins/gmm); the rest of the console knows no algorithm.
    files: ['apps/web/src/**/*.ts', 'apps/web/src/**/*.tsx'],
    ignores: ['apps/web/src/plugins/gmm/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [otherLibraryImports, gmmOutsideItsWebPart] }],
    },
  },
  {
    files: ['apps/web/src/plugins/gmm/**/*.ts', 'apps/web/src/plugins/gmm/**/*.tsx'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', { patterns: [consoleLibraryImports] }],
    },
  },
];

// Lint: TypeScript rules plus Nx's module boundaries, so arrows point one way (apps -> plugins -> libs)
// and libs/gmm depends on nothing of ours.
import nx from '@nx/eslint-plugin';
import tseslint from 'typescript-eslint';

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
            { sourceTag: 'scope:gmm', onlyDependOnLibsWithTags: [] },
            { sourceTag: 'type:lib', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:plugin', onlyDependOnLibsWithTags: ['type:lib'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['type:lib', 'type:plugin'] },
            { sourceTag: 'type:e2e', onlyDependOnLibsWithTags: ['type:lib', 'type:plugin', 'type:app'] },
          ],
        },
      ],
    },
  },
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

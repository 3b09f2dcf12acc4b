// Flat config. The import bans below keep workflow code deterministic, the
// domain free of side effects and the HTTP side layered, as
// ../shared/docs/STYLE.md asks.
import { builtinModules } from 'node:module';
import importX from 'eslint-plugin-import-x';
import tseslint from 'typescript-eslint';

// Every Node built-in, with and without the node: prefix (node:test and the like exist only prefixed).
const nodeBuiltins = [
  ...new Set(builtinModules.flatMap((m) => (m.startsWith('node:') ? [m] : [m, `node:${m}`]))),
];
const banned = [
  ...nodeBuiltins,
  'mongoose',
  'express',
  'nodemailer',
  'jose',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];
const FRONT_END_MESSAGE =
  'api/, web/ and auth/ receive only the services object (services/create-services.ts): ask a service, never the data layer or Temporal.';
const restrict = (extra, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [...banned, ...extra].map((name) => ({ name, message })),
      patterns: [
        // Types may cross (proxyActivities<Activities>), code may not.
        {
          group: [
            '**/activities/*',
            '**/store/*',
            '**/api/*',
            '**/worker/*',
            '**/notify/*',
            '**/web/*',
            '**/services/*',
            '**/server/*',
            '**/auth/*',
            '**/scripts/*',
          ],
          message,
          allowTypeImports: true,
        },
        {
          group: ['**/lifecycle*'],
          message: 'lifecycle.ts is client-side code; workflows must not import it.',
        },
      ],
    },
  ],
});

export default tseslint.config(
  // web/assets/ is browser JavaScript served as it is (no TypeScript project).
  { ignores: ['node_modules/', 'data/', 'test-results/', 'bench/results/', 'web/assets/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] } },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    // No import cycles, and the HTTP side in layers: the composition in server/ joins
    // api/ (JSON) and web/ (pages), which never import each other; both call services/.
    files: ['**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/extensions': ['.ts', '.js'],
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts'] },
      'import-x/resolver-next': [importX.createNodeResolver({ extensions: ['.ts', '.js'] })],
    },
    rules: {
      'import-x/no-cycle': ['error', { ignoreExternal: true }],
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './api',
              from: './web',
              message:
                'api/ and web/ never import each other: put shared logic in services/ or domain/.',
            },
            {
              target: './web',
              from: './api',
              message:
                'api/ and web/ never import each other: put shared logic in services/ or domain/.',
            },
            {
              target: './services',
              from: ['./api', './web', './server'],
              message: 'services/ assume no HTTP: front ends call them, not the other way round.',
            },
            {
              target: './domain',
              from: [
                './activities',
                './store',
                './services',
                './api',
                './web',
                './server',
                './worker',
                './workflows',
                './notify',
                './scripts',
                './auth',
              ],
              message: 'domain/ is pure and imports only domain/.',
            },
            {
              target: './store',
              from: ['./activities', './worker', './workflows', './notify', './scripts'],
              message:
                'store/ is the data layer (models, queries, reads): rules go in domain/, loops in worker/, operations in scripts/.',
            },
            {
              target: './activities',
              from: ['./worker', './scripts'],
              message:
                'activities/ are what the worker registers; the worker imports them, not the other way round.',
            },
            {
              target: ['./activities', './store', './worker', './workflows', './notify'],
              from: ['./api', './web', './server', './services'],
              message: 'the engine does not depend on the HTTP side.',
            },
            {
              target: [
                './api',
                './web',
                './auth',
                './server',
                './worker',
                './services',
                './activities',
                './store',
                './notify',
                './workflows',
                './domain',
                './config.ts',
                './temporal.config.ts',
                './env.ts',
                './run-main.ts',
              ],
              from: './scripts',
              message:
                'production code never imports scripts/ (the local stack and operations): move what both need out of scripts/.',
            },
          ],
        },
      ],
    },
  },
  {
    // The front ends and sign-in reach data and Temporal only through the services
    // object (services/create-services.ts): never a model, a query or a client.
    files: ['api/**/*.ts', 'web/**/*.ts', 'auth/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: ['mongoose', '@temporalio/client', '@temporalio/worker'].map((name) => ({
            name,
            message: FRONT_END_MESSAGE,
          })),
          patterns: [
            {
              group: ['**/store/*', '**/workflows/*', '**/activities/*', '**/worker/*'],
              message: FRONT_END_MESSAGE,
            },
          ],
        },
      ],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: restrict(
      ['zod'],
      'Workflow code must stay deterministic: import only @temporalio/workflow, domain/ and types.',
    ),
  },
  {
    // Client-side helpers kept beside their workflow; never imported by workflow code (see above).
    files: ['workflows/**/lifecycle.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['domain/**/*.ts'],
    rules: restrict(['@temporalio/workflow'], 'domain/ is pure: no I/O, no Temporal, no servers.'),
  },
  {
    // Tests read JSON bodies whose shape is what they assert.
    files: ['test/**/*.ts', '**/*.test.ts', 'bench/**/*.ts'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);

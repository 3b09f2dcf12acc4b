// Flat config. The import bans below keep workflow code deterministic and the
// domain free of side effects, as ../shared/docs/STYLE.md asks.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert',
  'buffer',
  'child_process',
  'cluster',
  'crypto',
  'dgram',
  'dns',
  'events',
  'fs',
  'fs/promises',
  'http',
  'http2',
  'https',
  'net',
  'os',
  'path',
  'perf_hooks',
  'process',
  'readline',
  'stream',
  'timers',
  'tls',
  'url',
  'util',
  'v8',
  'vm',
  'worker_threads',
  'zlib',
];
const banned = [
  ...nodeBuiltins,
  ...nodeBuiltins.map((m) => `node:${m}`),
  'mongoose',
  'express',
  'nodemailer',
  'jose',
  '@temporalio/client',
  '@temporalio/worker',
  '@temporalio/activity',
  '@temporalio/testing',
];
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

// Flat config. The import bans below keep workflow code deterministic and the
// domain free of side effects, as ../shared/docs/STYLE.md asks.
import tseslint from 'typescript-eslint';

const nodeBuiltins = [
  'assert', 'buffer', 'child_process', 'cluster', 'crypto', 'dgram', 'dns', 'events', 'fs',
  'fs/promises', 'http', 'http2', 'https', 'net', 'os', 'path', 'perf_hooks', 'process',
  'readline', 'stream', 'timers', 'tls', 'url', 'util', 'v8', 'vm', 'worker_threads', 'zlib',
];
const banned = [
  ...nodeBuiltins,
  ...nodeBuiltins.map((m) => `node:${m}`),
  'mongoose', 'express', 'nodemailer', 'jose',
  '@temporalio/client', '@temporalio/worker', '@temporalio/activity', '@temporalio/testing',
];
const restrict = (extra, message) => ({
  'no-restricted-imports': [
    'error',
    {
      paths: [...banned, ...extra].map((name) => ({ name, message })),
      patterns: [
        { group: ['**/activities/*', '**/store/*', '**/api/*', '**/worker/*', '**/notify/*', '**/web/*', '**/scripts/*'], message },
      ],
    },
  ],
});

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'test-results/', 'bench/results/'] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['eslint.config.js'] } },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: restrict(['zod'], 'Workflow code must stay deterministic: import only @temporalio/workflow, domain/ and types.'),
  },
  {
    files: ['domain/**/*.ts'],
    rules: restrict(['@temporalio/workflow'], 'domain/ is pure: no I/O, no Temporal, no servers.'),
  },
  {
    files: ['eslint.config.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);

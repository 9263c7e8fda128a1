// Lint rules. The workflow override is the determinism guard from temporalio/samples-typescript
// (.shared/.eslintrc.js), extended to forbid value imports of activities, clients, store and heavy libraries.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/**', '.tools/**', '.data/**', 'coverage/**', 'dist/**', '**/*.js', '**/*.mjs'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['node:*', 'fs', 'path', 'http', 'https', 'crypto', 'child_process', 'os', 'net'],
              message: 'Workflow code must be deterministic: no Node built-ins.',
            },
            {
              group: [
                'zod',
                'pg',
                'express',
                'decimal.js',
                '@temporalio/activity',
                '@temporalio/worker',
                '@temporalio/client',
              ],
              message: 'Keep heavy libraries and I/O out of workflow code.',
            },
            {
              group: [
                '**/activities/*',
                '**/clients/**',
                '**/store/**',
                '**/packages/**',
                '*-simulator',
                '*-simulator/**',
                'simulator-common',
                '**/api/**',
              ],
              message: 'Workflows may only `import type` from activities; no I/O modules.',
              allowTypeImports: true,
            },
          ],
        },
      ],
    },
  },
);

import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// Every Node built-in, in both spellings (`fs` and `node:fs`); `node:`-only ones such as
// `node:test` appear in the list already prefixed.
const nodeBuiltins = [
  ...new Set(builtinModules.flatMap((name) => (name.startsWith('node:') ? [name] : [name, `node:${name}`]))),
];

export default tseslint.config(
  { ignores: ['dist/', 'data/', 'coverage/', 'node_modules/', 'test-artifacts/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { console: 'readonly', process: 'readonly', require: 'readonly', module: 'writable' },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Type-aware: a forgotten `await` on an activity, a workflow API or a client call is a bug,
    // and so is a promise handed to something that expects a plain callback.
    files: ['src/**/*.ts', 'scripts/**/*.ts', 'test/**/*.ts'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        // Fastify's reply is thenable so handlers may return it; setting a header is not a promise.
        { allowForKnownSafePromises: [{ from: 'package', name: 'FastifyReply', package: 'fastify' }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
    },
  },
  {
    // Workflow code runs in Temporal's deterministic sandbox: keep Node APIs out of it.
    files: ['src/workflows/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Node built-ins are not allowed in workflow code',
          })),
          patterns: [
            {
              // Built-ins only ever spelled with the prefix (node:test, node:sqlite) that this Node's
              // list may lack; those listed above are reported there, once.
              group: [
                'node:*',
                ...nodeBuiltins.filter((name) => name.startsWith('node:')).map((name) => `!${name}`),
              ],
              message: 'Node built-ins are not allowed in workflow code',
            },
            {
              group: ['**/activities/*', '**/integrations/*'],
              message: 'Workflows reach activities through proxyActivities only',
            },
            {
              group: ['**/domain/status-schema'],
              message: 'Workflow code takes the status types from domain/status, never the schemas',
            },
          ],
        },
      ],
    },
  },
  {
    // The domain is the innermost layer: schemas, types and pure rules that import nothing outer.
    files: ['src/domain/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: ['../*'], message: 'src/domain imports nothing outside src/domain' }] },
      ],
    },
  },
);

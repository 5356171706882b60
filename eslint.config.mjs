// Lint rules, including the process borders from the design: the engine knows nothing of
// VS Code or LSP, the client never touches a store, and only engine/src/index.ts is public.
import tseslint from 'typescript-eslint';

const vscodeAndLsp = ['vscode', 'vscode-languageclient', 'vscode-languageclient/*', 'vscode-languageserver', 'vscode-languageserver/*', 'vscode-languageserver-textdocument'];
const storeDrivers = ['sql.js', 'pg', 'mysql2', 'mysql2/*', 'ioredis', 'redis', 'node:sqlite', 'memjs'];
const engineInternals = {
  group: ['**/engine/src/*/**', '**/engine/src/!(index)'],
  message: 'Import the engine through engine/src/index.ts only.',
};

export default tseslint.config(
  { ignores: ['node_modules/**', 'dist/**', 'out/**', '.cache/**', '.artifacts/**', 'test/fixtures/**', 'demo/**'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      'no-console': 'off',
    },
  },
  {
    files: ['engine/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: vscodeAndLsp.filter((p) => !p.includes('*')),
        patterns: [
          { group: vscodeAndLsp.filter((p) => p.includes('*')), message: 'The engine has no VS Code or LSP dependency.' },
          { group: ['**/server/src/**', '**/client/src/**', '**/cli/src/**'], message: 'The engine depends on nothing above it.' },
        ],
      }],
    },
  },
  {
    files: ['client/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...storeDrivers, 'vscode-languageserver'],
        patterns: [
          { group: ['**/engine/**'], message: 'The client never touches a store: ask the server through server/src/protocol.ts.' },
          { group: ['**/server/src/!(protocol)'], message: 'The client shares only server/src/protocol.ts with the server.' },
          { group: ['**/cli/src/**'], message: 'The client does not depend on the CLI.' },
        ],
      }],
    },
  },
  {
    files: ['server/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: ['vscode', 'vscode-languageclient', ...storeDrivers],
        patterns: [engineInternals, { group: ['**/client/src/**', '**/cli/src/**'], message: 'The server is a thin adapter over the engine.' }],
      }],
    },
  },
  {
    files: ['cli/src/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...vscodeAndLsp.filter((p) => !p.includes('*')), ...storeDrivers],
        patterns: [engineInternals, { group: ['**/client/src/**', '**/server/src/**'], message: 'The CLI is a thin adapter over the engine.' }],
      }],
    },
  },
  {
    files: ['**/*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly' } },
  },
);

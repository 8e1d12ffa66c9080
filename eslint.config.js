import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';

// The server's rooms, top to bottom (docs/architecture.md). An import may only run down:
// top (main, start-hub, admin-cli…) → transports (socket, http) → services (hub, directory,
// auth, audit) → log → base → @lagesbild/shared. Production code never imports a test kit.
const serverRooms = {
  top: '(start-hub|main|admin-cli|admin-commands|backup-commands|side-stores|region-file|start-banner)(\\.js)?$',
  transports: '(socket|http)/',
  services: '(hub|directory|auth|audit)/',
  log: 'log/',
};
const above = (...rooms) => ({
  regex: `^(\\.\\./)+(${rooms.map((room) => serverRooms[room]).join('|')})`,
  message:
    'This import runs up the floors of the server (see docs/architecture.md): move the shared part down.',
});
const testKits = {
  regex: '(^|/)testing/|test-factories',
  message: 'Production code never imports a test kit.',
};
const serverProduction = { ignores: ['server/src/**/*.test.ts', 'server/src/**/testing/**'] };

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'client/dist/**', '.tsbuild/**', 'data/**'] },
  js.configs.recommended,
  ...tseslint.configs.strict,
  {
    languageOptions: { ecmaVersion: 2023, sourceType: 'module' },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-non-null-assertion': 'error',
      '@typescript-eslint/ban-ts-comment': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['client/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // Only the realtime module owns the socket (STYLE.md).
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'socket.io-client', message: 'Only client/src/realtime may import socket.io-client.' },
          ],
        },
      ],
    },
  },
  {
    files: ['client/src/realtime/**/*.ts'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['server/src/base/**/*.ts'],
    ...serverProduction,
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [above('top', 'transports', 'services', 'log'), testKits] },
      ],
    },
  },
  {
    files: ['server/src/log/**/*.ts'],
    ...serverProduction,
    rules: {
      'no-restricted-imports': ['error', { patterns: [above('top', 'transports', 'services'), testKits] }],
    },
  },
  {
    files: ['server/src/{hub,directory,auth,audit}/**/*.ts'],
    ...serverProduction,
    rules: { 'no-restricted-imports': ['error', { patterns: [above('top', 'transports'), testKits] }] },
  },
  {
    files: ['server/src/{socket,http}/**/*.ts'],
    ...serverProduction,
    rules: { 'no-restricted-imports': ['error', { patterns: [above('top'), testKits] }] },
  },
  {
    files: ['server/src/*.ts'],
    ...serverProduction,
    rules: { 'no-restricted-imports': ['error', { patterns: [testKits] }] },
  },
);

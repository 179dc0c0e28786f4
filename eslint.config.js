// Lint rules are errors, never warnings: CI fails on any finding.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['dist/**', 'data/**', 'node_modules/**', 'web/**/dist/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-restricted-properties': [
        'error',
        { object: 'process', property: 'env', message: 'Read settings through src/config.ts only.' },
      ],
      // Server HTML is escaped by React; raw HTML only through src/server/html/raw.tsx.
      'no-restricted-syntax': [
        'error',
        {
          selector: "JSXAttribute[name.name='dangerouslySetInnerHTML']",
          message: 'Raw HTML only through src/server/html/raw.tsx (TrustedStyle).',
        },
        {
          selector: "Property[key.name='dangerouslySetInnerHTML']",
          message: 'Raw HTML only through src/server/html/raw.tsx (TrustedStyle).',
        },
      ],
    },
  },
  {
    files: ['src/server/html/raw.tsx'],
    rules: { 'no-restricted-syntax': 'off' },
  },
  {
    files: ['src/config.ts', 'test/**', 'scripts/**', 'bench/**', '**/*.test.ts', 'web/**/vite.config.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
  {
    files: ['web/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
  },
  { files: ['**/*.js', '**/*.mjs'], languageOptions: { globals: { ...globals.node } } },
);

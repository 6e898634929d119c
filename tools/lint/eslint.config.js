// @ts-check
/** @module ESLint for flowkey (run from the repo root: npm run lint): JS and typescript-eslint's recommended rules; formatting is Prettier's job. */
import js from '@eslint/js'
import prettier from 'eslint-config-prettier'
import tseslint from 'typescript-eslint'

export default tseslint.config(
  { ignores: ['**/node_modules/**', '.wrangler/**', 'tools/**', 'worker-configuration.d.ts', 'dist/**', 'bench/out/**', 'docs/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    rules: {
      // `_name` marks a value kept for its position (a handler's unused context, a destructured part left out).
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
)

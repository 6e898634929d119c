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
  {
    // The OpenAPI generator is for the build (src/http/openapi-document.ts): imported by the Worker it costs 10 KiB of bundle gzip.
    files: ['src/**/*.ts', 'src/**/*.tsx'],
    ignores: ['src/http/openapi-document.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: [
            ...['@hono/zod-openapi', '@asteasolutions/zod-to-openapi', 'croner', 'standardwebhooks'].map((name) => ({
              name,
              allowTypeImports: true,
              message: 'Not in the Worker bundle (npm run size): schemas use src/http/schemas/z.ts; /openapi.json is built by npm run openapi:build.',
            })),
            // zod's `z` object keeps every schema kind in the bundle (12 KiB gzip); named imports let the bundler drop the rest.
            { name: 'zod', importNames: ['z', 'default'], allowTypeImports: true, message: "Write `import * as z from './z'` (src/http/schemas/z.ts)." },
          ],
        },
      ],
    },
  },
)

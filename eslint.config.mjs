// npm run lint. The app (stripe-app/src) is linted with Stripe's own config for UI extensions, as
// Stripe's example apps do; the backend, tests, the preview and scripts with typescript-eslint's
// recommended rules (syntax only: type-aware linting would double the time for little gain here).
import uiExtension from '@stripe/ui-extension-tools/eslint.config.ui-extension.mjs';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

const app = ['stripe-app/src/**/*.{ts,tsx}'];
const node = [
  'backend/**/*.ts',
  'test/**/*.{ts,tsx}',
  'stripe-app/preview/**/*.{ts,tsx}',
  'stripe-app/scripts/**/*.ts',
  '*.{ts,mjs}',
];
// the tools' React hooks plugin, reused for the preview's React host (not a dependency of our own)
const reactHooks = uiExtension.find((c) => c.plugins?.['react-hooks']).plugins['react-hooks'];

export default [
  { ignores: ['**/node_modules/**', 'stripe-app/dist/**', 'test/artifacts/**', '.data/**', 'dist/**'] },
  { linterOptions: { reportUnusedDisableDirectives: 'error' } },

  // The app: exactly the tools' config, scoped to the app's sources.
  ...uiExtension.map((c) => ({ ...c, files: app })),

  // Everything that runs in Node or hosts the app locally.
  ...tseslint.configs.recommended.map((c) => ({ ...c, files: node })),
  {
    files: node,
    rules: {
      // the same convention as the tools' config: a leading _ marks a deliberately unused name
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // tests and the preview's stand-in host read JSON bodies and fake SDK objects of loose shape;
    // `any` there is deliberate (the backend and the app stay strict)
    files: ['test/**/*.{ts,tsx}', 'stripe-app/preview/**/*.{ts,tsx}'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['stripe-app/preview/**/*.tsx'],
    plugins: { 'react-hooks': reactHooks },
    rules: { 'react-hooks/rules-of-hooks': 'error', 'react-hooks/exhaustive-deps': 'error' },
  },

  // Layering: arrows point down only, http -> jobs -> gateways -> domain -> db (README "Architecture").
  // config.ts and logger.ts sit beside the layers and may be imported from any of them.
  {
    files: ['backend/**/*.ts'],
    plugins: { 'import-x': importX },
    settings: {
      // no-cycle reads the imported files too: with the TypeScript parser, resolving .js to .ts
      'import-x/parsers': { '@typescript-eslint/parser': ['.ts', '.tsx'] },
      'import-x/resolver-next': [createTypeScriptImportResolver({ project: 'tsconfig.json' })],
    },
    rules: {
      'import-x/no-cycle': 'error',
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            { target: 'backend/db', from: ['backend/domain', 'backend/gateways', 'backend/jobs', 'backend/http', 'backend/app.ts', 'backend/main.ts'], message: 'db/ imports nothing above it' },
            { target: 'backend/domain', from: ['backend/gateways', 'backend/jobs', 'backend/http', 'backend/app.ts', 'backend/main.ts'], message: 'domain/ imports db/ only' },
            { target: 'backend/gateways', from: ['backend/jobs', 'backend/http', 'backend/app.ts', 'backend/main.ts'], message: 'gateways/ import domain/ and db/, never jobs/ or http/' },
            { target: 'backend/jobs', from: ['backend/http', 'backend/app.ts', 'backend/main.ts'], message: 'jobs/ never import http/' },
            { target: 'backend/http', from: ['backend/app.ts', 'backend/main.ts'] },
          ],
        },
      ],
    },
  },
];

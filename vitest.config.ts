import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    globals: true,
    // The fault suite (kills, a cut database, fuzzing) runs on its own: FAULT_SUITE=1 (npm run test:fault).
    include: process.env.FAULT_SUITE ? ['test/fault/**/*.test.ts'] : ['test/**/*.test.{ts,tsx}'],
    exclude: process.env.FAULT_SUITE ? [] : ['test/fault/**', '**/node_modules/**'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Installs Debian packages the suite needs (Chromium, …) when they are missing: see the file.
    globalSetup: ['test/setup/system-packages.ts'],
    // Integration tests start real node processes; forks keep each file's children in its own process tree.
    pool: 'forks',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    reporters: ['default', 'json'],
    outputFile: { json: '.vitest-report.json' },
  },
});

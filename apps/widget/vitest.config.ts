import { defineConfig } from 'vitest/config';

// The widget's unit tests on their own: npx vitest run --config apps/widget/vitest.config.ts
export default defineConfig({
  root: decodeURIComponent(new URL('.', import.meta.url).pathname),
  test: { name: 'widget', include: ['src/**/*.test.ts'], environment: 'node' },
});

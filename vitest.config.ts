import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.{ts,tsx}'],
    // Pin the time zone so day-start arithmetic in tests is reproducible.
    env: { TZ: 'Asia/Seoul', NO_COLOR: '' },
    pool: 'forks',
    maxWorkers: 2,
    testTimeout: 20000,
    hookTimeout: 60000,
  },
});

// `npm run test:real`: the shared end-to-end scenarios against real Doris (docker-compose.test.yml),
// one at a time, with room for real BACKUP/RESTORE jobs. `npm test` skips them with the reason.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/real/**/*.test.ts'],
    testTimeout: 20 * 60_000,
    hookTimeout: 5 * 60_000,
    pool: 'forks',
    maxWorkers: 1,
    fileParallelism: false,
    // Every scenario and every skip with its reason, one line each.
    reporters: ['verbose'],
    env: { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
  },
});

// Test runner configuration: one fork pool, generous timeouts for the pty / browser tests.
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts", "protocol/**/*.test.ts", "device/**/*.test.ts", "host/**/*.test.ts", "sim/**/*.test.ts"],
    testTimeout: 60_000,
    hookTimeout: 60_000,
    pool: "forks",
    maxWorkers: 2,
  },
});

import { defineConfig } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// One fresh SQLite database per run (workers inherit the variable).
process.env.GONGHUI_E2E_DATA ??= mkdtempSync(join(tmpdir(), "gonghui-e2e-"));
// The data key lives with the run's database; the subcommands the tests run
// (make-admin, import-roster) inherit it.
process.env.GONGHUI_DATA_KEY_FILE ??= join(process.env.GONGHUI_E2E_DATA, "data.key");
const PORT = Number(process.env.GONGHUI_E2E_PORT ?? 3917);
// The offline tests (offline.spec.ts, embed.spec.ts) cut the service
// worker's own requests too: Playwright routes them only with this on.
process.env.PW_EXPERIMENTAL_SERVICE_WORKER_NETWORK_EVENTS = "1";

export default defineConfig({
  testDir: "./tests",
  timeout: 30_000,
  expect: { timeout: 10_000 },
  workers: 2,
  forbidOnly: !!process.env.CI,
  reporter: [["list"]],
  outputDir: "test-results",
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    // A common Android phone: 360×640 CSS pixels at 2× density.
    viewport: { width: 360, height: 640 },
    deviceScaleFactor: 2,
    isMobile: true,
    hasTouch: true,
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    trace: "retain-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright's own browser download is unreachable here.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // The closed network refuses Chromium's background connections; these
      // flags keep it from trying (see TOOLCHAIN.md).
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
  webServer: {
    // The debug build `make e2e` just made; the bundle is in ../target/site.
    command: "../target/debug/gonghui serve",
    url: `http://127.0.0.1:${PORT}/healthz`,
    timeout: 60_000,
    reuseExistingServer: false,
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`,
      // The asset library's files, with the run's database (not in the checkout).
      GONGHUI_MEDIA_DIR: join(process.env.GONGHUI_E2E_DATA, "media"),
      GONGHUI_ADDR: `127.0.0.1:${PORT}`,
      GONGHUI_SITE_ROOT: "../target/site",
      GONGHUI_DATA_KEY_FILE: process.env.GONGHUI_DATA_KEY_FILE,
      RUST_LOG: "warn",
      // One address (the test runner) plays many members here.
      GONGHUI_ACCOUNT_POSTS_PER_MINUTE: "600",
    },
  },
});

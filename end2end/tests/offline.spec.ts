// The 惠员卡 at a merchant's counter with no signal (issue 15): the service
// worker keeps the member's own card and shows it with the network off,
// saying when it was last refreshed; other pages say, in Chinese, that the
// network is gone; signing out takes the card off the phone.
import { test, expect, type BrowserContext, type Route } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { freeRosterPeople, monthInShanghai, registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";

/** No network for the page nor for its service worker (Chromium's offline
 * emulation alone does not reach the worker's own fetches). */
async function offline(context: BrowserContext, on: boolean) {
  const cut = (route: Route) => (route.request().serviceWorker() ? route.abort("internetdisconnected") : route.continue());
  if (on) await context.route("**", cut);
  else await context.unrouteAll();
  await context.setOffline(on);
}

test.beforeAll(() => {
  // The roster, as an official would import it (idempotent across specs).
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], {
    env: { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" },
  });
});

test("the 惠员卡 opens without a network and says when it was refreshed; signing out removes it", async ({ page, context }) => {
  const errors = watchForErrors(page);
  const who = freeRosterPeople("offline.spec.ts").filter((r) => r.birth.slice(5, 7) !== monthInShanghai())[10];
  await registerMember(page, "13500000071", who.name, who.unit);
  await page.goto("/certify");
  await page.locator("#f-name").fill(who.name);
  await page.locator("#f-id_number").fill(who.id);
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page).toHaveURL(/\/me$/);

  await page.goto("/card");
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  // The worker controls the pages loaded after it started: this load keeps the card.
  await page.reload();
  expect(await page.evaluate(() => navigator.serviceWorker.controller !== null)).toBe(true);
  const qr = page.getByRole("img", { name: "惠员卡核验二维码" });
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);

  await offline(context, true);
  await page.goto("/card");
  await expect(page.getByRole("status").filter({ hasText: "离线显示" })).toHaveText(/^离线显示 · 最后更新于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/);
  await expect(page.getByRole("heading", { name: "惠员卡" })).toBeVisible();
  await expect(page.locator(".e-card")).toContainText(who.name);
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/card-offline.png` });

  // Any other page: a Chinese offline page that points at the card.
  await page.goto("/services");
  await expect(page.getByRole("heading", { name: "网络不可用" })).toBeVisible();
  await expect(page.getByRole("link", { name: "打开惠员卡" })).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/offline.png` });

  // Signing out takes the card off this phone.
  await offline(context, false);
  await page.goto("/me");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/$/);
  await offline(context, true);
  await page.goto("/card");
  await expect(page.getByRole("heading", { name: "网络不可用" })).toBeVisible();
  await expect(page.getByText(who.name)).toHaveCount(0);
  await offline(context, false);
  expect(errors.filter((e) => !e.includes("ERR_INTERNET_DISCONNECTED"))).toEqual([]);
});

test("bundle files carry their content hash and are cached for a year; pages are revalidated", async ({ page, request }) => {
  await page.goto("/v/qilu-gongjiang-2026/5");
  const css = await page.locator('link[rel="stylesheet"]').first().getAttribute("href");
  expect(css).toMatch(/^\/pkg\/gonghui\.[0-9a-f]{16}\.css$/);
  const file = await request.get(css!);
  expect(file.headers()["cache-control"]).toBe("public, max-age=31536000, immutable");
  const worker = await request.get("/sw.js");
  expect(worker.headers()["content-type"]).toContain("javascript");
  expect(await worker.text()).toContain(css!);
});

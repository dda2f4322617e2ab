// A demo host (issue 15): the client-only bundle (target/embed, `make embed`)
// served from a second origin as a union app would, signing its member in
// through the host hand-off (an Ed25519 assertion the "app" signs), voting,
// opening the 惠员卡 and still seeing it with the network off — at 360×640;
// and an origin nobody registered refused by CORS.
import { test, expect, type BrowserContext, type Route } from "@playwright/test";
import { execFileSync, spawn, type ChildProcess } from "node:child_process";
import { generateKeyPairSync, randomBytes, sign } from "node:crypto";
import { freeRosterPeople, monthInShanghai, registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const API = `http://127.0.0.1:${process.env.GONGHUI_E2E_PORT ?? 3917}`;
const HOST_PORT = 3941;
const HOST = `http://127.0.0.1:${HOST_PORT}`;
const APP = "demo-host";
const ADMIN = "14600000001";
const MEMBER = "14600000002";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };

// The app's key pair: the private key stays with the "app's server" (this test).
const keys = generateKeyPairSync("ed25519");
const publicKey = keys.publicKey.export({ format: "der", type: "spki" }).subarray(-32).toString("base64");

function assertion(phone: string): string {
  const payload = Buffer.from(JSON.stringify({ app: APP, phone, exp: Math.floor(Date.now() / 1000) + 120, nonce: randomBytes(16).toString("hex") })).toString("base64url");
  return `${payload}.${sign(null, Buffer.from(payload), keys.privateKey).toString("base64url")}`;
}

let host: ChildProcess;
test.beforeAll(async () => {
  host = spawn("node", ["embed-host.mjs", "--port", String(HOST_PORT), "--dir", "../target/embed"], { stdio: ["ignore", "pipe", "inherit"] });
  await new Promise<void>((ready) => host.stdout!.on("data", (d) => String(d).includes("listening") && ready()));
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], { env });
});
test.afterAll(() => host.kill());

/** No network for the page nor for its service worker. */
async function offline(context: BrowserContext, on: boolean) {
  const cut = (route: Route) => (route.request().serviceWorker() ? route.abort("internetdisconnected") : route.continue());
  if (on) await context.route("**", cut);
  else await context.unrouteAll();
  await context.setOffline(on);
}

test("a union app hands its member over, who votes and keeps the 惠员卡 offline", async ({ browser, page }) => {
  test.setTimeout(90_000);
  // A super admin registers the app: its origin and public key.
  await registerMember(page, ADMIN, "接入管理员");
  execFileSync("../target/debug/gonghui", ["make-admin", ADMIN], { env });
  await page.goto("/admin/apps");
  await page.getByLabel("App 标识").fill(APP);
  await page.getByLabel("名称").fill("演示 App");
  await page.getByLabel("来源（每行一个）").fill(HOST);
  await page.getByLabel("公钥（Base64）").fill(publicKey);
  await page.getByRole("button", { name: "登记" }).click();
  await expect(page.getByText(`来源：${HOST}`)).toBeVisible();

  // The member exists and is certified (on the site, as before).
  const who = freeRosterPeople("embed.spec.ts").filter((r) => r.birth.slice(5, 7) !== monthInShanghai())[11];
  const site = await (await browser.newContext()).newPage();
  await registerMember(site, MEMBER, who.name, who.unit);
  await site.goto("/certify");
  await site.locator("#f-name").fill(who.name);
  await site.locator("#f-id_number").fill(who.id);
  await site.getByRole("button", { name: "提交认证" }).click();
  await expect(site).toHaveURL(/\/me$/);

  // Inside the app: the host knows the member and says so with an assertion.
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, deviceScaleFactor: 2, isMobile: true, hasTouch: true, locale: "zh-CN" });
  const app = await context.newPage();
  const errors = watchForErrors(app);
  await app.exposeFunction("hostSigns", () => assertion(MEMBER));
  await context.addInitScript((api) => {
    (window as any).GONGHUI_API_ORIGIN = api;
    (window as any).shared = [];
    (window as any).GonghuiHost = {
      getAssertion: async () => ({ app: "demo-host", assertion: await (window as any).hostSigns() }),
      share: async (what: unknown) => void (window as any).shared.push(what),
    };
  }, API);
  await app.goto(`${HOST}/#/me`);
  await expect(app.getByText(`已认证 · 会员编号`)).toBeVisible();
  await expect(app.getByRole("button", { name: "登录", exact: true })).toHaveCount(0);
  await app.screenshot({ path: `${SHOTS}/embed-me.png` });

  // Vote in 齐鲁工匠; the votes left go down; 分享拉票 goes to the host's share sheet.
  await app.goto(`${HOST}/#/v/qilu-gongjiang-2026`);
  await expect(app.getByText(/您今天还可以投 \d+ 票/)).toBeVisible();
  const left = Number((await app.getByText(/您今天还可以投 \d+ 票/).textContent())!.match(/\d+/)![0]);
  await app.getByRole("button", { name: "投票", exact: true }).first().click();
  await expect(app.getByText(`您今天还可以投 ${left - 1} 票`)).toBeVisible();
  await app.getByRole("button", { name: "分享拉票" }).first().click();
  await expect.poll(() => app.evaluate(() => (window as any).shared.length)).toBe(1);
  expect(await app.evaluate(() => (window as any).shared[0].url)).toContain("/v/qilu-gongjiang-2026/");
  await app.screenshot({ path: `${SHOTS}/embed-vote.png` });

  // The 惠员卡 with its QR code, then again with no network at all: the
  // bundle's shell from its service worker, the card from its own copy.
  await app.goto(`${HOST}/#/card`);
  await expect(app.locator(".e-card")).toContainText(who.name);
  const qr = app.getByRole("img", { name: "惠员卡核验二维码" });
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await app.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await offline(context, true);
  await app.reload();
  await expect(app.getByText(/^离线显示 · 最后更新于 \d{4}-\d{2}-\d{2} \d{2}:\d{2}$/)).toBeVisible();
  await expect(app.locator(".e-card")).toContainText(who.name);
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await app.screenshot({ path: `${SHOTS}/embed-card-offline.png` });
  await offline(context, false);
  expect(errors.filter((e) => !/ERR_INTERNET_DISCONNECTED|Failed to fetch|net::/.test(e))).toEqual([]);
  await context.close();
});

test("without a host the bundle signs in with a password and shares by the browser's own means", async ({ browser }) => {
  test.setTimeout(60_000);
  await registerMember(await (await browser.newContext()).newPage(), "14600000003", "浏览器会员");
  const context = await browser.newContext({ viewport: { width: 360, height: 640 }, isMobile: true, hasTouch: true, locale: "zh-CN" });
  // Desktop Chromium has no Web Share: the fallback copies the link.
  await context.grantPermissions(["clipboard-read", "clipboard-write"], { origin: HOST });
  await context.addInitScript((api) => void ((window as any).GONGHUI_API_ORIGIN = api), API);
  const app = await context.newPage();
  await app.goto(`${HOST}/#/me`);
  await app.getByLabel("手机号").fill("14600000003");
  await app.getByLabel("密码").fill("Shandong-2026!");
  await app.getByRole("button", { name: "登录", exact: true }).click();
  await expect(app.getByText("未认证")).toBeVisible();
  expect(await app.evaluate(() => localStorage.getItem("gonghui.token"))).toBeTruthy();
  await app.goto(`${HOST}/#/v/qilu-gongjiang-2026`);
  await app.getByRole("button", { name: "分享拉票" }).first().click();
  await expect(app.getByText("链接已复制")).toBeVisible();
  expect(await app.evaluate(() => navigator.clipboard.readText())).toContain("/v/qilu-gongjiang-2026/");
  await context.close();
});

test("an origin no super admin registered cannot call the API", async ({ page }) => {
  // The same bundle at an origin nobody registered (localhost ≠ 127.0.0.1).
  await page.goto(`http://localhost:${HOST_PORT}/`);
  const outcome = await page.evaluate(async (api) => {
    try {
      await fetch(`${api}/api/campaigns`, { headers: { Accept: "application/json" } });
      return "answered";
    } catch {
      return "refused";
    }
  }, API);
  expect(outcome).toBe("refused");
  const direct = await page.request.get(`${API}/api/campaigns`, { headers: { Origin: `http://localhost:${HOST_PORT}` } });
  expect(direct.status()).toBe(403);
  expect((await direct.json()).Rejected.message).toBe("此来源未登记为接入 App，不能调用接口");
});

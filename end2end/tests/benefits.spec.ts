// 惠员福利 on a phone (issue 14): an official adds a cake shop and a
// birthday benefit; a member born this month claims it on 服务 and shows
// the QR code; the shop's phone, offline at the counter, checks the code's
// signature with no network and keeps it, then redeems it once the network
// is back; a second redemption is refused with the time of the first. The
// member's pages also work with JavaScript off.
import { test, expect, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { freeRosterPeople, monthInShanghai, registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };

// A roster person born this month (Shanghai) whom no other spec uses; the
// other specs of issue 14 take people born in other months.
function bornThisMonth(): { unit: string; name: string; id: string } {
  return freeRosterPeople("benefits.spec.ts").filter((r) => r.birth.slice(5, 7) === monthInShanghai()).at(-1)!;
}

test.beforeAll(() => {
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], { env });
});

async function person(browser: Browser, phone: string, name: string, unit: string, js = true): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await registerMember(page, phone, name, unit);
  return page;
}

test("a birthday benefit is claimed on 服务 and redeemed at the shop offline, then online, once", async ({ browser }) => {
  test.setTimeout(120_000);
  const who = bornThisMonth();
  const admin = await person(browser, "14700000001", "福利处长", "37010201");
  execFileSync("../target/debug/gonghui", ["make-admin", "14700000001"], { env });
  // The member works with JavaScript off, as in an old webview.
  const member = await person(browser, "14700000002", who.name, who.unit, false);
  await member.goto("/certify");
  await member.locator("#f-name").fill(who.name);
  await member.locator("#f-id_number").fill(who.id);
  await member.getByRole("button", { name: "提交认证" }).click();
  await expect(member).toHaveURL(/\/me$/);

  // The official adds the shop and the benefit.
  await admin.goto("/admin/benefits");
  await admin.locator("summary").click();
  await admin.locator("#p-unit").selectOption("37");
  await admin.locator("#f-p-name").fill("好利来蛋糕店");
  await admin.locator("#f-p-login").fill("e2e-cake");
  await admin.locator("#f-p-password").fill("cake-shop-2026");
  await admin.getByRole("button", { name: "添加商户" }).click();
  await expect(admin.getByRole("status")).toContainText("已添加商户");
  const today = new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10);
  const later = new Date(Date.now() + 8 * 3600_000 + 30 * 86_400_000).toISOString().slice(0, 10);
  await admin.locator("#b-unit").selectOption("37");
  await admin.locator("#f-b-title").fill("会员生日蛋糕");
  await admin.locator("#b-description").fill("生日当月凭领取码到店领取生日蛋糕一个。");
  await admin.locator("#b-partner").selectOption({ label: "好利来蛋糕店（山东省总工会）" });
  await admin.locator("#f-b-quota").fill("100");
  await admin.locator("#f-b-opens").fill(today);
  await admin.locator("#f-b-closes").fill(later);
  await admin.getByLabel("仅限生日当月的会员（生日蛋糕）").check();
  await admin.getByLabel("每人每年可领一次（不选则每人限领一次）").check();
  await admin.getByRole("button", { name: "发布", exact: true }).click();
  await expect(admin.locator("article", { hasText: "会员生日蛋糕" })).toContainText("0 / 100");

  // The member claims it on 服务 (no JavaScript) and gets the QR code.
  await member.goto("/services");
  const benefit = member.locator("article", { hasText: "会员生日蛋糕" });
  await expect(benefit).toContainText("生日当月可领");
  await member.screenshot({ path: `${SHOTS}/benefits-services.png`, fullPage: true });
  await benefit.getByRole("button", { name: "立即领取" }).click();
  await expect(member).toHaveURL(/\/services\/claims\/\d+$/);
  await expect(member.getByRole("img", { name: "领取码二维码" })).toBeVisible();
  await member.screenshot({ path: `${SHOTS}/benefits-claim.png` });
  const claimId = member.url().split("/").pop()!;
  const claim = await (await member.request.get(`/api/benefits/my-claim?id=${claimId}`)).json();

  // The shop signs in on its phone; at the counter there is no network.
  const shopContext = await browser.newContext();
  const shop = await shopContext.newPage();
  const errors = watchForErrors(shop);
  await shop.goto("/partner");
  await shop.locator("#f-login").fill("e2e-cake");
  await shop.locator("#f-password").fill("cake-shop-2026");
  await shop.getByRole("button", { name: "登录" }).click();
  await expect(shop.locator("#scanner")).toBeVisible();
  await expect(shop.locator("#scanner[data-ready=true]")).toBeAttached();
  await shopContext.setOffline(true);
  // A forged code (another claim's number) fails its signature offline.
  await shop.locator("#f-code").fill(claim.code.replace(`HY1.${claimId}.`, `HY1.${Number(claimId) + 1}.`));
  await shop.getByRole("button", { name: "核销", exact: true }).click();
  await expect(shop.locator("#scan-result")).toContainText("签名不符");
  await shop.locator("#f-code").fill(claim.code);
  await shop.getByRole("button", { name: "核销", exact: true }).click();
  await expect(shop.locator("#scan-result")).toContainText("离线核验通过");
  await expect(shop.locator("#scan-queue")).toContainText("离线暂存 1 个");
  await shop.screenshot({ path: `${SHOTS}/benefits-offline.png` });

  // Back online, the kept code is redeemed, once.
  await shopContext.setOffline(false);
  await shop.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(shop.locator("#scan-result")).toContainText("核销成功");
  await expect(shop.locator("#scan-queue")).toHaveText("");
  await shop.locator("#f-code").fill(claim.code);
  await shop.getByRole("button", { name: "核销", exact: true }).click();
  await expect(shop.locator("#f-code-message")).toContainText("核销过");
  await shop.screenshot({ path: `${SHOTS}/benefits-twice.png` });

  // The member's pass says it was used; the official sees the figures.
  await member.reload();
  await expect(member.getByRole("status")).toContainText("核销");
  await admin.goto("/admin/benefits");
  await expect(admin.locator("article", { hasText: "会员生日蛋糕" })).toContainText("1 / 100");
  expect(errors).toEqual([]);
});

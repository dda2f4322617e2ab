// Manual certification on a phone: a member whose ID number is not on the
// roster sends a union-card photo, an official approves it, the member is
// certified — with JavaScript and without it. Also the officials' statistics
// and the public 公示 page, looked at and checked with axe.
import { test, expect, type Browser } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const PHOTO = "../public/icons/icon-192.png"; // any real image stands in for a card photo

function makeAdmin(phone: string) {
  execFileSync("../target/debug/gonghui", ["make-admin", phone], {
    env: { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" },
  });
}

async function seriousViolations(page: import("@playwright/test").Page) {
  const results = await new AxeBuilder({ page }).analyze();
  return results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
}

async function manualRequestApproved(browser: Browser, js: boolean, member: [string, string, string], officialPhone: string) {
  const [phone, name, idNumber] = member;
  const suffix = js ? "" : "-nojs";
  const memberPage = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  const errors = watchForErrors(memberPage);
  await registerMember(memberPage, phone, name);
  await memberPage.goto("/certify");
  await memberPage.locator("#f-name").fill(name);
  await memberPage.locator("#f-id_number").fill(idNumber);
  await memberPage.getByRole("button", { name: "提交认证" }).click();
  await expect(memberPage.locator("#f-id_number-message")).toHaveText(/会员名册中没有这个身份证号/);
  // The manual request has opened by itself, with what was typed.
  await expect(memberPage.locator("#f-m-id_number")).toBeVisible();
  await memberPage.locator("#f-m-name").fill(name);
  await memberPage.locator("#f-m-id_number").fill(idNumber);
  await memberPage.getByLabel("工会会员证照片").setInputFiles(PHOTO);
  await memberPage.screenshot({ path: `${SHOTS}/certify-manual${suffix}.png`, fullPage: true });
  await memberPage.getByRole("button", { name: "提交人工审核" }).click();
  await expect(memberPage.getByRole("status")).toHaveText(/正在等待所在工会审核/);
  await memberPage.screenshot({ path: `${SHOTS}/certify-pending${suffix}.png` });

  const officialPage = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await registerMember(officialPage, officialPhone, "王审核");
  makeAdmin(officialPhone);
  await officialPage.goto("/admin");
  await officialPage.getByRole("link", { name: "认证审核 ›" }).click();
  const card = officialPage.locator("article.request", { hasText: name });
  await expect(card).toBeVisible();
  await expect(card.getByText(idNumber)).toHaveCount(0);
  const photo = card.getByRole("img", { name: `${name} 的会员证照片` });
  await expect(photo).toBeVisible();
  await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await card.screenshot({ path: `${SHOTS}/review-card${suffix}.png` });
  await card.getByRole("button", { name: "通过认证" }).click();
  await expect(officialPage.getByRole("status")).toHaveText(/^已通过认证申请，会员编号 RG\d{8}$/);

  await memberPage.goto("/me");
  await expect(memberPage.getByText(/^已认证 · 会员编号 RG\d{8}$/)).toBeVisible();
  if (js) expect(errors).toEqual([]);
  return officialPage;
}

test("with JavaScript: a manual request is approved and the member is certified", async ({ browser }) => {
  // A long journey (two members, nine pages, six axe scans): on a loaded
  // 2-core machine it outgrew the default 30 s once.
  test.slow();
  const official = await manualRequestApproved(browser, true, ["13500000021", "陈新会", "370102199001011231"], "13600000021");

  // The statistics and the public ranking, as an official and anyone sees them.
  await official.goto("/admin/stats");
  await expect(official.getByRole("heading", { name: "注册认证统计" })).toBeVisible();
  await expect(official.getByRole("img", { name: /各单位认证率/ })).toBeVisible();
  await official.screenshot({ path: `${SHOTS}/stats.png`, fullPage: true });
  await expect(official.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(await seriousViolations(official)).toEqual([]);
  await official.goto("/admin/certify");
  await expect(official.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(await seriousViolations(official)).toEqual([]);

  await official.goto("/admin/campaigns");
  await official.locator("li", { hasText: "齐鲁工匠" }).getByRole("link", { name: /防刷票/ }).click();
  await expect(official.getByRole("heading", { name: "票数突增" })).toBeVisible();
  await official.screenshot({ path: `${SHOTS}/fraud.png`, fullPage: true });
  await expect(official.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(await seriousViolations(official)).toEqual([]);

  for (const path of ["/admin/campaigns/new", "/admin/campaigns/qilu-gongjiang-2026/candidates", "/admin/campaigns/qilu-gongjiang-2026/results"]) {
    await official.goto(path);
    await expect(official.locator("body")).toHaveAttribute("data-hydrated", "true");
    expect(await seriousViolations(official), path).toEqual([]);
  }
  await official.screenshot({ path: `${SHOTS}/results.png`, fullPage: true });

  await official.goto("/gongshi?level=grassroots");
  await expect(official.getByRole("link", { name: "基层" })).toHaveAttribute("aria-current", "page");
  await official.screenshot({ path: `${SHOTS}/gongshi.png` });
  await expect(official.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(await seriousViolations(official)).toEqual([]);
});

test("without JavaScript: a manual request is approved and the member is certified", async ({ browser }) => {
  await manualRequestApproved(browser, false, ["13500000022", "陈旧会", "370102198512124567"], "13600000022");
});

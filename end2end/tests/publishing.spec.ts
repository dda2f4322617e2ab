// Publishing on a phone (issue 13): an editor publishes an adopted story; it
// reaches a member's feed; a link the member shares is opened in a webview
// with JavaScript off (as a chat app's might be), liked, commented (held by
// a watched word, approved, then visible), sent down to two districts and
// republished by one; the tracking page credits the sharer's unit.
import { test, expect, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };
// 市中区物流园工会: away from the newsroom spec's 历下区 reviewers and chain.
const UNIT = "37010305";

test.beforeAll(() => {
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], { env });
});

async function person(browser: Browser, phone: string, name: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await registerMember(page, phone, name, UNIT);
  return page;
}

test("a published story is shared, liked, commented, sent down, republished and tracked", async ({ browser }) => {
  test.setTimeout(120_000);
  const title = "市中区工会为环卫工人建暖心驿站";
  const admin = await person(browser, "13200000001", "宣传处长");
  execFileSync("../target/debug/gonghui", ["make-admin", "13200000001"], { env });
  // The writer (肖勇, on the roster) certifies and becomes a correspondent.
  const writer = await person(browser, "13200000002", "肖勇");
  await writer.goto("/certify");
  await writer.locator("#f-name").fill("肖勇");
  await writer.locator("#f-id_number").fill("370103196502148984");
  await writer.getByRole("button", { name: "提交认证" }).click();
  await expect(writer).toHaveURL(/\/me$/);
  await writer.goto("/desk");
  await writer.locator("#f-name").fill("肖勇");
  await writer.locator("#f-gender").selectOption("女");
  await writer.locator("#f-birth_month").fill("1965-02");
  await writer.locator("#f-education").selectOption("本科");
  await writer.locator("#f-union_post").fill("宣传委员");
  await writer.locator("#f-phone").fill("13200000002");
  await writer.locator("#f-email").fill("news@example.com");
  await writer.locator("#f-id_number").fill("370103196502148984");
  await writer.locator("#f-interests").fill("写作");
  await writer.getByRole("button", { name: "提交登记表" }).click();
  await expect(writer.getByText("登记表已提交，正在等待所在工会审核")).toBeVisible();
  const member = await person(browser, "13200000003", "赵会员");
  const errors = watchForErrors(member);

  // The official names the editor and the final reviewer of 市中区, makes
  // the factory's chain one step, and watches a word province-wide.
  await admin.goto("/admin/correspondents");
  await admin.locator("article", { hasText: "肖勇" }).getByRole("button", { name: "通过", exact: true }).click();
  await expect(admin.getByRole("status")).toHaveText("已通过，该会员成为信息员");
  for (const [phone, role] of [["13200000002", "editor"], ["13200000001", "final"]]) {
    await admin.locator("#f-role-phone").fill(phone);
    await admin.locator("#f-role-unit").selectOption("370103");
    await admin.locator("#f-role-role").selectOption(role);
    await admin.getByRole("button", { name: "任命" }).click();
    await expect(admin.getByRole("status")).toContainText("已任命");
  }
  await admin.locator("#f-chain-unit").selectOption(UNIT);
  await admin.locator("#f-chain-steps").selectOption("1");
  await admin.getByRole("button", { name: "保存审核流程" }).click();
  await expect(admin.getByRole("status")).toContainText("一审");
  await admin.goto("/admin/watchwords?unit=37");
  await admin.locator("#f-word").fill("欠薪");
  await admin.locator("#f-tier").selectOption("hold");
  await admin.getByRole("button", { name: "添加" }).click();
  await expect(admin.getByRole("status")).toContainText("已设置监测词“欠薪”");

  // Written, adopted by the one step, published in one click.
  await writer.goto("/desk");
  await writer.locator("#f-title").fill(title);
  await writer.locator("#f-kind").selectOption("news");
  await writer.locator("#f-event_date").fill(new Date(Date.now() + 8 * 3600_000).toISOString().slice(0, 10));
  await writer.locator("#f-body").fill("市中区总工会在辖区建成 12 个**暖心驿站**。\n\n环卫工人可以在这里喝水、充电、歇脚。");
  await writer.getByRole("button", { name: "报送" }).click();
  await expect(writer.getByText(/稿件已报送，进入审核/)).toBeVisible();
  await admin.goto("/desk/review");
  await admin.locator("article", { has: admin.getByRole("heading", { name: title }) }).getByRole("button", { name: "通过", exact: true }).click();
  await expect(admin.getByRole("status")).toHaveText("终审通过：稿件已采用，可以发布");
  await writer.goto("/desk/review");
  await writer.locator("article", { has: writer.getByRole("heading", { name: title }) }).getByRole("button", { name: "发布到频道" }).click();
  await expect(writer).toHaveURL(/\/a\/\d+$/);
  const articlePath = new URL(writer.url()).pathname;

  // The member's feed has it; their page carries their share link.
  await member.goto("/");
  await expect(member.getByRole("link", { name: new RegExp(title) })).toBeVisible();
  await member.screenshot({ path: `${SHOTS}/feed.png` });
  await member.getByRole("link", { name: new RegExp(title) }).click();
  await expect(member.getByRole("heading", { level: 1, name: title })).toBeVisible();
  const shared = (await member.locator(".link-text").textContent())!;
  expect(shared).toMatch(/\/a\/\d+\?s=[0-9a-f]{32}$/);

  // Opened from a chat app's webview with JavaScript off.
  const webview = await browser.newContext({
    javaScriptEnabled: false,
    userAgent: "Mozilla/5.0 (Linux; Android 12) AppleWebKit/537.36 Mobile Safari/537.36 MicroMessenger/8.0.47",
  });
  const reader = await webview.newPage();
  await reader.goto(shared);
  await expect(reader.getByRole("heading", { level: 1, name: title })).toBeVisible();
  await expect(reader.getByText("暖心驿站").first()).toBeVisible();
  await expect(reader.getByAltText("文章二维码")).toBeVisible();
  await reader.screenshot({ path: `${SHOTS}/article-nojs.png`, fullPage: true });

  // A like, and a comment with the watched word (spaced out): held.
  await member.getByRole("button", { name: /点赞/ }).click();
  await expect(member.getByRole("button", { name: "已赞 1" })).toBeVisible();
  await member.locator("#f-comment").fill("听说有工地欠 薪，工会能帮忙问问吗？");
  await member.getByRole("button", { name: "发表评论" }).click();
  await expect(member.getByRole("status")).toHaveText("评论已提交，需人工审核后才能显示");
  await expect(member.getByText("审核中，仅您可见")).toBeVisible();
  await reader.reload();
  await expect(reader.getByText("工会能帮忙问问吗")).toHaveCount(0);
  await admin.goto("/admin/comments");
  const held = admin.locator("article", { hasText: "工会能帮忙问问吗" });
  await expect(held.getByText("含监测词：欠薪")).toBeVisible();
  await admin.screenshot({ path: `${SHOTS}/comments-queue.png` });
  await held.getByRole("button", { name: "通过" }).click();
  await expect(admin.getByRole("status")).toHaveText("评论已通过，所有人可见");
  await reader.reload();
  await expect(reader.getByText("工会能帮忙问问吗")).toBeVisible();

  // 下发 from the city to two districts; the editor of one republishes.
  await admin.goto(articlePath);
  await admin.locator("#f-d-unit").selectOption("370100");
  await admin.getByLabel("历下区总工会").check();
  await admin.getByLabel("市中区总工会").check();
  await admin.getByRole("button", { name: "下发", exact: true }).click();
  await expect(admin.getByRole("status")).toHaveText("已下发到 2 个单位");
  await writer.goto("/desk/inbox");
  await writer.getByRole("button", { name: "一键转载到市中区总工会" }).first().click();
  await expect(writer.getByRole("status")).toHaveText("已转载到本单位频道");
  await admin.goto("/desk/inbox");
  await expect(admin.locator("summary", { hasText: title })).toContainText("已转载 1");

  // Tracking: the webview's view came by the member's link, from their unit.
  await expect
    .poll(async () => {
      await writer.goto(`/desk${articlePath.replace("/a/", "/articles/")}`);
      return writer.locator(".propagation").textContent();
    })
    .toContain("市中区物流园工会：1 次阅读（1 人分享）");
  await writer.screenshot({ path: `${SHOTS}/tracking.png`, fullPage: true });
  expect(errors).toEqual([]);
});

test("the big screen fills 1920×1080 and renews itself from the server's events", async ({ browser }) => {
  const page = await (await browser.newContext({ viewport: { width: 1920, height: 1080 }, isMobile: false, hasTouch: false })).newPage();
  const errors = watchForErrors(page);
  await page.goto("/screen");
  await expect(page.getByRole("heading", { level: 1, name: /新闻宣传与服务大屏/ })).toBeVisible();
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  // Mark what the server rendered; the next event (every 5 s) replaces it.
  await page.evaluate(() => document.querySelector("#screen h1")!.setAttribute("data-first", "1"));
  await expect(page.locator("#screen h1[data-first]")).toHaveCount(0, { timeout: 15_000 });
  await expect(page.getByText("今日实时排名（阅读）")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/big-screen.png` });
  expect(errors).toEqual([]);
});

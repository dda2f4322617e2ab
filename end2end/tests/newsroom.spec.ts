// The newsroom desk on a phone (issue 12): a member certifies, files the
// 信息员登记表, is approved; their story is returned once, changed, sent
// again and passes 初审, 复审 and 终审 by three people — with JavaScript and
// without it.
import { test, expect, type Browser, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };

test.beforeAll(() => {
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], { env });
});

async function person(browser: Browser, js: boolean, phone: string, name: string): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
  await registerMember(page, phone, name);
  return page;
}

/** The review card of the story titled `title` on `page`'s queue. */
async function reviewCard(page: Page, title: string) {
  await page.goto("/desk/review");
  return page.locator("article", { has: page.getByRole("heading", { name: title }) });
}

for (const js of [true, false]) {
  test(`${js ? "with" : "without"} JavaScript: a correspondent's story is returned once, resubmitted and passes three reviewers`, async ({ browser }) => {
    test.setTimeout(120_000);
    const suffix = js ? "" : "-nojs";
    const [name, idNumber, birth, author, admin, r1, r2, r3] = js
      ? ["严明欣", "370102196812204279", "1968-12", "13300000001", "13300000002", "13300000003", "13300000004", "13300000005"]
      : ["卢英梓", "370102198110114921", "1981-10", "13300000011", "13300000012", "13300000013", "13300000014", "13300000015"];
    const title = js ? "供电公司开展安全生产月活动" : "第一中学工会举办教职工运动会";

    // The author certifies and files the 登记表.
    const page = await person(browser, js, author, name);
    const errors = watchForErrors(page);
    await page.goto("/certify");
    await page.locator("#f-name").fill(name);
    await page.locator("#f-id_number").fill(idNumber);
    await page.getByRole("button", { name: "提交认证" }).click();
    await expect(page).toHaveURL(/\/me$/);
    await page.getByRole("link", { name: /信息员/ }).click();
    await page.locator("#f-name").fill(name);
    await page.locator("#f-gender").selectOption(js ? "男" : "女");
    await page.locator("#f-birth_month").fill(birth);
    await page.locator("#f-education").selectOption("本科");
    await page.locator("#f-union_post").fill("宣传委员");
    await page.locator("#f-phone").fill(author);
    await page.locator("#f-email").fill("news@example.com");
    await page.locator("#f-id_number").fill(idNumber);
    await page.locator("#f-interests").fill("摄影、写作");
    await page.getByRole("button", { name: "提交登记表" }).click();
    await expect(page.getByText("登记表已提交，正在等待所在工会审核")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/desk-pending${suffix}.png` });

    // An official approves it and names the three reviewers of 历下区.
    const official = await person(browser, js, admin, "宣传部长");
    execFileSync("../target/debug/gonghui", ["make-admin", admin], { env });
    const reviewers: Page[] = [];
    for (const [phone, who] of [[r1, "初审人"], [r2, "复审人"], [r3, "终审人"]]) reviewers.push(await person(browser, js, phone, who));
    await official.goto("/admin/correspondents");
    await official.locator("article", { hasText: name }).getByRole("button", { name: "通过", exact: true }).click();
    await expect(official.getByRole("status")).toHaveText("已通过，该会员成为信息员");
    for (const [phone, role] of [[r1, "editor"], [r2, "second"], [r3, "final"]]) {
      await official.locator("#f-role-phone").fill(phone);
      await official.locator("#f-role-unit").selectOption("370102");
      await official.locator("#f-role-role").selectOption(role);
      await official.getByRole("button", { name: "任命" }).click();
      await expect(official.getByRole("status")).toContainText("已任命");
    }
    await official.screenshot({ path: `${SHOTS}/newsroom-roles${suffix}.png` });

    // A photo into the library (素材库), then the story with it, sent.
    await page.goto("/desk/assets");
    await page.locator("#f-file").setInputFiles("../public/icons/icon-512.png");
    await page.locator("#f-tags").fill("专题活动");
    await page.getByRole("button", { name: "上传" }).click();
    await expect(page.getByRole("status")).toHaveText("已上传 1 个素材到素材库");
    await expect(page.locator(".asset-row", { hasText: "icon-512" }).locator("img")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/desk-assets${suffix}.png` });
    await page.goto("/desk");
    await page.locator(".asset-picker label", { hasText: "icon-512" }).locator("input").check();
    await page.locator("#f-title").fill(title);
    await page.locator("#f-kind").selectOption("news");
    await page.locator("#f-event_date").fill("2026-11-30");
    await page.locator("#f-body").fill("本周，工会组织了**专题活动**。\n\n职工踊跃参加。");
    await page.getByRole("button", { name: "报送" }).click();
    await expect(page.getByText(/稿件已报送，进入审核/)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/desk-submitted${suffix}.png` });

    // 初审 approves; 复审 returns it with a comment.
    await (await reviewCard(reviewers[0], title)).getByRole("button", { name: "通过", exact: true }).click();
    await expect(reviewers[0].getByRole("status")).toHaveText("已通过本级审核，转下一级");
    const second = await reviewCard(reviewers[1], title);
    await expect(second.getByText("复审")).toBeVisible();
    await expect(second.locator(".asset-strip img")).toBeVisible();
    await reviewers[1].screenshot({ path: `${SHOTS}/review-queue${suffix}.png` });
    await second.getByLabel(/审核意见/).fill("请补充活动的时间和地点");
    await second.getByRole("button", { name: "退回修改" }).click();
    await expect(reviewers[1].getByRole("status")).toHaveText("已退回修改");

    // The author sees why, changes it and sends it again.
    await page.goto("/desk");
    const item = page.locator("li", { hasText: title });
    await expect(item.getByText("审核意见：请补充活动的时间和地点")).toBeVisible();
    await item.getByText("修改后重新报送").click();
    await item.locator("textarea[name=body]").fill("11 月 30 日，工会在厂区组织了**专题活动**。\n\n职工踊跃参加。");
    await item.getByRole("button", { name: "报送" }).click();
    await expect(page.getByText("修改后的稿件已重新报送")).toBeVisible();
    await expect((await reviewCard(reviewers[0], title)).getByText("与退回前相比的修改")).toBeVisible();
    await reviewers[0].screenshot({ path: `${SHOTS}/review-diff${suffix}.png`, fullPage: true });

    // Version 2: each step again, by its own reviewer.
    for (const [i, notice] of [[0, "已通过本级审核，转下一级"], [1, "已通过本级审核，转下一级"], [2, "终审通过：稿件已采用，可以发布"]] as const) {
      await (await reviewCard(reviewers[i], title)).getByRole("button", { name: "通过", exact: true }).click();
      await expect(reviewers[i].getByRole("status")).toHaveText(notice);
    }
    await page.goto("/desk");
    await expect(page.locator("li", { hasText: title }).getByText(/已采用 · 第 2 稿/)).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/desk-adopted${suffix}.png`, fullPage: true });
    if (js) expect(errors).toEqual([]);
  });
}

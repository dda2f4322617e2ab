// An official uploads a campaign cover from the candidates page (issue 10:
// that form posted to a path that answered 404), with and without
// JavaScript; the campaign's share page then shows it.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const SLUG = "qilu-gongjiang-2026";
const COVER = "../public/icons/icon-512.png";

for (const js of [true, false]) {
  test(`${js ? "with" : "without"} JavaScript: a cover uploaded on the candidates page shows on the campaign page`, async ({ browser }) => {
    const page = await (await browser.newContext({ javaScriptEnabled: js })).newPage();
    const errors = watchForErrors(page);
    const phone = js ? "13600000031" : "13600000032";
    await registerMember(page, phone, "封面管理");
    execFileSync("../target/debug/gonghui", ["make-admin", phone], {
      env: { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" },
    });

    await page.goto("/admin/campaigns");
    await page.locator("li", { hasText: "齐鲁工匠" }).getByRole("link", { name: "候选人 ›" }).click();
    await expect(page.getByRole("heading", { level: 1, name: "候选人管理" })).toBeVisible();
    if (js) await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    const form = page.locator("form", { has: page.getByLabel("上传活动封面") });
    await form.getByLabel("上传活动封面").setInputFiles(COVER);
    await form.getByRole("button", { name: "上传", exact: true }).click();
    await expect(page.getByRole("status")).toHaveText("已上传活动封面");
    await page.screenshot({ path: `${SHOTS}/campaign-cover-uploaded${js ? "" : "-nojs"}.png` });

    await page.goto(`/v/${SLUG}`);
    const cover = page.locator("img.cover, .campaign-cover img, img[src*='/media/campaign/']").first();
    await expect(cover).toBeVisible();
    await expect.poll(() => cover.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
    if (js) expect(errors).toEqual([]);
  });
}

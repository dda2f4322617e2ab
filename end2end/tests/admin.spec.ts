// An official's page on a phone: members, appointing, the invite QR code,
// the units import; readable at 360×640 and free of serious axe violations.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { execFileSync } from "node:child_process";
import { registerMember } from "./helpers";

const SHOTS = "screenshots";
const PHONE = "13600000001";

test("a super admin's page shows members, the invite QR code and passes axe", async ({ page }) => {
  await registerMember(page, PHONE, "王管理");
  execFileSync("../target/debug/gonghui", ["make-admin", PHONE], {
    env: { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" },
  });

  // The officials' pages are reading and forms only: no island, no WASM.
  const wasm: string[] = [];
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(r.url());
  });
  await page.goto("/me");
  await page.getByRole("link", { name: /管理/ }).click();
  await expect(page.getByRole("heading", { level: 1, name: "管理" })).toBeVisible();
  await expect(page.getByText("王管理").first()).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin.png` });

  await page.getByLabel("选择单位").selectOption("37010201");
  await page.getByRole("button", { name: "生成" }).click();
  const qr = page.getByRole("img", { name: "邀请注册二维码" });
  await expect(qr).toBeVisible();
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await qr.scrollIntoViewIfNeeded();
  await page.screenshot({ path: `${SHOTS}/admin-invite.png` });

  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  expect(wasm).toEqual([]);
  const results = await new AxeBuilder({ page }).analyze();
  const serious = results.violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  expect(serious).toEqual([]);

  // The member roster: upload, preview, confirm — all plain form posts.
  await page.goto("/admin/roster");
  await page.getByLabel("名册文件（CSV）").setInputFiles("../demo/roster.csv");
  await page.getByRole("button", { name: "上传并检查" }).click();
  await expect(page.getByRole("status")).toHaveText("检查完成：可导入 200 人。请确认导入。");
  await page.screenshot({ path: `${SHOTS}/admin-roster-preview.png` });
  await page.getByRole("button", { name: "确认导入" }).click();
  await expect(page.getByRole("status")).toHaveText(/^名册导入完成：新增 200 人，更新 0 人。$|^名册导入完成：新增 0 人，更新 200 人。$/);

  await page.goto("/admin/units");
  await expect(page.getByLabel("单位文件（CSV）")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/admin-units.png` });
});

// 实名认证 on a phone: a member registers and certifies with name + ID
// number, with JavaScript and without it.
import { test, expect, type Page } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";

test.beforeAll(() => {
  // The roster, as an official would import it (idempotent across specs).
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], {
    env: { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" },
  });
});

async function registerAndCertify(page: Page, phone: string, name: string, idNumber: string, suffix: string) {
  await registerMember(page, phone, name);

  await page.getByRole("link", { name: /实名认证/ }).click();
  await page.locator("#f-name").fill(name);
  await page.locator("#f-id_number").fill(idNumber.slice(0, 17) + "0"); // a typo in the check character
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page.locator("#f-id_number-message")).toHaveText("身份证号校验位不正确，请逐位核对");
  await page.screenshot({ path: `${SHOTS}/certify-error${suffix}.png` });
  await page.locator("#f-id_number").fill(idNumber.toLowerCase());
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByText(/^已认证 · 会员编号 GH\d{8}$/)).toBeVisible();
  await expect(page.getByText(idNumber)).toHaveCount(0);
  await page.screenshot({ path: `${SHOTS}/me-certified${suffix}.png` });

  await page.getByRole("link", { name: /惠员卡/ }).click();
  await expect(page.getByRole("heading", { name: "惠员卡" })).toBeVisible();
  const qr = page.getByRole("img", { name: "惠员卡核验二维码" });
  await expect(qr).toBeVisible();
  // The image loads after the page: wait for it rather than racing it.
  await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
  await page.screenshot({ path: `${SHOTS}/card${suffix}.png` });
}

test("with JavaScript: register, certify, 我的 shows the member number", async ({ page }) => {
  const errors = watchForErrors(page);
  await registerAndCertify(page, "13500000001", "刘敏", "37131219690303234X", "");
  expect(errors).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("register, certify, 我的 shows the member number", async ({ page }) => {
    await registerAndCertify(page, "13500000002", "孔凤", "370902199412210298", "-nojs");
  });
});

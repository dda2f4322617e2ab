// Shared by the end-to-end specs.
import { expect, type Page } from "@playwright/test";

/** Collects uncaught errors and console errors (hydration mismatches show up there). */
export function watchForErrors(page: Page): string[] {
  const errors: string[] = [];
  page.on("pageerror", (e) => errors.push(`pageerror: ${e.message}`));
  page.on("console", (m) => {
    // A 4xx answer to a form post is the designed outcome (the page shows
    // why); Chromium logs it as "Failed to load resource". Anything else counts.
    if (m.type() === "error" && !m.text().startsWith("Failed to load resource: the server responded with a status of 4"))
      errors.push(`console: ${m.text()}`);
  });
  return errors;
}

/** The newest verification code the development SMS sender sent to `phone`. */
export async function latestCode(page: Page, phone: string): Promise<string> {
  const inbox = await (await page.request.get("/dev/sms")).json();
  const message = inbox.find((m: { phone: string }) => m.phone === phone);
  return /验证码是 (\d{6})/.exec(message.text)![1];
}

/** Registers `phone` as `name` in `unit` (历下区机械厂工会 unless told) through the pages; ends signed in on 我的. */
export async function registerMember(page: Page, phone: string, name: string, unit = "37010201") {
  await page.goto(`/register?unit=${unit}`);
  await page.getByLabel("手机号").fill(phone);
  await page.getByRole("button", { name: "获取验证码" }).click();
  await page.getByLabel("短信验证码").fill(await latestCode(page, phone));
  await page.getByLabel("姓名").fill(name);
  await page.getByLabel("设置密码").fill("Shandong-2026!");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
}

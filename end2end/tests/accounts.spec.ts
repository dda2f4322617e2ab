// A member registers on a phone, signs out, signs in again and sees 我的 —
// with JavaScript and without it.
import { test, expect, type Page } from "@playwright/test";
import { watchForErrors, latestCode } from "./helpers";

const SHOTS = "screenshots";

/** A phone number no other test uses (the e2e run shares one database). */
function freshPhone(seed: number): string {
  return "139" + String((Date.now() + seed * 1_000_003) % 100_000_000).padStart(8, "0");
}

async function registerSignOutSignIn(page: Page, phone: string, js: boolean) {
  const suffix = js ? "" : "-nojs";
  await page.goto("/register?unit=37010201");
  await page.getByLabel("手机号").fill(phone);
  await expect(page.getByLabel("所在工会")).toHaveValue("37010201"); // the invite link chose the unit
  await page.screenshot({ path: `${SHOTS}/register-phone${suffix}.png` });
  await page.getByRole("button", { name: "获取验证码" }).click();

  await expect(page.getByRole("status")).toContainText("验证码已发送至");
  const code = await latestCode(page, phone);
  await page.getByLabel("短信验证码").fill(code);
  await page.getByLabel("姓名").fill("李四");
  await page.getByLabel("设置密码").fill("abc");
  await page.getByRole("button", { name: "注册" }).click();
  // A weak password: the message sits under the field; nothing else is lost.
  await expect(page.locator("#f-password-message")).toHaveText("密码至少 8 位");
  await expect(page.getByLabel("姓名")).toHaveValue("李四");
  await page.screenshot({ path: `${SHOTS}/register-error${suffix}.png` });

  await page.getByLabel("设置密码").fill("Shandong-2026!");
  await page.getByRole("button", { name: "注册" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("heading", { level: 1, name: "李四" })).toBeVisible();
  await expect(page.getByText(phone.slice(0, 3) + "****" + phone.slice(7))).toBeVisible();
  await expect(page.getByText("历下区机械厂工会")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/me${suffix}.png` });

  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/$/);
  await page.goto("/me");
  await expect(page.getByText("登录后可查看会员信息")).toBeVisible();

  await page.getByRole("link", { name: "登录" }).first().click();
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill("wrong-password");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page.locator("#f-password-message")).toHaveText("手机号或密码不正确");
  await page.screenshot({ path: `${SHOTS}/login-error${suffix}.png` });
  await page.getByLabel("密码").fill("Shandong-2026!");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(/\/me$/);
  await expect(page.getByRole("heading", { level: 1, name: "李四" })).toBeVisible();
}

test.describe("with JavaScript", () => {
  test("register, sign out, sign in, 我的 — and the page hydrates cleanly after each post", async ({ page }) => {
    const errors = watchForErrors(page);
    await registerSignOutSignIn(page, freshPhone(1), true);
    expect(errors).toEqual([]);
  });

  test("a field checks itself when the member leaves it, before any round trip", async ({ page }) => {
    await page.goto("/register");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await page.getByLabel("手机号").fill("12345");
    await page.getByLabel("所在工会").focus();
    await expect(page.locator("#f-phone-message")).toHaveText("手机号应为 11 位数字，以 1 开头");
    await expect(page.getByLabel("手机号")).toHaveAttribute("aria-invalid", "true");
  });
});

test("once hydrated, typing in the unit search narrows the list of unions", async ({ page }) => {
  await page.goto("/register");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  const visibleOptions = () =>
    page.locator("#f-unit option").evaluateAll((options) => options.filter((o) => !(o as HTMLOptionElement).hidden).length);
  const all = await visibleOptions();
  await page.getByLabel("查找工会").fill("黄岛区");
  await expect.poll(visibleOptions).toBe(1 + 5); // the prompt and 黄岛区's five unions
  expect(all).toBe(1 + 55);
  await page.getByLabel("所在工会").selectOption({ label: "黄岛区物流园工会" });
  await expect(page.getByLabel("所在工会")).toHaveValue("37021105");
  await page.screenshot({ path: `${SHOTS}/register-unit-search.png` });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("register, sign out, sign in, 我的", async ({ page }) => {
    await registerSignOutSignIn(page, freshPhone(2), false);
  });
});

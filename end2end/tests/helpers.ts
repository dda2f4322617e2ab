// Shared by the end-to-end specs.
import { expect, type Browser, type Page } from "@playwright/test";
import { readdirSync, readFileSync } from "node:fs";

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

export type RosterPerson = { unit: string; name: string; id: string; birth: string };

/**
 * The demo roster's people that no other spec names by ID number (nor the
 * demo members), in roster order: specs share one database, and an ID number
 * certifies one account only. `self` is the calling spec's file name.
 */
export function freeRosterPeople(self: string): RosterPerson[] {
  const others =
    readdirSync("tests")
      .filter((f) => f !== self)
      .map((f) => readFileSync(`tests/${f}`, "utf8"))
      .join("\n") + readFileSync("../demo/members.csv", "utf8");
  const used = new Set(others.match(/\d{17}[\dX]/g) ?? []);
  return readFileSync("../demo/roster.csv", "utf8")
    .trim()
    .split("\n")
    .slice(1)
    .map((line) => line.split(","))
    .filter((r) => !used.has(r[5]))
    .map((r) => ({ unit: r[0], name: r[2], id: r[5], birth: r[4] }));
}

/** This month in Shanghai, `MM`. */
export function monthInShanghai(): string {
  return new Date(Date.now() + 8 * 3600_000).toISOString().slice(5, 7);
}

/** Registers `who` (a roster person) with `phone` in a browser with JavaScript off and certifies them; ends on 我的. */
export async function certifiedWithoutJs(browser: Browser, phone: string, who: { unit: string; name: string; id: string }): Promise<Page> {
  const page = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await registerMember(page, phone, who.name, who.unit);
  await page.goto("/certify");
  await page.locator("#f-name").fill(who.name);
  await page.locator("#f-id_number").fill(who.id);
  await page.getByRole("button", { name: "提交认证" }).click();
  await expect(page).toHaveURL(/\/me$/);
  return page;
}

// Voting on a phone from a shared link: signed out → sign in → back on the
// candidate's page → vote → the count and the votes left update; with
// JavaScript and without it. The campaign is the demo union's 齐鲁工匠.
import { test, expect, type Page } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";
import { registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const CANDIDATE = "/v/qilu-gongjiang-2026/5";

async function votes(page: Page): Promise<number> {
  return Number(await page.locator(".tally strong").textContent());
}

async function signedOutThenVote(page: Page, phone: string, js: boolean) {
  await registerMember(page, phone, "投票人");
  await page.getByRole("button", { name: "退出登录" }).click();
  await expect(page).toHaveURL(/\/$/);

  // The link as a chat app opens it: complete, with a way to sign in.
  await page.goto(CANDIDATE);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("陈志强");
  await expect(page.getByText("05 号")).toBeVisible();
  await page.screenshot({ path: `${SHOTS}/candidate-signed-out${js ? "" : "-nojs"}.png` });
  await page.getByRole("link", { name: "登录后投票" }).click();
  await page.getByLabel("手机号").fill(phone);
  await page.getByLabel("密码").fill("Shandong-2026!");
  await page.getByRole("button", { name: "登录" }).click();
  await expect(page).toHaveURL(new RegExp(`${CANDIDATE}$`));
  await expect(page.getByText("您今天还可以投 10 票")).toBeVisible();

  const before = await votes(page);
  await page.getByRole("button", { name: "投票", exact: true }).click();
  await expect(page.getByText("您今天还可以投 9 票")).toBeVisible();
  await expect(page.getByRole("status").first()).toContainText("投票成功！");
  if (js) {
    // In place, at once.
    expect(await votes(page)).toBe(before + 1);
  } else {
    // Tallies are counted every few seconds: a reload shows the new count soon.
    await expect(async () => {
      await page.reload();
      expect(await votes(page)).toBe(before + 1);
    }).toPass({ timeout: 10_000 });
  }
  await page.screenshot({ path: `${SHOTS}/candidate-voted${js ? "" : "-nojs"}.png`, fullPage: true });
}

test("with JavaScript: from a shared link, sign in, vote, see the count and votes left update", async ({ page }) => {
  const errors = watchForErrors(page);
  await signedOutThenVote(page, "13500000031", true);
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await expect(page.getByRole("button", { name: "分享给好友" })).toBeVisible();
  const serious = (await new AxeBuilder({ page }).analyze()).violations.filter((v) => v.impact === "serious" || v.impact === "critical").map((v) => v.id);
  expect(serious).toEqual([]);

  await page.setViewportSize({ width: 375, height: 667 });
  await page.goto(`${CANDIDATE}/poster.svg`);
  await page.screenshot({ path: `${SHOTS}/poster.png` });
  await page.setViewportSize({ width: 360, height: 640 });

  await page.goto("/v/qilu-gongjiang-2026");
  await expect(page.getByRole("heading", { name: "实时排行" })).toBeVisible();
  await expect(page.locator("ol.board li")).toHaveCount(30);
  await page.screenshot({ path: `${SHOTS}/campaign.png` });
  await page.goto("/vote");
  await expect(page.getByRole("link", { name: /齐鲁工匠/ })).toBeVisible();
  expect(errors).toEqual([]);
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });
  test("from a shared link, sign in, vote, see the count and votes left update", async ({ page }) => {
    await signedOutThenVote(page, "13500000032", false);
  });
});

test("with JavaScript: the leaderboard counts another member's vote without a reload", async ({ page, browser }) => {
  await page.goto("/v/qilu-gongjiang-2026?q=9");
  await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
  await page.evaluate(() => ((window as any).__noReload = true));
  const row = page.locator("ol.board li", { hasText: "09 号" });
  const before = Number((await row.locator(".votes").textContent())!.replace(" 票", ""));

  const voter = await (await browser.newContext()).newPage();
  await registerMember(voter, "13500000033", "另一位");
  const answer = await voter.request.post("/api/vote", {
    form: { campaign: "qilu-gongjiang-2026", number: "9", key: "live-board-key-0001" },
    headers: { Origin: new URL(page.url()).origin },
  });
  expect(answer.status()).toBe(200);

  await expect(row.locator(".votes")).toHaveText(`${before + 1} 票`, { timeout: 15_000 });
  expect(await page.evaluate(() => (window as any).__noReload)).toBe(true);
});

// 网络展 on a phone (issue 14): an official opens a photo contest; a
// certified member with JavaScript off enters a work with its picture; the
// official approves it; once voting opens the campaign page is a
// two-column gallery of thumbnails, and a member votes for the work.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { certifiedWithoutJs, freeRosterPeople, monthInShanghai, registerMember } from "./helpers";

const SHOTS = "screenshots";
const DB = `${process.env.GONGHUI_E2E_DATA}/e2e.db`;
const env = { ...process.env, DATABASE_URL: `sqlite://${DB}`, RUST_LOG: "warn" };
const SLUG = "sheying-e2e";

/** `YYYY-MM-DD` of today + `days` in Shanghai. */
function shanghaiDate(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

// The fifth and sixth roster people no other spec names, not born this month
// (the activities and wishes specs take the first four).
function rosterPeople(): { unit: string; name: string; id: string }[] {
  return freeRosterPeople("contests.spec.ts").filter((r) => r.birth.slice(5, 7) !== monthInShanghai()).slice(4, 5);
}

test.beforeAll(() => {
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], { env });
});

test("a work is entered with its picture, approved, shown in the gallery and voted for", async ({ browser }) => {
  test.setTimeout(120_000);
  const [authorPerson] = rosterPeople();
  const admin = await (await browser.newContext()).newPage();
  await registerMember(admin, "14300000001", "展览专干", "37010201");
  execFileSync("../target/debug/gonghui", ["make-admin", "14300000001"], { env });

  await admin.goto("/admin/campaigns/new");
  await admin.locator("#f-title").fill("职工摄影作品网络展（测试）");
  await admin.locator("#f-description").fill("展示职工镜头里的劳动之美。");
  await admin.locator("#f-unit").selectOption("37");
  await admin.locator("#f-slug").fill(SLUG);
  for (const [name, days] of [["signup_starts", 0], ["review_starts", 7], ["voting_starts", 14], ["publicity_starts", 21], ["closes", 28]] as const)
    await admin.locator(`#f-${name}`).fill(shanghaiDate(days));
  await admin.locator("#f-kind").selectOption("works");
  await admin.getByRole("button", { name: "创建活动" }).click();
  await expect(admin).toHaveURL(new RegExp(`/admin/campaigns/${SLUG}/candidates$`));

  const author = await certifiedWithoutJs(browser, "14300000002", authorPerson);
  await author.goto(`/v/${SLUG}`);
  await author.locator("#f-title").fill("书香午后");
  await author.locator("#f-story").fill("午休时间，同事们在职工书屋里读书。");
  await author.locator("#entry-photo").setInputFiles("../demo/photos/library.jpg");
  await author.getByRole("button", { name: "提交作品" }).click();
  await expect(author.getByRole("status").filter({ hasText: "作品已提交" })).toBeVisible();

  await admin.reload();
  await admin.getByRole("button", { name: "通过报名" }).click();
  await expect(admin.getByRole("status").filter({ hasText: "已通过报名" })).toBeVisible();

  // Voting opens: the test moves the contest's calendar (the page keeps a
  // campaign for up to 5 s per process).
  const now = Math.floor(Date.now() / 1000);
  execFileSync("python3", ["-c", `import sqlite3; c = sqlite3.connect("${DB}"); c.execute("UPDATE campaigns SET signup_starts = ${now - 300}, review_starts = ${now - 200}, voting_starts = ${now - 100} WHERE slug = '${SLUG}'"); c.commit()`]);
  await new Promise((r) => setTimeout(r, 5_500));

  const voter = await (await browser.newContext()).newPage();
  await registerMember(voter, "14300000003", "看展观众", "37010202");
  await voter.goto(`/v/${SLUG}`);
  await expect(voter.getByRole("heading", { name: "作品展厅" })).toBeVisible();
  const tile = voter.locator("ol.gallery a.tile", { hasText: "书香午后" });
  await expect(tile.locator("img")).toBeVisible();
  await expect.poll(() => tile.locator("img").evaluate((img: HTMLImageElement) => img.naturalWidth)).toBe(320);
  await voter.screenshot({ path: `${SHOTS}/contest-gallery.png`, fullPage: true });
  await tile.click();
  await expect(voter.getByRole("heading", { level: 1 })).toHaveText("《书香午后》");
  await voter.getByRole("button", { name: "投票", exact: true }).click();
  await expect(voter.locator("main")).toContainText("投票成功");
  await voter.screenshot({ path: `${SHOTS}/contest-voted.png`, fullPage: true });
});

// 微心愿 on a phone (issue 14): a certified member posts a wish (JavaScript
// off); an official approves it; another member claims it from the wall,
// where it shows without the person's name; the official confirms it with a
// photo; the wish's page shows each step.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { certifiedWithoutJs, freeRosterPeople, monthInShanghai, registerMember } from "./helpers";

const SHOTS = "screenshots";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };

// Roster people no other spec uses, not born this month: the third and fourth
// such (the activities spec takes the first two, the benefits spec this month's).
function rosterPeople(): { unit: string; name: string; id: string }[] {
  return freeRosterPeople("wishes.spec.ts").filter((r) => r.birth.slice(5, 7) !== monthInShanghai()).slice(2, 4);
}

test.beforeAll(() => {
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], { env });
});


test("a wish is posted, approved, claimed from the wall and confirmed with a photo", async ({ browser }) => {
  test.setTimeout(120_000);
  const [needyPerson, donorPerson] = rosterPeople();
  const admin = await (await browser.newContext()).newPage();
  await registerMember(admin, "14900000001", "帮扶专干", "37010201");
  execFileSync("../target/debug/gonghui", ["make-admin", "14900000001"], { env });
  const needy = await certifiedWithoutJs(browser, "14900000002", needyPerson);
  const donor = await certifiedWithoutJs(browser, "14900000003", donorPerson);

  await needy.goto("/services/wishes");
  await needy.locator("#f-title").fill("给孩子买一个新书包");
  await needy.locator("#w-reason").fill("孩子的书包已经破了，开学前想换一个新的。");
  await needy.locator("#f-value").fill("120");
  await needy.getByRole("button", { name: "提交审核" }).click();
  await expect(needy.locator(".badge.live")).toHaveText("待审核");

  await admin.goto("/admin/wishes");
  await admin.locator("article", { hasText: "给孩子买一个新书包" }).getByRole("button", { name: "通过" }).click();
  await expect(admin.getByRole("status")).toContainText("已通过");

  await donor.goto("/services/wishes");
  await expect(donor.locator("main")).not.toContainText(needyPerson.name);
  await donor.screenshot({ path: `${SHOTS}/wishes-wall.png`, fullPage: true });
  await donor.getByRole("link", { name: /给孩子买一个新书包/ }).click();
  await donor.getByRole("button", { name: "我来认领" }).click();
  await expect(donor.getByRole("status")).toContainText("感谢您认领");

  await admin.goto("/admin/wishes");
  const row = admin.locator("article", { hasText: "给孩子买一个新书包" });
  await row.locator('input[type="file"]').setInputFiles("../demo/photos/library-320.jpg");
  await row.getByRole("button", { name: "确认已实现" }).click();
  await expect(admin.getByRole("status")).toContainText("心愿实现");

  await needy.goto("/services/wishes");
  await needy.getByRole("link", { name: /给孩子买一个新书包/ }).first().click();
  await expect(needy.locator(".badge.live")).toHaveText("已实现");
  await expect(needy.getByRole("img", { name: "心愿实现的照片" })).toBeVisible();
  await needy.screenshot({ path: `${SHOTS}/wishes-fulfilled.png`, fullPage: true });
});

// 活动 on a phone (issue 14): an official publishes a one-seat screening;
// one member takes the seat, a second signs up and waits in line (both with
// JavaScript off, as in an old webview); the first cancels, the second moves
// up and 我的 says so; at the door the official's phone, offline, checks the
// second's code with no network, keeps it, and checks them in once back online.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { certifiedWithoutJs, freeRosterPeople, monthInShanghai, registerMember, watchForErrors } from "./helpers";

const SHOTS = "screenshots";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };

// Two roster people no other spec uses, not born this month (the benefits
// spec takes this month's), the first two such (the wishes spec the next two).
function rosterPeople(): { unit: string; name: string; id: string }[] {
  return freeRosterPeople("activities.spec.ts").filter((r) => r.birth.slice(5, 7) !== monthInShanghai()).slice(0, 2);
}

test.beforeAll(() => {
  execFileSync("../target/debug/gonghui", ["import-roster", "../demo/roster.csv"], { env });
});


test("a member in line gets the seat when it is given up and is checked in at the door, offline then online", async ({ browser }) => {
  test.setTimeout(120_000);
  const [a, b] = rosterPeople();
  const adminContext = await browser.newContext();
  const admin = await adminContext.newPage();
  await registerMember(admin, "14800000001", "活动专干", "37010201");
  execFileSync("../target/debug/gonghui", ["make-admin", "14800000001"], { env });
  const first = await certifiedWithoutJs(browser, "14800000002", a);
  const second = await certifiedWithoutJs(browser, "14800000003", b);

  // The official publishes a one-seat screening for the province.
  const day = (n: number) => new Date(Date.now() + 8 * 3600_000 + n * 86_400_000).toISOString().slice(0, 10);
  await admin.goto("/admin/activities");
  await admin.locator("#a-unit").selectOption("37");
  await admin.locator("#f-a-title").fill("周末1元观影");
  await admin.locator("#a-kind").selectOption("cinema");
  await admin.locator("#a-description").fill("凭签到码入场，每人 1 元。");
  await admin.locator("#f-a-place").fill("万达影城 3 号厅");
  await admin.locator("#f-a-date").fill(day(3));
  await admin.locator("#f-a-starts").fill("14:00");
  await admin.locator("#f-a-ends").fill("16:00");
  await admin.locator("#f-a-capacity").fill("1");
  await admin.locator("#f-a-signup_opens").fill(day(0));
  await admin.locator("#f-a-signup_closes").fill(day(2));
  await admin.getByRole("button", { name: "发布活动" }).click();
  const listed = admin.locator("article", { hasText: "周末1元观影" });
  await expect(listed).toContainText("报名 0/1");

  // The first takes the seat; the second waits in line.
  await first.goto("/services");
  await first.locator("article", { hasText: "周末1元观影" }).getByRole("button", { name: "报名" }).click();
  await expect(first).toHaveURL(/\/services\/activities\/\d+$/);
  await expect(first.getByRole("img", { name: "签到二维码" })).toBeVisible();
  await second.goto("/services");
  const full = second.locator("article", { hasText: "周末1元观影" });
  await expect(full).toContainText("名额已满，可排队候补");
  await second.screenshot({ path: `${SHOTS}/activities-full.png`, fullPage: true });
  await full.getByRole("button", { name: "报名" }).click();
  await expect(second.locator(".badge.live")).toHaveText("候补第 1 位");

  // The first gives the seat up; the second moves up, and 我的 says so.
  await first.getByRole("button", { name: "取消报名" }).click();
  await expect(first.getByRole("status")).toContainText("已取消报名");
  await second.goto("/me");
  await expect(second.getByRole("status")).toContainText("候补成功：周末1元观影");
  await second.screenshot({ path: `${SHOTS}/activities-moved-up.png`, fullPage: true });
  await second.getByRole("link", { name: "周末1元观影" }).click();
  await expect(second.getByRole("img", { name: "签到二维码" })).toBeVisible();
  const signupId = second.url().split("/").pop()!;
  const view = await (await second.request.get(`/api/activities/my-signup?id=${signupId}`)).json();

  // At the door, with no network: the code's signature is checked and kept.
  const errors = watchForErrors(admin);
  await admin.goto("/admin/activities");
  await listed.getByRole("link").first().click();
  await expect(admin.locator("#scanner")).toBeVisible();
  await expect(admin.locator("#scanner[data-ready=true]")).toBeAttached();
  await adminContext.setOffline(true);
  await admin.locator("#f-code").fill(view.code);
  await admin.getByRole("button", { name: "签到", exact: true }).click();
  await expect(admin.locator("#scan-result")).toContainText("离线核验通过");
  await admin.screenshot({ path: `${SHOTS}/activities-door-offline.png` });
  await adminContext.setOffline(false);
  await admin.evaluate(() => window.dispatchEvent(new Event("online")));
  await expect(admin.locator("#scan-result")).toContainText("签到成功");
  await admin.reload();
  await expect(admin.locator("#scanner")).toContainText("已签到 1 / 1");
  expect(errors).toEqual([]);
});

// 学吧 on a phone (issue 14): an official opens a course; a member reads
// the lesson with JavaScript off, answers one question wrong (told which,
// the choices kept), then passes; the official sees the unit counted.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { registerMember } from "./helpers";

const SHOTS = "screenshots";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };

test("a member reads a lesson and passes its quiz on the second try", async ({ browser }) => {
  test.setTimeout(90_000);
  const admin = await (await browser.newContext()).newPage();
  await registerMember(admin, "14500000001", "课程专干", "37010201");
  execFileSync("../target/debug/gonghui", ["make-admin", "14500000001"], { env });
  const member = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await registerMember(member, "14500000002", "学员甲", "37010202");

  await admin.goto("/admin/lessons");
  await admin.locator("#c-unit").selectOption("37");
  await admin.locator("#f-c-course_title").fill("劳动合同入门");
  await admin.locator("#f-c-summary").fill("签合同前要知道的三件事。");
  await admin.locator("#c-title").fill("试用期有多长");
  await admin.locator("#c-body").fill("合同期 1 年以上不满 3 年的，试用期不超过 **2 个月**。");
  await admin.locator("#c-quiz").fill(
    "合同期 2 年，试用期最长？｜1 个月｜2 个月｜6 个月｜2\n合同期 5 年，试用期最长？｜2 个月｜3 个月｜6 个月｜3\n合同期 6 个月，试用期最长？｜1 个月｜2 个月｜3 个月｜1",
  );
  await admin.getByRole("button", { name: "开设课程" }).click();
  await expect(admin.getByRole("status")).toContainText("已开设课程");

  await member.goto("/services/lessons");
  const course = member.locator("section", { hasText: "劳动合同入门" });
  await expect(course).toContainText("已通过 0/1 课");
  await course.getByRole("link", { name: "试用期有多长" }).click();
  await member.getByRole("button", { name: "学完了" }).click();
  await member.getByLabel("2 个月").first().check();
  await member.locator("fieldset").nth(1).getByLabel("2 个月").check();
  await member.locator("fieldset").nth(2).getByLabel("1 个月").check();
  await member.getByRole("button", { name: "交卷" }).click();
  await expect(member.getByRole("alert")).toContainText("第 2 题答错了");
  await expect(member.locator("fieldset").nth(0).getByLabel("2 个月")).toBeChecked();
  await member.screenshot({ path: `${SHOTS}/lessons-wrong.png`, fullPage: true });
  await member.locator("fieldset").nth(1).getByLabel("6 个月").check();
  await member.getByRole("button", { name: "交卷" }).click();
  await expect(member.getByRole("status").first()).toContainText("全部答对");

  await admin.reload();
  await expect(admin.locator("article", { hasText: "劳动合同入门" })).toContainText("历下区供电公司工会");
});

// 信箱 on a phone (issue 14): the province marks the coming weekend day a
// 调休 working day; a member with JavaScript off writes to their district
// union and sees the deadline counted over it; the official transfers the
// letter up to the city with a note and answers it, publishing it with the
// personal details out; the member rates the answer; the public Q&A shows it.
import { test, expect } from "@playwright/test";
import { execFileSync } from "node:child_process";
import { registerMember } from "./helpers";

const SHOTS = "screenshots";
const env = { ...process.env, DATABASE_URL: `sqlite://${process.env.GONGHUI_E2E_DATA}/e2e.db`, RUST_LOG: "warn" };

/** `YYYY-MM-DD` of today + `days` in Shanghai. */
function shanghaiDate(days: number): string {
  return new Date(Date.now() + 8 * 3600_000 + days * 86_400_000).toISOString().slice(0, 10);
}

function isWeekend(day: string): boolean {
  const weekday = new Date(`${day}T00:00:00Z`).getUTCDay();
  return weekday === 0 || weekday === 6;
}

/** 5 working days after today: Monday to Friday, plus `workingWeekendDay`. */
function deadline(workingWeekendDay: string): string {
  let left = 5;
  let day = 0;
  while (left > 0) {
    day += 1;
    const d = shanghaiDate(day);
    if (!isWeekend(d) || d === workingWeekendDay) left -= 1;
  }
  return shanghaiDate(day);
}

test("a letter is transferred up, answered on a working-day deadline, rated and published", async ({ browser }) => {
  test.setTimeout(120_000);
  const admin = await (await browser.newContext()).newPage();
  await registerMember(admin, "14400000001", "信访专干", "37010201");
  execFileSync("../target/debug/gonghui", ["make-admin", "14400000001"], { env });

  // The coming Saturday or Sunday becomes a 调休 working day.
  const weekendDay = [1, 2, 3, 4, 5, 6, 7].map(shanghaiDate).find(isWeekend)!;
  await admin.goto("/admin/mail");
  const calendar = admin.locator("form", { has: admin.locator("#f-c-day") });
  await calendar.locator("#f-c-day").fill(weekendDay);
  await calendar.getByLabel("调休上班").check();
  await calendar.locator("#f-c-name").fill("演示调休上班");
  await calendar.getByRole("button", { name: "保存" }).click();
  await expect(admin.getByRole("status")).toContainText("设为调休上班");

  const writer = await (await browser.newContext({ javaScriptEnabled: false })).newPage();
  await registerMember(writer, "14400000002", "马小军", "37010201");
  await writer.goto("/services/mail");
  await writer.locator("#l-unit").selectOption({ label: "历下区总工会" });
  await writer.locator("#f-l-subject").fill("车间夏季高温补贴没有发放");
  await writer.locator("#l-body").fill("我是马小军，电话14400000002。今年七八月车间温度很高，高温补贴一直没有发放。");
  await writer.getByLabel(/同意隐去个人信息后公开答复/).check();
  await writer.screenshot({ path: `${SHOTS}/mail-write.png`, fullPage: true });
  await writer.getByRole("button", { name: "寄出" }).click();
  await expect(writer).toHaveURL(/\/services\/mail\/\d+$/);
  const letter = writer.url();
  await expect(writer.locator("main")).toContainText(`答复期限 ${deadline(weekendDay)}`);

  // The district official sends it up to the city, then answers it there
  // (the super admin's reach holds both).
  await admin.goto("/admin/mail");
  await admin.getByRole("link", { name: /车间夏季高温补贴没有发放/ }).click();
  await admin.locator("#t-to").selectOption({ label: "上级：济南市总工会" });
  await admin.locator("#f-t-note").fill("高温补贴标准由市总工会统一答复");
  await admin.getByRole("button", { name: "转办" }).click();
  await expect(admin.getByRole("status")).toContainText("已转办至济南市总工会");
  await expect(admin.locator("main")).toContainText("历下区总工会转办至济南市总工会");
  await admin.locator("#a-answer").fill("按规定，6 至 9 月露天和高温作业职工应发放高温补贴，市总工会已督促企业补发。");
  await admin.getByLabel("公开到问答（来信人已同意）").check();
  await expect(admin.locator("#a-question")).toHaveValue(/我是某会员，电话＊＊＊/);
  await admin.getByRole("button", { name: "答复" }).click();
  await expect(admin.getByRole("status")).toContainText("已答复，并已公开到问答");

  await writer.goto(letter);
  await expect(writer.locator("main")).toContainText("市总工会已督促企业补发");
  await writer.getByLabel("满意", { exact: true }).check();
  await writer.getByRole("button", { name: "评价" }).click();
  await expect(writer.getByRole("status")).toContainText("感谢您的评价：满意");
  await writer.screenshot({ path: `${SHOTS}/mail-answered.png`, fullPage: true });

  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto("/services/faq");
  const qa = visitor.locator("article", { hasText: "高温补贴一直没有发放" });
  await expect(qa).toContainText("市总工会已督促企业补发");
  await expect(qa).not.toContainText("马小军");
  await expect(qa).not.toContainText("14400000002");
  await visitor.screenshot({ path: `${SHOTS}/mail-faq.png`, fullPage: true });
});

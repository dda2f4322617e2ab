// axe-core on every page; serious or critical violations fail the run.
import { test, expect } from "@playwright/test";
import AxeBuilder from "@axe-core/playwright";

const PAGES = ["/", "/?q=%E6%9C%BA%E6%A2%B0%E5%8E%82", "/vote", "/services", "/services/wishes", "/services/lessons", "/services/mail", "/services/faq", "/partner", "/me", "/register", "/login", "/login/sms", "/reset", "/certify", "/gongshi", "/v/qilu-gongjiang-2026", "/v/qilu-gongjiang-2026/5", "/no/such/page"];

for (const path of PAGES) {
  test(`no serious accessibility violations on ${decodeURIComponent(path)}`, async ({ page }) => {
    await page.goto(path);
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    const results = await new AxeBuilder({ page }).analyze();
    const serious = results.violations
      .filter((v) => v.impact === "serious" || v.impact === "critical")
      .map((v) => `${v.id} (${v.impact}): ${v.help} — ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`);
    expect(serious).toEqual([]);
  });
}

// The member shell at 360×640: header, tab bar, the demo union's units,
// with JavaScript and without, and after hydration.
import { test, expect, type Page } from "@playwright/test";
import { watchForErrors } from "./helpers";

const SHOTS = "screenshots";

async function expectShell(page: Page) {
  await expect(page.locator(".site-title")).toHaveText("山东省总工会");
  const tabs = page.getByRole("navigation", { name: "主导航" }).getByRole("link");
  await expect(tabs).toHaveText(["首页", "投票", "服务", "我的"]);
  // The tab bar sits at the bottom of the phone screen, every tab ≥ 44 px tall.
  for (const tab of await tabs.all()) {
    const box = (await tab.boundingBox())!;
    expect(box.height).toBeGreaterThanOrEqual(44);
    expect(box.y + box.height).toBeLessThanOrEqual(640);
    expect(box.y).toBeGreaterThan(640 - 80);
  }
}

test.describe("with JavaScript", () => {
  test("the home page shows the union, the tab bar and the units, then hydrates without errors", async ({ page }) => {
    const errors = watchForErrors(page);
    await page.goto("/");
    await expectShell(page);
    await expect(page.getByText("济南市总工会")).toBeVisible();
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    await page.screenshot({ path: `${SHOTS}/home.png` });

    await page.getByText("济南市总工会").click();
    await expect(page.getByText("历下区总工会")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/home-expanded.png` });
    expect(errors).toEqual([]);
  });

  test("searching and changing tabs work, and a page without islands loads no WASM", async ({ page }) => {
    // Islands (issue 11): only the interactive parts of a page are WASM, so a
    // page without any — the home page — never downloads the bundle, and
    // moving between pages is a page load, not client-side routing.
    const errors = watchForErrors(page);
    const wasm: string[] = [];
    page.on("request", (r) => {
      if (r.url().endsWith(".wasm")) wasm.push(r.url());
    });
    await page.goto("/");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");

    await page.getByRole("searchbox", { name: "搜索单位" }).fill("物流园");
    await page.getByRole("button", { name: "搜索" }).click();

    await expect(page.getByRole("status")).toHaveText("找到 11 个包含“物流园”的单位");
    await expect(page).toHaveURL(/\?q=/);
    await expect(page.getByText("山东省总工会 › 青岛市总工会 › 黄岛区总工会")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/search.png` });

    await page.getByRole("link", { name: "投票", exact: true }).click();
    await expect(page.getByRole("heading", { name: "评选投票", exact: true })).toBeVisible();
    await expect(page.getByRole("link", { name: "投票", exact: true })).toHaveAttribute("aria-current", "page");
    await expect(page.locator("body")).toHaveAttribute("data-hydrated", "true");
    expect(wasm).toEqual([]);
    expect(errors).toEqual([]);
  });

  test("an unknown address shows the Chinese 404 page with status 404", async ({ page }) => {
    const response = await page.goto("/no/such/page");
    expect(response!.status()).toBe(404);
    await expect(page.getByRole("heading", { name: "页面不存在" })).toBeVisible();
    await expectShell(page);
    await page.getByRole("link", { name: "返回首页" }).click();
    await expect(page.getByText("济南市总工会")).toBeVisible();
  });
});

test.describe("without JavaScript", () => {
  test.use({ javaScriptEnabled: false });

  test("the home page is complete: union, tab bar, units that fold open", async ({ page }) => {
    await page.goto("/");
    await expectShell(page);
    await expect(page.getByText("济南市总工会")).toBeVisible();
    await expect(page.locator("body")).not.toHaveAttribute("data-hydrated", "true");
    // <details> opens without any script.
    await page.getByText("青岛市总工会").click();
    await expect(page.getByText("市南区总工会")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/home-nojs.png` });
  });

  test("the search form posts as a plain GET and the server renders the results", async ({ page }) => {
    await page.goto("/");
    await page.getByRole("searchbox", { name: "搜索单位" }).fill("泰山区");
    await page.getByRole("button", { name: "搜索" }).click();
    await expect(page).toHaveURL(/\?q=%E6%B3%B0%E5%B1%B1%E5%8C%BA/);
    await expect(page.getByRole("status")).toHaveText(/^找到 \d+ 个包含“泰山区”的单位$/);
    await expect(page.getByText("泰山区机械厂工会")).toBeVisible();
    await page.screenshot({ path: `${SHOTS}/search-nojs.png` });
  });

  test("every tab opens a page", async ({ page }) => {
    await page.goto("/");
    const nav = page.getByRole("navigation", { name: "主导航" });
    for (const [tab, heading] of [["投票", "评选投票"], ["服务", "服务"], ["我的", "我的"], ["首页", "会员之家"]]) {
      await nav.getByRole("link", { name: tab }).click();
      await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible();
      await expect(nav.getByRole("link", { name: tab })).toHaveAttribute("aria-current", "page");
    }
  });
});

// Fails when the member bundle is over the ceiling in bench/bundle-budget.json
// and says how far it is from the target. Sizes come from precompress.mjs
// (brotli quality 11, as served).
//
//   node scripts/check-bundle-budget.mjs [target/site]
import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";

const site = process.argv[2] ?? "target/site";
const budget = JSON.parse(readFileSync("bench/bundle-budget.json", "utf8"));
const sizes = JSON.parse(execFileSync("node", ["scripts/precompress.mjs", site, "--json"], { encoding: "utf8" }));
const measured = { wasm_brotli: sizes.files["pkg/gonghui_bg.wasm"].brotli, total_brotli: sizes.total.brotli };
const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
let over = false;
for (const [name, size] of Object.entries(measured)) {
  const ceiling = budget.ceiling[name];
  const target = budget.target[name];
  const verdict = size > ceiling ? "OVER THE CEILING" : "ok";
  if (size > ceiling) over = true;
  console.log(`${name.padEnd(13)} ${kb(size)}  ceiling ${kb(ceiling)} (${verdict})  target ${kb(target)} (${size > target ? `${kb(size - target)} over` : "met"})`);
}
if (over) {
  console.error("The member bundle grew past its ceiling (bench/bundle-budget.json). Shrink it, or raise the ceiling in a commit that says why.");
  process.exit(1);
}

// Fails when the member bundle is over the ceiling in bench/bundle-budget.json
// and says how far it is from the target. Sizes come from precompress.mjs
// (brotli quality 11, as served).
//
//   node scripts/check-bundle-budget.mjs [target/site]
//   node scripts/check-bundle-budget.mjs target/embed   # the webview bundle, against budget.embed
import { execFileSync } from "node:child_process";
import { readFileSync, readdirSync, statSync } from "node:fs";
import { basename, extname, join } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const site = process.argv[2] ?? "target/site";
const budget = JSON.parse(readFileSync("bench/bundle-budget.json", "utf8"));
if (basename(site) === "embed") {
  checkEmbed(site, budget.embed);
  process.exit(0);
}
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

// The webview bundle (make embed): Trunk names its files with a content
// hash, so they are found by kind. What a webview downloads on first start:
// index.html, the JS glue (and wasm-bindgen's snippets), the WASM and the CSS;
// brotli quality 11 as precompress.mjs does. Prints raw/gzip/brotli per file.
function checkEmbed(dir, limits) {
  const kinds = new Set([".html", ".js", ".wasm", ".css"]);
  // Not the top-level `kb`: this runs before that line is reached.
  const kb = (n) => `${(n / 1024).toFixed(1)} KB`;
  const walk = (d) => readdirSync(d).flatMap((n) => (statSync(join(d, n)).isDirectory() ? walk(join(d, n)) : [join(d, n)]));
  const total = { raw: 0, gzip: 0, brotli: 0 };
  let wasm = 0;
  for (const path of walk(dir).filter((p) => kinds.has(extname(p))).sort()) {
    const raw = readFileSync(path);
    const br = brotliCompressSync(raw, {
      params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
    }).length;
    const gz = gzipSync(raw, { level: 9 }).length;
    console.log(`${path.slice(dir.length + 1).padEnd(40)} raw ${raw.length}  gzip ${gz}  brotli ${br}`);
    total.raw += raw.length;
    total.gzip += gz;
    total.brotli += br;
    if (extname(path) === ".wasm") wasm += br;
  }
  console.log(`${"total".padEnd(40)} raw ${total.raw}  gzip ${total.gzip}  brotli ${total.brotli}`);
  let over = false;
  for (const [name, size] of Object.entries({ wasm_brotli: wasm, total_brotli: total.brotli })) {
    const ceiling = limits.ceiling[name];
    if (size > ceiling) over = true;
    console.log(`embed ${name.padEnd(13)} ${kb(size)}  ceiling ${kb(ceiling)} (${size > ceiling ? "OVER THE CEILING" : "ok"})`);
  }
  if (wasm === 0 || over) {
    console.error(wasm === 0 ? `No .wasm under ${dir}: run make embed.` : "The webview bundle grew past its ceiling (bench/bundle-budget.json, embed). Shrink it, or raise the ceiling in a commit that says why.");
    process.exit(1);
  }
}

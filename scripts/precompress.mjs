// Writes .br and .gz beside every compressible file under a folder (the
// server sends them to browsers that accept them: no compression work per
// request) and prints the member bundle's sizes: raw, gzip, brotli.
//
//   node scripts/precompress.mjs target/site            # compress and report
//   node scripts/precompress.mjs target/site --json     # report as JSON only
import { readdirSync, readFileSync, writeFileSync, statSync } from "node:fs";
import { join, extname } from "node:path";
import { brotliCompressSync, gzipSync, constants } from "node:zlib";

const root = process.argv[2] ?? "target/site";
const jsonOnly = process.argv.includes("--json");
const COMPRESSIBLE = new Set([".js", ".wasm", ".css", ".svg", ".webmanifest", ".json", ".html"]);

function* files(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* files(path);
    else if (COMPRESSIBLE.has(extname(name))) yield path;
  }
}

const sizes = {};
for (const path of files(root)) {
  const raw = readFileSync(path);
  const br = brotliCompressSync(raw, {
    params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_SIZE_HINT]: raw.length },
  });
  const gz = gzipSync(raw, { level: 9 });
  if (!jsonOnly) {
    writeFileSync(path + ".br", br);
    writeFileSync(path + ".gz", gz);
  }
  sizes[path.slice(root.length + 1)] = { raw: raw.length, gzip: gz.length, brotli: br.length };
}

// What a member's phone downloads on first load, besides the HTML itself,
// reported under the files' stable names (pkg/gonghui_bg.wasm…) whatever
// content hash build-bundle.sh put in them (pkg/bundle.json names them).
let named = { wasm: "gonghui_bg.wasm", js: "gonghui.js", css: "gonghui.css" };
try {
  named = JSON.parse(readFileSync(join(root, "pkg/bundle.json"), "utf8"));
} catch {}
const roles = [["pkg/gonghui_bg.wasm", named.wasm], ["pkg/gonghui.js", named.js], ["pkg/gonghui.css", named.css]];
const total = { raw: 0, gzip: 0, brotli: 0 };
for (const [, file] of roles) for (const k of Object.keys(total)) total[k] += sizes[`pkg/${file}`]?.[k] ?? 0;
const report = { files: Object.fromEntries(roles.map(([stable, file]) => [stable, sizes[`pkg/${file}`]])), total };

if (jsonOnly) {
  console.log(JSON.stringify(report, null, 2));
} else {
  const kb = (n) => (n / 1024).toFixed(1).padStart(8) + " KB";
  console.log("member bundle".padEnd(22) + "raw".padStart(11) + "gzip".padStart(11) + "brotli".padStart(11));
  for (const [f, file] of roles) {
    const s = sizes[`pkg/${file}`] ?? { raw: 0, gzip: 0, brotli: 0 };
    console.log(f.padEnd(22) + kb(s.raw) + kb(s.gzip) + kb(s.brotli));
  }
  console.log("total".padEnd(22) + kb(total.raw) + kb(total.gzip) + kb(total.brotli));
}

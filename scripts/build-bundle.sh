#!/usr/bin/env bash
# Builds the browser bundle into target/site: the hydrate wasm (frontend crate,
# wasm32, profile wasm-release) → wasm-bindgen (--target web) → wasm-opt -Oz
# (npm binaryen 132) → pkg/gonghui.<hash>.js, gonghui_bg.<hash>.wasm,
# gonghui.<hash>.css and bundle.json naming them, public/ copied beside it,
# and .br/.gz siblings so the server sends precompressed files.
# Trunk.toml describes the same build for `make watch`.
set -euo pipefail
cd "$(dirname "$0")/.."

site=target/site
pkg=$site/pkg
wasm_in=target/wasm32-unknown-unknown/wasm-release/gonghui.wasm

cargo build --locked -p gonghui --target wasm32-unknown-unknown --profile wasm-release
rm -rf "$pkg.tmp" && mkdir -p "$pkg.tmp"
wasm-bindgen --target web --no-typescript --out-dir "$pkg.tmp" --out-name gonghui "$wasm_in"
# Rust ≥ 1.82 emits these wasm features by default; wasm-opt must be told so
# it neither rejects nor mangles them.
node_modules/.bin/wasm-opt -Oz --strip-debug --strip-producers \
  --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals --enable-reference-types --enable-multivalue \
  "$pkg.tmp/gonghui_bg.wasm" -o "$pkg.tmp/gonghui_bg.wasm"
cp style/gonghui.css "$pkg.tmp/gonghui.css"
# Content-hashed names (issue 15): browsers and nginx keep /pkg files a year
# (`immutable`) and a deploy changes the names, so a phone never mixes an
# old JS glue with a new WASM. bundle.json tells the server the names; the
# service worker's cache is versioned by `version`.
hash() { sha256sum "$1" | cut -c1-16; }
js=gonghui.$(hash "$pkg.tmp/gonghui.js").js
wasm=gonghui_bg.$(hash "$pkg.tmp/gonghui_bg.wasm").wasm
css=gonghui.$(hash "$pkg.tmp/gonghui.css").css
mv "$pkg.tmp/gonghui.js" "$pkg.tmp/$js"
mv "$pkg.tmp/gonghui_bg.wasm" "$pkg.tmp/$wasm"
mv "$pkg.tmp/gonghui.css" "$pkg.tmp/$css"
version=$(printf '%s' "$js $wasm $css" | sha256sum | cut -c1-16)
printf '{"js":"%s","wasm":"%s","css":"%s","version":"%s"}\n' "$js" "$wasm" "$css" "$version" > "$pkg.tmp/bundle.json"
# Swap in whole, so a running server never serves a half-written bundle.
rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
cp -R public/. "$site/"
node scripts/precompress.mjs "$site"

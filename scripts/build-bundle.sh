#!/usr/bin/env bash
# Builds the browser bundle into target/site: the hydrate wasm (frontend crate,
# wasm32, profile wasm-release) → wasm-bindgen (--target web) → wasm-opt -Oz
# (npm binaryen 132) → pkg/gonghui{.js,_bg.wasm,.css}, public/ copied beside
# it, and .br/.gz siblings so the server sends precompressed files.
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
# Swap in whole, so a running server never serves a half-written bundle.
rm -rf "$pkg" && mv "$pkg.tmp" "$pkg"
cp -R public/. "$site/"
node scripts/precompress.mjs "$site"

# Gonghui's two commands:
#   make run    install what is missing, build, and serve http://127.0.0.1:3000 (SQLite + demo data)
#   make test   install what is missing and run every test (unit, store on SQLite and PostgreSQL,
#               HTTP integration, Chromium end-to-end at 360×640)
# Nothing here downloads a binary from outside crates.io, npm or Debian (see docs/ARCHITECTURE.md).

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

# Tools that `cargo install` puts in place must be found on a fresh machine too.
CARGO_BIN := $(if $(CARGO_INSTALL_ROOT),$(CARGO_INSTALL_ROOT)/bin,$(or $(CARGO_HOME),$(HOME)/.cargo)/bin)
export PATH := $(CARGO_BIN):$(PATH)

# The wasm-bindgen CLI must be exactly the crate version in Cargo.lock.
WASM_BINDGEN_VERSION := $(shell sed -n '/^name = "wasm-bindgen"$$/{n;s/^version = "\(.*\)"/\1/p;}' Cargo.lock)
TRUNK_VERSION := 0.21.14
SUDO := $(if $(filter 0,$(shell id -u)),,sudo)

# In CI (a fresh clone, built once) incremental compilation only costs time
# and disk: its cache was ~14 GB of this machine's 31 GB target/ after a day
# of work, and a CI run once failed with a full disk while linking.
ifdef CI
export CARGO_INCREMENTAL := 0
endif

BUNDLE := target/site/pkg/bundle.json
BUNDLE_SOURCES := $(shell find app domain frontend style public -type f) Cargo.toml Cargo.lock scripts/build-bundle.sh

.PHONY: help run test tools e2e-tools poster-font bundle embed embed-budget unit-tests e2e watch clean-data bundle-size bundle-budget bench-tools bench-votes bench-replay bench-reads bench-lighthouse bench-desk bench-upload bench-publishing bench-benefits bench-nginx
help:
	@echo "make run    build and serve the portal on http://127.0.0.1:3000 (SQLite, demo data)"
	@echo "make test   run every test (installs what is missing, Chromium included)"
	@echo "make bundle-size   print the member bundle's sizes (raw, gzip, brotli)"
	@echo "make watch  rebuild the browser bundle on every change (Trunk)"
	@echo "make embed  build the client-only bundle for app webviews into target/embed/"

## Tools ###################################################################

tools: .tools/wasm-target .tools/wasm-bindgen-$(WASM_BINDGEN_VERSION) node_modules/.installed

.tools/wasm-target:
	@mkdir -p .tools
	rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
	@touch $@

.tools/wasm-bindgen-$(WASM_BINDGEN_VERSION):
	@mkdir -p .tools
	if [ "$$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $(WASM_BINDGEN_VERSION)" ]; then \
	  cargo install wasm-bindgen-cli --version $(WASM_BINDGEN_VERSION) --locked; fi
	@touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund
	@touch $@

# Chromium and a CJK font (without it Chinese renders as boxes in screenshots)
# come from Debian; Playwright and axe-core from npm. Playwright never
# downloads a browser here: the tests launch /usr/bin/chromium. nginx too,
# for the HTTP tests' smoke test of deploy/nginx in front of two servers
# (server/tests/http/nginx.rs; it fails under CI without nginx), so
# unit-tests needs this target as well.
e2e-tools: end2end/node_modules/.installed
	@if ! command -v chromium >/dev/null || ! fc-list 2>/dev/null | grep -qi "WenQuanYi Micro Hei" \
	  || ! { command -v nginx >/dev/null || test -x /usr/sbin/nginx; }; then \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium fonts-wqy-microhei nginx-light >/dev/null; fi

end2end/node_modules/.installed: end2end/package.json end2end/package-lock.json
	cd end2end && npm ci --no-audit --no-fund
	@touch $@

# The share posters' PNGs are drawn with a CJK font found at run time
# (poster crate); without one they fall back to SVG.
poster-font:
	@test -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq fonts-wqy-microhei >/dev/null; }

## Build ###################################################################

bundle: $(BUNDLE)
$(BUNDLE): $(BUNDLE_SOURCES) | tools
	scripts/build-bundle.sh

# The member bundle may not grow past bench/bundle-budget.json's ceiling.
bundle-budget: $(BUNDLE) | tools
	node scripts/check-bundle-budget.mjs target/site

bundle-size: $(BUNDLE)
	@node scripts/precompress.mjs target/site --json | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const r=JSON.parse(s);for(const [f,v] of Object.entries(r.files))console.log(f.padEnd(22),v.raw,v.gzip,v.brotli);console.log("total".padEnd(22),r.total.raw,r.total.gzip,r.total.brotli)})'

## The webview bundle (docs/EMBED.md) #####################################

# The member portal as a client-only bundle for union-app webviews, in
# target/embed/ (Trunk, embed/Trunk.toml). GONGHUI_API_ORIGIN=https://… sets
# the server it calls (default: its own origin).
EMBED := target/embed/index.html
EMBED_SOURCES := $(shell find embed style public -type f) Cargo.toml Cargo.lock scripts/embed-sw.mjs

embed: $(EMBED)
$(EMBED): $(EMBED_SOURCES) | tools .tools/trunk-$(TRUNK_VERSION)
	# Trunk builds offline (embed/Trunk.toml): fetch what only the embed crate
	# uses first, as a new machine has not downloaded it yet.
	cargo fetch --locked
	PATH="$(CURDIR)/node_modules/.bin:$$PATH" trunk build --config embed/Trunk.toml
	node scripts/embed-sw.mjs target/embed

.tools/trunk-$(TRUNK_VERSION):
	@mkdir -p .tools
	if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
	  cargo install trunk --version $(TRUNK_VERSION) --locked; fi
	@touch $@

# The webview bundle's own ceiling (bench/bundle-budget.json, "embed").
embed-budget: $(EMBED)
	node scripts/check-bundle-budget.mjs target/embed

## Run #####################################################################

# The demo people (roster, members, a demo super admin) come with `make run`
# only; a plain `gonghui serve` loads just the unit tree into an empty database.
run: bundle poster-font
	cargo build --locked --release -p server
	GONGHUI_DEMO_PEOPLE=$${GONGHUI_DEMO_PEOPLE:-true} ./target/release/gonghui serve

## Test ####################################################################

test: unit-tests e2e bundle-budget embed-budget

# Formatting and lints first (seconds when warm), then unit, store (both
# engines) and HTTP integration tests.
unit-tests: .tools/rust-components .tools/s3/installed e2e-tools
	cargo fmt --check
	cargo clippy --locked --all-targets -- -D warnings
	@python3 scripts/pg-check.py
	cargo test --locked -- --test-threads=$(TEST_THREADS)

# The HTTP tests mostly wait on the servers they start: four at a time on two
# cores took the HTTP binary from 42 s to 27–34 s here.
TEST_THREADS ?= 4

# The S3-compatible server the asset-library test stores into: moto's server
# mode, from PyPI, in its own virtual environment (the test starts it on a
# free port; server/tests/http/desk.rs).
MOTO_VERSION := 5.2.5
.tools/s3/installed:
	@mkdir -p .tools
	python3 -m venv .tools/s3
	.tools/s3/bin/pip install --quiet --disable-pip-version-check 'moto[server]==$(MOTO_VERSION)'
	@touch $@

.tools/rust-components:
	@mkdir -p .tools
	rustup component list --installed | grep -q '^clippy' || rustup component add clippy
	rustup component list --installed | grep -q '^rustfmt' || rustup component add rustfmt
	@touch $@

# The browser tests drive target/debug/gonghui as `cargo test` builds it (for
# the HTTP tests, with the dev-dependencies' features), so after unit-tests
# this is a no-op. `cargo build -p server --features store/testing` looked
# the same but unified features differently (sqlx's `any` from the tests)
# and recompiled store, app and server: 1 min 24 s of a 4 min 17 s warm
# `make test`.
e2e: bundle embed e2e-tools
	cargo test --locked --no-run
	cd end2end && npx playwright test

## Benchmarks (see bench/README.md) ######################################

# Each prints a Markdown table for docs/PERFORMANCE.md; BENCH_ARGS passes
# options (`./target/release/gonghui-bench <benchmark> --help` lists them).
bench-tools:
	@command -v wrk >/dev/null || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq wrk >/dev/null; }
	cargo build --locked --release -p server -p gonghui-bench

# Vote POST of the release server vs a bare axum handler, wrk at 64 and 256
# connections, SQLite then PostgreSQL, tally checked.
bench-votes: bench-tools
	./target/release/gonghui-bench votes $(BENCH_ARGS)

# The 齐鲁工匠 replay: 1.2 M members, 15.82 M votes over HTTP, exact tallies.
# SCALE=1 is the full run (~25 min on SQLite here); the default is 1 %.
bench-replay: bench-tools
	./target/release/gonghui-bench replay --scale $${SCALE:-0.01} $(BENCH_ARGS)

# Share page, campaign page and leaderboard JSON vs a bare axum handler.
# Publishing: article page and member feed vs a bare handler (signed out
# and in), article views replayed over HTTP with the tally checked exact,
# a hot article liked by distinct members, the watchlist automaton.
bench-publishing: bench-tools
	./target/release/gonghui-bench publishing $(BENCH_ARGS)

# 惠员福利: 50 000 of a million certified members claim a benefit of 10 000 at once.
bench-benefits: bench-tools
	./target/release/gonghui-bench benefits $(BENCH_ARGS)

# Two processes behind nginx (the production proxy directives) vs one, on PostgreSQL.
bench-nginx: bench-tools
	@command -v nginx >/dev/null || test -x /usr/sbin/nginx || { $(SUDO) apt-get update -qq && DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq nginx-light >/dev/null; }
	./target/release/gonghui-bench nginx $(BENCH_ARGS)

bench-reads: bench-tools
	./target/release/gonghui-bench reads $(BENCH_ARGS)

# The newsroom desk at a province's scale: review queues and the 通报 over
# 100 000 stories, p50/p99 on SQLite and PostgreSQL.
bench-desk: bench-tools
	./target/release/gonghui-bench desk $(BENCH_ARGS)

# Peak server memory while three 5 MB photos are uploaded and submitted.
bench-upload: bench-tools
	./target/release/gonghui-bench upload $(BENCH_ARGS)

# Lighthouse (npm, Lighthouse's mobile defaults) against Debian's Chromium, on
# the home page and a candidate share page, 3 runs each, the release server with
# the demo data in a throwaway SQLite database; prints a table for
# docs/PERFORMANCE.md, JSON reports in target/lighthouse/. Options: RUNS=5,
# PAGES=/,/v/qilu-gongjiang-2026/1 (see bench/lighthouse/run.mjs).
bench-lighthouse: bundle e2e-tools bench/lighthouse/node_modules/.installed
	cargo build --locked --release -p server
	node bench/lighthouse/run.mjs

bench/lighthouse/node_modules/.installed: bench/lighthouse/package.json bench/lighthouse/package-lock.json
	cd bench/lighthouse && npm ci --no-audit --no-fund
	@touch $@

## Developer conveniences ##################################################

# Rebuilds target/site/pkg on every change to app/, domain/, frontend/ or style/
# while `./target/release/gonghui` (or the debug build) serves it. Installs Trunk once.
watch: tools
	if [ "$$(trunk --version 2>/dev/null)" != "trunk $(TRUNK_VERSION)" ]; then \
	  cargo install trunk --version $(TRUNK_VERSION) --locked; fi
	PATH="$(CURDIR)/node_modules/.bin:$$PATH" trunk watch

clean-data:
	rm -rf data

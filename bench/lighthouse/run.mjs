#!/usr/bin/env node
// Lighthouse mobile benchmark (`make bench-lighthouse`, see bench/README.md).
//
// Starts the release server (./target/release/gonghui serve) on a free port
// with the demo union and its people in a fresh SQLite database under a
// temporary directory, waits for /healthz, then runs Lighthouse (npm, this
// directory's package.json) against Debian's Chromium with Lighthouse's
// defaults: mobile form factor, Moto G Power-class emulation, simulated slow
// 4G throttling. Each page is run RUNS times (Lighthouse varies run to run);
// the run with the median performance score is the one reported. JSON
// reports go to target/lighthouse/. Prints a Markdown table for
// docs/PERFORMANCE.md, then what Lighthouse says limits each page.
// The server is stopped at the end, also on failure or Ctrl-C.
//
// Options (environment): RUNS (default 3), PAGES (comma-separated paths,
// default "/,/v/qilu-gongjiang-2026/1"), CHROME_PATH (default /usr/bin/chromium),
// LIGHTHOUSE_FLAGS (extra Lighthouse CLI flags, for experiments).

import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, readFileSync, rmSync, existsSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = resolve(here, '../..');
const serverBin = join(root, 'target/release/gonghui');
const lighthouseBin = join(here, 'node_modules/.bin/lighthouse');
const reportDir = join(root, 'target/lighthouse');
const chromePath = process.env.CHROME_PATH || '/usr/bin/chromium';
const runs = Number(process.env.RUNS || 3);
const pages = (process.env.PAGES || '/,/v/qilu-gongjiang-2026/1').split(',').map((p) => p.trim()).filter(Boolean);
const categories = ['performance', 'accessibility', 'best-practices', 'seo'];
const chromeFlags = '--headless=new --no-sandbox';
// Extra Lighthouse flags for experiments, e.g. LIGHTHOUSE_FLAGS='--blocked-url-patterns=*.wasm'.
const extraFlags = (process.env.LIGHTHOUSE_FLAGS || '').split(/\s+/).filter(Boolean);

for (const [what, path] of [['release server', serverBin], ['Lighthouse', lighthouseBin], ['Chromium', chromePath]]) {
  if (!existsSync(path)) {
    console.error(`${what} not found at ${path}; run \`make bench-lighthouse\`, which builds and installs it`);
    process.exit(2);
  }
}

// ---- the server --------------------------------------------------------------

const work = mkdtempSync(join(tmpdir(), 'gonghui-lighthouse-'));
let server = null;
let stopping = false;

function stopServer() {
  // Lighthouse's Chrome launcher kills its Chromium on SIGINT.
  if (lighthouseChild) { try { lighthouseChild.kill('SIGINT'); } catch { /* gone */ } }
  if (server && server.exitCode === null && server.signalCode === null) {
    try { server.kill('SIGTERM'); } catch { /* already gone */ }
  }
  rmSync(work, { recursive: true, force: true });
}
process.on('exit', stopServer);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => { stopping = true; stopServer(); process.exit(130); });
}

function startServer() {
  return new Promise((resolvePromise, reject) => {
    server = spawn(serverBin, ['serve'], {
      cwd: root,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        ...process.env,
        GONGHUI_ENV: 'dev', // plain http on 127.0.0.1: session cookie without `Secure`
        GONGHUI_ADDR: '127.0.0.1:0', // the server picks a free port and prints it
        DATABASE_URL: `sqlite://${work}/gonghui.db`,
        GONGHUI_SITE_ROOT: join(root, 'target/site'),
        GONGHUI_DEMO_DATA: 'true',
        GONGHUI_DEMO_PEOPLE: 'true',
        GONGHUI_DATA_KEY_FILE: join(work, 'data.key'), // dev creates it; never the repository's data/
        RUST_LOG: process.env.RUST_LOG || 'warn',
      },
    });
    let out = '';
    let log = '';
    const timer = setTimeout(() => reject(new Error(`server did not start within 60 s:\n${out}${log}`)), 60_000);
    server.stdout.on('data', (chunk) => {
      out += chunk;
      const m = out.match(/已启动：(http:\/\/[^\s]+)/);
      if (m) { clearTimeout(timer); resolvePromise(m[1]); }
    });
    server.stderr.on('data', (chunk) => { log += chunk; if (log.length > 20_000) log = log.slice(-10_000); });
    server.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (!stopping) reject(new Error(`server exited (${code ?? signal}) before it was ready:\n${out}${log}`));
    });
  });
}

async function waitHealthy(base) {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      const res = await fetch(`${base}/healthz`);
      if (res.ok) return;
    } catch { /* not listening yet */ }
    if (Date.now() > deadline) throw new Error(`${base}/healthz did not answer 200 within 30 s`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

// ---- Lighthouse --------------------------------------------------------------

// Async (not spawnSync), so a Ctrl-C or SIGTERM reaches our handlers at once.
let lighthouseChild = null;

function lighthouse(url, outPath) {
  const args = [
    url,
    '--output=json',
    `--output-path=${outPath}`,
    `--only-categories=${categories.join(',')}`,
    `--chrome-flags=${chromeFlags}`,
    '--quiet',
    ...extraFlags,
  ];
  return new Promise((resolvePromise, reject) => {
    lighthouseChild = spawn(lighthouseBin, args, { env: { ...process.env, CHROME_PATH: chromePath }, stdio: ['ignore', 'inherit', 'inherit'] });
    lighthouseChild.on('error', reject);
    lighthouseChild.on('exit', (code, signal) => {
      lighthouseChild = null;
      if (code !== 0) return reject(new Error(`lighthouse failed (${code ?? signal}) for ${url}`));
      try {
        const lhr = JSON.parse(readFileSync(outPath, 'utf8'));
        if (lhr.runtimeError) throw new Error(`lighthouse: ${lhr.runtimeError.code}: ${lhr.runtimeError.message}`);
        resolvePromise(lhr);
      } catch (err) {
        reject(err);
      }
    });
  });
}

const score = (lhr, id) => (lhr.categories[id]?.score == null ? null : Math.round(lhr.categories[id].score * 100));
const ms = (lhr, id) => lhr.audits[id]?.numericValue;
const fmtS = (v) => (v == null ? '—' : `${(v / 1000).toFixed(1)} s`);
const fmtMs = (v) => (v == null ? '—' : `${Math.round(v)} ms`);
const fmtKB = (v) => (v == null ? '—' : `${(v / 1024).toFixed(0)} KB`);

function slugOf(path) {
  return path === '/' ? 'home' : path.replace(/^\/+|\/+$/g, '').replace(/[^A-Za-z0-9_-]+/g, '_');
}

function limits(lhr) {
  const lines = [];
  const perfIds = new Set(lhr.categories.performance.auditRefs.map((r) => r.id));
  const opportunities = Object.values(lhr.audits)
    .filter((a) => perfIds.has(a.id) && a.details?.type === 'opportunity' && (a.details.overallSavingsMs || 0) > 0 && a.score !== null && a.score < 1)
    .sort((a, b) => b.details.overallSavingsMs - a.details.overallSavingsMs)
    .slice(0, 5);
  for (const a of opportunities) {
    const bytes = a.details.overallSavingsBytes ? `, ${fmtKB(a.details.overallSavingsBytes)}` : '';
    lines.push(`  - opportunity: ${a.title} — est. ${fmtMs(a.details.overallSavingsMs)}${bytes}`);
  }
  const lcpPhases = lhr.audits['largest-contentful-paint-element']?.details?.items?.[1]?.items;
  if (lcpPhases) {
    const el = lhr.audits['largest-contentful-paint-element'].details.items[0].items[0]?.node;
    lines.push(`  - LCP ${fmtS(ms(lhr, 'largest-contentful-paint'))} (simulated; observed unthrottled ${fmtMs(lhr.audits.metrics?.details?.items?.[0]?.observedLargestContentfulPaint)}), element ${el?.selector ?? '?'}: ${lcpPhases.map((p) => `${p.phase} ${fmtMs(p.timing)}`).join(', ')}`);
  }
  const longTasks = lhr.audits['long-tasks']?.details?.items || [];
  if (longTasks.length) {
    lines.push(`  - long tasks (simulated 4× slower CPU): ${longTasks.slice(0, 4).map((t) => `${t.url.replace(/^https?:\/\/[^/]+/, '')} ${fmtMs(t.duration)}`).join(', ')}`);
  }
  const weight = lhr.audits['total-byte-weight']?.details?.items || [];
  if (weight.length) {
    lines.push(`  - largest transfers: ${weight.slice(0, 3).map((r) => `${r.url.replace(/^https?:\/\/[^/]+/, '')} ${fmtKB(r.totalBytes)}`).join(', ')}`);
  }
  // (Opportunities, LCP, long tasks and transfers are listed above.)
  const diagnosticIds = ['mainthread-work-breakdown', 'bootup-time', 'server-response-time', 'dom-size', 'uses-long-cache-ttl'];
  for (const id of diagnosticIds) {
    const a = lhr.audits[id];
    if (!a || a.score === null || a.score >= 0.9 || opportunities.includes(a)) continue;
    lines.push(`  - diagnostic: ${a.title}${a.displayValue ? ` — ${a.displayValue}` : ''}`);
  }
  const failing = (cat) => lhr.categories[cat]?.auditRefs
    .map((r) => lhr.audits[r.id])
    .filter((a) => a && a.scoreDisplayMode !== 'notApplicable' && a.scoreDisplayMode !== 'manual' && a.scoreDisplayMode !== 'informative' && a.score !== null && a.score < 1) || [];
  for (const cat of ['accessibility', 'best-practices', 'seo']) {
    for (const a of failing(cat)) {
      const items = a.details?.items?.length ? ` (${a.details.items.length} element${a.details.items.length > 1 ? 's' : ''})` : '';
      lines.push(`  - ${cat}: ${a.title}${items}`);
    }
  }
  return lines;
}

// ---- main ----------------------------------------------------------------------

async function main() {
  mkdirSync(reportDir, { recursive: true });
  const version = JSON.parse(readFileSync(join(here, 'node_modules/lighthouse/package.json'), 'utf8')).version;
  const base = await startServer();
  await waitHealthy(base);
  console.error(`server ready at ${base}; Lighthouse ${version}, ${runs} run(s) per page, Chromium at ${chromePath}`);

  const results = [];
  for (const path of pages) {
    const url = base + path;
    const page = await fetch(url);
    if (!page.ok) throw new Error(`${url} answered ${page.status}, expected 200`);
    const lhrs = [];
    for (let i = 1; i <= runs; i++) {
      const out = join(reportDir, `${slugOf(path)}-${i}.json`);
      const lhr = await lighthouse(url, out);
      console.error(`  ${path} run ${i}: performance ${score(lhr, 'performance')}, accessibility ${score(lhr, 'accessibility')} → ${out}`);
      lhrs.push(lhr);
    }
    const sorted = [...lhrs].sort((a, b) => score(a, 'performance') - score(b, 'performance'));
    const median = sorted[Math.floor((sorted.length - 1) / 2)];
    results.push({ path, lhrs, median });
  }

  const ua = results[0]?.median.environment?.hostUserAgent || '';
  const chromeVersion = (ua.match(/Chrome\/([\d.]+)/) || [])[1] || 'unknown';
  const mode = results[0]?.median.configSettings;
  const benchmarkIndex = results[0]?.median.environment?.benchmarkIndex;
  console.log(`Lighthouse ${version}, Chromium ${chromeVersion} (${[chromeFlags, ...extraFlags].join(' ')}), form factor ${mode?.formFactor}, throttling ${mode?.throttlingMethod} (CPU ×${mode?.throttling?.cpuSlowdownMultiplier}, ${mode?.throttling?.rttMs} ms RTT, ${mode?.throttling?.throughputKbps} kbps); ${runs} runs per page, the median-performance run shown. Lighthouse benchmark index ${benchmarkIndex == null ? '?' : Math.round(benchmarkIndex)}, load average at the end ${loadavg().map((x) => x.toFixed(1)).join(' ')}.\n`);
  console.log('| page | performance (median; min–max) | accessibility | best practices | SEO | FCP | LCP | TBT | CLS | transfer |');
  console.log('|---|---|---|---|---|---|---|---|---|---|');
  for (const { path, lhrs, median: m } of results) {
    const perfs = lhrs.map((l) => score(l, 'performance'));
    const cls = ms(m, 'cumulative-layout-shift');
    console.log(`| \`${path}\` | **${score(m, 'performance')}** (${Math.min(...perfs)}–${Math.max(...perfs)}) | **${score(m, 'accessibility')}** | ${score(m, 'best-practices')} | ${score(m, 'seo')} | ${fmtS(ms(m, 'first-contentful-paint'))} | ${fmtS(ms(m, 'largest-contentful-paint'))} | ${fmtMs(ms(m, 'total-blocking-time'))} | ${cls == null ? '—' : cls.toFixed(3)} | ${fmtKB(ms(m, 'total-byte-weight'))} |`);
  }
  console.log('\nWhat Lighthouse says limits each page (median run):\n');
  for (const { path, median } of results) {
    const lines = limits(median);
    console.log(`- \`${path}\`${lines.length ? '' : ': nothing flagged'}`);
    for (const l of lines) console.log(l);
  }
}

// Stops the server and waits for it (SIGKILL after 10 s) before the
// temporary database is removed.
async function shutdown() {
  stopping = true;
  if (server && server.exitCode === null && server.signalCode === null) {
    const exited = new Promise((r) => server.once('exit', r));
    server.kill('SIGTERM');
    const timer = setTimeout(() => server.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(timer);
  }
  stopServer();
}

main().then(shutdown, async (err) => {
  console.error(String(err.stack || err));
  await shutdown();
  process.exit(1);
});

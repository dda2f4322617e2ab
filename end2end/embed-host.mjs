// A static server for the webview bundle in tests: serves target/embed/ (or
// the folder given) on a port, under any path prefix, with index.html for
// any path that is not a file, so the bundle loads from any path as a host
// would serve it.
//
//   node end2end/embed-host.mjs [--port 8088] [--dir target/embed]
//
// Prints "listening on http://127.0.0.1:<port>" once it listens (port 0
// picks a free one). Node's standard library only.
import { createServer } from "node:http";
import { readFile, stat } from "node:fs/promises";
import { extname, join, normalize, resolve, sep } from "node:path";

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1] : fallback;
};
const root = resolve(option("dir", "target/embed"));
const port = Number(option("port", "8088"));

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".wasm": "application/wasm",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
  ".webmanifest": "application/manifest+json",
};

async function file(path) {
  try {
    const info = await stat(path);
    return info.isFile() ? path : null;
  } catch {
    return null;
  }
}

// The file `path` names, also when the folder is mounted under a prefix
// (/some/app/x.css finds x.css): the bundle's URLs are relative, so a host
// may serve it from any path, and tests load it from one.
async function underAnyPrefix(path) {
  const segments = path.split("/").filter(Boolean);
  for (let i = 0; i < segments.length; i++) {
    const wanted = normalize(join(root, ...segments.slice(i)));
    // Never outside the folder (../ in the path).
    if (!wanted.startsWith(root + sep)) continue;
    const found = await file(wanted);
    if (found) return found;
  }
  return null;
}

const server = createServer(async (req, res) => {
  const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
  const found = (await underAnyPrefix(path)) || (await file(join(root, "index.html")));
  if (!found) {
    res.writeHead(404, { "content-type": "text/plain; charset=utf-8" }).end(`no ${root}/index.html: run make embed`);
    return;
  }
  const body = await readFile(found);
  res.writeHead(200, {
    "content-type": types[extname(found)] ?? "application/octet-stream",
    "cache-control": "no-cache",
  });
  res.end(req.method === "HEAD" ? undefined : body);
});

server.listen(port, "127.0.0.1", () => {
  console.log(`listening on http://127.0.0.1:${server.address().port}`);
});
for (const signal of ["SIGINT", "SIGTERM"]) process.on(signal, () => server.close(() => process.exit(0)));

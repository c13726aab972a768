// A tiny static file server for the built site: serves one folder under a URL prefix
// (`/` or `/kb/`) on 127.0.0.1, answers folders with their index.html and unknown paths
// with the site's 404.html and status 404, as a static host would.
import http from "node:http";
import fs from "node:fs/promises";
import path from "node:path";

const TYPES = {
  ".html": "text/html; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".mjs": "text/javascript; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".xml": "application/xml",
  ".txt": "text/plain; charset=utf-8",
  ".ics": "text/calendar; charset=utf-8",
  ".csv": "text/csv; charset=utf-8",
  ".atom": "application/atom+xml",
  ".wasm": "application/wasm",
  ".woff2": "font/woff2",
};

/** Starts a server on a free port; `root()` is read per request so the folder may be built after. */
export async function startServer({ root, prefix = "/" }) {
  const server = http.createServer((request, response) => {
    serve(root(), prefix, request, response).catch((error) => {
      response.writeHead(500, { "content-type": "text/plain" });
      response.end(String(error));
    });
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return {
    port,
    origin: `http://127.0.0.1:${port}`,
    url: `http://127.0.0.1:${port}${prefix}`,
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

async function serve(root, prefix, request, response) {
  const url = new URL(request.url, "http://127.0.0.1");
  let pathname = decodeURIComponent(url.pathname);
  if (!pathname.startsWith(prefix)) {
    return notFound(root, response);
  }
  const relative = pathname.slice(prefix.length);
  const file = path.resolve(root, relative);
  if (file !== root && !file.startsWith(root + path.sep)) {
    return notFound(root, response);
  }
  let target = file;
  const stat = await fs.stat(target).catch(() => null);
  if (stat && stat.isDirectory()) {
    if (!pathname.endsWith("/")) {
      response.writeHead(301, { location: pathname + "/" });
      return response.end();
    }
    target = path.join(target, "index.html");
  }
  const body = await fs.readFile(target).catch(() => null);
  if (body === null) {
    return notFound(root, response);
  }
  response.writeHead(200, { "content-type": TYPES[path.extname(target)] || "application/octet-stream" });
  response.end(request.method === "HEAD" ? undefined : body);
}

async function notFound(root, response) {
  const page = await fs.readFile(path.join(root, "404.html")).catch(() => "not found");
  response.writeHead(404, { "content-type": "text/html; charset=utf-8" });
  response.end(page);
}

// A tiny static server for dist/: files by path, index.html for every other GET (SPA fallback),
// and a JSON 404 for /api/ so the app sees an API-shaped answer.
import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import { createServer } from "node:http";
import { extname, join, normalize, sep } from "node:path";

const types = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".json": "application/json",
};

/** serveDir serves root on a free loopback port and resolves to { url, close }. */
export async function serveDir(root) {
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, "http://x").pathname);
    if (path.startsWith("/api/")) {
      res.writeHead(404, { "content-type": "application/json" });
      res.end(JSON.stringify({ error: { code: "not_found", message: "no API behind the static test server" } }));
      return;
    }
    let file = normalize(join(root, path));
    if (!file.startsWith(root + sep)) file = join(root, "index.html");
    try {
      if (!(await stat(file)).isFile()) file = join(root, "index.html");
    } catch {
      file = join(root, "index.html");
    }
    res.writeHead(200, { "content-type": types[extname(file)] ?? "application/octet-stream" });
    createReadStream(file).pipe(res);
  });
  await new Promise((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address();
  return { url: `http://127.0.0.1:${port}`, close: () => new Promise((resolve) => server.close(resolve)) };
}

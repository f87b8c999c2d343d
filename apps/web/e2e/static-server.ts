// The production build as a host would serve it: files from dist/, /config.json answered by the
// caller (the runtime configuration is not part of the build), and index.html for any other path
// without a file extension, so deep links such as /proposals/123 load the app (SPA fallback).
// Used by the end-to-end harness and by the benchmark; no dependency beyond node:http.
import { spawn } from "node:child_process";
import { createReadStream } from "node:fs";
import { readdir, stat } from "node:fs/promises";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import path from "node:path";

const app = path.resolve(import.meta.dirname, "..");
const root = path.resolve(app, "../..");
export const distDir = path.join(app, "dist");

const types: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
  ".woff2": "font/woff2",
  ".txt": "text/plain; charset=utf-8",
  ".map": "application/json",
};

export interface StaticServer {
  url: string;
  /** Requests answered with an error status, and server errors (for failure messages). */
  log(): string;
  close(): Promise<void>;
}

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

/** Serves `dir` on 127.0.0.1:`port` (0: any free port) with `/config.json` from `config()` and the SPA fallback. */
export async function serveDist(options: { port: number; config: () => Promise<unknown> | unknown; dir?: string }): Promise<StaticServer> {
  const dir = options.dir ?? distDir;
  let recent = "";
  const note = (line: string) => (recent = `${recent}${new Date().toISOString()} ${line}\n`.slice(-6000));
  const send = async (req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://x");
    if (req.method !== "GET" && req.method !== "HEAD") {
      res.writeHead(405, { allow: "GET, HEAD" }).end();
      return;
    }
    if (url.pathname === "/config.json") {
      try {
        const body = JSON.stringify(await options.config(), null, 2);
        res.writeHead(200, { "content-type": "application/json", "cache-control": "no-store" }).end(req.method === "HEAD" ? undefined : body);
      } catch (error) {
        note(`config.json: ${(error as Error).message}`);
        res.writeHead(503, { "content-type": "application/json" }).end(JSON.stringify({ error: (error as Error).message }));
      }
      return;
    }
    let file = path.join(dir, path.normalize(decodeURIComponent(url.pathname)));
    if (!file.startsWith(dir + path.sep) && file !== dir) {
      res.writeHead(403).end();
      return;
    }
    let info = await stat(file).catch(() => null);
    if (info?.isDirectory()) {
      file = path.join(file, "index.html");
      info = await stat(file).catch(() => null);
    }
    if (!info?.isFile()) {
      // A missing asset is a 404; a path that looks like a page is the app's to route.
      if (path.extname(url.pathname) !== "") {
        note(`404 ${url.pathname}`);
        res.writeHead(404, { "content-type": "text/plain" }).end("not found");
        return;
      }
      file = path.join(dir, "index.html");
      info = await stat(file);
    }
    const hashed = file.startsWith(path.join(dir, "assets") + path.sep);
    res.writeHead(200, {
      "content-type": types[path.extname(file)] ?? "application/octet-stream",
      "content-length": info.size,
      "cache-control": hashed ? "public, max-age=31536000, immutable" : "no-cache",
    });
    if (req.method === "HEAD") res.end();
    else createReadStream(file).pipe(res);
  };
  const server = createServer((req, res) => {
    send(req, res).catch((error: Error) => {
      note(`500 ${req.url}: ${error.message}`);
      if (!res.headersSent) res.writeHead(500).end();
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as import("node:net").AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log: () => recent,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** What the bundle is built from: the app and the workspace packages it imports from source. */
const buildInputs = [
  ...["src", "public", "index.html", "vite.config.ts", "vite-config-plugin.ts", "package.json", "tsconfig.json"].map((p) => path.join(app, p)),
  ...["description", "protocol", "reports"].flatMap((p) => [path.join(root, "packages", p, "src"), path.join(root, "packages", p, "package.json")]),
];

async function newestMtime(p: string): Promise<number> {
  const info = await stat(p).catch(() => null);
  if (!info) return 0;
  if (!info.isDirectory()) return info.mtimeMs;
  const entries = await readdir(p);
  const times = await Promise.all(entries.map((e) => newestMtime(path.join(p, e))));
  return Math.max(info.mtimeMs, ...times);
}

/** True when dist/ holds a build newer than every file it is built from. */
export async function distIsFresh(): Promise<boolean> {
  const built = await stat(path.join(distDir, "index.html")).catch(() => null);
  if (!built) return false;
  const inputs = await Promise.all(buildInputs.map(newestMtime));
  return built.mtimeMs > Math.max(...inputs);
}

/**
 * `vite build` into dist/, with the repository's Node 22. The bundle does not depend on the
 * deployment (config.json is served at run time), so no chain is asked for one.
 */
export function viteBuild(): Promise<void> {
  return new Promise((resolve, reject) => {
    const binDir = path.join(root, "node_modules", ".bin");
    const child = spawn(path.join(binDir, "vite"), ["build", "--logLevel", "warn"], {
      cwd: app,
      env: { ...process.env, PATH: `${binDir}${path.delimiter}${process.env.PATH ?? ""}`, DEPLOYMENT_FILE: path.join(app, "bench", "no-deployment.json") },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out = (out + c).slice(-6000)));
    child.stderr.on("data", (c: Buffer) => (out = (out + c).slice(-6000)));
    child.once("error", reject);
    child.once("close", (code) => (code === 0 ? resolve() : reject(new Error(`vite build failed (code ${code}):\n${out}`))));
  });
}

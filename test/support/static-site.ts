/**
 * A static file server on 127.0.0.1 for page tests: serves a folder (index.html for folders), optionally under a path
 * prefix and with CORS headers, as a CDN does.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';
import { listenOnLoopback } from '../../scripts/stack/processes.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript', '.css': 'text/css', '.json': 'application/json', '.svg': 'image/svg+xml',
};

/** A running static server. */
export interface StaticSite {
  /** Its origin, `http://127.0.0.1:<port>`. */
  readonly url: string;
  close(): Promise<void>;
}

/** Serves `folder` at `base` (default `/`); with `cors`, every answer allows any origin. */
export async function serveFolder(folder: string, options: { base?: string; cors?: boolean } = {}): Promise<StaticSite> {
  const base = options.base ?? '/';
  const server: Server = createServer(async (req, res) => {
    const headers: Record<string, string> = options.cors ? { 'access-control-allow-origin': '*' } : {};
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://x').pathname);
    const path = pathname.startsWith(base) ? normalize(join(folder, pathname.slice(base.length))) : undefined;
    const file = path && (path.endsWith(sep) || pathname.endsWith('/') ? join(path, 'index.html') : path);
    if (!file || !(file === folder || file.startsWith(folder + sep)) || !(await stat(file).catch(() => undefined))?.isFile()) {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    createReadStream(file).pipe(res);
  });
  const url = await listenOnLoopback(server);
  return { url, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

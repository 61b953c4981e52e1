// A tiny static file server for the built site, on 127.0.0.1 only.
//
// Used in-process by check.mjs (so no server is ever left running), and by
// hand as `node tests/docs-site/serve.mjs DIR` to browse a build.
//
// It behaves like a plain static host: `/dir/` serves `/dir/index.html`, and a
// missing file answers 404 with the site's own 404.html (VuePress builds one).
import { createServer } from 'node:http';
import { readFile, stat } from 'node:fs/promises';
import { extname, join, normalize, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

async function isFile(path) {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

/** Serves `root` on 127.0.0.1 at a free port; resolves to { url, close() }. */
export function serve(root) {
  root = resolve(root);
  const server = createServer(async (req, res) => {
    try {
      const pathname = decodeURIComponent(new URL(req.url, 'http://x').pathname);
      let file = normalize(join(root, pathname));
      if (!file.startsWith(root)) throw new Error('outside the root');
      if (pathname.endsWith('/')) file = join(file, 'index.html');
      if (await isFile(file)) {
        res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
        res.end(await readFile(file));
        return;
      }
      // The browser asks for a favicon by itself; the pages don't use one.
      if (pathname === '/favicon.ico') {
        res.writeHead(204);
        res.end();
        return;
      }
      const notFound = join(root, '404.html');
      res.writeHead(404, { 'content-type': TYPES['.html'] });
      res.end((await isFile(notFound)) ? await readFile(notFound) : 'Not found');
    } catch {
      res.writeHead(400);
      res.end();
    }
  });
  return new Promise((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      ok({
        url: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => server.close(done)),
      });
    });
  });
}

// Run by hand: serve DIR until Ctrl-C.
if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const dir = process.argv[2];
  if (!dir) {
    console.error('usage: node serve.mjs DIR');
    process.exit(2);
  }
  const { url } = await serve(dir);
  console.log(`serving ${dir} at ${url}/ (Ctrl-C to stop)`);
}

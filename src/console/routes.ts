/**
 * Serves the reviewer console: plain HTML, CSS and a small script, read once at start. The files
 * live next to this module in src/console/assets; compiled code (dist/) finds them in the source
 * tree because tsc copies no assets.
 */
import type { FastifyInstance } from 'fastify';
import fs from 'node:fs';
import path from 'node:path';
import type { RouteBook } from '../api/route-book';

const FILES = {
  '': { file: 'index.html', type: 'text/html; charset=utf-8', operationId: 'console' },
  'console.js': { file: 'console.js', type: 'text/javascript; charset=utf-8', operationId: 'consoleScript' },
  'console.css': { file: 'console.css', type: 'text/css; charset=utf-8', operationId: 'consoleStyles' },
  // Its own icon: without one, browsers ask for /favicon.ico and log a 404 on every load.
  'icon.svg': { file: 'icon.svg', type: 'image/svg+xml', operationId: 'consoleIcon' },
} as const;

function assetsDir(): string {
  const candidates = [
    path.join(__dirname, 'assets'),
    path.resolve(__dirname, '..', '..', '..', 'src', 'console', 'assets'),
  ];
  const found = candidates.find((dir) => fs.existsSync(path.join(dir, 'index.html')));
  if (!found) throw new Error(`console assets not found in ${candidates.join(' or ')}`);
  return found;
}

/**
 * The page may only load its own files and call its own origin (company names may carry <script>);
 * images also from blob: URLs, the documents it fetched and verified itself.
 */
const CSP_HEADER =
  "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self'; img-src 'self' blob:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

export function consoleRoutes(app: FastifyInstance, book: RouteBook): void {
  const dir = assetsDir();
  for (const [name, { file, type, operationId }] of Object.entries(FILES)) {
    const content = fs.readFileSync(path.join(dir, file), 'utf8');
    // The page answers at /console and /console/ (links to a case are /console/#enrollment=…).
    for (const url of name ? [`/console/${name}`] : ['/console', '/console/'])
      book.add(app, {
        method: 'GET',
        url,
        operationId: url === '/console/' ? 'consoleSlash' : operationId,
        summary: name ? `The reviewer console's ${name}` : 'The reviewer console (token entered in the page)',
        tag: 'console',
        roles: 'public',
        responses: { 200: { description: file, contentType: type.split(';')[0] } },
        handler: ({ reply }) =>
          reply
            .header('Content-Type', type)
            .header('Content-Security-Policy', CSP_HEADER)
            .header('X-Content-Type-Options', 'nosniff')
            .header('Cache-Control', 'no-cache')
            .send(content),
      });
  }
}

// Runs axe-core (WCAG 2.0 and 2.1, A and AA) on pages of a built bundle in
// Debian's Chromium, driven by playwright-core, at desktop and phone widths.
// The bundle is served on 127.0.0.1 the way Vercel serves it (/x/ is
// x/index.html), so that its absolute URLs and stylesheets load.
//   node check.js DIST PATH...
// Prints TAP lines; exits 1 on any violation.
'use strict';
const fs = require('fs');
const http = require('http');
const path = require('path');
const { chromium } = require('playwright-core');

const dist = path.resolve(process.argv[2]);
const pages = process.argv.slice(3);
const widths = [1280, 390];
const types = { '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.svg': 'image/svg+xml', '.png': 'image/png', '.ico': 'image/x-icon', '.json': 'application/json',
  '.webmanifest': 'application/manifest+json', '.xml': 'application/xml', '.txt': 'text/plain' };

function fileFor(url) {
  const p = decodeURIComponent(url.split('?')[0]);
  if (p.includes('..')) return null;
  const candidates = p.endsWith('/') ? [p + 'index.html', p.slice(0, -1) + '.html'] : [p, p + '.html'];
  for (const c of candidates) {
    const f = path.join(dist, c);
    if (f.startsWith(dist) && fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  }
  return null;
}

const server = http.createServer((req, res) => {
  const f = fileFor(req.url);
  const file = f || path.join(dist, '404.html');
  res.writeHead(f ? 200 : 404, { 'Content-Type': types[path.extname(file)] || 'application/octet-stream' });
  fs.createReadStream(file).pipe(res);
});

let n = 0, failed = 0;
function report(ok, what, details) {
  n++;
  if (!ok) failed++;
  console.log(`${ok ? '' : 'not '}ok ${n} - axe: ${what}`);
  for (const d of details || []) console.log(`#   ${d}`);
}

(async () => {
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${server.address().port}`;
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const axe = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  try {
    for (const width of widths) {
      const context = await browser.newContext({ viewport: { width, height: 900 }, bypassCSP: true });
      const page = await context.newPage();
      for (const p of pages) {
        await page.goto(base + p, { waitUntil: 'load' });
        await page.evaluate(axe);
        const result = await page.evaluate(() => window.axe.run(document, {
          runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
          resultTypes: ['violations'],
        }));
        const v = result.violations;
        report(v.length === 0, `${p} at ${width} px: ${v.length} violations`,
          v.map((x) => `${x.id} (${x.impact}): ${x.help}: ${x.nodes.slice(0, 3).map((nd) => nd.target.join(' ')).join(', ')}`));
      }
      await context.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  console.log(`# axe: ${n - failed} passed, ${failed} failed`);
  process.exit(failed ? 1 : 0);
})().catch((e) => {
  console.log(`not ok ${n + 1} - axe: the check ran`);
  console.log(`#   ${String(e && e.stack || e).split('\n').slice(0, 3).join(' | ')}`);
  process.exit(1);
});

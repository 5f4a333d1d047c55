// Drives presetgen serve for tests/e2e/serve.sh, with Vercel's own
// routing-utils (tests/vercel) as the oracle for routing and headers and
// playwright-core (tests/axe) driving Debian's Chromium.
//   node drive.js port                       a free port on 127.0.0.1
//   node drive.js routes URL DIST            every file of DIST (a clean build) and
//                                            redirect, variant and missing paths: status,
//                                            Location, headers and bodies as vercel.json says
//   node drive.js edit URL SITE FILE FROM TO PATH [NEEDLE]
//                                            replaces FROM by TO in SITE/FILE and waits for
//                                            PATH to serve NEEDLE (default TO; "!": for its
//                                            bytes to change); prints the milliseconds
//   node drive.js browser URL SITE          Chromium: a template edit reloads the page
//                                            (ms), a stylesheet edit swaps it without one,
//                                            a broken template shows the overlay, a fix hides it
//   node drive.js random URL SITE DIST N     N random edits, then every file served
//                                            equals DIST's (a clean build made after)
//   node drive.js rounds URL SITE N PID      N edit-and-request rounds; RSS before and
//                                            after; no 404 for a page that exists
// Prints TAP lines for checks; exits 1 if one failed.
'use strict';
const fs = require('fs');
const path = require('path');
const net = require('net');
const here = __dirname;
const ru = require(path.join(here, '../vercel/node_modules/@vercel/routing-utils'));

let n = 0, failed = 0;
function ok(cond, what, detail) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? '' : 'not '}ok ${n} - ${what}`);
  if (!cond && detail) console.log(`#   ${String(detail).slice(0, 1500).replace(/\n/g, '\n#   ')}`);
}
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const LIVE = /<script src="\/__presetgen\/live\.js\?v=[0-9a-f]{16}"><\/script>/;

function walk(dir, base = dir, out = []) {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, base, out); else out.push(path.relative(base, p));
  }
  return out;
}

// What routing-utils says of a path: a redirect, or the headers it gets.
function oracle(cfg) {
  const t = ru.getTransformedRoutes({ cleanUrls: cfg.cleanUrls, trailingSlash: cfg.trailingSlash,
    headers: cfg.headers, redirects: cfg.redirects });
  return (p) => {
    const headers = {};
    for (const r of t.routes) {
      if (r.handle) break;
      if (!r.src || !new RegExp(r.src).test(p)) continue;
      if (r.status && r.status >= 300 && r.status < 400 && !r.continue) {
        const m = new RegExp(r.src).exec(p);
        // an empty group leaves "//" (cleanUrls' "/$1/" for /index.html): Vercel
        // answers "/", and a browser would read "//" as a host-relative URL
        const loc = ((r.headers && r.headers.Location) || '').replace(/\$(\d+)/g, (_, i) => m[+i] || '')
          .replace(/^\/\/+/, '/');
        return { redirect: r.status, location: loc, headers };
      }
      if (r.headers) for (const [k, v] of Object.entries(r.headers)) headers[k.toLowerCase()] = v;
    }
    return { headers };
  };
}

async function get(url, opts = {}) {
  const r = await fetch(url, { redirect: 'manual', ...opts });
  const body = Buffer.from(await r.arrayBuffer());
  return { status: r.status, headers: r.headers, body };
}

function urlOf(file) {
  if (file === 'index.html') return '/';
  if (file.endsWith('/index.html')) return '/' + file.slice(0, -'index.html'.length);
  return '/' + file;
}

async function routes(base, dist) {
  const cfg = JSON.parse(fs.readFileSync(path.join(dist, 'vercel.json'), 'utf8'));
  const route = oracle(cfg);
  const files = walk(dist).filter((f) => !f.endsWith('.gz') && f !== 'vercel.json');
  const paths = files.map(urlOf);
  for (const r of cfg.redirects || []) paths.push(r.source);
  paths.push('/gigs', '/gigs/index.html', '/about.html', '/about', '/no/such/page/', '/assets/nope.css',
    '/index.html', '/feed.xml/', '/vercel.json');
  let bad = [], headerBad = [], bodyBad = [];
  for (const p of paths) {
    const want = route(encodeURI(p));
    const got = await get(base + encodeURI(p));
    if (want.redirect) {
      if (got.status !== want.redirect || got.headers.get('location') !== want.location)
        bad.push(`${p}: ${got.status} ${got.headers.get('location')}, want ${want.redirect} ${want.location}`);
    } else {
      const file = files.find((f) => urlOf(f) === p || '/' + f === p);
      const status = file ? 200 : 404;
      if (got.status !== status) bad.push(`${p}: ${got.status}, want ${status}`);
      const wantBody = fs.readFileSync(path.join(dist, file || '404.html'));
      const gotBody = got.body.toString('latin1').replace(LIVE, '');
      if (gotBody !== wantBody.toString('latin1')) bodyBad.push(p);
    }
    for (const [k, v] of Object.entries(want.headers))
      if (got.headers.get(k) !== v) headerBad.push(`${p}: ${k}: ${got.headers.get(k)}, want ${v}`);
    if (got.headers.get('access-control-allow-origin')) headerBad.push(`${p}: sends CORS`);
  }
  ok(!bad.length, `${paths.length} paths: the status and Location routing-utils gives`, bad.slice(0, 8).join('\n'));
  ok(!headerBad.length, `${paths.length} paths: every header vercel.json gives, with its value; no CORS`, headerBad.slice(0, 8).join('\n'));
  ok(!bodyBad.length, `${paths.length} paths: the bytes of a clean presetgen build (404.html for what is missing)`, bodyBad.slice(0, 8).join('\n'));
  // ETag, HEAD, ranges, gzip
  const css = files.find((f) => f.endsWith('.css'));
  const a = await get(base + '/' + css);
  const b = await get(base + '/' + css, { headers: { 'If-None-Match': a.headers.get('etag') } });
  ok(a.headers.get('etag') && b.status === 304 && b.body.length === 0, 'If-None-Match with the ETag: 304, no body');
  const h = await get(base + '/' + css, { method: 'HEAD' });
  ok(h.status === 200 && h.body.length === 0 && h.headers.get('content-length') === a.headers.get('content-length'),
    'HEAD: the headers of GET, no body');
  const png = files.find((f) => f.endsWith('.png'));
  const whole = fs.readFileSync(path.join(dist, png));
  const r = await get(base + '/' + png, { headers: { Range: 'bytes=10-19' } });
  ok(r.status === 206 && r.headers.get('content-range') === `bytes 10-19/${whole.length}` &&
    r.body.equals(whole.subarray(10, 20)), 'a byte range of an image: 206, Content-Range, those bytes');
  const r2 = await get(base + '/' + png, { headers: { Range: `bytes=${whole.length + 5}-` } });
  ok(r2.status === 416 && r2.headers.get('content-range') === `bytes */${whole.length}`, 'a range past the end: 416');
  const gz = await new Promise((res) => require('http').get(base + '/' + css,
    { headers: { 'Accept-Encoding': 'gzip' } }, (r) => {
      const chunks = [];
      r.on('data', (c) => chunks.push(c));
      r.on('end', () => res({ enc: r.headers['content-encoding'], body: Buffer.concat(chunks) }));
    }));
  ok(gz.enc === 'gzip' && require('zlib').gunzipSync(gz.body).equals(fs.readFileSync(path.join(dist, css))),
    'Accept-Encoding: gzip gets the gzip form of the same bytes');
  // DNS rebinding
  const evil = await new Promise((res) => {
    const u = new URL(base);
    const s = net.connect(+u.port, u.hostname, () => s.write('GET / HTTP/1.1\r\nHost: attacker.example\r\nConnection: close\r\n\r\n'));
    let d = '';
    s.on('data', (x) => (d += x));
    s.on('end', () => res(d));
  });
  ok(/^HTTP\/1\.1 403/.test(evil), 'a request whose Host is not this server is refused (403)', evil.slice(0, 200));
}

function replaceIn(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  // as an editor saves: a temporary file renamed over the old one
  fs.writeFileSync(file + '.tmp-save', text.replace(from, to));
  fs.renameSync(file + '.tmp-save', file);
}

async function waitFor(url, needle, ms = 5000) {
  const t0 = Date.now();
  for (;;) {
    const r = await get(url);
    if (r.body.toString().includes(needle)) return Date.now() - t0;
    if (Date.now() - t0 > ms) return -1;
    await sleep(2);
  }
}

async function main() {
  const [cmd, ...a] = process.argv.slice(2);
  if (cmd === 'port') {
    const s = net.createServer().listen(0, '127.0.0.1', () => { console.log(s.address().port); s.close(); });
    return;
  }
  if (cmd === 'routes') await routes(a[0], a[1]);
  else if (cmd === 'edit') {
    const [base, site, file, from, to, p, needle] = a;
    const before = (await get(base + p)).body;
    const t0 = Date.now();
    replaceIn(path.join(site, file), from, to);
    let ms = -1;
    if (needle === '!') {
      /* until the page's bytes change (a stylesheet's new name) */
      for (;;) {
        if (!(await get(base + p)).body.equals(before)) { ms = Date.now() - t0; break; }
        if (Date.now() - t0 > 5000) break;
        await sleep(2);
      }
    } else {
      ms = await waitFor(base + p, needle || to);
      if (ms >= 0) ms = Date.now() - t0;
    }
    console.log(ms);
    return;
  } else if (cmd === 'browser') await require('./browser.js')(a[0], a[1], ok);
  else if (cmd === 'random') await require('./random.js')(a[0], a[1], a[2], +a[3], ok, get, walk, urlOf, LIVE);
  else if (cmd === 'rounds') await require('./rounds.js')(a[0], a[1], +a[2], +a[3], ok, get);
  console.log(`# serve: ${n - failed} passed, ${failed} failed`);
  process.exitCode = failed ? 1 : 0;
}
main().catch((e) => { console.log(`not ok - ${e.stack}`); process.exitCode = 1; });

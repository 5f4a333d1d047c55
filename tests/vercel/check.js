// Validates a vercel.json made by presetgen with Vercel's own routing-utils:
// top-level keys, the schemas routing-utils exports, pattern compilation,
// the route count, and the headers that given paths receive.
//   node check.js DIST/vercel.json PATH=KEY:VALUE... PATH->STATUS LOCATION...
//                 PATH->200 (no redirect: the bundle's file serves it)
//                 sitemap=DIST (every <loc> of DIST's sitemaps ->200, and its file exists)
// Prints TAP lines.
'use strict';
const fs = require('fs');
const ru = require('@vercel/routing-utils');

let n = 0, failed = 0;
function ok(cond, what, detail) {
  n++;
  if (!cond) failed++;
  console.log(`${cond ? '' : 'not '}ok ${n} - vercel.json: ${what}`);
  if (!cond && detail) console.log(`#   ${detail}`);
}

// A small JSON Schema check: the keywords routing-utils' schemas use.
function validate(schema, v, path, errs) {
  if (schema.anyOf) {
    if (!schema.anyOf.some((s) => validate(s, v, path, []).length === 0)) errs.push(`${path}: matches no alternative`);
    return errs;
  }
  const t = schema.type;
  const is = { object: (x) => x && typeof x === 'object' && !Array.isArray(x), array: Array.isArray,
    string: (x) => typeof x === 'string', boolean: (x) => typeof x === 'boolean',
    number: (x) => typeof x === 'number', integer: Number.isInteger };
  if (t && !(Array.isArray(t) ? t : [t]).some((k) => is[k](v))) { errs.push(`${path}: not ${t}`); return errs; }
  if (schema.enum && !schema.enum.includes(v)) errs.push(`${path}: not one of ${schema.enum}`);
  if (typeof v === 'string') {
    if (schema.maxLength !== undefined && v.length > schema.maxLength) errs.push(`${path}: too long`);
    if (schema.minLength !== undefined && v.length < schema.minLength) errs.push(`${path}: too short`);
  }
  if (Array.isArray(v)) {
    if (schema.maxItems !== undefined && v.length > schema.maxItems) errs.push(`${path}: too many items`);
    if (schema.items) v.forEach((x, i) => validate(schema.items, x, `${path}[${i}]`, errs));
  }
  if (is.object(v)) {
    for (const r of schema.required || []) if (!(r in v)) errs.push(`${path}: missing ${r}`);
    for (const [k, x] of Object.entries(v)) {
      if (schema.properties && schema.properties[k]) validate(schema.properties[k], x, `${path}.${k}`, errs);
      else if (schema.additionalProperties === false) errs.push(`${path}: unknown key ${k}`);
    }
  }
  return errs;
}

const file = process.argv[2];
const cfg = JSON.parse(fs.readFileSync(file, 'utf8'));
// The keys Vercel's deploy-time schema knows (@vercel/config 0.7.2's VercelConfig).
const known = ['$schema', 'alias', 'build', 'builds', 'bulkRedirectsPath', 'bunVersion', 'buildCommand',
  'cleanUrls', 'crons', 'devCommand', 'env', 'fluid', 'framework', 'functions', 'git', 'github', 'headers',
  'ignoreCommand', 'images', 'installCommand', 'name', 'outputDirectory', 'passiveRegions', 'redirects',
  'regions', 'relatedProjects', 'rewrites', 'routes', 'scope', 'trailingSlash', 'version', 'wildcard'];
const unknown = Object.keys(cfg).filter((k) => !known.includes(k));
ok(unknown.length === 0, 'no key Vercel does not know', unknown.join(', '));
ok(!('routes' in cfg) && !('functions' in cfg) && !('builds' in cfg), 'no routes, functions or builds');
const schemas = { headers: ru.headersSchema, redirects: ru.redirectsSchema, rewrites: ru.rewritesSchema,
  cleanUrls: ru.cleanUrlsSchema, trailingSlash: ru.trailingSlashSchema };
let errs = [];
for (const [k, s] of Object.entries(schemas)) if (k in cfg) validate(s, cfg[k], k, errs);
ok(errs.length === 0, "valid for routing-utils' schemas", errs.slice(0, 5).join('; '));

const t = ru.getTransformedRoutes({ cleanUrls: cfg.cleanUrls, trailingSlash: cfg.trailingSlash,
  headers: cfg.headers, redirects: cfg.redirects, rewrites: cfg.rewrites });
ok(!t.error, 'getTransformedRoutes compiles every pattern', t.error && t.error.message);
const routes = t.routes || [];
ok(routes.length > 0 && routes.length < 2048, `fewer than 2,048 routes (${routes.length})`);

// The headers a path receives: routes before the filesystem phase that
// carry headers apply in order (continue); a later one wins for a key.
function headersFor(path) {
  const out = {};
  for (const r of routes) {
    if (r.handle) break;
    if (!r.src || !new RegExp(r.src).test(path)) continue;
    if (r.status && r.status >= 300 && r.status < 400 && !r.continue) {
      const m = new RegExp(r.src).exec(path);
      const loc = ((r.headers && r.headers.Location) || '').replace(/\$(\d+)/g, (_, i) => m[+i] || '');
      return { redirect: r.status, location: loc };
    }
    if (r.headers) for (const [k, v] of Object.entries(r.headers)) out[k.toLowerCase()] = v;
  }
  return out;
}
// The file the filesystem phase serves for a path: /x/ is x/index.html.
function fileFor(dist, path) {
  const p = decodeURIComponent(path);
  return require('path').join(dist, p.endsWith('/') ? p + 'index.html' : p);
}

for (const spec of process.argv.slice(3)) {
  if (spec.startsWith('sitemap=')) {
    const dist = spec.slice(8);
    const locs = [];
    for (const f of fs.readdirSync(dist).filter((x) => /^sitemap.*\.xml$/.test(x)))
      for (const m of fs.readFileSync(`${dist}/${f}`, 'utf8').matchAll(/<url>\s*<loc>([^<]*)<\/loc>/g))
        locs.push(new URL(m[1].replace(/&amp;/g, '&')).pathname);
    const bad = locs.filter((p) => headersFor(p).redirect || !fs.existsSync(fileFor(dist, p)));
    ok(locs.length > 0 && bad.length === 0, `every sitemap <loc> (${locs.length}) is served with 200 by its own file`,
      bad.slice(0, 5).map((p) => `${p}: ${JSON.stringify(headersFor(p))}`).join('; '));
    continue;
  }
  if (spec.includes('->')) {
    const [path, want] = spec.split('->');
    const got = headersFor(path);
    if (want === '200') {
      ok(!got.redirect, `${path} is not redirected`, JSON.stringify(got));
      continue;
    }
    ok(`${got.redirect} ${got.location}` === want, `${path} is redirected: ${want}`, JSON.stringify(got));
    continue;
  }
  const [path, rest] = [spec.slice(0, spec.indexOf('=')), spec.slice(spec.indexOf('=') + 1)];
  const key = rest.slice(0, rest.indexOf(':')).toLowerCase(), want = rest.slice(rest.indexOf(':') + 1);
  const got = headersFor(path);
  ok(got[key] !== undefined && got[key].includes(want), `${path} gets ${key}: ${want}`, JSON.stringify(got));
}
console.log(`# vercel.json: ${n - failed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);

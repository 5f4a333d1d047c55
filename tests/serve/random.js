// 200 random edits (templates, partials, content pages, the stylesheet, an
// image, rows of the snapshot: a gig's title, a profile's name, a city
// that moves a row from one group page to another, a gig published or made
// a draft, so that pages come and go; presetgen.yaml's
// site.description and comments), some of them breaking
// a template and the next fixing it; then what the server serves for every
// file equals a clean `presetgen build --env development` of the same
// tree, made after.
'use strict';
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');

module.exports = async function (base, site, bin, count, ok, get, walk, urlOf, LIVE) {
  let seed = Number(process.env.SERVE_SEED || 12345);	/* another seed: SERVE_SEED=N */
  const rand = (k) => { seed = (seed * 1103515245 + 12345) % 2147483648; return (seed >>> 16) % k; };
  const targets = [
    ['templates/footer.mustache', '</footer>'], ['templates/head.mustache', '<meta charset="utf-8">'],
    ['templates/gig.mustache', '</article>'], ['content/about.md', null], ['content/pricing.md', null],
    ['content/how-it-works.md', null], ['assets/css/site.css', null], ['templates/header.mustache', '</header>'],
    ['assets/img/logo.svg', '</svg>'], ['content/data/preset.json', null], ['content/data/preset.json', null],
    ['presetgen.yaml', null],
  ].filter(([f]) => fs.existsSync(path.join(site, f)));
  const cities = ['Dublin', 'Cork', 'Galway', 'Berlin', 'Kraków', 'Lisboa'];
  /* the nth "key": "value" of the snapshot, changed by f */
  const row = (text, key, f) => {
    const re = new RegExp(`"${key}": "((?:[^"\\\\]|\\\\.)*)"`, 'g');
    const all = [...text.matchAll(re)];
    const m = all[rand(all.length)];
    return text.slice(0, m.index) + `"${key}": "${f(m[1])}"` + text.slice(m.index + m[0].length);
  };
  /* the pages there were before: those a clean build no longer makes
     must be gone from the server too */
  const clean = (dir) => {
    fs.rmSync(dir, { recursive: true, force: true });
    execFileSync(bin, ['build', '-q', '-C', site, '--env', 'development', '--no-gzip', '--out', dir]);
    return walk(dir).filter((f) => f !== 'vercel.json');
  };
  const before = clean(path.join(site, '..', 'before'));
  let broken = null, waited = 0;
  for (let i = 0; i < count; i++) {
    /* a broken template is fixed by the next save */
    const [file, anchor] = broken ? targets.find(([f]) => f === broken) : targets[rand(targets.length)];
    const p = path.join(site, file);
    let text = fs.readFileSync(p, 'utf8');
    const mark = `edit${i}x${rand(1000)}`;
    if (broken) {
      text = text.replace('{{#unclosed}}', '');
      fs.writeFileSync(p + '.swp', 'vim swap');	/* editors' noise, ignored */
      fs.unlinkSync(p + '.swp');
      broken = null;
    } else if (file === 'presetgen.yaml') {
      /* site.description, which some pages show, or a comment, which none do */
      text = rand(2) ? text.replace(/Connect creatives for shoots\.[^\n]*/, `Connect creatives for shoots. ${mark}`)
        : `# ${mark}\n${text}`;
    } else if (file.endsWith('.json')) {
      const k = rand(4);
      text = k === 0 ? row(text, 'title', (v) => `${v.replace(/ edit\d+x\d+$/, '')} ${mark}`)
        : k === 1 ? row(text, 'display_name', (v) => `${v.replace(/ edit\d+x\d+$/, '')} ${mark}`)
          : k === 2 ? row(text, 'city', () => cities[rand(cities.length)])
            /* a gig published or made a draft: its page comes or goes */
            : row(text, 'status', (v) => ({ PUBLISHED: 'DRAFT', DRAFT: 'PUBLISHED' })[v] || v);
    } else if (file.endsWith('.css')) {
      text += `\n.${mark} { color: red; }\n`;
    } else if (file.endsWith('.md')) {
      text += `\n\nParagraph ${mark}.\n`;
    } else if (rand(10) === 0 && anchor) {
      text = text.replace(anchor, anchor + '{{#unclosed}}');
      broken = file;
    } else {
      text = text.replace(anchor, anchor + `<!-- ${mark} -->`);
    }
    fs.writeFileSync(p + '.new', text);
    fs.renameSync(p + '.new', p);
    // a burst now and then: the next edit comes before the rebuild
    if (rand(4) === 0) {
      await new Promise((r) => setTimeout(r, 60));
      waited++;
    } else {
      await new Promise((r) => setTimeout(r, rand(15)));
    }
  }
  if (broken) {
    const p = path.join(site, broken);
    fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('{{#unclosed}}', ''));
  }
  await new Promise((r) => setTimeout(r, 1500));
  const dist = path.join(site, '..', 'clean');
  const files = clean(dist);
  const bad = [];
  const gone = before.filter((f) => f.endsWith('.html') && !files.includes(f));
  for (const f of gone) {
    const got = await get(base + encodeURI(urlOf(f)));
    if (got.status !== 404)
      bad.push(`${f} is gone from a clean build but served (${got.status})`);
  }
  for (const f of files) {
    /* /404.html itself is redirected by cleanUrls: it is what a missing page gets */
    const missing = f === '404.html';
    const got = await get(base + (missing ? '/no/such/page/' : encodeURI(urlOf(f))));
    const body = got.body.toString('latin1').replace(LIVE, '');
    if (got.status !== (missing ? 404 : 200) || body !== fs.readFileSync(path.join(dist, f)).toString('latin1'))
      bad.push(`${f} (${got.status})`);
  }
  ok(!bad.length, `after ${count} random edits (${waited} of them 60 ms apart, the rest in bursts) every one of ${files.length} files served equals a clean build's, and the ${gone.length} pages it no longer has are 404s`,
    bad.slice(0, 10).join(', '));
};

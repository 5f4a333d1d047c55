// presetgen serve in Chromium (playwright-core from tests/axe, Debian's
// chromium): a template edit that changes the body updates the open page
// in place, and how long after the save the new page is painted; one that
// changes the head reloads it; a stylesheet edit swaps the sheet
// without a reload; a broken template shows the overlay with file:line:col
// over the last good page; the fix removes it, without a restart.
'use strict';
const fs = require('fs');
const path = require('path');
const { chromium } = require(path.join(__dirname, '../axe/node_modules/playwright-core'));

function save(file, from, to) {
  const text = fs.readFileSync(file, 'utf8');
  if (!text.includes(from)) throw new Error(`${file} has no ${from}`);
  fs.writeFileSync(file + '.tmp-save', text.replace(from, to));
  fs.renameSync(file + '.tmp-save', file);
}

module.exports = async function (base, site, ok) {
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu'] });
  const page = await browser.newPage();
  const loads = [];
  page.on('load', () => loads.push(Date.now()));
  await page.goto(base + '/about/');
  await page.waitForFunction(() => window.__presetgen !== undefined);
  await page.waitForTimeout(300);	/* the event stream is open */

  // a template edit that changes the body: the new body goes in place
  // (no navigation, as Eleventy's dev server patches a page), once, and is
  // painted; what the page shows is what a fresh load of it shows
  await page.evaluate(() => document.addEventListener('presetgen:updated',
    () => requestAnimationFrame(() => { window.__painted = Date.now(); })));
  const before = loads.length;
  const times = [];
  for (let i = 1; i <= 5; i++) {
    const t0 = Date.now();
    save(path.join(site, 'templates/footer.mustache'), '</footer>', `<p id="edit${i}">edited</p></footer>`);
    await page.waitForSelector('#edit' + i, { state: 'attached', timeout: 5000 });
    await page.waitForFunction((t) => window.__painted > t, t0, { timeout: 5000 });
    times.push(await page.evaluate(() => window.__painted) - t0);
    await page.waitForTimeout(250);
  }
  const updates = await page.evaluate(() => window.__presetgen.updates);
  ok(loads.length === before && updates === 5,
    `five body edits of a template update the open page in place, once each (${updates} updates, ${loads.length - before} navigations); painted ${times.join(', ')} ms after the save`);
  const median = times.slice().sort((x, y) => x - y)[2];
  ok(median <= 100, `the new page is painted within 100 ms of the save (median of five: ${median} ms)`);
  const fresh = await browser.newPage();
  await fresh.goto(page.url());
  const a = await page.evaluate(() => document.documentElement.outerHTML);
  const b = await fresh.evaluate(() => document.documentElement.outerHTML);
  await fresh.close();
  ok(a === b, 'the page updated in place is the page a fresh load gives, element for element');

  // a template edit that changes the head: a full reload, once
  const beforeHead = loads.length;
  const t1 = Date.now();
  save(path.join(site, 'templates/head.mustache'), '<meta charset="utf-8">', '<meta charset="utf-8"><meta name="x-edit" content="1">');
  await page.waitForSelector('meta[name=x-edit]', { state: 'attached', timeout: 5000 });
  await page.waitForFunction(() => document.readyState === 'complete');
  const ms = loads[loads.length - 1] - t1;
  await page.waitForTimeout(400);
  ok(loads.length === beforeHead + 1, `a template edit in the head reloads the open page once (${loads.length - beforeHead} loads), loaded ${ms} ms after the save`);
  await page.waitForFunction(() => window.__presetgen !== undefined);
  await page.waitForTimeout(300);	/* the new page's event stream is open */

  // an attribute of <html> changed: a full reload too
  const beforeHtml = loads.length;
  save(path.join(site, 'templates/base.mustache'), '<html lang=', '<html data-edit="1" lang=');
  await page.waitForSelector('html[data-edit="1"]', { state: 'attached', timeout: 5000 });
  await page.waitForFunction(() => document.readyState === 'complete');
  await page.waitForTimeout(400);
  ok(loads.length === beforeHtml + 1, `a template edit of <html>'s attributes reloads the open page once (${loads.length - beforeHtml} loads)`);
  await page.waitForFunction(() => window.__presetgen !== undefined);
  await page.waitForTimeout(300);

  // a stylesheet edit: the sheet is swapped in place, no reload
  const loadsBefore = loads.length;
  const href0 = await page.$eval('link[rel=stylesheet]', (l) => l.href);
  save(path.join(site, 'assets/css/site.css'), 'body {', 'body { outline: 3px solid rgb(1, 2, 3);');
  await page.waitForFunction((h) => {
    const l = document.querySelectorAll('link[rel=stylesheet]');
    return l.length === 1 && l[0].href !== h && getComputedStyle(document.body).outlineColor === 'rgb(1, 2, 3)';
  }, href0, { timeout: 5000 });
  await page.waitForTimeout(300);
  ok(loads.length === loadsBefore, 'a stylesheet edit swaps the hashed sheet in place: the new style applies, no reload');
  const unstyled = await page.evaluate(() => window.__presetgen.swaps);
  ok(unstyled === 1, 'the new <link> loaded before the old one went (one swap)');

  // a broken template: the overlay with file:line:col over the last good page
  save(path.join(site, 'templates/footer.mustache'), '<p id="edit5">edited</p>', '<p id="edit5">edited</p>{{#oops}}');
  await page.waitForSelector('#__presetgen_overlay', { timeout: 5000 });
  const text = await page.$eval('#__presetgen_overlay', (o) => o.textContent);
  ok(/templates\/footer\.mustache:\d+:\d+: error: unclosed section 'oops'/.test(text) && text.includes('^'),
    'a broken template shows its file:line:col, the source line and a marker in the page', text.slice(0, 300));
  ok(await page.$('#edit5') !== null, 'the last good page stays under the overlay');
  save(path.join(site, 'templates/footer.mustache'), '{{#oops}}', '<span id="fixed"></span>');
  await page.waitForSelector('#fixed', { state: 'attached', timeout: 5000 });
  await page.waitForTimeout(200);
  ok(await page.$('#__presetgen_overlay') === null, 'the next good save removes the overlay, without restarting the server');
  await browser.close();
};

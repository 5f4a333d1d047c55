// presetgen serve in Chromium (playwright-core from tests/axe, Debian's
// chromium): a template edit reloads the open page, and how long after
// the save the new page is loaded; a stylesheet edit swaps the sheet
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

  // a template edit: the page reloads by itself, once
  const before = loads.length;
  const t0 = Date.now();
  save(path.join(site, 'templates/footer.mustache'), '</footer>', '<p id="edit1">edited</p></footer>');
  await page.waitForSelector('#edit1', { timeout: 5000 });
  const ms = loads[loads.length - 1] - t0;
  await page.waitForTimeout(500);
  ok(loads.length === before + 1, `a template edit reloads the open page once (${loads.length - before} loads), ${ms} ms after the save`);
  console.log(`# reload after a template save: ${ms} ms`);

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
  save(path.join(site, 'templates/footer.mustache'), '<p id="edit1">edited</p>', '<p id="edit1">edited</p>{{#oops}}');
  await page.waitForSelector('#__presetgen_overlay', { timeout: 5000 });
  const text = await page.$eval('#__presetgen_overlay', (o) => o.textContent);
  ok(/templates\/footer\.mustache:\d+:\d+: error: unclosed section 'oops'/.test(text) && text.includes('^'),
    'a broken template shows its file:line:col, the source line and a marker in the page', text.slice(0, 300));
  ok(await page.$('#edit1') !== null, 'the last good page stays under the overlay');
  save(path.join(site, 'templates/footer.mustache'), '{{#oops}}', '<span id="fixed"></span>');
  await page.waitForSelector('#fixed', { state: 'attached', timeout: 5000 });
  await page.waitForTimeout(200);
  ok(await page.$('#__presetgen_overlay') === null, 'the next good save removes the overlay, without restarting the server');
  await browser.close();
};

// 1,000 edit-and-request rounds: a content page's body edited, then a
// page that exists before and after requested at once (never a 404), and
// the edited page waited for. The server's resident memory at the start
// and at the end, from /proc.
'use strict';
const fs = require('fs');
const path = require('path');

function rss(pid) {
  const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
  return m ? +m[1] : -1;
}

module.exports = async function (base, site, count, pid, ok, get) {
  const file = path.join(site, 'content/about.md');
  const original = fs.readFileSync(file, 'utf8');
  const other = ['/', '/pricing/', '/gigs/', '/about/'];
  let notFound = [], warm = 0, start = 0;
  for (let i = 0; i < count; i++) {
    if (i === Math.min(50, count >> 2)) start = rss(pid);	/* after the first rebuilds settle the heap */
    const mark = `round-${i}-mark`;
    fs.writeFileSync(file + '.new', original + `\n\n${mark}\n`);
    fs.renameSync(file + '.new', file);
    const r = await get(base + other[i % other.length]);
    if (r.status !== 200) notFound.push(`${other[i % other.length]}: ${r.status}`);
    for (let t = 0; t < 2000; t += 2) {
      const a = await get(base + '/about/');
      if (a.status !== 200) { notFound.push(`/about/: ${a.status}`); break; }
      if (a.body.toString().includes(mark)) break;
      await new Promise((res) => setTimeout(res, 2));
    }
    warm++;
  }
  const end = rss(pid);
  fs.writeFileSync(file, original);
  console.log(`# RSS after ${Math.min(50, count >> 2)} rounds: ${start} kB; after ${count}: ${end} kB`);
  ok(!notFound.length, `${count} edit-and-request rounds: no request for a page that exists got anything but 200`, notFound.slice(0, 5).join('; '));
  if (process.env.SERVE_RSS === '0')
    console.log('# skipped: RSS under ASan, whose quarantine keeps freed memory');
  else ok(end - start < 8192, `memory is flat over ${count - Math.min(50, count >> 2)} rounds: ${start} kB -> ${end} kB (less than 8 MiB apart)`);
};

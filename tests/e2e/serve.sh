#!/bin/sh
# presetgen serve on the default site: every response as the generated
# vercel.json says (routing-utils as the oracle), edits of a template, a
# partial, a content page, a stylesheet, presetgen.yaml and the snapshot
# served with one event each, partial re-rendering, Chromium reloading
# and swapping a stylesheet, the error overlay and its recovery, 200
# random edits against a clean build, 1,000 rounds of edits and requests
# with flat memory, a port in use, and SIGTERM.
#   tests/e2e/serve.sh PRESETGEN   (SERVE_EDITS and SERVE_ROUNDS: fewer random
#   edits and rounds, for the ASan run)
. "$(dirname "$0")/lib.sh"
e2e_setup serve "$1"
EDITS=${SERVE_EDITS:-200}
ROUNDS=${SERVE_ROUNDS:-1000}
DRIVE=$ROOT/tests/serve/drive.js
if ! command -v node >/dev/null 2>&1 || [ ! -d "$ROOT/tests/vercel/node_modules/@vercel/routing-utils" ]; then
	echo "# skipped: node or tests/vercel/node_modules missing (make check installs them)"
	exit 0
fi
SITE=$TMP/site
default_site "$SITE"
PORT=$(node "$DRIVE" port)
BASE=http://127.0.0.1:$PORT
sed -i "s|base_url: http://localhost:8080|base_url: $BASE|" "$SITE/presetgen.yaml"

"$BIN" serve -C "$SITE" --port "$PORT" >"$TMP/serve.log" 2>&1 &
PID=$!
trap 'kill $PID 2>/dev/null; rm -rf "$TMP"' EXIT
for i in $(seq 100); do grep -q "serving $BASE/" "$TMP/serve.log" && break; sleep 0.1; done
if grep -q "serving $BASE/ (development" "$TMP/serve.log"; then
	ok "presetgen serve prints the URL to open: $BASE/"
else
	notok "presetgen serve starts" "$(cat "$TMP/serve.log")"
	exit 0
fi

# ---- responses, against routing-utils and a clean build ---------------------------
"$BIN" build -q -C "$SITE" --env development --no-gzip --out "$TMP/dist"
node "$DRIVE" routes "$BASE" "$TMP/dist"

# ---- ports ----------------------------------------------------------------------------
"$BIN" serve -C "$SITE" --port "$PORT" >"$TMP/two.log" 2>&1
rc=$?
if [ $rc -eq 1 ] && grep -q "error: port $PORT is in use (another server listens on 127.0.0.1:$PORT); choose another with --port" "$TMP/two.log"; then
	ok "an explicit --port in use is an error naming it (exit 1)"
else
	notok "an explicit --port in use is an error" "exit $rc: $(cat "$TMP/two.log")"
fi
"$BIN" serve -C "$SITE" >"$TMP/three.log" 2>&1 &
P3=$!
for i in $(seq 100); do grep -q "serving" "$TMP/three.log" && break; sleep 0.1; done
kill $P3; wait $P3 2>/dev/null
if grep -q "serving http://127.0.0.1:$((PORT + 1))/" "$TMP/three.log"; then
	ok "with the base_url's port taken, the next free one is used"
else
	notok "the next free port is used" "$(cat "$TMP/three.log")"
fi

# ---- edits: each served, with one event ---------------------------------------------
gig=$(ls "$TMP/dist/gigs" | grep -v -e index.html -e city -e comp -e purpose -e page | head -1)
title=$(sed -n 's/.*"title": "\([^"]*\)".*/\1/p' "$SITE/content/data/preset.json" | head -1)
snap=/$(grep -rlF "$title" "$TMP/dist" --include=index.html | sed "s|^$TMP/dist/||; s|index.html$||" |
	grep '^gigs/[^/]*/$' | grep -v -e '^gigs/page/' | head -1)
curl -sN "$BASE/__presetgen/events?path=/about/" >"$TMP/about.sse" 2>/dev/null &
C1=$!
curl -sN "$BASE/__presetgen/events?path=/gigs/$gig/" >"$TMP/gig.sse" 2>/dev/null &
C2=$!
curl -sN "$BASE/__presetgen/events?path=$snap" >"$TMP/snap.sse" 2>/dev/null &
C3=$!
sleep 0.5
rendered() { grep -v '^changed:' "$TMP/serve.log" | tail -1 | sed -n 's/.*: \([0-9]*\) pages\{0,1\} rendered.*/\1/p'; }
events() { grep -c "^event: $2" "$TMP/$1.sse"; }
edit() { # description, file, from, to, path, sse, event, needle
	before=$(events "$6" "$7")
	ms=$(node "$DRIVE" edit "$BASE" "$SITE" "$2" "$3" "$4" "$5" "${8:-}")
	sleep 0.4
	after=$(events "$6" "$7")
	n_r=$(rendered)
	if [ "$ms" -ge 0 ] && [ $((after - before)) -eq 1 ]; then
		ok "$1: served $ms ms after the save, one '$7' event; $n_r pages rendered"
	else
		notok "$1" "ms=$ms events $before->$after; $(tail -3 "$TMP/serve.log")"
	fi
}
edit "a layout (templates/page.mustache)" templates/page.mustache '<h1>{{page.title}}</h1>' '<h1>{{page.title}}</h1><!--layout-edit-->' /about/ about reload '<!--layout-edit-->'
pages_layout=$n_r
edit "a partial (templates/footer.mustache)" templates/footer.mustache '</footer>' '<!--partial-edit--></footer>' /about/ about reload
pages_partial=$n_r
edit "a content page's body (content/about.md)" content/about.md 'Preset started' 'Preset (edited) started' /about/ about reload
pages_body=$n_r
edit "a collection's template (templates/gig.mustache)" templates/gig.mustache '</article>' '<!--gig-edit--></article>' "/gigs/$gig/" gig reload '<!--gig-edit-->'
pages_gig=$n_r
total=$(find "$TMP/dist" -name '*.html' | wc -l)
if [ "$pages_body" -eq 1 ] && [ "$pages_layout" -lt "$total" ] && [ "$pages_gig" -lt "$total" ]; then
	ok "only what an edit touches is rendered: page.mustache $pages_layout, footer.mustache $pages_partial, gig.mustache $pages_gig, about.md's body $pages_body, of $total pages"
else
	notok "partial re-rendering" "layout $pages_layout partial $pages_partial gig $pages_gig body $pages_body total $total"
fi
# an inline style a layout adds is allowed by the CSP; once an edit removes
# it (a partial render), it is allowed no more
csp() { curl -sI "$BASE/about/" | tr -d '\r' | sed -n 's/^Content-Security-Policy: //ip'; }
hash="'sha256-$(printf '.csp-probe{color:red}' | openssl dgst -sha256 -binary | base64)'"
node "$DRIVE" edit "$BASE" "$SITE" templates/page.mustache '<article' '<style>.csp-probe{color:red}</style><article' /about/ 'csp-probe' >/dev/null
with=$(csp)
node "$DRIVE" edit "$BASE" "$SITE" templates/page.mustache '<style>.csp-probe{color:red}</style>' '' /about/ '!' >/dev/null
sleep 0.3
without=$(csp)
case "$with" in *"$hash"*) in1=yes ;; *) in1=no ;; esac
case "$without" in *"$hash"*) in2=yes ;; *) in2=no ;; esac
if [ $in1 = yes ] && [ $in2 = no ] && [ -n "$without" ]; then
	ok "the CSP allows an inline style while a page has it, and not once an edit removed it ($(rendered) pages rendered)"
else
	notok "the CSP follows the pages as last rendered" "with the style: $in1 ($with)" "after removing it: $in2 ($without)"
fi
edit "the stylesheet (assets/css/site.css)" assets/css/site.css 'body {' 'body { letter-spacing: 0;' /about/ about css '!'
edit "presetgen.yaml (site.title)" presetgen.yaml 'title: Preset' 'title: Preset Preview' /about/ about reload 'Preset Preview'
# presetgen.yaml: site.description renders the pages that show it (those
# with no description of their own); a comment renders none
node "$DRIVE" edit "$BASE" "$SITE" presetgen.yaml 'Free to start,' 'Free to start (edited),' /gigs/ 'Free to start (edited)' >/dev/null
sleep 0.3
pages_desc=$(rendered)
{ echo '# a comment, which no page shows'; cat "$SITE/presetgen.yaml"; } >"$TMP/yaml" && mv "$TMP/yaml" "$SITE/presetgen.yaml"
sleep 0.6
comment=$(grep -v '^changed:' "$TMP/serve.log" | tail -1)
if [ -n "$pages_desc" ] && [ "$pages_desc" -ge 1 ] && [ "$pages_desc" -lt "$pages_partial" ] &&
	echo "$comment" | grep -q 'presetgen.yaml changed: 0 pages rendered'; then
	ok "presetgen.yaml: site.description renders the $pages_desc pages that show it; a comment, none"
else
	notok "presetgen.yaml's edits render the pages that show what changed" "description: '$pages_desc' pages; comment: $comment"
fi
edit "the snapshot (a gig's title)" content/data/preset.json "\"title\": \"$title\"" "\"title\": \"$title, edited\"" "$snap" snap reload "$title, edited"
pages_snap=$n_r
kill $C1 $C2 $C3 2>/dev/null
# a snapshot edit renders the pages that showed the row (its page, the
# listings and group pages it is on), not every page
if [ -n "$pages_snap" ] && [ "$pages_snap" -ge 2 ] && [ "$pages_snap" -lt "$pages_partial" ]; then
	ok "a row's edit renders only the pages that showed it: $pages_snap of $total"
else
	notok "a snapshot edit renders only the pages that showed the row" "rendered: '$pages_snap' of $total"
fi
# a row the site no longer publishes: its page goes (a 404, not the last
# page it had), and comes back with the row
status() { # file, row id, from, to
	node -e 'const fs = require("fs"); const [f, id, from, to] = process.argv.slice(1);
		let t = fs.readFileSync(f, "utf8");
		const s = t.indexOf(`"status": "${from}"`, t.indexOf(`"id": "${id}"`));
		t = t.slice(0, s) + `"status": "${to}"` + t.slice(s + from.length + 12);
		fs.writeFileSync(f + ".tmp-status", t); fs.renameSync(f + ".tmp-status", f);' "$@"
}
code() { curl -s -o /dev/null -w '%{http_code}' "$BASE$1"; }
until_code() { # path, code: waits up to 5 s
	for i in $(seq 100); do [ "$(code "$1")" = "$2" ] && return 0; sleep 0.05; done
	return 1
}
id=$(basename "$snap")
status "$SITE/content/data/preset.json" "$id" PUBLISHED DRAFT
if until_code "$snap" 404; then gone=$(grep -v '^changed:' "$TMP/serve.log" | tail -1); else gone="still $(code "$snap")"; fi
status "$SITE/content/data/preset.json" "$id" DRAFT PUBLISHED
if until_code "$snap" 200 && case "$gone" in *"pages rendered"*|*"page rendered"*) true ;; *) false ;; esac; then
	ok "a row made a draft: its page goes (404), the rest as they were ($(echo "$gone" | sed 's/.*changed: //')); published again, it is back"
else
	notok "a row made a draft loses its page" "after DRAFT: $gone; after PUBLISHED: $(code "$snap")"
fi
# an image one page shows: its edit renders that page alone
printf '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 8 8"><rect width="8" height="8"/></svg>\n' >"$SITE/assets/img/probe.svg"
sleep 0.3
node "$DRIVE" edit "$BASE" "$SITE" content/about.md 'Preset (edited) started' '<img src="/assets/img/probe.svg" alt="" width="8" height="8"> Preset (edited) started' /about/ 'probe.' >/dev/null
before=$(curl -s "$BASE/about/" | grep -o 'probe\.[0-9a-f]*\.svg')
ms=$(node "$DRIVE" edit "$BASE" "$SITE" assets/img/probe.svg '</svg>' '<!--x--></svg>' /about/ '!')
sleep 0.3
after=$(curl -s "$BASE/about/" | grep -o 'probe\.[0-9a-f]*\.svg')
pages_img=$(rendered)
if [ "$ms" -ge 0 ] && [ "$pages_img" = 1 ] && [ -n "$after" ] && [ "$before" != "$after" ] &&
	[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/assets/img/$after")" = 200 ]; then
	ok "an image one page shows: its edit renders that page alone ($pages_img), which names the new $after, served $ms ms after the save"
else
	notok "an image's edit renders the pages that show it" "ms=$ms rendered=$pages_img before=$before after=$after"
fi

# ---- Chromium ----------------------------------------------------------------------------
if [ -d "$ROOT/tests/axe/node_modules/playwright-core" ] && command -v chromium >/dev/null 2>&1; then
	node "$DRIVE" browser "$BASE" "$SITE"
else
	echo "# skipped: Chromium checks (tests/axe/node_modules or chromium missing)"
fi

# ---- random edits (200), then the server equals a clean build -----------------------------
node "$DRIVE" random "$BASE" "$SITE" "$BIN" "$EDITS"

# ---- rounds of edits and requests (1,000): memory flat ---------------------------------------
node "$DRIVE" rounds "$BASE" "$SITE" "$ROUNDS" "$PID"

# ---- SIGTERM stops it, leaving nothing ------------------------------------------------------
kill -TERM $PID
for i in $(seq 50); do kill -0 $PID 2>/dev/null || break; sleep 0.1; done
wait $PID
rc=$?
left=$(find "$SITE" -name '*.tmp-*' -o -name '.*.tmp*' | head -3)
if ! kill -0 $PID 2>/dev/null && [ $rc -eq 0 ] && [ -z "$left" ] && ! curl -s -o /dev/null "$BASE/"; then
	ok "SIGTERM stops the server and the watcher; the port is free, no file left behind"
else
	notok "SIGTERM stops the server" "exit $rc; left: $left"
fi

# ---- a snapshot presetgen.yaml names outside the watched trees is watched too -------------
S2=$TMP/site2
default_site "$S2"
mkdir "$S2/db" && mv "$S2/content/data/preset.json" "$S2/db/preset.json"
P2=$(node "$DRIVE" port)
sed -i "s|- content/data/preset.json|- db/preset.json|; s|base_url: http://localhost:8080|base_url: http://127.0.0.1:$P2|" "$S2/presetgen.yaml"
"$BIN" serve -C "$S2" --port "$P2" >"$TMP/s2.log" 2>&1 &
P2ID=$!
for i in $(seq 100); do grep -q "serving" "$TMP/s2.log" && break; sleep 0.1; done
ms=$(node "$DRIVE" edit "http://127.0.0.1:$P2" "$S2" db/preset.json "\"title\": \"$title" "\"title\": \"Moved $title" "$snap" "Moved $title")
kill $P2ID; wait $P2ID 2>/dev/null
if [ "$ms" -ge 0 ]; then
	ok "a snapshot presetgen.yaml names in db/ is watched: its edit served $ms ms after the save"
else
	notok "a snapshot outside templates/, content/, assets/ and static/ is watched" "$(tail -3 "$TMP/s2.log")"
fi

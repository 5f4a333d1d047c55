#!/bin/sh
# URLs Vercel serves and people can type: the default site built from
# tests/e2e/routing/hostile.json - handles index, INDEX.html, page, . and
# .., a rename to index, and cities in four scripts, in both Unicode forms
# and in several cases - checked with Vercel's own routing-utils (every
# sitemap <loc> answers 200 from its own file), with check --bundle (every
# file, link and redirect replayed through the routing), and by what the
# pages hold: one page per city, a link to it from every gig.
#   tests/e2e/routing.sh PRESETGEN
. "$(dirname "$0")/lib.sh"
e2e_setup routing "$1"
SNAP=$HERE/routing/hostile.json
CHECK=$ROOT/tests/vercel/check.js
export SOURCE_DATE_EPOCH=1773482400

default_site "$TMP/site"
cd "$TMP/site" || exit 1
if "$BIN" build --snapshot "$SNAP" >/dev/null 2>"$TMP/err"; then
	ok "the default site builds from the hostile snapshot"
else
	notok "the default site builds from the hostile snapshot" "$(cat "$TMP/err")"
fi

# ---- handles ----------------------------------------------------------------------
grep -q "'index' as a path segment would be redirected by Vercel's cleanUrls: the row's page is at /u/index-/" "$TMP/err" &&
	ok "handle index: a warning names the row and the page's URL" ||
	notok "handle index: a warning names the row and the page's URL" "$(cat "$TMP/err")"
[ -f dist/u/index-/index.html ] && [ ! -e dist/u/index ] &&
	ok "handle index: its page is /u/index-/, and nothing is at /u/index/" ||
	notok "handle index: its page is /u/index-/" "$(ls dist/u)"
[ -f dist/u/index-html/index.html ] && [ -f dist/u/page/index.html ] &&
	ok "handles INDEX.html and page: /u/index-html/ and /u/page/" ||
	notok "handles INDEX.html and page: /u/index-html/ and /u/page/" "$(ls dist/u)"
[ "$(grep -c "leaves nothing for a URL: the row gets no page" "$TMP/err")" = 2 ] &&
	[ "$(ls dist/u | wc -l)" = 4 ] &&
	ok "handles . and ..: no page, a warning each" ||
	notok "handles . and ..: no page, a warning each" "$(ls dist/u)" "$(cat "$TMP/err")"
grep -q 'href="/u/index-/"' dist/gigs/00000000-0000-4000-8000-000000000400/index.html &&
	ok "links to that profile follow its page" || notok "links to that profile follow its page"
tr -d ' \n' <dist/vercel.json | grep -q '"source":"/u/old_index/","destination":"/u/index-/"' &&
	ok "a rename to index goes to /u/index-/" ||
	notok "a rename to index goes to /u/index-/" "$(grep -A2 old_index dist/vercel.json)"

# the same with the handle written Index: the same page
sed 's/"handle": "index"/"handle": "Index"/' "$SNAP" >"$TMP/Index.json"
"$BIN" build -q --snapshot "$TMP/Index.json" --out "$TMP/Index" 2>/dev/null
[ -f "$TMP/Index/u/index-/index.html" ] && [ ! -e "$TMP/Index/u/index" ] &&
	ok "handle Index: the same page, /u/index-/" || notok "handle Index: the same page, /u/index-/" "$(ls "$TMP/Index/u")"

# ---- Vercel's routing-utils and check --bundle ----------------------------------------
if [ -d "$ROOT/tests/vercel/node_modules/@vercel/routing-utils" ] && command -v node >/dev/null; then
	node "$CHECK" dist/vercel.json "/u/index-/->200" "/u/index-html/->200" "/u/page/->200" \
		"/u/index/->308 /u/" "sitemap=dist" >"$TMP/v" 2>&1 &&
		ok "routing-utils: the pages answer 200 at the URLs the site links to; /u/index/ would be a 308" ||
		notok "routing-utils: the pages answer 200 at the URLs the site links to" "$(grep -A1 '^not ok' "$TMP/v")"
else
	notok "routing-utils is installed" "make check runs npm ci in tests/vercel"
fi
check "check --bundle: every file, link, <loc> and redirect ends at its own file" "$BIN" check --bundle dist
# and it catches a page at /u/index/, which the old slugs made
mkdir -p "$TMP/bad" && cp -r dist/. "$TMP/bad/" && mkdir -p "$TMP/bad/u/index" &&
	cp dist/u/page/index.html "$TMP/bad/u/index/index.html"
"$BIN" check --bundle "$TMP/bad" >/dev/null 2>"$TMP/berr"
grep -q "u/index/index.html: error: its URL /u/index/ is redirected to /u/ by cleanUrls" "$TMP/berr" &&
	ok "check --bundle reports a page at /u/index/" || notok "check --bundle reports a page at /u/index/" "$(cat "$TMP/berr")"

# ---- cities: one page per place, whatever the case or the Unicode form ----------------
cities=$(ls dist/gigs/city | tr '\n' ' ')
[ "$cities" = "aebeltoft isafjordur krakow sao-paulo strasse zurich αθήνα москва 東京 " ] &&
	ok "ascii slugs: krakow, isafjordur, sao-paulo, zurich, strasse, aebeltoft; αθήνα, москва, 東京 keep their script" ||
	notok "ascii slugs" "$cities"
count() { grep -c '<li class="gig-card"' "$1/index.html"; }
[ "$(count dist/gigs/city/krakow)" = 4 ] && grep -q '<title>Gigs in Kraków' dist/gigs/city/krakow/index.html &&
	ok "Kraków, krakow and KRAKÓW are one page, /gigs/city/krakow/, named as most rows write it" ||
	notok "Kraków, krakow and KRAKÓW are one page" "$(count dist/gigs/city/krakow)"
[ "$(count dist/gigs/city/isafjordur)" = 4 ] && grep -q '<title>Gigs in Ísafjörður' dist/gigs/city/isafjordur/index.html &&
	ok "Ísafjörður composed, decomposed and lower-case are one page, /gigs/city/isafjordur/" ||
	notok "Ísafjörður composed, decomposed and lower-case are one page" \
		"$(count dist/gigs/city/isafjordur)"
missing=""
for g in dist/gigs/*-*-*-*/index.html; do
	grep -q 'href="/gigs/city/' "$g" || missing="$missing $g"
done
[ -z "$missing" ] && ok "every gig page links to its city's page (and check --bundle found each link)" ||
	notok "every gig page links to its city's page" "$missing"

# ---- slugs: unicode -------------------------------------------------------------------------
sed -i 's/^  author: Preset$/  author: Preset\n  slugs: unicode/' presetgen.yaml
"$BIN" build -q --snapshot "$SNAP" --out "$TMP/uni" 2>/dev/null
cities=$(ls "$TMP/uni/gigs/city" | tr '\n' ' ')
[ "$cities" = "krakow kraków strasse são-paulo zürich æbeltoft ísafjörður αθήνα москва 東京 " ] &&
	[ "$(count "$TMP/uni/gigs/city/kraków")" = 3 ] &&
	[ "$(count "$TMP/uni/gigs/city/ísafjörður")" = 4 ] &&
	ok "unicode slugs: kraków (Kraków, KRAKÓW) beside krakow, one ísafjörður for every form" ||
	notok "unicode slugs" "$cities"

#!/bin/sh
# Snapshot tests: the three snapshot forms build byte-identical sites; no
# private value, draft or blocked profile reaches any file; the real
# PostgreSQL export in ../shared reproduces expected.json; and hostile
# strings stay inert when the pages are opened in headless Chromium.
#   tests/e2e/snapshots.sh PRESETGEN SNAPSHOT-FACTS
. "$(dirname "$0")/lib.sh"
e2e_setup snap "$1"
FACTS=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
SHARED=$ROOT/../shared/conformance/snapshots/small
export TZ=Pacific/Auckland

# three forms of one dataset, one site
three_forms() { # name, site dir, json, csv dir, sql
	name=$1; site=$2
	for f in "$3" "$4" "$5"; do
		rm -rf "$TMP/out-$(basename "$f")"
		if ! (cd "$site" && "$BIN" build -q --snapshot "$f" --out "$TMP/out-$(basename "$f")") 2>"$TMP/err"; then
			notok "$name: builds from $(basename "$f")" "$(head -5 "$TMP/err")"
			return 1
		fi
	done
	if diff -r "$TMP/out-$(basename "$3")" "$TMP/out-$(basename "$4")" >"$TMP/diff" &&
	   diff -r "$TMP/out-$(basename "$3")" "$TMP/out-$(basename "$5")" >>"$TMP/diff"; then
		ok "$name: JSON, CSV and pg_dump snapshots build byte-identical sites"
	else
		notok "$name: JSON, CSV and pg_dump snapshots build byte-identical sites" "$(head -20 "$TMP/diff")"
	fi
}

# ---- the project's own fixture (always) -----------------------------------
FX=$HERE/golden/snapshot/site
cp -r "$FX" "$TMP/fx"
export SOURCE_DATE_EPOCH=1773482400
three_forms "fixture" "$TMP/fx" "$TMP/fx/data/snap.json" "$TMP/fx/data/csv" "$TMP/fx/data/dump.sql"
absent "fixture: no private value, draft or banned profile in any file" "$TMP/out-snap.json" \
	"@example.com" "Draft gig" "draft text" "Dan Banned" "banned bio" "secret bio" "javascript:" "<script"
# renamed handles (user_handle_redirects) in the three forms alike
V=$TMP/out-snap.json/vercel.json
red=$(tr -d ' \n' <"$V" | grep -o '"source":"/u/[^"]*","destination":"[^"]*"' | tr '\n' ' ')
want='"source":"/u/ada_old/","destination":"/u/ada/" "source":"/u/cara_old/","destination":"/u/cara/" "source":"/u/clash/","destination":"/u/ada/" "source":"/u/first/","destination":"/u/ada/" "source":"/u/second/","destination":"/u/ada/" '
[ "$red" = "$want" ] &&
	ok "handle redirects: chains end at the current page; a live page, a banned profile, NULL and non-handles make none" ||
	notok "handle redirects: chains end at the current page; a live page, a banned profile, NULL and non-handles make none" "got: $red"
absent "handle redirects: the banned profile's URL and the table's other columns are nowhere" "$TMP/out-snap.json" \
	"/u/dan" "redirect note" "/u/(.*)"
# the reference time decides which gigs the listing shows
SOURCE_DATE_EPOCH=1782864000 "$BIN" build -q -C "$TMP/fx" --out "$TMP/later"
if grep -q 'total=1 ' "$TMP/later/gigs/index.html" && grep -q 'total=2 ' "$TMP/out-snap.json/gigs/index.html"; then
	ok "the listing leaves out gigs whose deadline passed before SOURCE_DATE_EPOCH"
else
	notok "the listing leaves out gigs whose deadline passed before SOURCE_DATE_EPOCH"
fi

# ---- the default site and its own sample snapshot --------------------------
mkdir -p "$TMP/site" && cp -r "$ROOT/templates" "$ROOT/content" "$ROOT/assets" "$ROOT/presetgen.yaml" "$TMP/site/"
if (cd "$TMP/site" && "$BIN" build -q) 2>"$TMP/err"; then
	ok "the default site builds from content/data/preset.json"
	absent "the default site: no email, phone, birth date, safety note, application note, draft or suspended profile" \
		"$TMP/site/dist" "@example.com" "085 100 " "door code" "Private application note" \
		"This bio must never appear" "suspended_user" "This profile is suspended" "1990-01-10"
	absent "the default site: hostile strings are escaped" "$TMP/site/dist" "<script>alert" "<b>tags</b>" \
		"href=\"javascript:"
	[ -f "$TMP/site/dist/u/etc/index.html" ] && [ ! -e "$TMP/site/dist/etc" ] &&
		ok "the handle ../etc becomes /u/etc/ inside the bundle" || notok "the handle ../etc becomes /u/etc/ inside the bundle"
else
	notok "the default site builds from content/data/preset.json" "$(head -5 "$TMP/err")"
fi

# ---- past 50,000 URLs the sitemap becomes an index (plain pass only) -------
if [ -z "${SKIP_CHROMIUM:-}" ] && [ -x "$(dirname "$FACTS")/benchgen" ]; then
	"$(dirname "$FACTS")/benchgen" 40000 >"$TMP/big.sql"
	if SOURCE_DATE_EPOCH=1735689600 "$BIN" build -q -C "$TMP/site" --snapshot "$TMP/big.sql" --out "$TMP/big" 2>/dev/null &&
	   grep -q '<sitemapindex' "$TMP/big/sitemap.xml" && [ -f "$TMP/big/sitemap-2.xml" ] &&
	   [ "$(grep -c '<loc>' "$TMP/big/sitemap-1.xml")" -eq 50000 ]; then
		ok "past 50,000 URLs, sitemap.xml is an index of parts of 50,000"
	else
		notok "past 50,000 URLs, sitemap.xml is an index of parts of 50,000"
	fi
	rm -rf "$TMP/big" "$TMP/big.sql"
fi

# ---- the real PostgreSQL export in ../shared --------------------------------
if [ ! -d "$SHARED" ]; then
	echo "# skipped: $SHARED is absent (the PostgreSQL exports are in ../shared)"
	exit 0
fi
export SOURCE_DATE_EPOCH=1760616000	# expected.json's snapshot_time
three_forms "shared small snapshot" "$TMP/site" "$SHARED/snapshot.json" "$SHARED/csv" "$SHARED/dump.sql"
"$FACTS" "$SHARED/expected.json" "$TMP/out-snapshot.json" "$SHARED/snapshot.json" | sed 's/^ok [0-9]* - /ok - /; s/^not ok [0-9]* - /not ok - /' |
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) n=$((n + 1)); echo "ok $n - expected.json: ${line#ok - }" ;;
		"not ok - "*) n=$((n + 1)); echo "not ok $n - expected.json: ${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done
n=$((n + 8))
out=$("$BIN" check --bundle "$TMP/out-snapshot.json" 2>&1) && n=$((n + 1)) &&
	echo "ok $n - check --bundle on the real export's site: $out" ||
	{ n=$((n + 1)); echo "not ok $n - check --bundle on the real export's site"; echo "$out" | head -5 | sed 's/^/#   /'; }

# hostile strings in headless Chromium: a sentinel replaces alert, confirm
# and prompt before anything else runs; any payload that runs marks the page
if [ -n "${SKIP_CHROMIUM:-}" ]; then
	echo "# Chromium runs once, in the plain build's pass"
	exit 0
fi
CHROMIUM=$(command -v chromium || command -v chromium-browser || true)
if [ -z "$CHROMIUM" ]; then
	notok "Chromium: no page runs a script the templates did not put there" "chromium is not installed (make check installs it)"
	exit 0
fi
SENTINEL='<script>window.alert=window.confirm=window.prompt=function(){document.documentElement.setAttribute("data-pwned","1")};</script>'
pages="gigs/index.html"
for id in $(tr -d '\n' <"$SHARED/expected.json" | grep -o '"published_gig_ids_with_hostile_markup" *: *\[[^]]*\]' | grep -o '[0-9a-f-]\{36\}'); do
	pages="$pages gigs/$id/index.html"
done
for p in $(ls "$TMP/out-snapshot.json/u" | head -40); do pages="$pages u/$p/index.html"; done
pages="$pages showcases/index.html $(cd "$TMP/out-snapshot.json" && ls showcases/*/index.html | head -5)"
bad=""
checked=0
for p in $pages; do
	f=$TMP/out-snapshot.json/$p
	[ -f "$f" ] || continue
	sed "s|<head>|<head>$SENTINEL|" "$f" >"$TMP/page.html"
	dom=$(timeout 60 "$CHROMIUM" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
		--disable-background-networking --disable-component-update --disable-sync \
		--user-data-dir="$TMP/chrome" --virtual-time-budget=2000 --dump-dom "file://$TMP/page.html" 2>/dev/null)
	checked=$((checked + 1))
	if [ -z "$dom" ] || echo "$dom" | grep -q '<html[^>]*data-pwned' || [ "$(echo "$dom" | grep -o '<script' | wc -l)" -ne 1 ]; then
		bad="$bad $p"
	fi
done
if [ -z "$bad" ] && [ $checked -gt 10 ]; then
	ok "Chromium: $checked pages with hostile data run no script the templates did not put there"
else
	notok "Chromium: no page runs a script the templates did not put there" "checked $checked; failing:$bad"
fi

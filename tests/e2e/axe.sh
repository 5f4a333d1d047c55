#!/bin/sh
# Accessibility: axe-core (WCAG 2.0 and 2.1, A and AA; pinned with
# playwright-core in tests/axe/package-lock.json) in Debian's Chromium, on
# every kind of page of the default site - home, listing, gig, group,
# profile (public and private), showcases, a showcase, pricing, 404 - at
# 1280 and 390 px: 0 violations; and shown to catch a real one.
#   tests/e2e/axe.sh PRESETGEN
. "$(dirname "$0")/lib.sh"
e2e_setup axe "$1"
CHECK=$ROOT/tests/axe/check.js
export SOURCE_DATE_EPOCH=1773482400

if ! command -v node >/dev/null || [ ! -d "$ROOT/tests/axe/node_modules/axe-core" ] ||
   ! command -v chromium >/dev/null; then
	notok "axe-core, playwright-core and Chromium are installed" \
		"make check installs chromium and runs npm ci in tests/axe"
	exit 0
fi
default_site "$TMP/site"
cd "$TMP/site" || exit 1
"$BIN" build -q || notok "the default site builds"
gig=$(ls -d dist/gigs/*-*-*-*/ | head -1 | sed 's|^dist||')
showcase=$(ls -d dist/showcases/*-*-*-*/ | head -1 | sed 's|^dist||')
node "$CHECK" dist / /gigs/ /gigs/page/2/ "$gig" /gigs/city/dublin/ /gigs/comp/paid/ \
	/u/aoife_byrne/ /u/private_person/ /showcases/ "$showcase" /pricing/ /about/ /404.html \
	>"$TMP/axe" 2>&1
rc=$?
# check.js prints TAP lines of its own; go on counting after them
cat "$TMP/axe"
n=$(grep -c '^\(not \)\{0,1\}ok ' "$TMP/axe")
[ $rc -eq 0 ] || grep -q '^not ok' "$TMP/axe" || notok "axe ran" "exit $rc"

# the check catches white on the old teal (4.47:1, below 4.5)
sed -i 's/--brand: #[0-9a-f]*;/--brand: #00876f;/' assets/css/site.css
"$BIN" build -q --out "$TMP/bad"
if node "$CHECK" "$TMP/bad" /pricing/ >"$TMP/axe-bad" 2>&1; then
	notok "axe reports white text on #00876f buttons" "$(cat "$TMP/axe-bad")"
elif grep -q "color-contrast" "$TMP/axe-bad"; then
	ok "axe reports white text on #00876f buttons (color-contrast)"
else
	notok "axe reports white text on #00876f buttons" "$(head -5 "$TMP/axe-bad")"
fi

#!/bin/sh
# The W3C Nu Html Checker (vnu.jar, pinned in tests/vnu/package-lock.json)
# over every page of the default site: built from its sample snapshot, from
# the real PostgreSQL export in ../shared (hostile markup), and with renamed
# handles past Vercel's route limit (redirect pages). 0 errors and 0
# warnings, and the checker is shown to catch a broken page.
#   tests/e2e/html.sh PRESETGEN
. "$(dirname "$0")/lib.sh"
e2e_setup html "$1"
SHARED=$ROOT/../shared/conformance/snapshots/small
VNU=$ROOT/tests/vnu/node_modules/vnu-jar/build/dist/vnu.jar
export SOURCE_DATE_EPOCH=1760616000

if ! command -v java >/dev/null || [ ! -f "$VNU" ]; then
	notok "the Nu Html Checker is installed" "make check installs java and runs npm ci in tests/vnu"
	exit 0
fi
vnu() { # dirs or files...
	java -jar "$VNU" --skip-non-html --filterpattern '.*File was not checked.*' "$@" 2>&1
}

mkdir -p "$TMP/site" && cp -r "$ROOT/templates" "$ROOT/content" "$ROOT/assets" "$ROOT/presetgen.yaml" "$TMP/site/"
cd "$TMP/site" || exit 1
dirs=""
if "$BIN" build -q --no-gzip --out "$TMP/default" 2>"$TMP/err"; then
	dirs="$TMP/default"
else
	notok "the default site builds" "$(head -3 "$TMP/err")"
fi
if [ -d "$SHARED" ]; then
	if "$BIN" build -q --no-gzip --snapshot "$SHARED/dump.sql" --out "$TMP/export" 2>"$TMP/err"; then
		dirs="$dirs $TMP/export"
	else
		notok "the default site builds from the real export" "$(head -3 "$TMP/err")"
	fi
else
	echo "# skipped: $SHARED is absent, the real export's pages are not checked"
fi
sed 's/table: user_handle_redirects/table: many_redirects/' "$ROOT/presetgen.yaml" >presetgen.yaml
awk 'BEGIN { printf "{\"many_redirects\": ["; for (i = 0; i < 2045; i++) printf "%s{\"old_handle\": \"old_%04d\", \"new_handle\": \"aoife_byrne\"}", (i ? ", " : ""), i; print "]}" }' >"$TMP/many.json"
if "$BIN" build -q --no-gzip --snapshot content/data/preset.json --snapshot "$TMP/many.json" \
	--out "$TMP/redirects" 2>"$TMP/err" && [ -f "$TMP/redirects/u/old_2044/index.html" ]; then
	dirs="$dirs $TMP/redirects/u/old_2044/index.html"
else
	notok "the default site builds with redirect pages" "$(head -3 "$TMP/err")"
fi

pages=0
for d in $dirs; do
	pages=$((pages + $(find "$d" -name '*.html' | wc -l)))
done
# one run (the JVM starts once); warnings count against the sample site and
# the redirect pages; the real export's text holds decomposed characters on
# purpose (é as e + U+0301), which the checker notes as "not in Unicode
# Normalization Form C": presetgen publishes text as the database holds it
# shellcheck disable=SC2086
out=$(vnu $dirs)
errors=$(echo "$out" | grep -c ': error:')
warnings=$(echo "$out" | grep ': info warning:' | grep -vc "/export/.*Unicode Normalization Form C")
nfc=$(echo "$out" | grep -c "/export/.*Unicode Normalization Form C")
if [ -n "$dirs" ] && [ "$errors" -eq 0 ] && [ "$warnings" -eq 0 ]; then
	ok "W3C Nu Html Checker: $pages pages (sample site, real export, redirect page), 0 errors, 0 warnings ($nfc notes of decomposed text in the export)"
else
	notok "W3C Nu Html Checker: every page of the default site is valid" "$errors errors, $warnings warnings" \
		"$(echo "$out" | grep -v "Unicode Normalization" | head -20)"
fi

# the checker really checks: a page with a misnested element fails it
printf '<!DOCTYPE html>\n<html lang="en"><head><title>x</title></head>\n<body><p><div>x</p></body></html>\n' >"$TMP/bad.html"
out=$(vnu "$TMP/bad.html")
echo "$out" | grep -q 'bad.html":3.*error: No “p” element in scope' &&
	ok "the Nu Html Checker reports a broken page (line and message)" ||
	notok "the Nu Html Checker reports a broken page (line and message)" "$(echo "$out" | head -5)"

#!/bin/sh
# End-to-end tests: builds the sites under golden/ and compares them with
# their expected/ trees; runs the bad inputs under errors/ and compares the
# exact message and exit code. Prints one TAP line per check.
#   tests/e2e/run.sh PRESETGEN
. "$(dirname "$0")/lib.sh"
e2e_setup e2e "$1"
export TZ=America/New_York SOURCE_DATE_EPOCH=1773482400

# ---- golden sites --------------------------------------------------------
for c in "$HERE"/golden/*/; do
	c=${c%/}; name=$(basename "$c")
	src=$c/site
	[ -f "$c/site-from" ] && src=$HERE/golden/$(cat "$c/site-from")/site
	args=""
	[ -f "$c/args" ] && args=$(cat "$c/args")
	rm -rf "$TMP/site" && cp -r "$src" "$TMP/site"
	# shellcheck disable=SC2086
	if (cd "$TMP/site" && "$BIN" build -q $args) >"$TMP/out" 2>&1; then
		if diff -ru "$c/expected" "$TMP/site/dist" >"$TMP/diff"; then
			ok "golden $name: the build matches expected/"
		else
			notok "golden $name: the build differs from expected/ (make regen shows it)" "$(head -40 "$TMP/diff")"
		fi
	else
		notok "golden $name: the build failed" "$(cat "$TMP/out")"
	fi
	# the same inputs give byte-identical output
	mv "$TMP/site/dist" "$TMP/first"
	# shellcheck disable=SC2086
	(cd "$TMP/site" && "$BIN" build -q --jobs 1 $args) >/dev/null 2>&1
	check "golden $name: a second build (one thread) is byte-identical" diff -r "$TMP/first" "$TMP/site/dist"
	rm -rf "$TMP/first"
done

# ---- behaviour -----------------------------------------------------------
rm -rf "$TMP/site" && cp -r "$HERE/golden/basic/site" "$TMP/site"
cd "$TMP/site" || exit 1
"$BIN" build -q
find dist -type f -exec sha256sum {} + | sort >"$TMP/before"
# a build that fails half-way (a template error found while rendering)
printf '{{>loop}}\n' >templates/loop.mustache
printf '{{<base}}{{$main}}{{>loop}}{{/main}}{{/base}}\n' >templates/list.mustache
"$BIN" build -q 2>"$TMP/err"
rc=$?
find dist -type f -exec sha256sum {} + | sort >"$TMP/after"
[ $rc -eq 1 ] && ok "a failing build exits 1" || notok "a failing build exits 1" "exit $rc"
check "a failing build leaves the previous dist/ untouched" cmp "$TMP/before" "$TMP/after"
left=$(ls -A | grep -c '^\.dist\.tmp' || true)
[ "$left" = 0 ] && ok "a failing build leaves no staging directory" || notok "a failing build leaves no staging directory" "$(ls -A)"
rm templates/loop.mustache
cp "$HERE/golden/basic/site/templates/list.mustache" templates/list.mustache
# drafts appear only with --drafts
"$BIN" build -q
[ ! -e dist/draft/index.html ] && ok "drafts are left out by default" || notok "drafts are left out by default"
"$BIN" build -q --drafts
[ -f dist/draft/index.html ] && grep -q 'Secret draft text' dist/draft/index.html &&
	ok "--drafts includes them" || notok "--drafts includes them"
# environments
"$BIN" build -q --env development
grep -q '^Disallow: /$' dist/robots.txt && ok "development's robots.txt disallows everything" ||
	notok "development's robots.txt disallows everything" "$(cat dist/robots.txt)"
grep -q 'http://localhost:8080/about/' dist/about/index.html && ok "development uses its base URL" ||
	notok "development uses its base URL"
"$BIN" build --env staging >/dev/null 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "presetgen.yaml: error: no environment 'staging' under 'environments'" "$TMP/err" &&
	ok "an environment missing from presetgen.yaml is an error" ||
	notok "an environment missing from presetgen.yaml is an error" "exit $rc: $(cat "$TMP/err")"
# -C and --out relative to where presetgen runs
cd "$TMP" || exit 1
"$BIN" build -q -C site --out elsewhere
[ -f elsewhere/index.html ] && ok "-C DIR --out OUT writes OUT relative to the caller" || notok "-C DIR --out OUT writes OUT relative to the caller"
# summary line, quiet and the success exit code
out=$("$BIN" build -C site); rc=$?
echo "$out" | grep -Eq '^7 pages, 17 files, [0-9]+ bytes written to dist in [0-9.]+ s$' && [ $rc -eq 0 ] &&
	ok "build ends with one line: pages, files, bytes, seconds" || notok "build ends with one summary line" "$out"
[ -z "$("$BIN" build -q -C site 2>&1)" ] && ok "-q prints nothing" || notok "-q prints nothing"
# check writes nothing
rm -rf site/dist
out=$("$BIN" check -C site 2>&1); rc=$?
[ $rc -eq 0 ] && [ ! -e site/dist ] && ok "check succeeds and writes nothing" || notok "check succeeds and writes nothing" "$out"
# help and version
"$BIN" --version | grep -Eq '^presetgen [0-9]+\.[0-9]+\.[0-9]+$' && ok "--version" || notok "--version"
for c in build check render; do
	"$BIN" $c --help | grep -q "^usage: presetgen $c" && ok "$c --help" || notok "$c --help"
done
"$BIN" --help | grep -q '^usage: presetgen COMMAND' && ok "--help" || notok "--help"
# render with YAML data and partials from the template's directory
mkdir -p r && printf '{{#people}}{{> item}}{{/people}}' >r/list.mustache && printf -- '- {{name}}\n' >r/item.mustache
printf 'people:\n  - name: "<Ada>"\n  - name: Grace\n' >r/data.yaml
out=$("$BIN" render r/list.mustache --data r/data.yaml)
[ "$out" = "$(printf -- '- &lt;Ada&gt;\n- Grace')" ] && ok "render: YAML data, partials beside the template" || notok "render: YAML data, partials beside the template" "$out"
# a dynamic partial name from data cannot leave the partials directory
printf 'SECRET\n' >"$TMP/secret.mustache"
printf '{"p": "../secret"}' >r/evil.json
out=$("$BIN" render r/list.mustache --data r/evil.json --partials r 2>&1; printf '{{>*p}}' >r/dyn.mustache; "$BIN" render r/dyn.mustache --data r/evil.json --partials r/ 2>&1)
[ -z "$out" ] && ok "render: a dynamic name with ../ renders nothing" || notok "render: a dynamic name with ../ renders nothing" "$out"

# ---- bad inputs ----------------------------------------------------------
for c in "$HERE"/errors/*/; do
	c=${c%/}; name=$(basename "$c")
	[ "$name" = _base ] && continue
	rm -rf "$TMP/case" && cp -r "$HERE/errors/_base" "$TMP/case" && cp -r "$c"/. "$TMP/case/"
	rm -f "$TMP/case/cmd" "$TMP/case/rc" "$TMP/case/stderr"
	cmd=$(cat "$c/cmd"); want_rc=$(cat "$c/rc")
	# shellcheck disable=SC2086
	(cd "$TMP/case" && "$BIN" $cmd) >"$TMP/out" 2>"$TMP/err"
	rc=$?
	if [ $rc -ne "$want_rc" ]; then
		notok "error $name: exit $want_rc" "got exit $rc" "$(cat "$TMP/err")"
	elif ! diff -u "$c/stderr" "$TMP/err" >"$TMP/diff"; then
		notok "error $name: the exact message" "$(cat "$TMP/diff")"
	elif [ -e "$TMP/case/dist" ] || ls -A "$TMP/case" | grep -q '^\.dist\.tmp'; then
		notok "error $name: nothing written" "$(ls -A "$TMP/case")"
	else
		ok "error $name: exit $want_rc, exact message, nothing written"
	fi
done

# ---- content hashes: an edited image renames itself and what uses it -------
cd "$TMP" || exit 1
rm -rf h && cp -r "$HERE/golden/basic/site" h
"$BIN" build -q -C h --out "$TMP/h1"
printf 'changed' >>h/assets/img/dot.png
"$BIN" build -q -C h --out "$TMP/h2"
(cd "$TMP/h1" && find . -type f | sort) >"$TMP/names1"
(cd "$TMP/h2" && find . -type f | sort) >"$TMP/names2"
renamed=$(diff "$TMP/names1" "$TMP/names2" | grep '^<' | sed 's/^< .\/assets\///' | sed 's/\.[0-9a-f]\{16\}\./.*./' | sort | tr '\n' ' ')
if [ "$renamed" = "css/print.*.css css/site.*.css css/site.*.css.gz img/dot.*.png site.*.webmanifest " ] ||
   [ "$renamed" = "css/print.*.css css/site.*.css img/dot.*.png site.*.webmanifest " ]; then
	ok "an edited image renames exactly itself and the stylesheets and web app manifest that use it"
else
	notok "an edited image renames exactly itself and the stylesheets and web app manifest that use it" "renamed: $renamed"
fi
page=$(grep -o 'href="/assets/css/site\.[0-9a-f]*\.css" integrity="sha384-[^"]*"' "$TMP/h2/index.html")
css=$(ls "$TMP"/h2/assets/css/site.*.css)
sri="sha384-$(openssl dgst -sha384 -binary "$css" | openssl base64 -A)"
case "$page" in
*"$sri"*) ok "stylesheets carry integrity=sha384 of their exact bytes" ;;
*) notok "stylesheets carry integrity=sha384 of their exact bytes" "$page vs $sri" ;;
esac
grep -q "url(/assets/img/dot\.[0-9a-f]*\.png?v=1#x)" "$TMP"/h2/assets/css/print.*.css &&
	ok "CSS url() with a query keeps it on the hashed name" || notok "CSS url() with a query keeps it on the hashed name"
[ -f "$TMP/h2/favicon.ico" ] && [ -f "$TMP/h2/.well-known/apple-app-site-association" ] &&
	ok "static/ keeps its names (favicon.ico, .well-known/)" || notok "static/ keeps its names (favicon.ico, .well-known/)"
gzip -t "$TMP/h2/index.html.gz" 2>/dev/null && [ "$(gzip -dc "$TMP/h2/index.html.gz" | cmp - "$TMP/h2/index.html" && echo same)" = same ] &&
	ok ".gz siblings hold the same bytes" || notok ".gz siblings hold the same bytes"
cd "$TMP/site" 2>/dev/null || cd "$TMP" || exit 1

# ---- the man page documents every command and option -----------------------
MAN=$HERE/../../doc/presetgen.1
for c in build check render; do
	for opt in $("$BIN" $c --help | grep -Eo -- '--[a-z]+' | sort -u); do
		esc=$(printf '%s' "$opt" | sed 's/-/\\\\-/g')
		if grep -q -- "$esc" "$MAN"; then ok "man page: $c $opt"; else notok "man page: $c $opt"; fi
	done
done

#!/bin/sh
# Shows how the golden outputs and error messages would change, then
# rewrites them.   tests/e2e/regen.sh PRESETGEN
. "$(dirname "$0")/lib.sh"
e2e_setup regen "$1"
export TZ=America/New_York SOURCE_DATE_EPOCH=1773482400
for c in "$HERE"/golden/*/; do
	c=${c%/}
	src=$c/site
	[ -f "$c/site-from" ] && src=$HERE/golden/$(cat "$c/site-from")/site
	args=""
	[ -f "$c/args" ] && args=$(cat "$c/args")
	rm -rf "$TMP/site" && cp -r "$src" "$TMP/site"
	# shellcheck disable=SC2086
	(cd "$TMP/site" && "$BIN" build -q $args) || { echo "regen: $c does not build" >&2; exit 1; }
	diff -ruN "$c/expected" "$TMP/site/dist"
	rm -rf "$c/expected" && cp -r "$TMP/site/dist" "$c/expected"
done
for c in "$HERE"/errors/*/; do
	c=${c%/}
	[ "$(basename "$c")" = _base ] && continue
	rm -rf "$TMP/case" && cp -r "$HERE/errors/_base" "$TMP/case" && cp -r "$c"/. "$TMP/case/"
	rm -f "$TMP/case/cmd" "$TMP/case/rc" "$TMP/case/stderr"
	# shellcheck disable=SC2086
	(cd "$TMP/case" && "$BIN" $(cat "$c/cmd")) >/dev/null 2>"$TMP/err"
	diff -uN "$c/stderr" "$TMP/err"
	cp "$TMP/err" "$c/stderr"
done

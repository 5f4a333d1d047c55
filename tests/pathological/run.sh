#!/bin/sh
# Pathological inputs, in the manner of cmark's pathological_tests.py: each
# case must finish under a stated time, exit 0 or 1 with the message it
# states, and never crash (a crash, a sanitizer report or a timeout fails).
#   tests/pathological/run.sh PRESETGEN BENCHGEN
. "$(dirname "$0")/../e2e/lib.sh"
e2e_setup patho "$1"
GEN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
export SOURCE_DATE_EPOCH=1735689600
# outputs on tmpfs where there is one: 100,000 directories on these disks
# take 15 s of system time, on tmpfs 2
OUT=$TMP
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	OUT=$(mktemp -d /dev/shm/presetgen-patho.XXXXXX)
	trap 'rm -rf "$TMP" "$OUT"' EXIT
fi

# Runs a command with a time limit; sets rc, secs (wall, 0.01 s) and err.
timed() { # limit-seconds, command...
	limit=$1; shift
	start=$(date +%s%N)
	timeout -s KILL "$limit" "$@" >"$TMP/out" 2>"$TMP/err"
	rc=$?
	secs=$(( ($(date +%s%N) - start) / 10000000 ))
	err=$(head -c 600 "$TMP/err")
}

cs() { printf '%d.%02d' $(($1 / 100)) $(($1 % 100)); } # hundredths as seconds

# case name, limit, expected exit code, expected text in stderr (or ""), command...
case_() {
	name=$1 limit=$2 want=$3 text=$4; shift 4
	timed "$limit" "$@"
	t=$(cs "$secs")
	if [ "$rc" -ne "$want" ]; then
		notok "$name: exit $want within $limit s" "exit $rc after $t s: $err"
	elif [ -n "$text" ] && ! grep -qF -- "$text" "$TMP/err"; then
		notok "$name: says '$text'" "$err"
	else
		ok "$name: exit $rc in $t s (limit $limit s)"
	fi
}

# A site with one layout and no snapshot.
small_site() { # dir
	mkdir -p "$1/templates" "$1/content"
	printf 'site:\n  title: T\nenvironments:\n  production:\n    base_url: https://example.test\n' \
		>"$1/presetgen.yaml"
	printf '<!DOCTYPE html><html lang="en"><head><title>{{page.title}}</title></head><body>{{{page.content}}}</body></html>\n' \
		>"$1/templates/page.mustache"
}

# ---- 40,000 rows with a bad integer each -----------------------------------
default_site "$TMP/site"
for rows in 10000 40000; do
	"$GEN" $rows | awk -F'\t' 'BEGIN { OFS = "\t" }
		/^COPY public.gigs / { g = 1; print; next }
		/^\\\.$/ { g = 0 }
		g && NF > 10 { $11 = "x" $11 }
		{ print }' >"$TMP/bad-$rows.sql"
done
best() { # rows: the best of three runs, in 0.01 s
	b=999999
	for r in 1 2 3; do
		timed 20 "$BIN" check -C "$TMP/site" --snapshot "$TMP/bad-$1.sql"
		[ "$secs" -lt "$b" ] && b=$secs
	done
	echo "$b"
}
t10=$(best 10000)
t40=$(best 40000)
timed 20 "$BIN" check -C "$TMP/site" --snapshot "$TMP/bad-40000.sql"
shown=$(grep -c "error: table 'gigs', column 'max_applicants': expected an integer" "$TMP/err")
[ "$rc" -eq 1 ] && [ "$shown" -eq 100 ] &&
	grep -q "bad-40000.sql: note: 35900 more errors in this file were not shown" "$TMP/err" &&
	ok "40,000 bad rows: 100 errors with file:line:col, then how many more (exit $rc)" ||
	notok "40,000 bad rows: 100 errors with file:line:col, then how many more" "exit $rc, $shown shown" "$(tail -2 "$TMP/err")"
# a floor of 0.1 s for the ratio: below that, the clock's noise is the measure
floor=$t10
[ "$floor" -lt 10 ] && floor=10
[ "$t40" -lt 200 ] && [ "$t40" -le $((6 * floor)) ] &&
	ok "40,000 bad rows: check takes $(cs $t40) s, 10,000 take $(cs $t10) s (under 2 s, at most 6 times)" ||
	notok "40,000 bad rows: check under 2 s and at most 6 times 10,000's" "40,000: $(cs $t40) s, 10,000: $(cs $t10) s"

# ---- templates nested 10,000 deep ----------------------------------------------
small_site "$TMP/deep"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "{{#page}}"; printf "x";
	     for (i = 0; i < 10000; i++) printf "{{/page}}"; print "" }' >"$TMP/deep/templates/page.mustache"
printf -- '---\ntitle: a\n---\nbody\n' >"$TMP/deep/content/index.md"
case_ "sections nested 10,000 deep in a layout" 5 1 "sections nest more than 1000 levels deep" \
	"$BIN" build -C "$TMP/deep" --out "$OUT/deep"
awk 'BEGIN { for (i = 0; i < 10000; i++) printf "{{#a}}"; printf "x";
	     for (i = 0; i < 10000; i++) printf "{{/a}}"; print "" }' >"$TMP/deep.mustache"
case_ "sections nested 10,000 deep, rendered" 5 1 "sections nest more than 1000 levels deep" \
	"$BIN" render "$TMP/deep.mustache"
# 999 sections in each of 30 partials, each including the next: 30,000 deep
mkdir -p "$TMP/chain"
for i in $(seq 0 29); do
	awk -v n=$((i + 1)) 'BEGIN { for (k = 0; k < 999; k++) printf "{{#a}}"; printf "{{>q%d}}", n;
		for (k = 0; k < 999; k++) printf "{{/a}}"; print "" }' >"$TMP/chain/q$i.mustache"
done
echo leaf >"$TMP/chain/q30.mustache"
echo '{"a": {"a": true}}' >"$TMP/a.json"
case_ "partials of 999 sections each, 30 deep" 5 1 "sections and partials nest more than 5000 levels deep" \
	"$BIN" render "$TMP/chain/q0.mustache" --data "$TMP/a.json"
# each partial includes the next twice: 2^40 expansions
mkdir -p "$TMP/bomb"
for i in $(seq 0 39); do printf '{{>p%d}}{{>p%d}}' $((i + 1)) $((i + 1)) >"$TMP/bomb/p$i.mustache"; done
echo leaf >"$TMP/bomb/p40.mustache"
case_ "partials that each include the next twice (2^40)" 5 1 "partials are expanded more than 1000000 times" \
	"$BIN" render "$TMP/bomb/p0.mustache"

# ---- YAML alias bombs ----------------------------------------------------------
yaml_bomb() { # key: a billion laughs in YAML, under key
	echo "a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"
	for i in $(seq 1 9); do
		printf 'a%d: &a%d [' $i $i
		for k in 1 2 3 4 5 6 7 8 9; do printf '*a%d, ' $((i - 1)); done
		printf '*a%d]\n' $((i - 1))
	done
	echo "$1: *a9"
}
small_site "$TMP/laughs"
{ echo "---"; echo "title: lol"; echo "params:"; yaml_bomb bomb | sed 's/^/  /'; echo "---"; echo "body"; } \
	>"$TMP/laughs/content/index.md"
case_ "a billion laughs in front matter params" 10 1 "YAML expands to more than 1000000 nodes" \
	"$BIN" build -C "$TMP/laughs" --out "$OUT/laughs"
yaml_bomb data >"$TMP/laughs.yaml"
echo '{{#data}}{{.}}{{/data}}' >"$TMP/l.mustache"
case_ "a billion laughs as render --data" 10 1 "YAML expands to more than 1000000 nodes" \
	"$BIN" render "$TMP/l.mustache" --data "$TMP/laughs.yaml"
small_site "$TMP/cfgbomb"
{ cat "$TMP/cfgbomb/presetgen.yaml"; yaml_bomb snapshots; } >"$TMP/cfgbomb/p.yaml"
mv "$TMP/cfgbomb/p.yaml" "$TMP/cfgbomb/presetgen.yaml"
case_ "a billion laughs in presetgen.yaml" 10 1 "presetgen.yaml:" \
	"$BIN" build -C "$TMP/cfgbomb" --out "$OUT/cfgbomb"
# 100,000 distinct keys in one mapping
small_site "$TMP/keys"
{ echo "---"; echo "params:"; awk 'BEGIN { for (i = 0; i < 100000; i++) printf "  k%d: %d\n", i, i }';
  echo "---"; echo "body"; } >"$TMP/keys/content/index.md"
case_ "front matter params with 100,000 keys" 10 0 "" \
	"$BIN" build -q -C "$TMP/keys" --out "$OUT/keys"

# ---- a 10 MB line ----------------------------------------------------------------
small_site "$TMP/line"
awk 'BEGIN { printf "---\ntitle: long\n---\n"; for (i = 0; i < 1000000; i++) printf "word%05d ", i % 100000; print "" }' \
	>"$TMP/line/content/index.md"
case_ "a content page of one 10 MB line" 20 0 "" "$BIN" build -q -C "$TMP/line" --out "$OUT/line"
awk 'BEGIN { for (i = 0; i < 500000; i++) printf "<b>{{page.title}}</b> "; print "" }' \
	>"$TMP/line/templates/page.mustache"
case_ "a layout of one 10 MB line with 500,000 tags" 20 0 "" "$BIN" build -q -C "$TMP/line" --out "$OUT/line"
# the bad value at the end of a 10 MB row: its column is counted once
mkdir -p "$TMP/site/data"
"$GEN" 100 | awk -F'\t' 'BEGIN { OFS = "\t" }
	/^COPY public.gigs / { g = 1; print; next }
	/^\\\.$/ { g = 0 }
	g && NF > 10 && !done { done = 1; $11 = "x"; $14 = "PUBLISHED"
		for (f = 1; f <= NF; f++) {
			if (f == 4)
				for (i = 0; i < 1000000; i++) printf "0123456789"
			else
				printf "%s", $f
			printf "%s", f < NF ? "\t" : "\n"
		}
		next }
	{ print }' >"$TMP/line.sql"
case_ "a bad value after a 10 MB field in a dump" 20 1 "expected an integer, found 'x'" \
	"$BIN" check -C "$TMP/site" --snapshot "$TMP/line.sql"

# ---- 100,000 tiny files -------------------------------------------------------------
small_site "$TMP/tiny"
awk -v d="$TMP/tiny/content" 'BEGIN { for (i = 0; i < 100000; i++) {
	f = sprintf("%s/p%06d.md", d, i); printf "# Page %d\n\nHello.\n", i >f; close(f) } }'
case_ "100,000 tiny content pages" 60 0 "" "$BIN" build -q -C "$TMP/tiny" --out "$OUT/tiny"
pages=$(find "$OUT/tiny" -name index.html | wc -l)
[ "$pages" -eq 100000 ] && ok "100,000 tiny content pages: 100,000 pages written" ||
	notok "100,000 tiny content pages: 100,000 pages written" "$pages"

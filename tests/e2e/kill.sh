#!/bin/sh
# Nothing left behind: builds of the 10,000-gig benchmark snapshot killed
# with SIGTERM or SIGINT at 20 moments, from the first milliseconds to after
# the swap. After each, the output is the previous bundle byte for byte (or
# the whole new one, when the kill came after the swap), no staging
# directory or temporary archive remains, and the exit status is the
# signal's (or 0 for a build that finished).
#   tests/e2e/kill.sh PRESETGEN BENCHGEN
. "$(dirname "$0")/lib.sh"
e2e_setup kill "$1"
GEN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
export SOURCE_DATE_EPOCH=1735689600

default_site "$TMP/site"
"$GEN" 10000 >"$TMP/gigs.sql"
cd "$TMP/site" || exit 1
# on tmpfs where there is one: these disks take 10 s for what tmpfs does in 2
OUT=$TMP/out
if [ -d /dev/shm ] && [ -w /dev/shm ]; then
	OUT=$(mktemp -d /dev/shm/presetgen-kill.XXXXXX)
	trap 'rm -rf "$TMP" "$OUT"' EXIT
fi
# two bundles that differ in every page: production and staging
build() { # env
	exec "$BIN" build -q --no-gzip --env "$1" --snapshot "$TMP/gigs.sql" --out "$OUT/dist" \
		--archive "$OUT/bundle.tar.gz"
}
mkdir -p "$OUT"
(build staging) || notok "the staging bundle builds"
want_staging=$(tree_digest "$OUT/dist")
start=$(date +%s%N)
(build production) || notok "the production bundle builds"
took=$(( ($(date +%s%N) - start) / 1000000 ))
want_production=$(tree_digest "$OUT/dist")
[ "$want_staging" != "$want_production" ] || notok "the two bundles differ"

current=production
kept=0 swapped=0 failed=0
for i in $(seq 1 20); do
	next=staging
	[ $current = staging ] && next=production
	sig=TERM
	[ $((i % 2)) = 0 ] && sig=INT
	# from 2% to 125% of a build's time, so that some kills come after the swap
	ms=$(( took * (i * 25 - 20) / 400 ))
	(build $next) &
	pid=$!
	sleep "$(printf '%d.%03d' $((ms / 1000)) $((ms % 1000)))"
	kill -s $sig $pid 2>/dev/null
	wait $pid 2>/dev/null
	rc=$?
	got=$(tree_digest "$OUT/dist")
	eval want_current=\$want_$current
	eval want_next=\$want_$next
	left=$(ls -A "$OUT" | grep -v '^dist$' | grep -v '^bundle.tar.gz$')
	if [ -n "$left" ]; then
		failed=$((failed + 1))
		notok "kill $i (SIG$sig after $ms ms): nothing left behind" "left: $left"
	elif [ "$got" = "$want_current" ] && [ $rc -ne 0 ]; then
		kept=$((kept + 1))
		ok "kill $i (SIG$sig after $ms ms): exit $rc, the previous bundle is untouched"
	elif [ "$got" = "$want_next" ]; then
		swapped=$((swapped + 1))
		current=$next
		ok "kill $i (SIG$sig after $ms ms): exit $rc, the new bundle is whole"
	else
		failed=$((failed + 1))
		notok "kill $i (SIG$sig after $ms ms): the output is one of the two bundles" \
			"exit $rc, digest $got, expected $want_current or $want_next"
	fi
done
echo "# a build takes $took ms; $kept kills left the previous bundle, $swapped came after the swap"
[ $kept -ge 10 ] && ok "most kills came before the swap ($kept of 20)" ||
	notok "most kills came before the swap ($kept of 20)"

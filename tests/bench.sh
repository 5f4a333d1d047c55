#!/bin/sh
# make bench: builds the default site from synthetic snapshots of 1,000,
# 10,000 and 100,000 gigs, each from scratch, with the output on disk and on
# tmpfs (/dev/shm), with .gz siblings and without (tmpfs-nogz: rendering
# and writing alone), and prints pages, bytes, seconds, pages per second and
# peak memory. Each case runs RUNS times (default 3): the machines are
# shared, so the best and the median are printed. A benchmark, not a test.
#   tests/bench.sh BUILDDIR [N...]
set -eu
B=$1; shift
SIZES=${*:-1000 10000 100000}
BIN=$(pwd)/$B/presetgen
W=$(pwd)/$B/bench
mkdir -p "$W"
rm -rf "$W/site" && mkdir -p "$W/site"
cp -r templates content assets presetgen.yaml "$W/site/"
# every deadline is after this, so the listings hold every published gig
export SOURCE_DATE_EPOCH=1735689600 LC_ALL=C
TIME=/usr/bin/time
[ -x "$TIME" ] || { echo "bench: /usr/bin/time is missing (apt-get install time)" >&2; exit 1; }
RUNS=${RUNS:-3}
printf '%-8s %-10s %8s %12s %9s %9s %10s %9s\n' gigs output pages bytes "best s" "median s" \
	"pages/s" "peak MiB"
for n in $SIZES; do
	snap=$W/gigs-$n.sql
	[ -s "$snap" ] || "$B/benchgen" "$n" >"$snap"
	for where in disk tmpfs tmpfs-nogz; do
		extra=""
		case $where in
		disk) out=$W/out ;;
		tmpfs) out=/dev/shm/presetgen-bench ;;
		tmpfs-nogz) out=/dev/shm/presetgen-bench; extra=--no-gzip ;;
		esac
		: >"$W/runs"
		for r in $(seq "$RUNS"); do
			rm -rf "$out"
			sync
			"$TIME" -f '%e %M' -o "$W/time" "$BIN" build -q $extra -C "$W/site" --snapshot "$snap" --out "$out"
			cat "$W/time" >>"$W/runs"
		done
		pages=$(find "$out" -name '*.html' | wc -l)
		bytes=$(du -sb "$out" | cut -f1)
		sort -n "$W/runs" | awk -v n="$n" -v w="$where" -v p="$pages" -v b="$bytes" '
			{ s[NR] = $1; if ($2 > k) k = $2 }
			END { best = s[1]; med = s[int((NR + 1) / 2)];
			      printf "%-8s %-10s %8d %12d %9.2f %9.2f %10.0f %9.1f\n", n, w, p, b, best, med,
				     (best > 0 ? p / best : 0), k / 1024 }'
		rm -rf "$out"
	done
done

# presetgen mobile: the app's full icon set (--native included) against
# the time Expo's own @expo/image-utils (through @expo/prebuild-config's
# icon code, its cache emptied each run) takes for the same set
R=$W/mobile
rm -rf "$R" && mkdir -p "$R" && cp -r app.json eas assets presetgen.yaml "$R/"
: >"$W/icons"
for r in $(seq "$RUNS"); do
	"$BIN" mobile -C "$R" --native --out rel | sed -n 's/.*icons in \([0-9]*\) ms, all in \([0-9]*\) ms.*/\1 \2/p' >>"$W/icons"
done
if command -v node >/dev/null 2>&1 && [ -d tests/expo/node_modules/@expo/image-utils ]; then
	: >"$W/expo"
	for r in $(seq "$RUNS"); do
		rm -rf "$R/expo"
		node tests/expo/check.js time "$R/expo" "$R/assets/app/icon.png" \
			"$R/assets/app/icon-foreground.png" "$R/assets/app/icon-foreground.png" "#00876f" Preset >>"$W/expo"
	done
	expo=$(sort -n "$W/expo" | head -1 | awk '{ printf "%.0f ms", $1 }')
else
	expo="(not measured: make check installs tests/expo)"
fi
files=$(find "$R/rel" -type f | wc -l)
pngs=$(find "$R/rel" -type f \( -name '*.png' -o -name '*.webp' \) | wc -l)
sort -n "$W/icons" | head -1 | awk -v e="$expo" -v f="$files" -v p="$pngs" '{
	printf "\nmobile icon set (--native: %d files, %d images): presetgen %d ms (whole command %d ms); @expo/image-utils %s\n", f, p, $1, $2, e }'

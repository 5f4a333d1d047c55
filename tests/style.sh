#!/bin/sh
# The shape the architecture asks for: no file of the core over 600 lines,
# no function over 80 lines unless the comment just above it gives the
# reason ("Long because ..."). One TAP line per file.
#   tests/style.sh
cd "$(dirname "$0")/.." || exit 1
n=0
for f in src/*/*.c src/*/*.h src/*.c; do
	n=$((n + 1))
	lines=$(wc -l <"$f")
	long=$(awk '
		/^\/\*/ { incomment = 1; reason = 0 }
		incomment && /Long because/ { reason = 1 }
		incomment && /\*\// { incomment = 0; comment_end = NR; comment_reason = reason }
		/^[a-z_].*\(/ && !/;$/ && !incomment {
			name = $0; ok = (comment_end == NR - 1 && comment_reason) }
		/^\{/ { open = NR }
		/^\}/ && open {
			if (NR - open - 1 > 80 && !ok)
				printf "%s (%d lines); ", name, NR - open - 1
			open = 0 }' "$f")
	if [ "$lines" -gt 600 ]; then
		echo "not ok $n - $f: $lines lines (at most 600)"
	elif [ -n "$long" ]; then
		echo "not ok $n - $f: functions over 80 lines with no reason given: $long"
	else
		echo "ok $n - $f: $lines lines, no long function without a reason"
	fi
done

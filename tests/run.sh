#!/bin/sh
# Runs every test suite, then again under ASan and UBSan, and ends with one
# line "N passed, N failed".   tests/run.sh BUILDDIR
set -u
B=$1
SPEC=../shared/conformance/mustache
LOG=$B/test.log
: >"$LOG"
pass=0
fail=0

suite() { # name, command...
	name=$1; shift
	out=$("$@" 2>&1)
	rc=$?
	p=$(printf '%s\n' "$out" | grep -c '^ok ')
	f=$(printf '%s\n' "$out" | grep -c '^not ok ')
	printf '%s\n' "$out" >>"$LOG"
	if [ "$rc" -ne 0 ] && [ "$f" -eq 0 ]; then
		# a crash or a sanitizer report: count it as a failure
		f=1
		printf 'not ok - %s exited %s\n' "$name" "$rc" >>"$LOG"
	fi
	pass=$((pass + p))
	fail=$((fail + f))
	printf '%-28s %4d passed, %d failed\n' "$name" "$p" "$f"
	if [ "$f" -ne 0 ]; then
		printf '%s\n' "$out" | grep -A8 '^not ok' | head -60
		[ "$rc" -ne 0 ] && printf '%s\n' "$out" | tail -20
	fi
	if printf '%s\n' "$out" | grep -q '^# skipped'; then
		printf '%s\n' "$out" | grep '^# skipped'
	fi
}

export CMOCKA_MESSAGE_OUTPUT=TAP
# the library test compares its builds with the program's
PRESETGEN=$(pwd)/$B/presetgen
export PRESETGEN
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:exitcode=99
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1:exitcode=98
for variant in "" asan; do
	if [ -n "$variant" ]; then
		tests=$B/tests-asan; bin=$B/asan/presetgen; spec=$B/asan/mustache-spec; tag=" (asan+ubsan)"
	else
		tests=$B/tests; bin=$B/presetgen; spec=$B/mustache-spec; tag=""
	fi
	for t in "$tests"/test_*; do
		case $t in *.d) continue ;; esac
		suite "$(basename "$t")$tag" "$t"
	done
	suite "mustache spec$tag" "$spec" "$SPEC" "$bin"
	suite "end to end$tag" sh tests/e2e/run.sh "$bin"
	suite "snapshots$tag" env SKIP_CHROMIUM="$variant" sh tests/e2e/snapshots.sh "$bin" "$B/snapshot-facts"
	suite "bundle$tag" sh tests/e2e/bundle.sh "$bin"
	suite "routing and slugs$tag" sh tests/e2e/routing.sh "$bin"
	suite "mobile$tag" sh tests/e2e/mobile.sh "$bin"
	if [ -n "$tag" ]; then
		suite "serve$tag" env SERVE_EDITS=40 SERVE_ROUNDS=150 SERVE_RSS=0 sh tests/e2e/serve.sh "$bin"
	else
		suite "serve$tag" sh tests/e2e/serve.sh "$bin"
	fi
	suite "pathological$tag" sh tests/pathological/run.sh "$bin" "$B/benchgen"
	# the W3C checker looks at output, which is the same in both builds;
	# killing builds tests the signal path, which ASan does not change
	if [ -z "$variant" ]; then
		suite "html (W3C Nu checker)" sh tests/e2e/html.sh "$bin"
		suite "accessibility (axe-core)" sh tests/e2e/axe.sh "$bin"
		suite "kill (SIGTERM, SIGINT)" sh tests/e2e/kill.sh "$bin" "$B/benchgen"
	fi
done
# the shape of the source: file and function lengths
suite "source shape" sh tests/style.sh
# two builds in one process, from two threads, under ThreadSanitizer
export TSAN_OPTIONS=halt_on_error=1:exitcode=97
for t in "$B"/tests-tsan/test_*; do
	case $t in *.d) continue ;; esac
	suite "$(basename "$t") (tsan)" "$t"
done
echo "full log: $LOG"
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]

set -u

# What the end-to-end scripts share; each starts with
#   . "$(dirname "$0")/lib.sh"
#   e2e_setup NAME PRESETGEN
# and prints one TAP line per check ("ok N - ..." / "not ok N - ...").

# BIN (absolute), HERE (tests/e2e), ROOT (the repository), TMP (removed on
# exit), a C locale, and the count of checks.
e2e_setup() { # name, presetgen
	BIN=$(cd "$(dirname "$2")" && pwd)/$(basename "$2")
	HERE=$(cd "$(dirname "$0")" && pwd)
	ROOT=$(cd "$HERE/../.." && pwd)
	TMP=$(mktemp -d "/tmp/presetgen-$1.XXXXXX")
	trap 'rm -rf "$TMP"' EXIT
	export LC_ALL=C
	n=0
}

ok() { n=$((n + 1)); echo "ok $n - $1"; }
notok() { n=$((n + 1)); echo "not ok $n - $1"; shift; for l in "$@"; do echo "#   $l"; done; }

check() { # description, then a command that must succeed
	d=$1; shift
	if "$@" >"$TMP/check.out" 2>&1; then ok "$d"; else notok "$d" "$(head -c 2000 "$TMP/check.out")"; fi
}

absent() { # description, dir, strings...
	d=$1; dir=$2; shift 2
	for s in "$@"; do
		hit=$(grep -rlF -- "$s" "$dir" | head -1)
		if [ -n "$hit" ]; then notok "$d" "'$s' is in $hit"; return; fi
	done
	ok "$d"
}

# The default site of this repository, copied to DIR.
default_site() { # dir
	mkdir -p "$1" && cp -r "$ROOT/templates" "$ROOT/content" "$ROOT/assets" \
		"$ROOT/presetgen.yaml" "$1/"
	[ -d "$ROOT/static" ] && cp -r "$ROOT/static" "$1/"
	return 0
}

# One line that names a tree's files and their bytes.
tree_digest() { # dir
	(cd "$1" && find . -type f | LC_ALL=C sort | xargs -d '\n' sha256sum | sha256sum | cut -c1-16)
}

#!/bin/sh
# presetgen mobile on this repository's app: the release folder committed
# here is what presetgen makes (--check); every build and submit profile of
# eas.json, for each environment, is read by EAS's own @expo/eas-json and
# every app.json by Expo's @expo/config with no warning; --bump build twice
# raises versionCode by two and touches nothing else; a second run changes
# no byte; --native's icons have the names, sizes and colour types Expo's
# prebuild writes for the same sources (@expo/prebuild-config, run here).
#   tests/e2e/mobile.sh PRESETGEN
. "$(dirname "$0")/lib.sh"
e2e_setup mobile "$1"
EXPO=$ROOT/tests/expo/check.js

app_repo() { # dir: what presetgen mobile reads, and the committed release
	mkdir -p "$1" && cp -r "$ROOT/app.json" "$ROOT/eas" "$ROOT/assets" "$ROOT/presetgen.yaml" \
		"$ROOT/release" "$1/"
}

app_repo "$TMP/repo"
cd "$TMP/repo" || exit 1

# ---- the committed release is what presetgen mobile makes -------------------------
check "the committed release/ is up to date (presetgen mobile --native --check)" \
	"$BIN" mobile --native --check -q

# ---- Expo's and EAS's own readers --------------------------------------------------
if ! command -v node >/dev/null 2>&1 || [ ! -d "$ROOT/tests/expo/node_modules/@expo/eas-json" ]; then
	echo "# skipped: node or tests/expo/node_modules missing (make check installs them)"
else
	# staging's values come from the environment only
	export PRESET_SUPABASE_URL=https://stage.supabase.co PRESET_SUPABASE_ANON_KEY=anon \
		PRESET_POSTHOG_KEY=phc_s PRESET_SENTRY_DSN=https://k@o1.ingest.sentry.io/3
	for profile in development preview production; do
		out=$TMP/out-$profile
		if "$BIN" mobile -q --profile "$profile" --out "rel-$profile" 2>"$TMP/err"; then
			cp -r "rel-$profile" "$out"
			printf '{"name":"preset","version":"1.0.0","private":true,"dependencies":{"expo":"~56.0.23","expo-splash-screen":"~56.0.15","expo-router":"~6.0.0"}}\n' >"$out/package.json"
			check "eas.json ($profile release): every build and submit profile, for android and ios, read by @expo/eas-json" \
				node "$EXPO" eas "$out"
			check "app.json ($profile release): read by @expo/config with no warning, every key one SDK 56 knows" \
				node "$EXPO" config "$out"
		else
			notok "presetgen mobile --profile $profile" "$(cat "$TMP/err")"
		fi
	done
	node "$EXPO" eas "$TMP/out-preview" >"$TMP/eas.txt" 2>&1
	if grep -q '^build preview android: .*"distribution":"internal".*"channel":"preview","environment":"preview","buildType":"apk"' "$TMP/eas.txt" &&
	   grep -q '^build production android: .*"distribution":"store".*"buildType":"app-bundle"' "$TMP/eas.txt" &&
	   grep -q '^build development ios: .*"developmentClient":true' "$TMP/eas.txt" &&
	   grep -q '^cli: {.*"appVersionSource":"local"}' "$TMP/eas.txt"; then
		ok "EAS resolves development (dev client, internal), preview (internal APK), production (store app bundle), appVersionSource local"
	else
		notok "EAS resolves the three kinds of profile" "$(cat "$TMP/eas.txt")"
	fi
	# the staging values: from the environment, and what is missing is an error
	"$BIN" mobile -q --profile preview --out rel-s 2>"$TMP/err"
	if grep -q '"supabaseUrl": "https://stage.supabase.co"' rel-s/app.json &&
	   grep -q '"apiUrl": "https://api.staging.preset.ie"' rel-s/app.json; then
		ok "extra holds the staging values for a preview release"
	else
		notok "extra holds the staging values for a preview release" "$(cat "$TMP/err")"
	fi
	rm -rf rel-s
	unset PRESET_SUPABASE_URL PRESET_SUPABASE_ANON_KEY PRESET_POSTHOG_KEY PRESET_SENTRY_DSN
	"$BIN" mobile -q --env staging --out rel-s 2>"$TMP/err"
	rc=$?
	if [ $rc -eq 1 ] && grep -q "^presetgen.yaml:[0-9]*:[0-9]*: error: PRESET_SUPABASE_URL is not set and environments.staging.public.supabaseUrl has no default" "$TMP/err" &&
	   [ ! -e rel-s ]; then
		ok "a public value missing from the environment fails the release, naming the variable; nothing written"
	else
		notok "a missing public value fails the release" "exit $rc: $(cat "$TMP/err")"
	fi

	# ---- the icons Expo's prebuild writes for the same sources ------------------
	node "$EXPO" prebuild "$TMP/prebuild" "$TMP/repo/assets/app/icon.png" \
		"$TMP/repo/assets/app/icon-foreground.png" "$TMP/repo/assets/app/icon-foreground.png" \
		"#00876f" Preset >"$TMP/err" 2>&1
	node "$EXPO" describe "$TMP/prebuild" | grep -v '^\.expo/' >"$TMP/theirs.txt"
	node "$EXPO" describe release | grep -E '^(android|ios)/' >"$TMP/ours.txt"
	if [ -s "$TMP/ours.txt" ] && cmp -s "$TMP/theirs.txt" "$TMP/ours.txt"; then
		ok "--native: $(wc -l <"$TMP/ours.txt") icons with the names, sizes and colour types @expo/prebuild-config writes"
	else
		notok "--native icons as prebuild writes them" "$(diff "$TMP/theirs.txt" "$TMP/ours.txt" | head -20) $(head -5 "$TMP/err")"
	fi
	bad=""
	for f in android/app/src/main/res/mipmap-anydpi-v26/ic_launcher.xml \
		android/app/src/main/res/mipmap-anydpi-v26/ic_launcher_round.xml \
		ios/Preset/Images.xcassets/AppIcon.appiconset/Contents.json; do
		cmp -s "$TMP/prebuild/$f" "release/$f" || bad="$bad $f"
	done
	if [ -z "$bad" ]; then
		ok "--native: the adaptive icon XML and the iOS Contents.json are byte for byte prebuild's"
	else
		notok "--native: the adaptive icon XML and the iOS Contents.json as prebuild writes them" "$bad"
	fi
fi

# ---- numbers: --bump build twice -------------------------------------------------
cp app.json "$TMP/app.before"
"$BIN" mobile -q --bump build && "$BIN" mobile -q --bump build
sed -e 's/"versionCode": 12/"versionCode": 14/' -e 's/"buildNumber": "1"/"buildNumber": "3"/' \
	"$TMP/app.before" >"$TMP/app.want"
if cmp -s app.json "$TMP/app.want" && grep -q '"versionCode": 14' eas/ledger.json &&
   grep -q '"versionCode": 14' release/app.json; then
	ok "--bump build twice: versionCode 12 -> 14, buildNumber 1 -> 3, nothing else in app.json changed"
else
	notok "--bump build twice" "$(diff "$TMP/app.want" app.json)"
fi
check "--check passes right after a run" "$BIN" mobile --check -q
sed 's/"slug": "preset"/"slug": "preset-app"/' release/app.json >"$TMP/x" && cp "$TMP/x" release/app.json
"$BIN" mobile --check >"$TMP/diff" 2>"$TMP/err"
rc=$?
if [ $rc -eq 1 ] && grep -q '^-    "slug": "preset-app",$' "$TMP/diff" && grep -q '^+    "slug": "preset",$' "$TMP/diff" &&
   grep -q "1 file of release differs" "$TMP/err"; then
	ok "--check fails after a hand edit of release/app.json, with a readable diff"
else
	notok "--check fails after a hand edit" "exit $rc: $(cat "$TMP/diff" "$TMP/err")"
fi

# ---- a second run changes no byte -------------------------------------------------
"$BIN" mobile -q --native
d1=$(tree_digest release)
"$BIN" mobile -q --native
d2=$(tree_digest release)
"$BIN" mobile -q --native -j 1
d3=$(tree_digest release)
if [ "$d1" = "$d2" ] && [ "$d2" = "$d3" ]; then
	ok "a second run (and one with one thread) makes byte-identical files"
else
	notok "a second run makes byte-identical files" "$d1 $d2 $d3"
fi

# ---- nothing written on error; a bad option is a usage error ------------------------
cp -r release "$TMP/release.before"
sed 's/"ie.preset.app"/"ie.preset.new"/' app.json >"$TMP/x" && cp "$TMP/x" app.json
"$BIN" mobile -q 2>"$TMP/err"
rc=$?
if [ $rc -eq 1 ] && diff -r release "$TMP/release.before" >/dev/null &&
   grep -q "app.json:[0-9]*:[0-9]*: error: expo.android.package: 'new' is a Java keyword" "$TMP/err"; then
	ok "an error exits 1, names file, line and column, and leaves the release as it was"
else
	notok "an error leaves the release as it was" "exit $rc: $(cat "$TMP/err")"
fi
"$BIN" mobile --bump sideways 2>"$TMP/err"
rc=$?
if [ $rc -eq 2 ] && grep -q "bump takes major, minor, patch or build, not 'sideways'" "$TMP/err"; then
	ok "--bump sideways is a usage error (exit 2)"
else
	notok "--bump sideways is a usage error" "exit $rc: $(cat "$TMP/err")"
fi

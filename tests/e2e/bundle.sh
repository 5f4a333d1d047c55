#!/bin/sh
# Bundle tests: vercel.json validated by Vercel's routing-utils with the
# headers that pages, hashed assets, the feed and a missing page receive;
# byte-identical archives; secrets never written; public values embedded.
#   tests/e2e/bundle.sh PRESETGEN
. "$(dirname "$0")/lib.sh"
e2e_setup bundle "$1"
export SOURCE_DATE_EPOCH=1760616000

mkdir -p "$TMP/site" && cp -r "$ROOT/templates" "$ROOT/content" "$ROOT/assets" "$ROOT/presetgen.yaml" "$TMP/site/"
cd "$TMP/site" || exit 1
"$BIN" build -q --archive "$TMP/a1.tar.gz" 2>/dev/null
"$BIN" build -q -j 1 --archive "$TMP/a2.tar.gz" --out "$TMP/dist2" 2>/dev/null
"$BIN" build -q --archive "$TMP/a1.zip" --out "$TMP/dist3" 2>/dev/null
"$BIN" build -q -j 1 --archive "$TMP/a2.zip" --out "$TMP/dist4" 2>/dev/null

# ---- vercel.json with Vercel's own routing-utils ----------------------------
CHECK=$ROOT/tests/vercel/check.js
if [ ! -d "$ROOT/tests/vercel/node_modules/@vercel/routing-utils" ] || ! command -v node >/dev/null; then
	notok "vercel.json: routing-utils is installed" "make check runs npm ci in tests/vercel"
else
	css=$(cd dist && ls assets/css/*.css)
	node "$CHECK" dist/vercel.json \
		"/$css=Cache-Control:public, max-age=31536000, immutable" \
		"/gigs/=Cache-Control:public, max-age=0, must-revalidate" \
		"/gigs/=Content-Security-Policy:script-src 'self';" \
		"/gigs/=X-Content-Type-Options:nosniff" \
		"/=Referrer-Policy:strict-origin-when-cross-origin" \
		"/=Permissions-Policy:camera=(), microphone=(), geolocation=()" \
		"/feed.xml=Content-Type:application/atom+xml" \
		"/feed.xml=Cache-Control:max-age=0" \
		"/sitemap.xml=Cache-Control:max-age=0" \
		"/assets/manifest.json=Cache-Control:max-age=0" \
		"/no/such/page/=X-Frame-Options:DENY" \
		"/u/aoife_b/->308 /u/aoife_byrne/" \
		"/u/cian/->308 /u/cian_shoots/" \
		"/u/aoife_b->308 /u/aoife_b/" \
		"/u/gracenolan/=Cache-Control:max-age=0" |
		sed 's/^ok [0-9]* - /ok - /; s/^not ok [0-9]* - /not ok - /' >"$TMP/v"
	while IFS= read -r line; do
		case "$line" in
		"ok - "*) ok "${line#ok - }" ;;
		"not ok - "*) notok "${line#not ok - }" ;;
		*) echo "$line" ;;
		esac
	done <"$TMP/v"
fi

# ---- presetgen check on the built bundle -----------------------------------
out=$("$BIN" check --bundle dist 2>&1); rc=$?
[ $rc -eq 0 ] && ok "check --bundle: every page parses, every link and asset resolves ($out)" ||
	notok "check --bundle finds no error in the default site" "$out"
cp -r dist "$TMP/broken"
printf '<!DOCTYPE html><html><head><title>x</title></head><body>\n<a href="/nope/">x</a>\n<img src="/assets/img/gone.png" alt=""></body></html>\n' >"$TMP/broken/bad.html"
printf '<feed><entry></feed>\n' >"$TMP/broken/feed.xml"
printf '{"icons": [{"src": "/assets/img/icon-512.png", "sizes": "512x512"}]}\n' >"$TMP/broken/assets/bad.webmanifest"
"$BIN" check --bundle "$TMP/broken" 2>"$TMP/err"; rc=$?
if [ $rc -eq 1 ] && grep -q "bad.html:2: error: the link '/nope/' resolves to no file of the bundle" "$TMP/err" &&
   grep -q "bad.html:3: error: the link '/assets/img/gone.png'" "$TMP/err" &&
   grep -q "feed.xml:1:[0-9]*: error: XML: Opening and ending tag mismatch" "$TMP/err" &&
   grep -q "bad.webmanifest: error: the icon '/assets/img/icon-512.png' resolves to no file" "$TMP/err"; then
	ok "check --bundle reports a broken link (page and line), malformed XML and a missing manifest icon, exit 1"
else
	notok "check --bundle reports a broken link and malformed XML" "exit $rc: $(cat "$TMP/err")"
fi

# ---- archives -------------------------------------------------------------
[ -s "$TMP/a1.tar.gz" ] && cmp -s "$TMP/a1.tar.gz" "$TMP/a2.tar.gz" &&
	ok "two builds give the same SHA-256 for the .tar.gz ($(sha256sum <"$TMP/a1.tar.gz" | cut -c1-16)...)" ||
	notok "two builds give the same SHA-256 for the .tar.gz"
[ -s "$TMP/a1.zip" ] && cmp -s "$TMP/a1.zip" "$TMP/a2.zip" &&
	ok "two builds give the same SHA-256 for the .zip" || notok "two builds give the same SHA-256 for the .zip"
(cd dist && find . -type f | sed 's|^\./||' | sort) >"$TMP/files"
tar tzf "$TMP/a1.tar.gz" | grep -v '/$' | sort >"$TMP/entries"
cmp -s "$TMP/files" "$TMP/entries" && ok "the archive holds exactly the bundle's files" ||
	notok "the archive holds exactly the bundle's files" "$(diff "$TMP/files" "$TMP/entries" | head -5)"
[ -z "$(tar tvzf "$TMP/a1.tar.gz" | grep -v 'root/root' | head -1)" ] &&
	[ -z "$(tar tvzf "$TMP/a1.tar.gz" | grep -v '2025-10-16 12:00' | head -1)" ] &&
	ok "archive entries: owner root, mtime from SOURCE_DATE_EPOCH" || notok "archive entries: owner root, mtime from SOURCE_DATE_EPOCH"

# ---- renamed handles past Vercel's route limit ------------------------------
# 2,100 renamed handles: vercel.json holds what fits under 2,048 routes, the
# rest become redirect pages; both forms are checked.
rm -rf "$TMP/r" && cp -r "$TMP/site" "$TMP/r" && cd "$TMP/r" || exit 1
sed -i 's/table: user_handle_redirects/table: many_redirects/' presetgen.yaml
awk 'BEGIN { printf "{\"many_redirects\": ["; for (i = 0; i < 2100; i++) printf "%s{\"old_handle\": \"old_%04d\", \"new_handle\": \"aoife_byrne\"}", (i ? ", " : ""), i; print "]}" }' >"$TMP/many.json"
"$BIN" build -v --snapshot content/data/preset.json --snapshot "$TMP/many.json" 2>"$TMP/err" >/dev/null; rc=$?
inv=$(grep -c '"source": "/u/old_' dist/vercel.json)
if [ $rc -eq 0 ] && [ "$inv" -eq 2039 ] && grep -q 'redirects: 2039 in vercel.json, 61 as pages' "$TMP/err" &&
   [ ! -e dist/u/old_2038 ] && grep -q 'content="0; url=/u/aoife_byrne/"' dist/u/old_2039/index.html &&
   grep -q '<link rel="canonical" href="https://preset.ie/u/aoife_byrne/">' dist/u/old_2099/index.html; then
	ok "2,100 renamed handles: 2,039 redirects in vercel.json, the other 61 as redirect pages"
else
	notok "2,100 renamed handles: 2,039 redirects in vercel.json, the other 61 as redirect pages" "exit $rc, $inv in vercel.json: $(grep redirects: "$TMP/err")"
fi
if [ -d "$ROOT/tests/vercel/node_modules/@vercel/routing-utils" ] && command -v node >/dev/null; then
	node "$CHECK" dist/vercel.json "/u/old_0000/->308 /u/aoife_byrne/" "/u/old_2038/->308 /u/aoife_byrne/" >"$TMP/v" 2>&1 &&
		ok "routing-utils accepts it: $(grep -o 'fewer than 2,048 routes ([0-9]*)' "$TMP/v")" ||
		notok "routing-utils accepts 2,039 redirects" "$(grep -v '^ok' "$TMP/v" | head -5)"
fi
out=$("$BIN" check --bundle dist 2>&1) && ok "check --bundle: the redirect pages and vercel.json's destinations resolve" ||
	notok "check --bundle: the redirect pages and vercel.json's destinations resolve" "$(echo "$out" | head -5)"
# a redirect that would hide a page, or go nowhere, is reported
sed -i 's|"source": "/u/old_0000/"|"source": "/gigs/"|; s|"destination": "/u/aoife_byrne/"|"destination": "/u/nobody/"|' dist/vercel.json
"$BIN" check --bundle dist 2>"$TMP/err"; rc=$?
[ $rc -eq 1 ] && grep -q "redirects\[0\]: '/gigs/' goes to '/u/nobody/', which resolves to no file" "$TMP/err" &&
	grep -q "redirects\[0\]: '/gigs/' is a file of the bundle, which the redirect would hide" "$TMP/err" &&
	ok "check --bundle reports a redirect to nowhere and one that hides a page" ||
	notok "check --bundle reports a redirect to nowhere and one that hides a page" "exit $rc: $(head -3 "$TMP/err")"

# ---- secrets ----------------------------------------------------------------
rm -rf "$TMP/s" && cp -r "$TMP/site" "$TMP/s" && cd "$TMP/s" || exit 1
"$BIN" build -q
find dist -type f -exec sha256sum {} + | sort >"$TMP/before"
# a secret planted in a template
printf 'sk_live_planted_4f9a\n' >>templates/footer.mustache
SUPABASE_SERVICE_ROLE_KEY=sk_live_planted_4f9a "$BIN" build -q 2>"$TMP/err"
rc=$?
find dist -type f -exec sha256sum {} + | sort >"$TMP/after"
if [ $rc -eq 1 ] && grep -q "SUPABASE_SERVICE_ROLE_KEY would be written here" "$TMP/err" && cmp -s "$TMP/before" "$TMP/after"; then
	ok "a secret's value in a template fails the build, naming the variable and file, and writes nothing"
else
	notok "a secret's value in a template fails the build, naming the variable and file, and writes nothing" "exit $rc: $(head -3 "$TMP/err")"
fi
cp "$TMP/site/templates/footer.mustache" templates/footer.mustache
# a secret planted in the snapshot
sed 's/"Studio day, six looks"/"Studio day sk_live_planted_4f9a"/' "$TMP/site/content/data/preset.json" >content/data/preset.json
grep -q sk_live_planted content/data/preset.json || sed -i 's/"Golden hour magic"/"Golden hour sk_live_planted_4f9a"/' content/data/preset.json
MY_API_TOKEN=sk_live_planted_4f9a "$BIN" build -q 2>"$TMP/err"
rc=$?
find dist -type f -exec sha256sum {} + | sort >"$TMP/after"
if [ $rc -eq 1 ] && grep -q "secret variable MY_API_TOKEN" "$TMP/err" && cmp -s "$TMP/before" "$TMP/after"; then
	ok "a secret's value in the snapshot fails the build and writes nothing"
else
	notok "a secret's value in the snapshot fails the build and writes nothing" "exit $rc: $(head -3 "$TMP/err")"
fi
cp "$TMP/site/content/data/preset.json" content/data/preset.json

# ---- public values from the environment -------------------------------------
sed 's|^  production:$|  production:\n    connect: [https://abc.supabase.co]|' presetgen.yaml >presetgen.yaml.new && mv presetgen.yaml.new presetgen.yaml
printf '<meta name="supabase" content="{{env.public.supabaseUrl}}" data-key="{{env.public.supabaseAnonKey}}" data-api="{{env.public.apiUrl}}">\n' >>templates/head.mustache
PRESET_SUPABASE_URL=https://abc.supabase.co PRESET_SUPABASE_ANON_KEY=anon-public-key "$BIN" build -q 2>"$TMP/err"
if grep -q 'content="https://abc.supabase.co" data-key="anon-public-key" data-api="https://api.preset.ie"' dist/index.html &&
   grep -q "connect-src 'self' https://abc.supabase.co" dist/vercel.json; then
	ok "public values come from the variables presetgen.yaml names, else their defaults; connect-src allows their origin"
else
	notok "public values come from the variables presetgen.yaml names" "$(head -3 "$TMP/err")"
fi
# a Supabase service_role key (a JWT whose role says so) is never public,
# whatever the variable is called
srk=$(printf '{"alg":"HS256","typ":"JWT"}' | base64 -w0 | tr '+/' '-_' | tr -d =).$(printf '{"iss":"supabase","role":"service_role"}' | base64 -w0 | tr '+/' '-_' | tr -d =).c2lnbmF0dXJl
PRESET_SUPABASE_ANON_KEY=$srk "$BIN" build -q 2>"$TMP/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "presetgen.yaml:[0-9]*:[0-9]*: error: the value of PRESET_SUPABASE_ANON_KEY (environments.production.public.supabaseAnonKey) is a Supabase service_role key" "$TMP/err" &&
   ! grep -rq "$srk" dist; then
	ok "a service_role key in a public variable fails the build and is written nowhere"
else
	notok "a service_role key in a public variable fails the build" "exit $rc: $(cat "$TMP/err")"
fi
sed -i 's|supabaseAnonKey: {env: PRESET_SUPABASE_ANON_KEY, default: "[^"]*"}|service: SUPABASE_SERVICE_ROLE_KEY|' presetgen.yaml
"$BIN" build -q 2>"$TMP/err"
rc=$?
if [ $rc -eq 1 ] && grep -q "presetgen.yaml:[0-9]*:[0-9]*: error: 'SUPABASE_SERVICE_ROLE_KEY' names a secret" "$TMP/err"; then
	ok "presetgen.yaml cannot make a secret variable public"
else
	notok "presetgen.yaml cannot make a secret variable public" "exit $rc: $(cat "$TMP/err")"
fi

# ---- the site's icons, from the app's icon source ----------------------------------
rm -rf "$TMP/icons" && default_site "$TMP/icons" && cd "$TMP/icons" || exit 1
"$BIN" build -q 2>"$TMP/err"
# favicon.ico: an icon directory of three entries, 16, 32 and 48 px, 32 bits each
ico=$(od -An -tu1 -N54 dist/favicon.ico | tr -s ' \n' ' ')
man=dist/assets/$(sed -n 's|.*"site.webmanifest": "\([^"]*\)".*|\1|p' dist/assets/manifest.json)
touch=$(sed -n 's|.*"img/apple-touch-icon.png": "\([^"]*\)".*|\1|p' dist/assets/manifest.json)
touch_ihdr=$(od -An -tu1 -j16 -N10 "dist/assets/$touch" | tr -s ' \n' ' ')
if [ "$ico" = " 0 0 1 0 3 0 16 16 0 0 1 0 32 0 104 4 0 0 54 0 0 0 32 32 0 0 1 0 32 0 168 16 0 0 158 4 0 0 48 48 0 0 1 0 32 0 168 37 0 0 70 21 0 0 " ] &&
   [ "$touch_ihdr" = " 0 0 0 180 0 0 0 180 8 2 " ] &&
   grep -q "<link rel=\"apple-touch-icon\" href=\"/assets/$touch\">" dist/index.html &&
   grep -q '<link rel="icon" href="/favicon.ico" sizes="16x16 32x32 48x48">' dist/index.html; then
	ok "favicon.ico holds 16, 32 and 48 px; the apple-touch-icon is 180 px RGB (opaque), hashed and linked"
else
	notok "the site's favicon.ico and apple-touch-icon" "ico:$ico" "touch:$touch_ihdr" "$(cat "$TMP/err")"
fi
bad=""
for src in $(sed -n 's|.*"src": "\([^"]*\)".*|\1|p' "$man"); do
	[ -f "dist$src" ] || bad="$bad $src"
done
if [ -z "$bad" ] && grep -q '"purpose": "maskable"' "$man" && grep -q '"sizes": "512x512"' "$man" &&
   grep -q '"sizes": "192x192"' "$man" && [ ! -e dist/assets/app ] &&
   ! grep -q 'assets/app/' dist/assets/manifest.json; then
	ok "the web app manifest's 192, 512 and maskable icons are hashed files of the bundle; the sources are not published"
else
	notok "the web app manifest's icons" "missing:$bad" "$(cat "$man")"
fi

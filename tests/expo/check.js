// Reads presetgen mobile's release with Expo's and EAS's own packages
// (pinned in package-lock.json), as `eas build` and `expo prebuild` would.
//
//   node check.js eas DIR        every build and submit profile of DIR/eas.json,
//                                for android and ios, through @expo/eas-json
//   node check.js config DIR     DIR/app.json through @expo/config's getConfig,
//                                failing on any warning it prints
//   node check.js prebuild OUT ICON FOREGROUND MONOCHROME COLOUR NAME
//                                what @expo/prebuild-config 56 writes for these
//                                sources (Android mipmaps, iOS AppIcon) into OUT
//   node check.js describe DIR   every PNG under DIR: path, width, height,
//                                colour type (one line each, sorted)
//   node check.js time OUT ICON FOREGROUND MONOCHROME COLOUR NAME
//                                milliseconds @expo/image-utils takes for the set
// Prints one line per problem and exits 1 if there was one.
'use strict';
const fs = require('fs');
const path = require('path');

function fail(msg) {
	console.log(msg);
	process.exitCode = 1;
}

async function eas(dir) {
	const { EasJsonAccessor, EasJsonUtils } = require('@expo/eas-json');
	const accessor = EasJsonAccessor.fromProjectPath(dir);
	const builds = await EasJsonUtils.getBuildProfileNamesAsync(accessor);
	for (const name of builds) {
		for (const platform of ['android', 'ios']) {
			try {
				const p = await EasJsonUtils.getBuildProfileAsync(accessor, platform, name);
				console.log(`build ${name} ${platform}: ${JSON.stringify(p)}`);
			} catch (e) {
				fail(`build ${name} ${platform}: ${e.message}`);
			}
		}
	}
	const submits = await EasJsonUtils.getSubmitProfileNamesAsync(accessor);
	for (const name of submits) {
		for (const platform of ['android', 'ios']) {
			try {
				const p = await EasJsonUtils.getSubmitProfileAsync(accessor, platform, name);
				console.log(`submit ${name} ${platform}: ${JSON.stringify(p)}`);
			} catch (e) {
				fail(`submit ${name} ${platform}: ${e.message}`);
			}
		}
	}
	const cli = await EasJsonUtils.getCliConfigAsync(accessor);
	console.log(`cli: ${JSON.stringify(cli)}`);
}

function config(dir) {
	const { getConfig } = require('@expo/config');
	const warnings = [];
	const warn = console.warn;
	console.warn = (...a) => warnings.push(a.join(' '));
	let exp;
	try {
		exp = getConfig(dir, { skipSDKVersionRequirement: true, skipPlugins: true }).exp;
	} catch (e) {
		fail(`getConfig: ${e.message}`);
	} finally {
		console.warn = warn;
	}
	for (const w of warnings)
		fail(`warning: ${w}`);
	if (exp)
		keys(exp);
	if (exp)
		console.log(JSON.stringify({ name: exp.name, slug: exp.slug, version: exp.version,
			buildNumber: exp.ios && exp.ios.buildNumber,
			versionCode: exp.android && exp.android.versionCode, extra: exp.extra,
			updates: exp.updates, runtimeVersion: exp.runtimeVersion, icon: exp.icon }));
}

// The keys SDK 56 knows, from @expo/config-types' ExpoConfig.d.ts (generated
// from the app config schema, whose objects forbid additional properties).
function keys(exp) {
	const src = fs.readFileSync(require.resolve('@expo/config-types/build/ExpoConfig.d.ts'), 'utf8');
	const block = (start) => {
		const i = src.indexOf(start);
		const out = [];
		let depth = 0;
		for (const line of src.slice(i + start.length).split('\n')) {
			const m = line.match(/^\s*(\w+)\??:/);
			if (m && depth === 0)
				out.push(m[1]);
			for (const c of line) {
				if (c === '{') depth++;
				if (c === '}') depth--;
			}
			if (depth < 0)
				break;
		}
		return out;
	};
	const check = (obj, allowed, where) => {
		for (const k of Object.keys(obj || {}))
			if (!allowed.includes(k))
				fail(`${where}.${k}: not a key of SDK 56's app config`);
	};
	check(exp, block('export interface ExpoConfig {'), 'expo');
	check(exp.ios, block('export interface IOS {'), 'expo.ios');
	check(exp.android, block('export interface Android {'), 'expo.android');
	check(exp.updates, block('    updates?: {'), 'expo.updates');
	check(exp.android && exp.android.adaptiveIcon, block('    adaptiveIcon?: {'), 'expo.android.adaptiveIcon');
}

function pngInfo(file) {
	const b = fs.readFileSync(file);
	if (b.length < 26 || b.toString('latin1', 12, 16) !== 'IHDR')
		return null;
	return { w: b.readUInt32BE(16), h: b.readUInt32BE(20), depth: b[24], type: b[25] };
}

function walk(dir, out, base = dir) {
	for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
		const p = path.join(dir, e.name);
		if (e.isDirectory())
			walk(p, out, base);
		else
			out.push(path.relative(base, p));
	}
	return out;
}

function describe(dir) {
	for (const f of walk(dir, []).sort()) {
		if (!/\.(png|webp)$/.test(f))
			continue;
		const i = pngInfo(path.join(dir, f));
		console.log(i ? `${f} ${i.w}x${i.h} depth ${i.depth} type ${i.type}` : `${f} not PNG data`);
	}
}

async function prebuild(out, icon, foreground, monochrome, colour, name) {
	const android = require('@expo/prebuild-config/build/plugins/icons/withAndroidIcons');
	const ios = require('@expo/prebuild-config/build/plugins/icons/withIosIcons');
	const ac = require('@expo/prebuild-config/build/plugins/icons/AssetContents');
	fs.mkdirSync(out, { recursive: true });
	await android.setIconAsync(out, { icon, foregroundImage: foreground, backgroundColor: colour,
		backgroundImage: null, monochromeImage: monochrome, isAdaptive: true });
	const iosRoot = path.join(out, 'ios', name);
	const set = path.join(iosRoot, 'Images.xcassets', 'AppIcon.appiconset');
	fs.mkdirSync(set, { recursive: true });
	const image = await ios.generateUniversalIconAsync(out, { icon, cacheKey: 'universal-icon',
		iosNamedProjectRoot: iosRoot, platform: 'ios' });
	await ac.writeContentsJsonAsync(set, { images: [image] });
}

async function main() {
	const [cmd, ...a] = process.argv.slice(2);
	if (cmd === 'eas')
		return eas(a[0]);
	if (cmd === 'config')
		return config(a[0]);
	if (cmd === 'describe')
		return describe(a[0]);
	if (cmd === 'prebuild')
		return prebuild(...a);
	if (cmd === 'time') {
		const t = process.hrtime.bigint();
		await prebuild(...a);
		console.log(Number(process.hrtime.bigint() - t) / 1e6);
		return;
	}
	fail('usage: node check.js eas|config|prebuild|describe|time ...');
}

main().catch((e) => fail(e.stack || e.message));

import test from "ava";
import {readdirSync, readFileSync} from "node:fs";
import {dirname, join, relative, resolve} from "node:path";

/*
 * The rule provider/README.md draws: each folder imports only itself and the folders below it, and no import circle
 * exists under provider/. Read from the import statements, so a new file or import that breaks it fails here.
 */
const ROOT = resolve(__dirname, "..", "provider");

/** Lower index: lower layer. Folders on one floor (dynamic, plugin, esc) are front doors and may not import each other. */
const FLOORS: readonly (readonly string[])[] = [["api"], ["kinds"], ["engine"], ["policy"], ["dynamic", "plugin", "esc"], ["resources"], ["."]];
/** A folder that stands alone: the local API is a separate program and shares no code with the provider. */
const STANDALONE = new Set(["local-api"]);

function floorOf(folder: string): number {
	const floor = FLOORS.findIndex(names => names.includes(folder));
	if (floor === -1) {
		throw new Error(`provider/${folder} has no place in the layers: add it to FLOORS and to provider/README.md`);
	}
	return floor;
}

function sources(dir: string): string[] {
	return readdirSync(dir, {withFileTypes: true}).flatMap(entry => {
		const path = join(dir, entry.name);
		return entry.isDirectory() ? sources(path) : entry.name.endsWith(".ts") ? [path] : [];
	});
}

const IMPORT = /(?:\bfrom\s*|\bimport\s*\(?\s*|\brequire\s*\(\s*)["'](\.{1,2}\/[^"']*|\.)["']/g;

/** Each file's relative imports, resolved to files under provider/. */
function importGraph(): Map<string, string[]> {
	const graph = new Map<string, string[]>();
	for (const file of sources(ROOT)) {
		const targets = [...readFileSync(file, "utf8").matchAll(IMPORT)].map(match => {
			const base = resolve(dirname(file), match[1]!).replace(/\.js$/, "");
			const candidates = [`${base}.ts`, join(base, "index.ts")];
			const found = candidates.find(candidate => sources(dirname(candidate)).includes(candidate));
			if (!found) {
				throw new Error(`${relative(ROOT, file)} imports ${match[1]}, which is no file under provider/`);
			}
			return found;
		});
		graph.set(file, targets);
	}
	return graph;
}

const folderOf = (file: string) => relative(ROOT, dirname(file)).split("/")[0] || ".";

test("each folder under provider/ imports only itself and the folders below it", t => {
	const graph = importGraph();
	t.true(graph.size > 30, `only ${graph.size} files found under provider/`);
	const wrong: string[] = [];
	for (const [file, targets] of graph) {
		const from = folderOf(file);
		for (const target of targets) {
			const to = folderOf(target);
			if (from === to) {
				continue;
			}
			const allowed = STANDALONE.has(from) ? false : STANDALONE.has(to) ? from === "." : floorOf(to) < floorOf(from);
			if (!allowed) {
				wrong.push(`${relative(ROOT, file)} -> ${relative(ROOT, target)}`);
			}
		}
	}
	t.deepEqual(wrong, []);
});

test("no import circle under provider/", t => {
	const graph = importGraph();
	const circles: string[] = [];
	const state = new Map<string, "open" | "done">();
	const visit = (file: string, path: string[]) => {
		state.set(file, "open");
		for (const target of graph.get(file) ?? []) {
			if (state.get(target) === "open") {
				circles.push([...path.slice(path.indexOf(target)), target].map(f => relative(ROOT, f)).join(" -> "));
			} else if (!state.has(target)) {
				visit(target, [...path, target]);
			}
		}
		state.set(file, "done");
	};
	for (const file of graph.keys()) {
		if (!state.has(file)) {
			visit(file, [file]);
		}
	}
	t.deepEqual(circles, []);
});

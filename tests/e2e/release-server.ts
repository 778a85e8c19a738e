import {readdirSync} from "node:fs";
import {readFile} from "node:fs/promises";
import {createServer} from "node:http";
import type {AddressInfo} from "node:net";
import {join} from "node:path";

/*
 * The GitHub release, stood in for on loopback: a folder's files (dist/release/) served by name at the root, as a
 * plain http:// plugin download URL expects them. The engine is sent here by PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES
 * (see downloadOverride); it then asks for `<url>/pulumi-resource-<name>-v<version>-<os>-<arch>.tar.gz`.
 */

export interface ReleaseServer {
	url: string;
	/** Every request answered, as "GET /<file> <status>", in order. */
	requests(): string[];
	close(): Promise<void>;
}

export interface ReleaseServerOptions {
	/** Served instead of the folder's file of that name: a mirror that hands out other bytes than the release's. */
	replace?: Record<string, Buffer>;
}

export async function serveRelease(dir: string, {replace = {}}: ReleaseServerOptions = {}): Promise<ReleaseServer> {
	// The names are read once: only files of the folder itself are served, never a path a request makes up.
	const files = new Set(readdirSync(dir, {withFileTypes: true}).filter(entry => entry.isFile()).map(entry => entry.name));
	const log: string[] = [];
	const server = createServer((request, response) => {
		const path = (request.url ?? "/").split("?")[0]!.slice(1);
		let name: string;
		try {
			name = decodeURIComponent(path);
		} catch {
			name = path;
		}
		const answer = (status: number, body?: Buffer) => {
			log.push(`${request.method} /${name} ${status}`);
			response.writeHead(status, body ? {"content-type": "application/octet-stream", "content-length": body.length} : {});
			response.end(body);
		};
		if (request.method !== "GET" || !(name in replace || files.has(name))) {
			answer(request.method === "GET" ? 404 : 405);
			return;
		}
		(name in replace ? Promise.resolve(replace[name]!) : readFile(join(dir, name))).then(body => answer(200, body), () => answer(500));
	});
	await new Promise<void>(resolve => server.listen(0, "127.0.0.1", resolve));
	return {
		url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
		requests: () => [...log],
		close: () => new Promise<void>(resolve => {
			server.closeAllConnections();
			server.close(() => resolve());
		}),
	};
}

/**
 * PULUMI_PLUGIN_DOWNLOAD_URL_OVERRIDES's value sending the engine's downloads for `pluginDownloadURL` to `url`: the
 * engine matches each `regexp=URL` pair against the source URL (sdk/go/common/workspace/plugins.go,
 * PluginDescriptor.GetSource), and an http:// replacement is a folder it fetches the archive from by name
 * (httpSource.Download), with no GitHub API request for the release first.
 */
export function downloadOverride(pluginDownloadURL: string, url: string): string {
	// The pairs are split at "," and "=", so neither may occur in the expression or the URL.
	const pattern = `^${pluginDownloadURL.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}$`;
	if (/[,=]/.test(pattern + url)) throw new Error(`an override cannot hold "," or "=": ${pattern}=${url}`);
	return `${pattern}=${url}`;
}

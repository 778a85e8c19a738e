import {connect} from "node:net";

/*
 * The dynamic-provider host outlives its engine. The engine starts each plugin in a process group of its own and
 * tells it nothing when it dies (a killed `pulumi`, a CI runner cancelled mid-`up`), so the host lives on with no
 * one to call it; and once its stderr pipe has no reader, the SDK host's handler for uncaught errors logs to it,
 * fails, and logs that failure again, at 100% of a core and a growing heap (seen in this project's crash tests).
 * Go providers ask the engine whether it is still there and stop when it is not; this does the same for ours, and
 * a request still retrying in a host without an engine could only make a token that no state would record.
 */

/** How the engine starts the host: node running @pulumi/pulumi's cmd/dynamic-provider, the engine's address first. */
export const DYNAMIC_PROVIDER_HOST = /[\\/]@pulumi[\\/]pulumi[\\/]cmd[\\/]dynamic-provider(?:[\\/]index\.js)?$/;

export interface EngineWatchOptions {
	/** The engine's gRPC address, `host:port`, as the host got it. */
	engine: string;
	/** Time between two checks that the engine still listens, in ms. Default 2 000. */
	intervalMs: number;
	/** Resolves whether something accepts connections at `address`. Default a TCP connect, closed at once. */
	reachable: (address: string) => Promise<boolean>;
	/** Default `process.exit`. */
	exit: (code: number) => void;
	/** Where an error means no one reads the host's output any more. Default `process.stderr`. */
	stderr: NodeJS.EventEmitter;
}

function listening(address: string): Promise<boolean> {
	const separator = address.lastIndexOf(":");
	return new Promise(resolve => {
		const socket = connect({host: address.slice(0, separator), port: Number(address.slice(separator + 1))});
		socket.once("connect", () => {
			socket.destroy();
			resolve(true);
		});
		socket.once("error", () => resolve(false));
	});
}

/** Exits the process once the engine no longer listens or its stderr breaks. `stop()` ends the watch. */
export function watchEngine(overrides: Partial<EngineWatchOptions> & Pick<EngineWatchOptions, "engine">): {stop(): void} {
	const options: EngineWatchOptions = {intervalMs: 2000, reachable: listening, exit: code => process.exit(code), stderr: process.stderr, ...overrides};
	const onStderrError = () => options.exit(1);
	options.stderr.on("error", onStderrError);
	let checking = false;
	const timer = setInterval(async () => {
		if (checking) return;
		checking = true;
		try {
			if (!await options.reachable(options.engine)) options.exit(1);
		} finally {
			checking = false;
		}
	}, options.intervalMs);
	// The watch alone must not keep a host alive that has nothing else to do.
	timer.unref();
	return {
		stop() {
			clearInterval(timer);
			options.stderr.off("error", onStderrError);
		},
	};
}

/** Starts the watch when this process is the dynamic-provider host; anywhere else (tests, a program) does nothing. */
export function watchEngineIfHost(argv: readonly string[] = process.argv): {stop(): void} | undefined {
	const [, script = "", engine] = argv;
	if (DYNAMIC_PROVIDER_HOST.test(script) && engine) {
		return watchEngine({engine});
	}
	return undefined;
}

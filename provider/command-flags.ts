import {parseArgs, type ParseArgsOptionsConfig} from "node:util";

const HELP = {help: {type: "boolean", short: "h"}} as const;

type Flags<Options extends ParseArgsOptionsConfig> =
	ReturnType<typeof parseArgs<{args: string[]; strict: true; allowPositionals: false; options: Options & typeof HELP}>>["values"];

/**
 * The flags of a CLI command, parsed as every command of the CLI takes them: strictly (no positional argument, no
 * unknown flag), with `-h`/`--help`. Answers "help" when help was asked for; a mistake throws `usageError` with
 * parseArgs' message, which names the flag.
 */
export function parseFlags<Options extends ParseArgsOptionsConfig>(
	args: readonly string[],
	options: Options,
	usageError: new (message: string) => Error,
): Flags<Options> | "help" {
	let values;
	try {
		({values} = parseArgs({args: [...args], strict: true, allowPositionals: false, options: {...options, ...HELP}}));
	} catch (error) {
		throw new usageError((error as Error).message);
	}
	return (values as {help?: boolean}).help ? "help" : values as Flags<Options>;
}

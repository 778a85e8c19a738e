// Entry point of `npm run bench` (after `npm run build`): the bench is TypeScript, compiled on load.
require("ts-node/register/transpile-only");

require("./run.ts").main().catch(error => {
	console.error(error);
	process.exitCode = 1;
});

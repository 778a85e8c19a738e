// End-to-end tests: the real Pulumi CLI (scripts/ensure-pulumi.sh) drives the built package (npm run build).
module.exports = {
	extensions: {ts: "commonjs"},
	require: ["ts-node/register/transpile-only"],
	files: ["tests/e2e/**/*.test.ts"],
	workerThreads: false,
	concurrency: 2,
	timeout: "5m",
};

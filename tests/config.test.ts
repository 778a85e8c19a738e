import {mkdirSync, writeFileSync} from "node:fs";
import {join} from "node:path";
import test from "ava";
import {resolveSettings, type StackConfig} from "../provider/api/config";
import {scratchDir} from "./scratch";

const stack = (values: Record<string, string>): StackConfig => ({get: key => values[key]});
const home = () => scratchDir("home");

test("defaults to app.terraform.io over https and takes TFE_TOKEN", t => {
	const s = resolveSettings(undefined, {TFE_TOKEN: "env-token-123456", HOME: home()});
	t.is(s.baseUrl, "https://app.terraform.io");
	t.is(s.token, "env-token-123456");
	t.is(s.tokenSource, "TFE_TOKEN");
	t.false(s.sslSkipVerify);
});

test("stack config wins over the environment", t => {
	const s = resolveSettings(stack({"tfe:hostname": "tfe.example.com", "tfe:token": "stack-token-1234", "tfe:sslSkipVerify": "true"}),
		{TFE_TOKEN: "env-token-123456", TFE_ADDRESS: "https://other.example.com", TFE_SSL_SKIP_VERIFY: "false", HOME: home()});
	t.is(s.baseUrl, "https://tfe.example.com");
	t.is(s.token, "stack-token-1234");
	t.true(s.sslSkipVerify);
});

test("TFE_ADDRESS is a full base URL and wins over TFE_HOSTNAME", t => {
	t.is(resolveSettings(undefined, {TFE_ADDRESS: "http://127.0.0.1:8080", TFE_HOSTNAME: "x.example.com", TFE_TOKEN: "t-12345678"}).baseUrl, "http://127.0.0.1:8080");
	t.is(resolveSettings(undefined, {TFE_HOSTNAME: "tfe.example.com:8443", TFE_TOKEN: "t-12345678"}).baseUrl, "https://tfe.example.com:8443");
});

test("plain http is refused unless the host is loopback", t => {
	const error = t.throws(() => resolveSettings(undefined, {TFE_ADDRESS: "http://tfe.example.com", TFE_TOKEN: "t-12345678"}));
	t.regex(error!.message, /TFE_ADDRESS: plain http is only allowed to loopback hosts/);
	t.notThrows(() => resolveSettings(undefined, {TFE_ADDRESS: "http://localhost:9", TFE_TOKEN: "t-12345678"}));
});

test("falls back to Terraform's TF_TOKEN_<host> and then to credentials.tfrc.json for the hostname", t => {
	const dir = home();
	mkdirSync(join(dir, ".terraform.d"));
	writeFileSync(join(dir, ".terraform.d", "credentials.tfrc.json"), JSON.stringify({credentials: {"tfe.example.com": {token: "file-token-1234"}}}));
	const fromFile = resolveSettings(undefined, {TFE_HOSTNAME: "tfe.example.com", HOME: dir});
	t.is(fromFile.token, "file-token-1234");
	t.is(fromFile.tokenSource, "credentials.tfrc.json");
	t.is(resolveSettings(undefined, {TFE_HOSTNAME: "tfe.example.com", TF_TOKEN_tfe_example_com: "tf-env-token-1", HOME: dir}).token, "tf-env-token-1");
	t.throws(() => resolveSettings(undefined, {HOME: dir}), {message: /No API token for app\.terraform\.io/});
});

test("no token anywhere: the error says every way to provide one", t => {
	const error = t.throws(() => resolveSettings(undefined, {HOME: home()}));
	t.regex(error!.message, /pulumi config set --secret tfe:token.*TFE_TOKEN.*terraform login app\.terraform\.io/);
});

test("bad booleans and addresses name the setting", t => {
	t.throws(() => resolveSettings(undefined, {TFE_TOKEN: "t-12345678", TFE_SSL_SKIP_VERIFY: "maybe"}), {message: /TFE_SSL_SKIP_VERIFY must be true or false/});
	t.throws(() => resolveSettings(stack({"tfe:hostname": "ftp://x"}), {TFE_TOKEN: "t-12345678"}), {message: /tfe:hostname must use https/});
});

test("an address with a path names the refused part and the value to use; a query is named, not shown", t => {
	const error = t.throws(() => resolveSettings(stack({"tfe:hostname": "https://tfe.example.com/api/v2"}), {TFE_TOKEN: "t-12345678"}));
	t.regex(error!.message, /^tfe:hostname must be a host or an origin .*: the path \/api\/v2 is refused; use https:\/\/tfe\.example\.com instead\.$/);
	const query = t.throws(() => resolveSettings(undefined, {TFE_ADDRESS: "https://tfe.example.com/api/v2?token=secret-abcdefgh", TFE_TOKEN: "t-12345678"}));
	t.regex(query!.message, /^TFE_ADDRESS must be .*: the path \/api\/v2 and the query \(not shown\) are refused; use https:\/\/tfe\.example\.com instead\.$/);
	t.false(query!.message.includes("secret-abcdefgh"));
});

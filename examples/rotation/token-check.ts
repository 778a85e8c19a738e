import * as pulumi from "@pulumi/pulumi";

/*
 * A stand-in for whatever consumes the token in a real stack (a CI system's secret store, say): it takes the token
 * as an input, so it is updated in the same `pulumi up` that rotates the token, and on each new value it asks the
 * API who the token belongs to, which fails the update if the token does not work. It needs nothing but the API,
 * so the example runs offline against the local team-token API.
 */

export interface TokenCheckArgs {
	/** The API's base URL, e.g. https://app.terraform.io. */
	address: pulumi.Input<string>;
	/** The token to check. Kept secret in state. */
	token: pulumi.Input<string>;
	/** The token's id: a new id means a new token to check. */
	tokenId: pulumi.Input<string>;
}

interface CheckInputs {
	address: string;
	token: string;
	tokenId: string;
}

const checker: pulumi.dynamic.ResourceProvider = {
	async create(inputs: CheckInputs) {
		return {id: inputs.tokenId, outs: await check(inputs)};
	},
	async diff(_id, olds: CheckInputs, news: CheckInputs) {
		return {changes: olds.tokenId !== news.tokenId || olds.address !== news.address};
	},
	async update(_id, _olds, news: CheckInputs) {
		return {outs: await check(news)};
	},
};

/** The outputs, which `diff` compares with the next inputs: not the token itself, which stays an input only. */
async function check({address, token, tokenId}: CheckInputs): Promise<{address: string; tokenId: string; authenticatesAs: string}> {
	const response = await fetch(`${address}/api/v2/account/details`, {headers: {authorization: `Bearer ${token}`}});
	if (!response.ok) {
		throw new Error(`token ${tokenId} was rejected by ${address}: HTTP ${response.status}`);
	}
	const body = await response.json() as {data: {id: string}};
	return {address, tokenId, authenticatesAs: body.data.id};
}

export class TokenCheck extends pulumi.dynamic.Resource {
	declare public readonly tokenId: pulumi.Output<string>;
	declare public readonly authenticatesAs: pulumi.Output<string>;

	constructor(name: string, args: TokenCheckArgs, opts?: pulumi.CustomResourceOptions) {
		super(checker, name, {...args, authenticatesAs: undefined}, opts);
	}
}

/*
 * A dynamic provider written the way most dynamic-provider examples are, as the baseline the figures compare
 * against: the HTTP library imported at module scope, configuration read when the module loads, ky used directly
 * with its default retry (which never retries a POST), no pacing. Do not use it for anything but the comparison.
 */
import type * as pulumi from "@pulumi/pulumi";
import ky from "ky";

const address = process.env.TFE_ADDRESS;
const token = process.env.TFE_TOKEN;

const headers = {
	authorization: `Bearer ${token}`,
	"content-type": "application/vnd.api+json",
};

export const naiveProvider: pulumi.dynamic.ResourceProvider = {
	async create(inputs) {
		const body = await ky.post(`${address}/api/v2/teams/${inputs.teamId}/authentication-token`, {
			headers,
			body: JSON.stringify({data: {type: "authentication-tokens", attributes: {}}}),
		}).json<{data: {id: string; attributes: {token: string}}}>();
		return {id: inputs.teamId, outs: {teamId: inputs.teamId, tokenId: body.data.id, token: body.data.attributes.token}};
	},

	async delete(id) {
		await ky.delete(`${address}/api/v2/teams/${id}/authentication-token`, {headers});
	},
};

import type {Http} from "../api/http";
import type {TokenKind} from "../kinds";
import type {TokenInputs} from "../kinds/token-inputs";

/**
 * `pulumi import`: the engine's read of a resource it has no state for, with the id alone. The token is found
 * through its kind (by owner or by token id), and its state is what a create would have recorded, but for the
 * value: the API returns a token's value only in the answer to the POST that made it.
 */
export async function adoptToken(kind: TokenKind, id: string, http: Http, warn: (message: string) => void) {
	const found = await kind.adopt(id, http);
	if (!found) {
		throw new Error(`${kind.resource} ${id}: no such token, or the API token cannot see it (the API answers 404 for both). `
			+ `Give ${kind.importIds}.`);
	}
	const {record} = found;
	const inputs: TokenInputs = {...(kind.name === "team" ? {} : {kind: kind.name}), ...found.inputs};
	const owner = inputs[kind.ownerInput];
	warn(`imported ${record.id} of ${kind.ownerNoun} ${owner} without its value: the API shows a token's value only once, `
		+ "when it is made, so this resource has no `token` output. To have one, add or change a `triggers` value and run "
		+ "`pulumi up`: the token is then replaced by a new one whose value the stack keeps.");
	const props = Object.fromEntries(Object.entries({
		...inputs,
		tokenId: record.id,
		expiredAt: record.expiredAt ?? undefined,
		createdAt: record.createdAt ?? undefined,
		createdBy: record.createdBy ?? undefined,
	}).filter(([, value]) => value !== undefined));
	// Single tokens are addressed by their owner, so the resource id is the owner even when imported by token id.
	return {id: kind.shapeOf(inputs) === "single" ? String(owner) : record.id, props, inputs: inputs as Record<string, unknown>};
}

import type {TokenInputs} from "../kinds/token-inputs";

/** What a token resource keeps in state: its inputs plus what the API reported. */
export interface TokenState extends TokenInputs {
	tokenId: string;
	token: string;
	expiredAt?: string;
	createdAt?: string;
	createdBy?: string;
}

/** A TeamToken's state: the shape every kind shares, with its team id. */
export type TeamTokenState = TokenState & {teamId: string};

/** Drops undefined values: the dynamic-provider host cannot encode them (protobuf's Struct rejects undefined). */
export function defined<T extends object>(props: T): T {
	return Object.fromEntries(Object.entries(props).filter(([, v]) => v !== undefined)) as T;
}

export function withoutProvider<T extends Record<string, unknown>>(props: T): T {
	const {__provider: _ignored, ...rest} = props;
	return rest as T;
}

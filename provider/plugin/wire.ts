/*
 * Values as the engine sends them to a provider that accepts secrets: a secret is an object with Pulumi's signature
 * key, a value not known yet (a preview) is a fixed string. The engine's own rules live in @pulumi/pulumi's
 * runtime; these are the few the plugin needs to keep a secret secret through check, create, read and update.
 */
const SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

type Props = Record<string, unknown>;

function isSecret(value: unknown): value is {value: unknown} {
	return typeof value === "object" && value !== null && (value as Props)[SIG] === SECRET_SIG;
}

export function secret(value: unknown): unknown {
	return {[SIG]: SECRET_SIG, value};
}

/**
 * Plain values, secrets unwrapped at any depth, for the engine; and the names of the properties that held a secret
 * anywhere inside, which stay secret as a whole on the way back: the engine's values are not split again.
 */
export function unwrap(props: Props): {plain: Props; secrets: Set<string>} {
	const secrets = new Set<string>();
	const plainValue = (value: unknown): unknown => {
		if (isSecret(value)) {
			return plainValue(value.value);
		}
		if (Array.isArray(value)) {
			return value.map(plainValue);
		}
		if (typeof value === "object" && value !== null) {
			return Object.fromEntries(Object.entries(value).map(([key, v]) => [key, plainValue(v)]));
		}
		return value;
	};
	const plain = Object.fromEntries(Object.entries(props).map(([key, value]) => {
		if (isSecret(value) || JSON.stringify(value ?? null).includes(SECRET_SIG)) {
			secrets.add(key);
		}
		return [key, plainValue(value)];
	}));
	return {plain, secrets};
}

/** `props` with each named property (where present) marked secret again. */
export function wrap(props: Props, secrets: Iterable<string>): Props {
	const out = {...props};
	for (const key of secrets) {
		if (out[key] !== undefined) {
			out[key] = secret(out[key]);
		}
	}
	return out;
}

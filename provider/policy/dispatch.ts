import type * as pulumi from "@pulumi/pulumi";
import {createImplementation, type ProviderDependencies, type TeamTokenImplementation} from "../engine/crud";
import {StackRun} from "../engine/stack-run";
import {POLICY_KIND} from "./inputs";
import {createPolicyImplementation, type PolicyImplementation} from "./lifecycle";

type Props = Record<string, unknown>;

/** The one provider a process serves: every kind of token and the TTL policy, sharing what it learns in a run. */
export type Implementation = TeamTokenImplementation;

/**
 * Routes each call by the `kind` its properties record: the TTL policy's to its own lifecycle, every other to the
 * token engine. Both share one StackRun, so a token's check sees the policy checked before it in this process.
 */
export function createProvider(deps: ProviderDependencies = {}): Implementation {
	const run = deps.run ?? new StackRun();
	const tokens = createImplementation({...deps, run});
	const policy = createPolicyImplementation({...deps, run});
	const pick = (props: Props): TeamTokenImplementation | PolicyImplementation => (props.kind === POLICY_KIND ? policy : tokens);
	return {
		async configure(request: pulumi.dynamic.ConfigureRequest) {
			await tokens.configure!(request);
			await policy.configure(request);
		},
		check: (olds, news) => pick(news).check(olds, news),
		diff: (id, olds, news) => pick(news).diff(id, olds, news),
		create: props => pick(props).create(props),
		read: (id, props) => pick(props).read(id, props),
		update: (id, olds, news) => pick(news).update(id, olds, news),
		delete: (id, props) => pick(props).delete(id, props),
	};
}

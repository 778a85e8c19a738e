import type * as pulumi from "@pulumi/pulumi";
import type {TeamTokenImplementation} from "./crud";

/*
 * The Pulumi SDK serializes the provider, with everything its methods capture, into every TeamToken's state
 * (`__provider`), and the dynamic-provider host evaluates that text in another process. This module's exports are
 * the provider object itself, so that once the package is installed in node_modules the SDK writes a
 * `require("pulumi-tfe-team-token/...")` of this module instead of its code. Run from a checkout, the SDK copies
 * the methods; they capture only the path of the implementation and load it when called. Either way state holds
 * no configuration and no secret, and stays small.
 */
const file = `${__dirname}/crud`;
function impl(): TeamTokenImplementation {
	return require(file).implementation;
}

/** The dynamic provider behind `TeamToken`: create, read, diff, update and delete of HCP Terraform team tokens. */
const teamTokenProvider: pulumi.dynamic.ResourceProvider = {
	configure(r) { return impl().configure!(r); },
	check(o, n) { return impl().check(o, n); },
	diff(i, o, n) { return impl().diff(i, o, n); },
	create(n) { return impl().create(n); },
	read(i, p) { return impl().read(i, p); },
	update(i, o, n) { return impl().update(i, o, n); },
	delete(i, p) { return impl().delete(i, p); },
};

export = teamTokenProvider;

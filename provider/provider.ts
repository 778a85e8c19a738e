/*
 * The module every token resource's `__provider` names (PROVIDER_SPECIFIER, dist/provider/provider.js). State
 * written by every version of this package requires this path, so it stays here, at the top of the tree; the
 * module the dynamic-provider host runs lives in dynamic/.
 */
import hostModule = require("./dynamic/provider");

export = hostModule;

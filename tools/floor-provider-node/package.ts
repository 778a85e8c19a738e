/** The Node.js floor's package, apart from its server so the bench can name it without starting one. */
export const NODE_FLOOR = {name: "tfe-nodefloor", version: "0.0.1"};

/** A property of the plugin's schema, and the makers of its plain kinds, shared by schema.ts and audit-schema.ts. */
export type Property = {type?: string; items?: Property; $ref?: string; description?: string; secret?: boolean};

export const string = (description: string): Property => ({type: "string", description});
export const integer = (description: string): Property => ({type: "integer", description});
export const boolean = (description: string): Property => ({type: "boolean", description});

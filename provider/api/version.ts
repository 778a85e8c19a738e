/** Sent in the User-Agent. A test keeps it equal to package.json's version. */
export const PACKAGE_NAME = "pulumi-tfe-team-token";
export const PACKAGE_VERSION = "0.1.0";

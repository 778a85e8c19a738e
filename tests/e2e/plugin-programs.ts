/*
 * The text of a Pulumi program in each language the provider plugin serves, declaring the same resources: each
 * token, the explicit provider `other` on a second API (its address and secret token from the stack's config), and
 * each token as an output. The plugin's engine tests write one and change it between `pulumi up`s.
 */

export type Language = "yaml" | "python" | "go" | "java";

/** A property's value: a literal, or a stack config value the program reads. */
export type Value = string | number | boolean | string[] | {config: string};

export interface Declared {
	type: "TeamToken" | "OrganizationToken" | "AuditTrailToken" | "AgentToken" | "UserToken" | "TokenLifetimePolicy";
	props: Record<string, Value>;
	/** Resources declared before it that it depends on (`dependsOn`). */
	after?: string[];
	/** Through the explicit provider `other` (the second API), not the default one. */
	other?: boolean;
}

/** The project's name, which namespaces the program's own config keys. */
export const PROJECT = "plugin-e2e";

/** Where, in the project folder, each language's program lives. */
export const PROGRAM_FILE: Record<Language, string> = {
	yaml: "Pulumi.yaml",
	python: "__main__.py",
	go: "main.go",
	java: "src/main/java/myproject/App.java",
};

/** The Java package of the generated SDK: the schema's `language.java.basePackage` and the package's name. */
export const JAVA_PACKAGE = "io.github.pulumitfeteamtoken.tfetokens";

const isConfig = (value: Value): value is {config: string} => typeof value === "object" && !Array.isArray(value);
const snake = (name: string) => name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`);
const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);
const quote = (text: string) => JSON.stringify(text);
/** Every resource but the policy has a token, which the program exports. */
const hasToken = ({type}: Declared) => type !== "TokenLifetimePolicy";

function yamlValue(value: Value): string {
	return isConfig(value) ? `\${${value.config}}` : JSON.stringify(value);
}

function pythonValue(value: Value): string {
	if (isConfig(value)) return `config.require(${quote(value.config)})`;
	if (typeof value === "boolean") return value ? "True" : "False";
	return JSON.stringify(value);
}

function goValue(value: Value): string {
	if (isConfig(value)) return `pulumi.String(config.Require(ctx, ${quote(value.config)}))`;
	if (Array.isArray(value)) return `pulumi.Array{${value.map(item => `pulumi.String(${quote(item)})`).join(", ")}}`;
	if (typeof value === "number") return `pulumi.Int(${value})`;
	if (typeof value === "boolean") return `pulumi.Bool(${value})`;
	return `pulumi.String(${quote(value)})`;
}

/** The argument of a Java builder method: `triggers` takes its items as varargs. */
function javaValue(value: Value): string {
	if (isConfig(value)) return `config.require(${quote(value.config)})`;
	if (Array.isArray(value)) return value.map(quote).join(", ");
	return typeof value === "string" ? quote(value) : String(value);
}

function yaml(entries: [string, Declared][], configNames: string[], version: string): string {
	const tokens = entries.filter(([, declared]) => hasToken(declared));
	return [
		`name: ${PROJECT}`,
		"runtime: yaml",
		"config:",
		...configNames.map(name => `  ${name}:\n    type: string`),
		"resources:",
		"  other:",
		"    type: pulumi:providers:tfe-tokens",
		"    properties:",
		"      hostname: ${otherHostname}",
		"      token: ${otherToken}",
		"    options:",
		`      version: ${version}`,
		...entries.flatMap(([name, {type, props, other, after}]) => [
			`  ${name}:`,
			`    type: tfe-tokens:index:${type}`,
			"    properties:",
			...Object.entries(props).map(([key, value]) => `      ${key}: ${yamlValue(value)}`),
			...(other || after ? ["    options:"] : []),
			...(other ? ["      provider: ${other}"] : []),
			...(after ? ["      dependsOn:", ...after.map(dependency => `        - \${${dependency}}`)] : []),
		]),
		...(tokens.length ? ["outputs:"] : []),
		...tokens.map(([name]) => `  ${name}: \${${name}.token}`),
	].join("\n");
}

function python(entries: [string, Declared][]): string {
	return [
		"import pulumi",
		"import pulumi_tfe_tokens as tfe",
		"",
		"config = pulumi.Config()",
		"other = tfe.Provider(\"other\", hostname=config.require(\"otherHostname\"), token=config.require_secret(\"otherToken\"))",
		...entries.flatMap(([name, declared]) => {
			const {type, props, other, after} = declared;
			const options = [...(other ? ["provider=other"] : []), ...(after ? [`depends_on=[${after.join(", ")}]`] : [])];
			return [
				`${name} = tfe.${type}(${quote(name)}, ${Object.entries(props).map(([key, value]) => `${snake(key)}=${pythonValue(value)}`).join(", ")}`
					+ `${options.length ? `, opts=pulumi.ResourceOptions(${options.join(", ")})` : ""})`,
				...(hasToken(declared) ? [`pulumi.export(${quote(name)}, ${name}.token)`] : []),
			];
		}),
	].join("\n");
}

function go(entries: [string, Declared][]): string {
	return [
		"package main",
		"",
		"import (",
		"\t\"github.com/pulumi-tfe-team-token/pulumi-tfe-team-token/sdk/go/tfetokens\"",
		"\t\"github.com/pulumi/pulumi/sdk/v3/go/pulumi\"",
		"\t\"github.com/pulumi/pulumi/sdk/v3/go/pulumi/config\"",
		")",
		"",
		"func main() {",
		"\tpulumi.Run(func(ctx *pulumi.Context) error {",
		"\t\tother, err := tfetokens.NewProvider(ctx, \"other\", &tfetokens.ProviderArgs{",
		"\t\t\tHostname: pulumi.String(config.Require(ctx, \"otherHostname\")),",
		"\t\t\tToken:    config.RequireSecret(ctx, \"otherToken\"),",
		"\t\t})",
		"\t\tif err != nil {",
		"\t\t\treturn err",
		"\t\t}",
		"\t\t_ = other",
		...entries.flatMap(([name, declared]) => {
			const {type, props, other, after} = declared;
			const options = [...(other ? ["pulumi.Provider(other)"] : []), ...(after ? [`pulumi.DependsOn([]pulumi.Resource{${after.join(", ")}})`] : [])];
			return [
				`\t\t${name}, err := tfetokens.New${type}(ctx, ${quote(name)}, &tfetokens.${type}Args{`,
				...Object.entries(props).map(([key, value]) => `\t\t\t${pascal(key)}: ${goValue(value)},`),
				`\t\t}${options.map(option => `, ${option}`).join("")})`,
				"\t\tif err != nil {",
				"\t\t\treturn err",
				"\t\t}",
				hasToken(declared) ? `\t\tctx.Export(${quote(name)}, ${name}.Token)` : `\t\t_ = ${name}`,
			];
		}),
		"\t\treturn nil",
		"\t})",
		"}",
	].join("\n");
}

function java(entries: [string, Declared][]): string {
	return [
		"package myproject;",
		"",
		"import com.pulumi.Pulumi;",
		"import com.pulumi.resources.CustomResourceOptions;",
		...[...new Set(["Provider", ...entries.map(([, {type}]) => type)])].flatMap(type => [`import ${JAVA_PACKAGE}.${type};`, `import ${JAVA_PACKAGE}.${type}Args;`]),
		"",
		"public class App {",
		"    public static void main(String[] args) {",
		"        Pulumi.run(ctx -> {",
		"            var config = ctx.config();",
		"            var other = new Provider(\"other\", ProviderArgs.builder()",
		"                .hostname(config.require(\"otherHostname\"))",
		"                .token(config.requireSecret(\"otherToken\"))",
		"                .build());",
		...entries.flatMap(([name, declared]) => {
			const {type, props, other, after} = declared;
			const options = [...(other ? [".provider(other)"] : []), ...(after ? [`.dependsOn(${after.join(", ")})`] : [])];
			return [
				`            var ${name} = new ${type}(${quote(name)}, ${type}Args.builder()`,
				...Object.entries(props).map(([key, value]) => `                .${key}(${javaValue(value)})`),
				`                .build()${options.length ? `, CustomResourceOptions.builder()${options.join("")}.build()` : ""});`,
				...(hasToken(declared) ? [`            ctx.export(${quote(name)}, ${name}.token());`] : []),
			];
		}),
		"        });",
		"    }",
		"}",
	].join("\n");
}

/**
 * The program's text. `configNames`: the program's own config keys (YAML declares them); `version`: the plugin's;
 * `more`: the program's own text after the resources, in its language (e.g. a YAML `variables:` section with an
 * `fn::invoke`), which only the YAML and Python programs take: a Go or Java program's text ends inside its block.
 */
export function programText(language: Language, resources: Record<string, Declared>, configNames: string[], version: string, more = ""): string {
	if (more && (language === "go" || language === "java")) {
		throw new Error(`programText: a ${language} program takes no text after its resources`);
	}
	const entries = Object.entries(resources);
	const text = {yaml: () => yaml(entries, configNames, version), python: () => python(entries), go: () => go(entries), java: () => java(entries)}[language]();
	return `${text}\n${more}`;
}

/**
 * The Pulumi CLI's stack config rules, applied before the program runs (`pulumi preview`, `up`, `refresh`,
 * `destroy`: "validating stack config"). Modelled on pulumi/pulumi @ 1b59498 (CLI 3.260):
 * - `Project.Validate` (sdk/go/common/workspace/project.go): what Pulumi.yaml's `config:` block may declare;
 * - `mergeConfig` (pkg/workspace/config.go): missing declared keys, defaults and values merged in;
 * - `validateStackConfigValues` / `validateStackConfigValue` (pkg/workspace/config.go): `secret: true` needs a
 *   `secure:` value, values match their declared `type` (`ValidateConfigValue` in project.go).
 * The offline plan tool, the test support and the host tests all run the program through `applyCliConfigRules`.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";

/** `ProjectConfigItemsType` (project.go). */
export interface ConfigItemsType {
    type: string;
    items?: ConfigItemsType;
}

/** `ProjectConfigType` (project.go): one declaration under Pulumi.yaml's `config:`. */
export interface ConfigDeclaration {
    type?: string;
    items?: ConfigItemsType;
    description?: string;
    default?: unknown;
    value?: unknown;
    secret?: boolean;
}

export interface ProjectFile {
    name: string;
    /** As written: a declaration, or a shorthand value (see `declarationsOf`). */
    config?: Record<string, unknown>;
}

/** One stack value as `config.Value` holds it: the text (ciphertext stays out: `value` is the plaintext). */
export interface StackValue {
    /** Plain text; lists and maps as JSON (the CLI's "object" values). */
    value: string;
    /** Was `secure:` in the stack file. */
    secure: boolean;
    /** A list or map (`config.Value.Object()`). */
    object: boolean;
}

/** The config the language host hands the program: full keys to strings, and which keys are secret. */
export interface CliConfig {
    config: Record<string, string>;
    secretKeys: string[];
}

/** What the CLI refuses; `problems` are its messages, one per line. */
export class CliConfigError extends Error {
    constructor(public readonly problems: readonly string[]) {
        super(problems.map((p) => `error: ${p}`).join("\n"));
        this.name = "CliConfigError";
    }
}

export function readProjectFile(projectDir: string): ProjectFile {
    return parse(fs.readFileSync(path.join(projectDir, "Pulumi.yaml"), "utf8")) as ProjectFile;
}

/** `configKeyIsNamespacedByProject` (project.go). */
function isProjectKey(projectName: string, key: string): boolean {
    return !key.includes(":") || key.startsWith(`${projectName}:`);
}

/** `parseConfigKey` (config.go): a declaration's key as a full key. */
export function fullKey(projectName: string, key: string): string {
    return key.includes(":") ? key : `${projectName}:${key}`;
}

/**
 * `RewriteShorthandConfigValues` (project.go): a scalar or list written directly under `config:` is a `default`
 * for a project key and a `value` for another namespace's key.
 */
export function declarationsOf(project: ProjectFile): Record<string, ConfigDeclaration> {
    return Object.fromEntries(
        Object.entries(project.config ?? {}).map(([key, raw]) => {
            const shorthand = raw === null || typeof raw !== "object" || Array.isArray(raw);
            const declaration: ConfigDeclaration = shorthand ? (isProjectKey(project.name, key) ? { default: raw } : { value: raw }) : raw;
            return [key, declaration];
        }),
    );
}

/** `InferFullTypeName` (project.go). */
function fullTypeName(type: string, items?: ConfigItemsType): string {
    return items ? `array<${fullTypeName(items.type, items.items)}>` : type;
}

/**
 * `ValidateConfigValue` (project.go). Stack values reach it as strings unless they are objects, so strings that
 * `strconv.Atoi` accepts pass as integers and "true"/"false" as booleans.
 */
export function matchesType(type: string, items: ConfigItemsType | undefined, value: unknown): boolean {
    switch (type) {
        case "string":
            return typeof value === "string";
        case "integer":
            if (typeof value === "number") return Number.isInteger(value);
            // strconv.Atoi: optional sign, decimal digits, within int64.
            return typeof value === "string" && /^[+-]?\d+$/.test(value) && Math.abs(Number(value)) <= Number.MAX_SAFE_INTEGER;
        case "boolean":
            return typeof value === "boolean" || value === "true" || value === "false";
        case "object":
            return typeof value === "object" && value !== null && !Array.isArray(value);
        default:
            return Array.isArray(value) && items !== undefined && value.every((v) => matchesType(items.type, items.items, v));
    }
}

/** `Project.Validate` (project.go): problems of Pulumi.yaml's `config:` block (the CLI stops at the first). */
export function projectConfigProblems(project: ProjectFile): string[] {
    const problems: string[] = [];
    for (const [key, d] of Object.entries(declarationsOf(project))) {
        if (d.default !== undefined && d.value !== undefined) {
            problems.push(`project config '${key}' cannot have both a 'default' and 'value' attribute`);
        }
        if (isProjectKey(project.name, key)) {
            if (d.type === "array" && !d.items) {
                problems.push(`The configuration key '${key}' declares an array but does not specify the underlying type via the 'items' attribute`);
            }
            if (d.type !== undefined && d.default !== undefined && !matchesType(d.type, d.items, d.default)) {
                problems.push(`The default value specified for configuration key '${key}' is not of the expected type '${fullTypeName(d.type, d.items)}'`);
            }
        } else if (d.type !== undefined) {
            problems.push(`Configuration key '${key}' is not namespaced by the project and should not define a type`);
        } else if (d.default !== undefined) {
            problems.push(
                `Configuration key '${key}' is not namespaced by the project and should not define a default value. Did you mean to use the 'value' attribute instead of 'default'?`,
            );
        } else if (d.value === undefined) {
            problems.push(`Configuration key '${key}' is namespaced and must provide an attribute 'value'`);
        }
    }
    return problems;
}

/** `formatMissingKeys` and `missingStackConfigurationKeysError` (config.go). */
export function missingKeysMessage(stack: string, keys: readonly string[]): string {
    const sorted = [...keys].sort();
    const quoted =
        sorted.length === 1
            ? `'${sorted[0]}'`
            : sorted.map((k, i) => (i === sorted.length - 1 ? `and '${k}'` : i === sorted.length - 2 ? `'${k}' ` : `'${k}', `)).join("");
    return `Stack '${stack}' is missing configuration value${sorted.length > 1 ? "s" : ""} ${quoted}`;
}

/** `createConfigValue` (config.go): a default or value from Pulumi.yaml as a stack value. */
function configValueOf(raw: unknown): StackValue {
    const object = typeof raw === "object" && raw !== null;
    const scalar = typeof raw === "string" || typeof raw === "number" || typeof raw === "boolean" || raw === null || raw === undefined ? String(raw) : "";
    return { value: object ? JSON.stringify(raw) : scalar, secure: false, object };
}

/**
 * Applies the CLI's rules to a stack's values (full keys, plaintext) and returns what the program receives.
 * Throws CliConfigError with every problem: Pulumi.yaml's own, else missing keys and wrong values together (the
 * CLI reports missing keys first and then stops at the first wrong value; listing all at once is kinder).
 */
export function applyCliConfigRules(project: ProjectFile, stack: string, values: ReadonlyMap<string, StackValue>): CliConfig {
    const projectProblems = projectConfigProblems(project);
    if (projectProblems.length > 0) {
        throw new CliConfigError(projectProblems);
    }
    const merged = new Map(values);
    const missing: string[] = [];
    const declarations = declarationsOf(project);
    const keys = Object.keys(declarations).sort();
    // mergeConfig: a declared project key with no stack value, no default and no value is missing; a default
    // (or value) fills in a key the stack does not set, as if the user had set it.
    for (const key of keys) {
        const d = declarations[key];
        const full = fullKey(project.name, key);
        if (merged.has(full)) continue;
        const fill = d.default ?? d.value;
        if (fill === undefined) {
            if (isProjectKey(project.name, key)) missing.push(key);
            continue;
        }
        merged.set(full, configValueOf(fill));
    }
    const problems = missing.length > 0 ? [missingKeysMessage(stack, missing)] : [];
    // validateStackConfigValues: explicitly typed declarations only, in key order.
    for (const key of keys) {
        const d = declarations[key];
        const stackValue = merged.get(fullKey(project.name, key));
        if (d.type === undefined || stackValue === undefined) continue;
        if (d.secret === true && !stackValue.secure) {
            problems.push(`Stack '${stack}' with configuration key '${key}' must be encrypted as it's secret`);
            continue;
        }
        const content: unknown = stackValue.object ? JSON.parse(stackValue.value) : stackValue.value;
        if (!matchesType(d.type, d.items, content)) {
            problems.push(`Stack '${stack}' with configuration key '${key}' must be of type '${fullTypeName(d.type, d.items)}'`);
        }
    }
    if (problems.length > 0) {
        throw new CliConfigError(problems.map((p) => `validating stack config: ${p}`));
    }
    return {
        config: Object.fromEntries([...merged].map(([k, v]) => [k, v.value])),
        secretKeys: [...merged]
            .filter(([, v]) => v.secure)
            .map(([k]) => k)
            .sort(),
    };
}

/**
 * Renders Pulumi.yaml from the config key table and the program's own defaults, so what the CLI enforces and
 * what the program validates can never disagree. `npm run sync:config` rewrites the file; a test fails when it is
 * out of date.
 *
 * Which keys Pulumi.yaml declares, and why. The CLI treats a declared project key that has no `default` as
 * required in every stack (pkg/workspace/config.go `mergeConfig`: "Stack '<stack>' is missing configuration
 * values"), typed or not, and it merges a declared `default` into every stack as if the user had set it. So:
 * - declared without default: only the keys every stack of both targets must set (`REQUIRED_IN_EVERY_STACK`);
 * - declared with a default: keys both targets read whose program default is one fixed value, right for every
 *   stack (`declaredDefault`: the program's own zod default, so the two cannot drift);
 * - not declared: everything else, because a declaration would either make an optional key required or put a
 *   default into stacks where the program rejects it. Target-only keys (the program refuses a key of the other
 *   target), secrets other than `license` (a plain default fails the CLI's `secret: true` check, and most are
 *   generated when absent), defaults that depend on other keys (`modules` per release line), optional keys with
 *   no default (turnDomain, cloudflareZoneId, ...), and lists of objects (no such type here).
 * The README's config reference (tools/config-reference.ts) and the program's validation (components/config)
 * keep the full key table; the CLI checks this subset before the program runs.
 */
import * as path from "path";
import { stringify } from "yaml";
import { CONFIG_KEYS, ConfigKey, ConfigKeySpec } from "../components/config/keys";
import { commonShape } from "../components/config/schema-common";
import { ConfigDeclaration } from "./offline-runtime/cli-config";

export const PULUMI_YAML_PATH = path.join(__dirname, "..", "Pulumi.yaml");

/** Keys every stack sets, whatever its target (the program also reports each as "is required"). */
export const REQUIRED_IN_EVERY_STACK: readonly ConfigKey[] = ["target", "domain", "license"];

/** The program's default for a key both targets read, when it is one fixed value; else undefined. */
export function declaredDefault(key: ConfigKey): string | number | boolean | undefined {
    const spec = CONFIG_KEYS[key];
    if (spec.secret || spec.targets.length !== 2 || !(key in commonShape)) {
        return undefined;
    }
    const parsed = commonShape[key as keyof typeof commonShape].safeParse(undefined);
    const value = parsed.success ? parsed.data : undefined;
    return typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : undefined;
}

function typeOf(spec: ConfigKeySpec): Pick<ConfigDeclaration, "type" | "items"> {
    return spec.type === "stringArray" ? { type: "array", items: { type: "string" } } : { type: spec.type };
}

/** Pulumi.yaml's declaration of `key`, or undefined when it is left to the program (see the comment above). */
export function declarationOf(key: ConfigKey): ConfigDeclaration | undefined {
    const spec = CONFIG_KEYS[key];
    const base = { ...typeOf(spec), description: spec.description, ...(spec.secret ? { secret: true } : {}) };
    if (REQUIRED_IN_EVERY_STACK.includes(key)) {
        return base;
    }
    const fallback = declaredDefault(key);
    return fallback === undefined ? undefined : { ...base, default: fallback };
}

export function renderPulumiYaml(): string {
    const config = Object.fromEntries(
        (Object.keys(CONFIG_KEYS) as ConfigKey[]).flatMap((key) => {
            const declaration = declarationOf(key);
            return declaration ? [[key, declaration]] : [];
        }),
    );
    const project = {
        name: "openvidu-ha",
        description: "OpenVidu PRO High Availability (4 masters, N media nodes) on AWS or on-premises hosts",
        runtime: { name: "nodejs", options: { typescript: true } },
        config,
    };
    return [
        "# Generated from components/config/keys.ts by `npm run sync:config`; edit the table, not this file.",
        "# The CLI requires every key declared here without a default in every stack, so only target, domain and",
        "# license are (every stack of both targets sets them); keys with one default right for every stack carry it.",
        "# Every other key is optional or target-specific and is validated by the program (README: Configuration",
        "# reference lists them all); declaring it here would make the CLI require it. See tools/pulumi-yaml.ts.",
        stringify(project, { lineWidth: 0 }),
    ].join("\n");
}

/**
 * First validation pass: stack config arrives as strings (lists as JSON). Turn each known key into its declared
 * type, and report unknown keys and keys that belong to the other target.
 */
import { Target } from "../core/types";
import { CONFIG_KEYS, ConfigKey, ConfigValueType } from "./keys";

export type TypedConfig = Partial<Record<ConfigKey, unknown>>;

const TARGETS: readonly Target[] = ["onprem", "aws"];

function parseValue(type: ConfigValueType, raw: string): { value?: unknown; problem?: string } {
    switch (type) {
        case "string":
            return { value: raw };
        case "integer":
            return /^-?\d+$/.test(raw.trim()) ? { value: Number(raw.trim()) } : { problem: "must be an integer" };
        case "boolean":
            return raw === "true" || raw === "false" ? { value: raw === "true" } : { problem: "must be true or false" };
        case "stringArray":
        case "objectArray": {
            let parsed: unknown;
            try {
                parsed = JSON.parse(raw);
            } catch {
                return { problem: type === "stringArray" ? "must be a list of strings" : "must be a list of objects" };
            }
            if (!Array.isArray(parsed)) {
                return { problem: type === "stringArray" ? "must be a list of strings" : "must be a list of objects" };
            }
            if (type === "stringArray" && !parsed.every((v) => typeof v === "string")) {
                return { problem: "must be a list of strings" };
            }
            return { value: parsed };
        }
    }
}

/** Parses raw values (keys without the project namespace) and collects problems instead of stopping at the first. */
export function parseRawConfig(raw: Readonly<Record<string, string>>): { typed: TypedConfig; problems: string[] } {
    const typed: TypedConfig = {};
    const problems: string[] = [];
    const target = TARGETS.find((t) => t === raw.target);
    for (const [name, value] of Object.entries(raw)) {
        if (!(name in CONFIG_KEYS)) {
            problems.push(`${name}: unknown config key`);
            continue;
        }
        const key = name as ConfigKey;
        const spec = CONFIG_KEYS[key];
        if (target && !spec.targets.includes(target)) {
            problems.push(`${key}: only used when target is ${spec.targets.join(" or ")}`);
            continue;
        }
        const parsed = parseValue(spec.type, value);
        if (parsed.problem) {
            problems.push(`${key}: ${parsed.problem}`);
        } else {
            typed[key] = parsed.value;
        }
    }
    return { typed, problems };
}

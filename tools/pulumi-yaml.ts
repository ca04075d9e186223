/**
 * Renders Pulumi.yaml from the config key table, so the CLI's typed config and the program's validation can
 * never disagree. `npm run sync:config` rewrites the file; a test fails when it is out of date.
 */
import * as path from "path";
import { stringify } from "yaml";
import { CONFIG_KEYS, ConfigKeySpec } from "../components/config/keys";

export const PULUMI_YAML_PATH = path.join(__dirname, "..", "Pulumi.yaml");

function schemaOf(spec: ConfigKeySpec): Record<string, unknown> | undefined {
    const base = { description: spec.description, ...(spec.secret ? { secret: true } : {}) };
    switch (spec.type) {
        case "objectArray":
            return undefined; // Pulumi.yaml has no object type; validated by the program (components/config).
        case "stringArray":
            return { type: "array", items: { type: "string" }, ...base };
        default:
            return { type: spec.type, ...base };
    }
}

export function renderPulumiYaml(): string {
    const config = Object.fromEntries(
        Object.entries(CONFIG_KEYS).flatMap(([key, spec]) => {
            const schema = schemaOf(spec);
            return schema ? [[key, schema]] : [];
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
        "# masterNodes and mediaNodes (lists of {publicIp, privateIp, hostKey?}) are not typed here: Pulumi.yaml",
        "# has no object type. The program validates them with every other key before creating anything.",
        stringify(project, { lineWidth: 0 }),
    ].join("\n");
}


/**
 * Offline plan: runs the real program under the SDK's mock runtime, with no Pulumi CLI and no cloud, and prints
 * what it would create.
 *
 *   npm run plan -- --stack dev                 reads Pulumi.dev.yaml
 *   npm run plan -- --config-file <file>        reads any stack settings file
 *   options: --json (one JSON object on stdout), --diagram (Mermaid, tools/plan/diagram.ts), --show-secrets
 *
 * Stack config the Pulumi CLI would refuse (tools/offline-runtime/cli-config.ts), a wrong passphrase, or config the
 * program rejects: the errors on stderr, nothing on stdout, exit 1.
 */
import * as path from "path";
import { parseArgs } from "util";
import { ConfigError } from "../components/config/validate";
import { resolveValue, runOffline } from "./offline-runtime";
import { CliConfigError } from "./offline-runtime/cli-config";
import { IncorrectPassphraseError } from "./offline-runtime/passphrase";
import { readStackConfig } from "./plan/stack-config";
import { renderDiagram } from "./plan/diagram";
import { renderTree, toPlan } from "./plan/render";

const PROJECT_DIR = path.join(__dirname, "..");

function usage(message: string): never {
    process.stderr.write(`${message}\nusage: npm run plan -- (--stack <name> | --config-file <file>) [--json | --diagram] [--show-secrets]\n`);
    process.exit(2);
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            stack: { type: "string" },
            "config-file": { type: "string" },
            json: { type: "boolean", default: false },
            diagram: { type: "boolean", default: false },
            "show-secrets": { type: "boolean", default: false },
        },
    });
    if (!values.stack === !values["config-file"]) {
        usage("give exactly one of --stack or --config-file");
    }
    const file = values["config-file"] ?? path.join(PROJECT_DIR, `Pulumi.${values.stack}.yaml`);
    const stack =
        values.stack ??
        path
            .basename(file)
            .replace(/^Pulumi\.(.+)\.ya?ml$/, "$1")
            .replace(/\.ya?ml$/, "");
    const stackConfig = readStackConfig(PROJECT_DIR, file, stack);
    const showSecrets = values["show-secrets"] ?? false;

    const program = require("../index") as () => Promise<Record<string, unknown>>;
    const run = await runOffline(program, { ...stackConfig });
    const outputs = (await resolveValue(run.result, showSecrets)) as Record<string, unknown>;
    const plan = toPlan(
        typeof outputs.target === "string" ? outputs.target : stackConfig.config[`${stackConfig.project}:target`],
        run.resources,
        outputs,
        showSecrets,
    );
    process.stdout.write(
        values.json ? JSON.stringify(plan, null, 2) + "\n" : values.diagram ? renderDiagram(plan, stack) : renderTree(plan, stack, stackConfig.secrets),
    );
}

main().catch((err: unknown) => {
    if (err instanceof ConfigError || err instanceof CliConfigError) {
        process.stderr.write(`${err.message}\n`);
        process.exit(1);
    }
    if (err instanceof IncorrectPassphraseError) {
        process.stderr.write(`error: ${err.message}\n`);
        process.exit(1);
    }
    process.stderr.write(`plan failed: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(2);
});

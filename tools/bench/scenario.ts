/**
 * The two sides of a program-time measurement (run in a fresh process by run-child.js):
 * - program: the real program (index.ts) under the offline runtime, as `npm run plan` runs it, with a generated stack config, the CLI's config
 *   rules applied first as in test/support/program.ts; records what it registered for the floor.
 * - floor: the same custom resources (same types, names and inputs, secrets kept secret) registered flat under the
 *   same runtime with the providers' own classes (e.g. `new command.remote.Command(name, inputs)`, as the issue's
 *   hand measurement of bare remote.Commands did): no components, no validation, no planning, no dependencies.
 *   Types without a provider class (dynamic resources) are registered with the SDK's CustomResource.
 * Only the run is timed: the program and the SDK are loaded before the clock starts (load-child.js times loads).
 */
import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { mapOnlyProgramFrames } from "../../components/stack-traces";
import { applyCliConfigRules } from "../offline-runtime/cli-config";
import { isWrappedSecret, RecordedResource, RESOURCE_SIGNATURE, runOffline, SIGNATURE_KEY } from "../offline-runtime";
import { AWS_SECRET_KEYS, awsConfig, ONPREM_SECRET_KEYS, onpremConfig } from "../../test/support/fixtures";
import { PROJECT, projectOfRepo, stackValuesOf } from "../../test/support/program";

export interface ScenarioResult {
    runMs: number;
    cpuMs: number;
    maxRssMb: number;
    resources: number;
}

/** "onprem:N" (N media nodes, addresses from the benchmarking range 198.18.0.0/15) or "aws" (the fixture stack). */
export function scenarioConfig(scenario: string): { config: Record<string, unknown>; secretKeys: string[] } {
    if (scenario === "aws") {
        return { config: awsConfig(), secretKeys: AWS_SECRET_KEYS };
    }
    const count = Number(/^onprem:(\d+)$/.exec(scenario)?.[1]);
    if (!Number.isInteger(count) || count < 1) {
        throw new Error(`unknown scenario ${scenario} (onprem:N or aws)`);
    }
    const mediaNodes = Array.from({ length: count }, (_, i) => ({
        publicIp: `198.18.${Math.floor(i / 250)}.${(i % 250) + 1}`,
        privateIp: `10.5.${1 + Math.floor(i / 250)}.${(i % 250) + 1}`,
    }));
    return { config: onpremConfig({ mediaNodes }), secretKeys: ONPREM_SECRET_KEYS };
}

/** A recorded wire value as a program input again: secrets via pulumi.secret, resource references as their URN. */
function asInput(value: unknown): unknown {
    if (isWrappedSecret(value)) {
        return pulumi.secret(asInput(value.value));
    }
    if (typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === RESOURCE_SIGNATURE) {
        return (value as { urn: string }).urn;
    }
    if (Array.isArray(value)) {
        return value.map(asInput);
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asInput(v)]));
    }
    return value;
}

/** The SDK's base classes are abstract in its types only; the floor uses them as they are. */
class FloorResource extends pulumi.CustomResource {}
class FloorProvider extends pulumi.ProviderResource {}

type ResourceClass = new (name: string, args: pulumi.Inputs, opts?: pulumi.CustomResourceOptions) => pulumi.CustomResource;

/**
 * The provider SDK's class of a type token ("command:remote:Command" -> @pulumi/command remote.Command,
 * "aws:ec2/instance:Instance" -> @pulumi/aws ec2.Instance, "random:index/randomPassword:RandomPassword" ->
 * @pulumi/random RandomPassword); undefined when the package has none whose __pulumiType is the token.
 */
export function providerClassOf(type: string): ResourceClass | undefined {
    const [pkg, mod, name] = type.split(":");
    let sdk: Record<string, unknown>;
    try {
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- the package is named by the recorded type token
        sdk = require(`@pulumi/${pkg}`) as Record<string, unknown>;
    } catch {
        return undefined;
    }
    const module = mod.split("/")[0];
    const owner = (module === "index" ? sdk : sdk[module]) as Record<string, { __pulumiType?: string }> | undefined;
    const cls = owner?.[name];
    return cls?.__pulumiType === type ? (cls as unknown as ResourceClass) : undefined;
}

/** The floor program: every custom resource of the recorded run, registered flat (classes resolved beforehand). */
function floorProgram(recorded: RecordedResource[]): () => void {
    const custom = recorded.filter((x) => x.custom);
    const classes = new Map([...new Set(custom.map((r) => r.type))].map((type) => [type, providerClassOf(type)]));
    return () => {
        for (const r of custom) {
            const inputs = asInput(r.inputs) as pulumi.Inputs;
            const cls = classes.get(r.type);
            const provider = /^pulumi:providers:(.+)$/.exec(r.type);
            if (cls) {
                new cls(r.name, inputs);
            } else if (provider) {
                new FloorProvider(provider[1], r.name, inputs);
            } else {
                new FloorResource(r.type, r.name, inputs);
            }
        }
    };
}

export async function runScenario(mode: string, scenario: string, resourcesFile: string): Promise<ScenarioResult> {
    const { config, secretKeys } = scenarioConfig(scenario);
    const stack = "bench";
    const cli = applyCliConfigRules(projectOfRepo(), stack, stackValuesOf(config, secretKeys));
    let program: () => unknown;
    if (mode === "program") {
        program = require("../../index") as () => unknown;
    } else if (mode === "floor") {
        // The formatter the program installs for the SDK's stack traces (index.ts), so that the floor pays the same
        // per-trace cost and the ratio measures what the program adds.
        mapOnlyProgramFrames();
        program = floorProgram(JSON.parse(fs.readFileSync(resourcesFile, "utf8")) as RecordedResource[]);
    } else {
        throw new Error(`unknown mode ${mode} (program or floor)`);
    }
    const started = process.hrtime.bigint();
    const cpuStarted = process.cpuUsage();
    const run = await runOffline(program, { project: PROJECT, stack, config: cli.config, secretKeys: cli.secretKeys });
    const cpu = process.cpuUsage(cpuStarted);
    const runMs = Number(process.hrtime.bigint() - started) / 1e6;
    // Peak memory of the run, before the recording is written for the floor (its JSON text alone is hundreds of MB).
    const maxRssMb = process.resourceUsage().maxRSS / 1024;
    if (mode === "program") {
        fs.writeFileSync(resourcesFile, JSON.stringify(run.resources));
    }
    return { runMs, cpuMs: (cpu.user + cpu.system) / 1000, maxRssMb, resources: run.resources.filter((r) => r.custom).length };
}

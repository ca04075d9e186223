/**
 * The SDK's MockMonitor, extended to keep what the engine would receive for each resource: parent, every URN it
 * waits for (explicit dependsOn and resources whose outputs feed its inputs) and its resource options.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import { deserializeProperties } from "@pulumi/pulumi/runtime/rpc";

export interface RecordedOptions {
    protect: boolean;
    retainOnDelete: boolean;
    deleteBeforeReplace: boolean;
    ignoreChanges: string[];
    replaceOnChanges: string[];
    additionalSecretOutputs: string[];
    customTimeouts?: { create?: string; update?: string; delete?: string };
}

export interface RecordedResource {
    urn: string;
    type: string;
    name: string;
    /** Parent URN, or null for top-level resources. */
    parent: string | null;
    custom: boolean;
    /** Inputs as the monitor received them: secrets still wrapped (see secrets.ts). */
    inputs: Record<string, unknown>;
    dependsOn: string[];
    /** For each input property, the URNs its value came from (the engine's PropertyDependencies). */
    propertyDependencies: Record<string, string[]>;
    options: RecordedOptions;
}

/** The URN MockMonitor gives a resource (its own helper is private). */
function urnOf(parent: string, type: string, name: string): string {
    const qualified = parent ? `${parent.split("::")[2].split("$").pop()}$${type}` : type;
    return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}

export class RecordingMonitor extends MockMonitor {
    readonly recorded: RecordedResource[] = [];

    async registerResource(req: any, callback: (err: any, response: any) => void): Promise<void> {
        const propertyDependencies: Record<string, string[]> = {};
        req.getPropertydependenciesMap().forEach((deps: any, key: string) => {
            propertyDependencies[key] = [...deps.getUrnsList()].sort();
        });
        const timeouts = req.getCustomtimeouts();
        this.recorded.push({
            urn: urnOf(req.getParent(), req.getType(), req.getName()),
            type: req.getType(),
            name: req.getName(),
            parent: req.getParent() || null,
            custom: req.getCustom(),
            inputs: deserializeProperties(req.getObject()),
            dependsOn: [...new Set([...req.getDependenciesList(), ...Object.values(propertyDependencies).flat()])].sort(),
            propertyDependencies,
            options: {
                protect: req.getProtect() ?? false,
                retainOnDelete: req.getRetainondelete() ?? false,
                deleteBeforeReplace: req.getDeletebeforereplace(),
                ignoreChanges: req.getIgnorechangesList(),
                replaceOnChanges: req.getReplaceonchangesList(),
                additionalSecretOutputs: req.getAdditionalsecretoutputsList(),
                ...(timeouts
                    ? {
                          customTimeouts: {
                              create: timeouts.getCreate() || undefined,
                              update: timeouts.getUpdate() || undefined,
                              delete: timeouts.getDelete() || undefined,
                          },
                      }
                    : {}),
            },
        });
        return super.registerResource(req, callback);
    }
}

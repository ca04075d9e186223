/**
 * One component under the offline runtime (tools/offline-runtime, the SDK's mock monitor): no program, no stack
 * config, no process; a few milliseconds. Component tests read what the component registers.
 */
import { RecordedResource, resolveValue, runOffline, unwrapWireValue } from "../../../tools/offline-runtime";
import { RecordedOptions } from "../../../tools/offline-runtime/recording-monitor";
import { withPlainStackTraces } from "../../support/plain-stack-traces";

export interface Registered {
    type: string;
    name: string;
    /** Name of the parent resource, or null at the top. */
    parent: string | null;
    /** Inputs as the engine receives them, secrets as "[secret]". */
    inputs: Record<string, any>;
    /** Names of the resources this one depends on explicitly (dependsOn). */
    dependsOn: string[];
    options: RecordedOptions;
}

const nameOfUrn = (urn: string) => urn.slice(urn.lastIndexOf("::") + 2);

/** Runs `build` (which constructs one component) and returns every resource it registered, in order. */
export async function registered(build: () => unknown): Promise<Registered[]> {
    return (await built(build)).resources;
}

/** Runs `build` and returns what it built (the component) with every resource it registered. */
export async function built<T>(build: () => T): Promise<{ result: T; resources: Registered[] }> {
    // As the program runs do: the SDK's promise traces without frames (most of a run's CPU), same resources.
    const { result, resources } = await withPlainStackTraces(() => runOffline(build, { project: "openvidu-ha", stack: "unit", config: {} }));
    return { result, resources: resources.map(toRegistered) };
}

/** The value of an output (or of a structure holding outputs), secrets included. */
export const resolved = (value: unknown): Promise<any> => resolveValue(value, true);

function toRegistered(r: RecordedResource): Registered {
    return {
        type: r.type,
        name: r.name,
        parent: r.parent === null ? null : nameOfUrn(r.parent),
        inputs: unwrapWireValue(r.inputs, false) as Record<string, any>,
        dependsOn: r.dependsOn.map(nameOfUrn),
        options: r.options,
    };
}

/** The one resource of a type and name; fails when there is none. */
export function one(resources: readonly Registered[], type: string, name: string): Registered {
    const found = resources.filter((r) => r.type === type && r.name === name);
    if (found.length !== 1) {
        throw new Error(`expected one ${type} named ${name}, found ${found.length}: ${resources.map((r) => `${r.type} ${r.name}`).join(", ")}`);
    }
    return found[0];
}

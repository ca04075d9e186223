/**
 * Runs a Pulumi program in-process under the SDK's mock monitor: no CLI, no engine, no cloud. Used by the
 * offline plan tool and by the tests, so both see exactly what the real program registers.
 */
import * as pulumi from "@pulumi/pulumi";
import * as settings from "@pulumi/pulumi/runtime/settings";
import { mockInvoke, mockState } from "./mock-state";
import "./aws-mocks";
import { RecordedResource, RecordingMonitor } from "./recording-monitor";

export { RecordedResource } from "./recording-monitor";
export * from "./secrets";
export { registerMockInvoke, registerMockState } from "./mock-state";

export interface OfflineRunOptions {
    project: string;
    stack: string;
    /** Full keys ("openvidu-ha:domain", "cloudflare:apiToken"), values as the CLI passes them (lists as JSON). */
    config: Record<string, string>;
    /** Full keys whose values are secrets. */
    secretKeys?: string[];
    /** Run as `pulumi preview` would: unknown provider outputs stay unknown. */
    preview?: boolean;
    /**
     * Run dynamic providers' `create` as the engine's dynamic provider host does (the serialized `__provider`
     * loaded from its text), e.g. to record a real host key; default false: deterministic placeholders, no network.
     */
    runDynamicProviders?: boolean | DynamicResourceHost;
}

/** A dynamic resource as the program registers it, and its provider's `create` run from the serialized text. */
export interface DynamicRegistration {
    type: string;
    name: string;
    inputs: Record<string, unknown>;
    create: () => Promise<{ id: string; state: Record<string, unknown> }>;
}

/**
 * Resolves a dynamic resource in place of the engine (e.g. with a previous state: the provider's diff, then the
 * recorded outputs or a new create); `true` for runDynamicProviders always creates.
 */
export type DynamicResourceHost = (r: DynamicRegistration) => Promise<{ id: string; state: Record<string, unknown> }>;

/**
 * One create at a time, in registration order: resources that wait for their outputs then register in the
 * program's order, whatever the network timing, so recorded runs stay comparable.
 */
let dynamicCreates: Promise<unknown> = Promise.resolve();

function createWithDynamicProvider(
    type: string,
    name: string,
    inputs: Record<string, unknown>,
    host: DynamicResourceHost | true,
): Promise<{ id: string; state: Record<string, unknown> }> {
    const create = () => createNow(inputs);
    const created = dynamicCreates.then(() => (host === true ? create() : host({ type, name, inputs, create })));
    dynamicCreates = created.catch(() => undefined);
    return created;
}

/** What cmd/dynamic-provider/index.ts does on Create: load the serialized provider, call create(props). */
async function createNow(inputs: Record<string, unknown>): Promise<{ id: string; state: Record<string, unknown> }> {
    type Loaded = { handler(): { create(p: unknown): Promise<{ id: string; outs?: object }> } };
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped; loads a serialized provider as the engine's dynamic-provider host does
    const requireFromString = require("require-from-string") as (code: string) => Loaded;
    const provider = requireFromString(inputs.__provider as string).handler();
    const result = await provider.create(inputs);
    return { id: result.id, state: { ...result.outs, __provider: inputs.__provider } };
}

export interface OfflineRun<T> {
    result: T;
    resources: RecordedResource[];
}

/** Installs the recording monitor the way `pulumi.runtime.setMocks` installs its MockMonitor. */
function installMonitor(options: OfflineRunOptions): RecordingMonitor {
    const monitor = new RecordingMonitor({
        newResource: (args) =>
            options.runDynamicProviders && args.type.startsWith("pulumi-nodejs:dynamic")
                ? createWithDynamicProvider(args.type, args.name, args.inputs as Record<string, unknown>, options.runDynamicProviders)
                : {
                      id: args.custom === false ? undefined : `${args.name}-id`,
                      state: mockState(args.type, args.name, args.inputs as Record<string, unknown>),
                  },
        call: (args) => mockInvoke(args.token, args.inputs as Record<string, unknown>),
    });
    settings.setMockOptions(monitor, options.project, options.stack, options.preview ?? false);
    // Same feature switches as setMocks; getStore is internal to the SDK, hence the untyped require.
    const { getStore } = require("@pulumi/pulumi/runtime/state") as { getStore: () => Record<string, boolean> };
    const store = getStore();
    store.supportsSecrets = true;
    store.supportsResourceReferences = true;
    store.supportsOutputValues = false;
    store.supportsDeletedWith = true;
    store.supportsAliasSpecs = true;
    store.supportsTransforms = false;
    return monitor;
}

/** Runs `program` offline and returns its result with every resource it registered, once all are registered. */
export async function runOffline<T>(program: () => T | Promise<T>, options: OfflineRunOptions): Promise<OfflineRun<T>> {
    pulumi.runtime.setAllConfig(options.config, options.secretKeys ?? []);
    const monitor = installMonitor(options);
    const result = await program();
    await (settings as unknown as { waitForRPCs(): Promise<void> }).waitForRPCs();
    return { result, resources: monitor.recorded };
}

/** Resolves a value that may hold Outputs, with secrets as "[secret]" unless showSecrets. */
export async function resolveValue(value: unknown, showSecrets: boolean): Promise<unknown> {
    if (pulumi.Output.isInstance(value)) {
        const output = value;
        const [inner, secret] = await Promise.all([new Promise((r) => output.apply(r)), pulumi.isSecret(output)]);
        return secret && !showSecrets ? "[secret]" : resolveValue(inner, showSecrets);
    }
    if (value instanceof Promise) {
        return resolveValue(await value, showSecrets);
    }
    if (pulumi.Resource.isInstance(value)) {
        return resolveValue(value.urn, showSecrets);
    }
    if (Array.isArray(value)) {
        return Promise.all(value.map((v) => resolveValue(v, showSecrets)));
    }
    if (typeof value === "object" && value !== null) {
        const entries = await Promise.all(Object.entries(value).map(async ([k, v]) => [k, await resolveValue(v, showSecrets)] as const));
        return Object.fromEntries(entries);
    }
    return value;
}

/**
 * Deterministic provider outputs for the offline runtime: what the real providers would compute, replaced by
 * stable placeholders so plans and tests give the same result on every run. Targets register their own types.
 */
import * as pulumi from "@pulumi/pulumi";

export type StateFn = (name: string, inputs: Record<string, any>) => Record<string, unknown>;
export type InvokeFn = (inputs: Record<string, any>) => Record<string, unknown>;

const stateFns = new Map<string, StateFn>();
const invokeFns = new Map<string, InvokeFn>();

export function registerMockState(type: string, fn: StateFn): void {
    stateFns.set(type, fn);
}

export function registerMockInvoke(token: string, fn: InvokeFn): void {
    invokeFns.set(token, fn);
}

/** Generated secrets are placeholders derived from the resource name, marked secret like the real provider does. */
const generated: StateFn = (name, inputs) => {
    const prefix = `generated-${name}-`;
    const length = Math.max(Number(inputs.length ?? 16), prefix.length + 4);
    return { result: pulumi.secret(prefix.padEnd(length, "x").slice(0, length)) };
};

registerMockState("random:index/randomPassword:RandomPassword", generated);
registerMockState("random:index/randomString:RandomString", (name, inputs) => ({
    result: `generated-${name}`.padEnd(Number(inputs.length ?? 8), "x").slice(0, Math.max(Number(inputs.length ?? 8), 8)),
}));
registerMockState("command:remote:Command", () => ({ stdout: "", stderr: "" }));
// The host key a HostKeyPin would record at the first connection; offline runs never dial (see runDynamicProviders).
registerMockState("pulumi-nodejs:dynamic:HostKeyPin", (_name, inputs) => ({
    hostKey: `(recorded at the first connection to ${inputs.host}:${inputs.port})`,
}));

export function mockState(type: string, name: string, inputs: Record<string, any>): Record<string, unknown> {
    const fn = stateFns.get(type);
    return { ...inputs, ...(fn ? fn(name, inputs) : {}) };
}

export function mockInvoke(token: string, inputs: Record<string, any>): Record<string, unknown> {
    const fn = invokeFns.get(token);
    if (!fn) {
        throw new Error(`offline runtime: no mock for invoke ${token}; register one with registerMockInvoke`);
    }
    return fn(inputs);
}

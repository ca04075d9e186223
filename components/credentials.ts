/**
 * The cluster's shared credentials: the stack config's values where given, generated ones (@pulumi/random)
 * otherwise. Every value is a Pulumi secret and the same object feeds every node of either target.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";
import { CREDENTIAL_SPECS } from "./core/credential-spec";
import { ReleaseLine } from "./core/release-lines";
import { CredentialKey } from "./core/types";

/** The credentials of one release line (the other line's keys are absent). */
export type CredentialValues = Partial<Record<CredentialKey, string>>;

export interface CredentialsArgs {
    /** Release line: decides which credentials exist (3.0 has OpenVidu Call users, 3.8 has OpenVidu Meet keys). */
    line: ReleaseLine;
    /** Values set in stack config; every other credential of the line is generated. Default none. */
    overrides?: Partial<Record<CredentialKey, pulumi.Input<string>>>;
}

export class Credentials extends pulumi.ComponentResource {
    /** Every credential of the release line, as one secret object. */
    public readonly values: pulumi.Output<CredentialValues>;

    constructor(name: string, args: CredentialsArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:index:Credentials", name, {}, opts);
        const entries = args.line.credentials.map((key) => [key, this.credential(name, key, args.overrides?.[key])] as const);
        const all: pulumi.Output<CredentialValues> = pulumi.all(Object.fromEntries(entries) as Record<string, pulumi.Output<string>>);
        this.values = pulumi.secret(all);
        this.registerOutputs({ values: this.values });
    }

    private credential(name: string, key: CredentialKey, override: pulumi.Input<string> | undefined): pulumi.Output<string> {
        if (override !== undefined) {
            return pulumi.secret(override);
        }
        const generation = CREDENTIAL_SPECS[key].generation;
        if (generation.kind === "username") {
            return pulumi.secret(generation.value);
        }
        const prefix = generation.prefix ?? "";
        const password = new random.RandomPassword(`${name}-${key}`, { length: generation.length - prefix.length, special: false }, { parent: this });
        return pulumi.secret(pulumi.interpolate`${prefix}${password.result}`);
    }
}

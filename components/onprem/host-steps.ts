/**
 * Creates the remote.Command of one provisioning step on one host. Shared by both node pools so every step gets
 * the same connection bounds, names and delete semantics.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { SshSettings } from "../config/settings";
import { HostAddress } from "../core/types";
import { CommandSpec } from "./host-commands";

export interface HostConnection {
    address: HostAddress;
    ssh: SshSettings;
    /** SSH private key, a Pulumi secret. */
    privateKey: pulumi.Input<string>;
    /** Host key the connection verifies: configured, or recorded at the first connection; none when not verified. */
    hostKey?: pulumi.Input<string>;
}

export interface StepOptions {
    /** Resources this step waits for besides its own host's previous step. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** True when stdin carries secrets (installer arguments). */
    secretStdin?: boolean;
    /**
     * The earlier step of the same node whose replacement must replace this one too. Its id becomes this step's
     * `triggers` (replace-on-change): the engine replaces a dependent only when one of its inputs comes from the
     * replaced resource (step_generator.go `calculateDependentReplacements`); `dependsOn` alone never does.
     */
    replacedWith?: command.remote.Command;
}

/** A step's commands: a provisioning step's `create`, or only an `update` (the convergence chain's). */
export type StepSpec = Omit<CommandSpec<pulumi.Input<string>>, "create"> & { create?: string };

export function hostStep(owner: pulumi.Resource, name: string, connection: HostConnection, spec: StepSpec, options: StepOptions = {}): command.remote.Command {
    return new command.remote.Command(name, stepArgs(connection, spec, options), stepOptions(owner, options));
}

/** The step's remote.Command inputs: the connection's bounds and host key, the commands, stdin (secret when marked). */
export function stepArgs(connection: HostConnection, spec: StepSpec, options: StepOptions = {}): command.remote.CommandArgs {
    const { address, ssh } = connection;
    return {
        connection: {
            host: address.publicIp,
            port: ssh.port,
            user: ssh.user,
            privateKey: connection.privateKey,
            dialErrorLimit: ssh.dialErrorLimit,
            perDialTimeout: ssh.perDialTimeout,
            ...(connection.hostKey !== undefined ? { hostKey: connection.hostKey } : {}),
        },
        create: spec.create,
        update: spec.update,
        delete: spec.delete,
        stdin: spec.stdin === undefined ? undefined : options.secretStdin ? pulumi.secret(spec.stdin) : spec.stdin,
        triggers: options.replacedWith ? [options.replacedWith.id] : undefined,
        // No step reads PULUMI_COMMAND_STDOUT/_STDERR; setting them over SSH warns on a stock sshd (AcceptEnv).
        addPreviousOutputInEnv: false,
    };
}

/** The step's resource options: a child of its pool, after `dependsOn`; a replaced step undoes the old one first. */
export function stepOptions(owner: pulumi.Resource, options: StepOptions = {}): pulumi.CustomResourceOptions {
    return { parent: owner, dependsOn: options.dependsOn, deleteBeforeReplace: true };
}

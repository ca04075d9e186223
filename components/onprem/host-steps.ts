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
}

export interface StepOptions {
    /** Resources this step waits for besides its own host's previous step. */
    dependsOn?: pulumi.Input<pulumi.Resource>[];
    /** True when stdin carries secrets (installer arguments). */
    secretStdin?: boolean;
}

export function hostStep(
    owner: pulumi.Resource,
    name: string,
    connection: HostConnection,
    spec: CommandSpec<pulumi.Input<string>>,
    options: StepOptions = {},
): command.remote.Command {
    const { address, ssh } = connection;
    return new command.remote.Command(
        name,
        {
            connection: {
                host: address.publicIp,
                port: ssh.port,
                user: ssh.user,
                privateKey: connection.privateKey,
                dialErrorLimit: ssh.dialErrorLimit,
                perDialTimeout: ssh.perDialTimeout,
                ...(address.hostKey ? { hostKey: address.hostKey } : {}),
            },
            create: spec.create,
            update: spec.update,
            delete: spec.delete,
            stdin: spec.stdin === undefined ? undefined : options.secretStdin ? pulumi.secret(spec.stdin) : spec.stdin,
        },
        // A replaced step must undo the old one (uninstall, drain) before it runs again.
        { parent: owner, dependsOn: options.dependsOn, deleteBeforeReplace: true },
    );
}

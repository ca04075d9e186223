/**
 * Pin-on-first-use of a host's SSH key, for nodes without a configured `hostKey`: a dynamic resource whose
 * provider reads the key the host presents at the first connection (an SSH handshake that never authenticates),
 * keeps it in the stack state, and on every later preview/up compares what the host presents with it. A changed
 * key stops the run naming the host, before any command sends it a secret; every command of the host gets the
 * recorded key as `connection.hostKey`, which @pulumi/command verifies at each connection.
 *
 * The provider is serialized into the state by the SDK (pulumi.dynamic.Resource, runtime/closure): its functions
 * use nothing from this module but each other, and load their modules with `require` when they run.
 */
import * as pulumi from "@pulumi/pulumi";

export interface HostKeyPinArgs {
    /** Host label used in messages, e.g. master-1. */
    label: string;
    /** Address the commands dial (the node's publicIp). */
    host: string;
    /** SSH port. */
    port: number;
    /** Dials before the first scan gives up (the commands' sshDialErrorLimit). */
    dialErrorLimit: number;
    /** Seconds each dial may take (the commands' sshPerDialTimeout). */
    perDialTimeout: number;
}

/** The inputs as the provider receives them (plain values) plus what it records. */
export interface HostKeyPinState extends HostKeyPinArgs {
    /** The host key as authorized_keys holds it: "<type> <base64>". */
    hostKey: string;
}

/**
 * Host key algorithms in the order we accept them. @pulumi/command 1.2.1 offers only the recorded key's own type
 * (connection.go: HostKeyAlgorithms = [publicKey.Type()]), and OpenSSH 8.8+ refuses "ssh-rsa" (SHA-1): an
 * Ed25519 or ECDSA key is recorded whenever the host has one.
 */
const HOST_KEY_ALGORITHMS = ["ssh-ed25519", "ecdsa-sha2-nistp256", "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521", "rsa-sha2-512", "rsa-sha2-256"];

/** The key a host presents, as "<type> <base64>"; rejects when no handshake reached the key (one dial). */
export function scanHostKey(host: string, port: number, timeoutSeconds: number): Promise<string> {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded where the serialized provider runs, so its closure captures no module
    const { Client } = require("ssh2") as typeof import("ssh2");
    return new Promise((resolve, reject) => {
        const client = new Client();
        let key: string | undefined;
        const done = (error?: Error) => {
            client.removeAllListeners();
            client.on("error", () => undefined);
            client.end();
            if (key !== undefined) resolve(key);
            else reject(error ?? new Error("connection closed before the host presented a key"));
        };
        client.on("error", (e: Error) => done(e));
        client.on("close", () => done());
        client.on("ready", () => done());
        client.connect({
            host,
            port,
            username: "openvidu-ha-host-key-scan",
            readyTimeout: timeoutSeconds * 1000,
            algorithms: { serverHostKey: HOST_KEY_ALGORITHMS as never },
            // The key blob starts with its type as an SSH string. Returning false ends the handshake here.
            hostVerifier: (blob: Buffer) => {
                key = `${blob.subarray(4, 4 + blob.readUInt32BE(0)).toString()} ${blob.toString("base64")}`;
                return false;
            },
        });
    });
}

/** OpenSSH's fingerprint of a key line: SHA256:<unpadded base64 of the blob's digest>. */
export function hostKeyFingerprint(keyLine: string): string {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- loaded where the serialized provider runs, so its closure captures no module
    const crypto = require("crypto") as typeof import("crypto");
    const blob = Buffer.from(keyLine.split(" ")[1] ?? "", "base64");
    return `SHA256:${crypto.createHash("sha256").update(blob).digest("base64").replace(/=+$/, "")}`;
}

/** The first scan: retried like the commands' dials (the host may still be booting). */
async function firstScan(a: HostKeyPinArgs): Promise<string> {
    let pause = 100;
    for (let attempt = 1; ; attempt++) {
        try {
            return await scanHostKey(a.host, a.port, a.perDialTimeout);
        } catch (e) {
            if (attempt >= a.dialErrorLimit) {
                throw new Error(`${a.label} (${a.host}:${a.port}): could not read the SSH host key after ${attempt} attempt(s): ${(e as Error).message}`, {
                    cause: e,
                });
            }
        }
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 1.5, 5000);
    }
}

/**
 * Compares what the host presents now with the recorded key; throws naming the host when they differ. An
 * unreachable host passes: nothing is sent to it now, and its commands verify the recorded key when they run.
 */
export async function verifyRecordedHostKey(a: HostKeyPinArgs, recorded: string): Promise<void> {
    let presented: string;
    try {
        presented = await scanHostKey(a.host, a.port, a.perDialTimeout);
    } catch {
        return;
    }
    const blob = (line: string) => line.split(" ")[1];
    if (blob(presented) !== blob(recorded)) {
        throw new Error(
            `${a.label} (${a.host}:${a.port}): the SSH host key changed: recorded ${hostKeyFingerprint(recorded)}, ` +
                `presented now ${hostKeyFingerprint(presented)}. Nothing was sent to the host. If the host was rebuilt or its key ` +
                `rotated on purpose, check the new key on the host (ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub) and set it ` +
                `as this node's hostKey; otherwise another machine may be answering at ${a.host}.`,
        );
    }
}

const argsOf = (s: HostKeyPinArgs): HostKeyPinArgs => ({
    label: s.label,
    host: s.host,
    port: s.port,
    dialErrorLimit: s.dialErrorLimit,
    perDialTimeout: s.perDialTimeout,
});

/** The dynamic provider: create scans, diff and read compare, update keeps the recorded key. */
export const hostKeyPinProvider = {
    async create(inputs: HostKeyPinArgs): Promise<{ id: string; outs: HostKeyPinState }> {
        const hostKey = await firstScan(inputs);
        return { id: `${inputs.host}:${inputs.port}`, outs: { ...argsOf(inputs), hostKey } };
    },
    async diff(_id: string, olds: HostKeyPinState, news: HostKeyPinArgs) {
        // Another address is another host: pin it afresh.
        const replaces = (["host", "port"] as const).filter((k) => olds[k] !== news[k]);
        if (replaces.length > 0) return { changes: true, replaces: [...replaces] };
        await verifyRecordedHostKey(news, olds.hostKey);
        const changed = (["label", "dialErrorLimit", "perDialTimeout"] as const).some((k) => olds[k] !== news[k]);
        return { changes: changed };
    },
    update(_id: string, olds: HostKeyPinState, news: HostKeyPinArgs): Promise<{ outs: HostKeyPinState }> {
        return Promise.resolve({ outs: { ...argsOf(news), hostKey: olds.hostKey } });
    },
    async read(id: string, props: HostKeyPinState): Promise<{ id: string; props: HostKeyPinState }> {
        await verifyRecordedHostKey(props, props.hostKey);
        return { id, props };
    },
};

/** Records a host's SSH key at the first connection and checks it on every later run (see the file comment). */
export class HostKeyPin extends pulumi.dynamic.Resource {
    /** The recorded key, "<type> <base64>", for `connection.hostKey` of every command of the host. */
    // `declare`: a class field would overwrite, after super(), the output the SDK sets (ES2022 class fields).
    declare public readonly hostKey: pulumi.Output<string>;

    constructor(name: string, args: HostKeyPinArgs, opts?: pulumi.CustomResourceOptions) {
        super(hostKeyPinProvider, name, { ...args, hostKey: undefined }, opts, undefined, "HostKeyPin");
    }
}

/**
 * components/onprem/host-steps.ts without the engine: the inputs and options each remote.Command gets (connection
 * bounds, host key, stdin secrecy, replace-with triggers). Expected values are literals; nothing is computed at load
 * time (see MUTATION.md).
 */
import * as assert from "assert";
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { HostConnection, stepArgs, stepOptions } from "../../components/onprem/host-steps";

const connection = (over: Partial<HostConnection> = {}): HostConnection => ({
    address: { publicIp: "203.0.113.11", privateIp: "10.5.0.1" },
    ssh: { user: "ubuntu", port: 2222, dialErrorLimit: 10, perDialTimeout: 15, hostKeyCheck: "first-use" },
    privateKey: "PRIVATE-KEY",
    ...over,
});

async function isSecret(value: unknown): Promise<boolean> {
    return pulumi.Output.isInstance(value) && (await (value as unknown as { isSecret: Promise<boolean> }).isSecret);
}

async function valueOf(value: unknown): Promise<unknown> {
    return pulumi.Output.isInstance(value) ? await (value as unknown as { promise(): Promise<unknown> }).promise() : value;
}

describe("host steps: remote.Command inputs and options", () => {
    it("connects with the node's public IP, the SSH settings and key, and no host key when none is given", () => {
        const args = stepArgs(connection(), { create: "c", update: "u", delete: "d" });
        assert.deepStrictEqual(args, {
            connection: { host: "203.0.113.11", port: 2222, user: "ubuntu", privateKey: "PRIVATE-KEY", dialErrorLimit: 10, perDialTimeout: 15 },
            create: "c",
            update: "u",
            delete: "d",
            stdin: undefined,
            triggers: undefined,
            addPreviousOutputInEnv: false,
        });
        assert.ok(!("hostKey" in (args.connection as object)));
    });

    it("verifies the host key when one is given (configured or recorded)", () => {
        const args = stepArgs(connection({ hostKey: "ssh-ed25519 AAAA" }), { create: "c" });
        assert.strictEqual((args.connection as { hostKey?: string }).hostKey, "ssh-ed25519 AAAA");
    });

    it("stdin stays plain unless marked secret; secret stdin becomes a Pulumi secret with the same text", async () => {
        const plain = stepArgs(connection(), { create: "c", stdin: "table inet openvidu_ha {}\n" });
        assert.strictEqual(plain.stdin, "table inet openvidu_ha {}\n");
        const notMarked = stepArgs(connection(), { create: "c", stdin: "x" }, { secretStdin: false });
        assert.strictEqual(notMarked.stdin, "x");
        const secret = stepArgs(connection(), { create: "c", stdin: "S --license=LIC\n" }, { secretStdin: true });
        assert.strictEqual(await isSecret(secret.stdin), true);
        assert.strictEqual(await valueOf(secret.stdin), "S --license=LIC\n");
        assert.strictEqual(stepArgs(connection(), { create: "c" }, { secretStdin: true }).stdin, undefined);
    });

    it("a step replaced with an earlier one has that step's id as its triggers", () => {
        const install = { id: "install-id" } as unknown as command.remote.Command;
        assert.deepStrictEqual(stepArgs(connection(), { create: "c" }, { replacedWith: install }).triggers, ["install-id"]);
    });

    it("options: a child of its pool, after the given resources, deleted before it is replaced", () => {
        const pool = { name: "pool" } as unknown as pulumi.Resource;
        const before = [{ name: "preflight" } as unknown as pulumi.Resource];
        assert.deepStrictEqual(stepOptions(pool, { dependsOn: before }), { parent: pool, dependsOn: before, deleteBeforeReplace: true });
        assert.deepStrictEqual(stepOptions(pool), { parent: pool, dependsOn: undefined, deleteBeforeReplace: true });
    });
});

/**
 * SSH host keys: the HostKeyPin provider as the engine runs it (serialized by the SDK, loaded from its text)
 * against an SSH server on loopback, and how the program wires host keys into every command of a host.
 */
import * as assert from "assert";
import * as net from "net";
import * as pulumi from "@pulumi/pulumi";
import { Server, utils } from "ssh2";
import { hostKeyPinProvider, HostKeyPinState } from "../../components/onprem/host-key-pin";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { ProgramRun, runProgram } from "../support/program";
import { pinArgs } from "../support/host-key-pin-args";
import { problemsOf, validate } from "../support/validation";

type Provider = typeof hostKeyPinProvider;

/**
 * A fresh ed25519 key pair that ssh2 can load. ssh2 1.17 writes about 1 in 200 generated ed25519 keys with a public
 * key whose leading zero byte is dropped (31 bytes), and its own parser then refuses them ("Malformed OpenSSH
 * private key"); that made this file fail at random.
 */
function loadableEd25519KeyPair(): { private: string; public: string } {
    for (;;) {
        const key = utils.generateKeyPairSync("ed25519");
        if (!(utils.parseKey(key.private) instanceof Error)) return key;
    }
}

/** An SSH server on 127.0.0.1 with its own host key; it accepts handshakes and never authenticates anyone. */
async function sshServer(port = 0): Promise<{ port: number; hostKey: string; close(): Promise<void> }> {
    const key = loadableEd25519KeyPair();
    const server = new Server({ hostKeys: [key.private] }, (client) => {
        client.on("authentication", (ctx) => ctx.reject());
        client.on("error", () => undefined);
    });
    await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
    const sockets = new Set<net.Socket>();
    server.on("connection", () => undefined);
    (server as unknown as { _srv: net.Server })._srv.on("connection", (s: net.Socket) => {
        sockets.add(s);
        s.on("close", () => sockets.delete(s));
    });
    return {
        port: (server.address() as net.AddressInfo).port,
        hostKey: key.public.split(" ").slice(0, 2).join(" "),
        close: () =>
            new Promise((resolve) => {
                sockets.forEach((s) => s.destroy());
                server.close(() => resolve());
            }),
    };
}

describe("HostKeyPin provider, serialized as the engine stores it", function () {
    this.timeout(60_000);
    let provider: Provider;
    let text: string;

    before(async () => {
        text = (await pulumi.runtime.serializeFunction(() => hostKeyPinProvider)).text;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped; loads a serialized provider as the engine's dynamic-provider host does
        const requireFromString: (code: string) => { handler(): Provider } = require("require-from-string");
        provider = requireFromString(text).handler();
    });

    it("serializes to a small closure that loads its modules when it runs", () => {
        assert.ok(text.length < 16_000, `${text.length} characters`);
        assert.doesNotMatch(text, /@pulumi|zod|ipaddr/);
        assert.match(text, /require\("ssh2"\)/);
    });

    it("records the key the host presents at the first connection", async () => {
        const server = await sshServer();
        try {
            const { id, outs } = await provider.create(pinArgs(server.port));
            assert.strictEqual(id, `127.0.0.1:${server.port}`);
            assert.deepStrictEqual(outs, { ...pinArgs(server.port), hostKey: server.hostKey });
        } finally {
            await server.close();
        }
    });

    it("compares on later runs: the same key passes, a changed key stops the run naming the host", async () => {
        const first = await sshServer();
        const { outs } = await provider.create(pinArgs(first.port));
        assert.deepStrictEqual(await provider.diff("id", outs, pinArgs(first.port)), { changes: false });
        assert.deepStrictEqual(await provider.read("id", outs), { id: "id", props: outs });
        await first.close();
        const impostor = await sshServer(first.port);
        try {
            const changed = new RegExp(
                `^Error: master-1 \\(127\\.0\\.0\\.1:${first.port}\\): the SSH host key changed: recorded SHA256:[A-Za-z0-9+/]{43}, presented now SHA256:[A-Za-z0-9+/]{43}\\. Nothing was sent to the host\\.`,
            );
            await assert.rejects(provider.diff("id", outs, pinArgs(first.port)), changed);
            await assert.rejects(provider.read("id", outs), changed);
        } finally {
            await impostor.close();
        }
    });

    it("lets an unreachable host pass the comparison (its commands verify the recorded key when they run)", async () => {
        const server = await sshServer();
        const { outs } = await provider.create(pinArgs(server.port));
        await server.close();
        assert.deepStrictEqual(await provider.diff("id", outs, pinArgs(server.port)), { changes: false });
    });

    it("pins afresh when the address changes, keeps the key when only the label or bounds change", async () => {
        const outs: HostKeyPinState = { ...pinArgs(1), hostKey: "ssh-ed25519 AAAA" };
        assert.deepStrictEqual(await provider.diff("id", outs, pinArgs(1, { host: "127.0.0.2" })), { changes: true, replaces: ["host"] });
        assert.deepStrictEqual((await provider.update("id", outs, pinArgs(1, { label: "master-2" }))).outs, {
            ...pinArgs(1, { label: "master-2" }),
            hostKey: "ssh-ed25519 AAAA",
        });
    });

    it("fails the first scan of an unreachable host after sshDialErrorLimit dials, naming it", async () => {
        const server = await sshServer();
        await server.close();
        await assert.rejects(
            provider.create(pinArgs(server.port, { label: "media-10-5-1-1" })),
            new RegExp(`^Error: media-10-5-1-1 \\(127\\.0\\.0\\.1:${server.port}\\): could not read the SSH host key after 2 attempt\\(s\\): .*ECONNREFUSED`),
        );
    });
});

describe("program: SSH host keys of on-prem nodes", () => {
    const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBk3Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MDEyMzQ1Njc4";
    const PIN = "pulumi-nodejs:dynamic:HostKeyPin";
    let firstUse: ProgramRun;
    let off: ProgramRun;

    before(async () => {
        const masterNodes = (onpremConfig().masterNodes as object[]).map((h, i) => (i === 0 ? { ...h, hostKey: HOST_KEY } : h));
        firstUse = await runProgram(onpremConfig({ masterNodes }), ONPREM_SECRET_KEYS);
        off = await runProgram(onpremConfig({ sshHostKeyCheck: "off" }), ONPREM_SECRET_KEYS);
    });

    it("by default pins on first use every node without hostKey, and uses the configured key of the others", () => {
        const pins = firstUse.ofType(PIN);
        assert.deepStrictEqual(pins.map((p) => p.name).sort(), [
            "masters-2-host-key",
            "masters-3-host-key",
            "masters-4-host-key",
            "media-10-5-1-1-host-key",
            "media-10-5-1-2-host-key",
        ]);
        const pin = firstUse.named("masters-2-host-key");
        assert.strictEqual(pin.parent, firstUse.named("masters").urn);
        const { __provider, ...inputs } = firstUse.inputsOf("masters-2-host-key");
        assert.deepStrictEqual(inputs, { label: "master-2", host: "203.0.113.12", port: 22, dialErrorLimit: 10, perDialTimeout: 15 });
        assert.strictEqual(typeof __provider, "string");
        assert.strictEqual(firstUse.inputsOf("masters-1-install", true).connection.hostKey, HOST_KEY);
    });

    it("gives every command of a pinned host the recorded key, so no command runs before the pin", () => {
        const pin = firstUse.named("media-10-5-1-1-host-key");
        for (const step of ["preflight", "install", "start", "health"]) {
            const r = firstUse.named(`media-10-5-1-1-${step}`);
            assert.strictEqual(firstUse.inputsOf(r.name, true).connection.hostKey, "(recorded at the first connection to 198.51.100.21:22)", r.name);
            assert.ok(r.dependsOn.includes(pin.urn), `${r.name} waits for the pin`);
        }
    });

    it("with sshHostKeyCheck off: no pin and no hostKey for nodes without one", () => {
        assert.deepStrictEqual(off.ofType(PIN), []);
        assert.ok(!("hostKey" in off.inputsOf("masters-2-install", true).connection));
    });

    it("with sshHostKeyCheck configured: every node must have hostKey", () => {
        const masterNodes = (onpremConfig().masterNodes as object[]).map((h) => ({ ...h, hostKey: HOST_KEY }));
        assert.deepStrictEqual(problemsOf(onpremConfig({ sshHostKeyCheck: "configured", masterNodes })), [
            "mediaNodes[0].hostKey: is required when sshHostKeyCheck is configured",
            "mediaNodes[1].hostKey: is required when sshHostKeyCheck is configured",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ sshHostKeyCheck: "tofu" })), [
            "sshHostKeyCheck: must be one of first-use, configured, off, got 'tofu'",
        ]);
    });

    it("warns, naming the nodes, when keys are pinned on first use or not verified", () => {
        assert.deepStrictEqual(validate(onpremConfig()).warnings, [
            "sshHostKeyCheck: no hostKey for masterNodes[0], masterNodes[1], masterNodes[2], masterNodes[3], mediaNodes[0], mediaNodes[1]: " +
                "each one's SSH host key is recorded at the first connection and required from then on; compare the recorded keys " +
                "(pulumi stack output masterNodes, mediaNodes) with the hosts' own and set hostKey",
        ]);
        assert.deepStrictEqual(
            validate(onpremConfig({ sshHostKeyCheck: "off", mediaNodes: [{ publicIp: "198.51.100.21", privateIp: "10.5.1.1", hostKey: HOST_KEY }] })).warnings,
            [
                "sshHostKeyCheck: off: the SSH host keys of masterNodes[0], masterNodes[1], masterNodes[2], masterNodes[3] are not verified; " +
                    "whoever answers at those addresses receives the cluster's secrets",
            ],
        );
    });

    it("outputs the key each node is verified with", () => {
        const outputs = firstUse.outputs as { masterNodes: { label: string; hostKey?: string }[]; mediaNodes: { hostKey?: string }[] };
        assert.strictEqual(outputs.masterNodes[0].hostKey, HOST_KEY);
        assert.strictEqual(outputs.masterNodes[1].hostKey, "(recorded at the first connection to 203.0.113.12:22)");
        assert.ok(!("hostKey" in (off.outputs as { masterNodes: object[] }).masterNodes[1]));
    });
});

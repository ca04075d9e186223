// SSH host identity on test hosts: a configured key connects and a changed one stops the host's commands; without
// a configured key the key is recorded at the first run (with a warning) and a changed key stops the next run,
// naming the host, before any command reaches it. The pin's provider runs from its serialized text, as the
// engine runs it; the commands run with the connection the program recorded, verified like @pulumi/command.
// A test that changes a host's key has a host of its own (h2, h3), so each test runs alone and in any order.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { Deployment } from "./deployment";
import { useLab } from "./lab";

const keyOnly = (line: string) => line.split(" ").slice(0, 2).join(" ");
const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

type PinProvider = { diff(id: string, olds: object, news: object): Promise<{ changes?: boolean }> };

describe("SSH host keys on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    // h0: configured key; h1: recorded key; h2: recorded key, then changed; h3: configured key, then changed
    const lab = useLab([good, good, good, good]);
    let h: TestHost[];
    let d: Deployment;
    let warnings: string[];

    before(async function () {
        h = lab.hosts.hosts;
        warnings = [];
        const warn = console.warn;
        console.warn = (...args: unknown[]) => {
            warnings.push(args.join(" "));
        };
        try {
            d = await Deployment.of(lab, {
                masters: [{ host: h[0], hostKey: h[0].hostKey() }, { host: h[3], hostKey: h[3].hostKey() }, { address: "10.99.4.2" }, { address: "10.99.4.3" }],
                media: [h[1], h[2]],
            });
        } finally {
            console.warn = warn;
        }
    });

    it("a host with its configured hostKey connects", async function () {
        const step = d.stepOf(h[0], "preflight");
        assert.equal(step.connection.hostKey, h[0].hostKey());
        const r = await d.run(step);
        assert.equal(r.exitCode, 0, r.stderr);
    });

    it("without hostKey: the key is recorded at the first run, with a warning naming the node, and verified", async function () {
        const media = d.select({ hosts: [h[1]] });
        assert.deepEqual(
            media.map((s) => s.connection.hostKey),
            media.map(() => keyOnly(h[1].hostKey())),
        );
        assert.deepEqual(
            warnings.filter((w) => w.includes("sshHostKeyCheck")).map((w) => /no hostKey for ([^:]*):/.exec(w)?.[1]),
            ["mediaNodes[0], mediaNodes[1]"],
        );
        const r = await d.run(d.stepOf(h[1], "preflight"));
        assert.equal(r.exitCode, 0, r.stderr);
    });

    it("a changed key stops the next run naming the host, and the recorded key stops the host's commands", async function () {
        const label = d.stepOf(h[2], "preflight").label;
        const pinName = `media-${h[2].address.replace(/\./g, "-")}-host-key`;
        const { __provider, ...inputs } = d.program.inputsOf(pinName) as { __provider: string } & Record<string, unknown>;
        // eslint-disable-next-line @typescript-eslint/no-require-imports -- untyped; loads a serialized provider as the engine's dynamic-provider host does
        const provider = (require("require-from-string")(__provider) as { handler(): PinProvider }).handler();
        const recorded = { ...inputs, hostKey: d.stepOf(h[2], "preflight").connection.hostKey };
        assert.deepEqual(await provider.diff("id", recorded, inputs), { changes: false });

        await h[2].replaceHostKey();
        await assert.rejects(
            provider.diff("id", recorded, inputs),
            new RegExp(`^Error: ${escape(label)} \\(${escape(h[2].address)}:22\\): the SSH host key changed: recorded SHA256:`),
        );
        await assert.rejects(d.run(d.stepOf(h[2], "preflight")), /host key mismatch/);
    });

    it("a host whose configured key changed is refused by every command", async function () {
        await h[3].replaceHostKey();
        // The provider's own message (connection.go dialWithRetry); the engine reports it on the step's resource.
        await assert.rejects(d.run(d.stepOf(h[3], "preflight")), /^Error: after \d+ failed attempts: ssh: handshake failed: ssh: host key mismatch$/);
    });
});

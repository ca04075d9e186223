// Self-tests of the test-host harness, kept where the harness must match the real thing: the remote runner against
// @pulumi/command 1.2.1 (each test names the provider source it follows), and hosts keeping their writes to
// themselves. What the other host tests exercise anyway (logins, fake CPU/memory, sudo, systemd detection, kill and
// restart, the process sampler, teardown) is not tested again here. Each test runs alone; none changes what
// another reads (the sshd config change is undone in `finally`).
import { strict as assert } from "assert";
import * as fs from "fs";
import * as net from "net";
import * as path from "path";
import { CommandFailedError, DialError, runRemote, runRemoteCommand, TestHost } from "./harness";
import { ssh, useLab } from "./lab";

describe("test-host harness", function () {
    const lab = useLab([{}, {}, { sshd: false }]);
    let h0: TestHost, h1: TestHost, h2: TestHost;
    before(() => {
        [h0, h1, h2] = lab.hosts.hosts;
    });

    describe("hosts", function () {
        it("keep /opt and /etc writes to themselves: nothing reaches the real machine or another host", async function () {
            const f = `ovha-isolation-${lab.hosts.runId}`;
            const r = await ssh(h0, `echo h0 > /opt/${f} && echo h0 > /etc/${f}`);
            assert.equal(r.exitCode, 0, r.stderr);
            try {
                assert.equal(await h0.readFile(`/opt/${f}`), "h0\n");
                assert.equal(await h0.readFile(`/etc/${f}`), "h0\n");
                for (const dir of ["/opt", "/etc"]) {
                    assert.equal(fs.existsSync(`${dir}/${f}`), false, `${dir}/${f} leaked to the real machine`);
                    assert.equal(await h1.fileExists(`${dir}/${f}`), false, `${dir}/${f} leaked to ${h1.name}`);
                }
            } finally {
                await h0.exec(`rm -f /opt/${f} /etc/${f}`);
            }
        });
    });

    describe("remote runner", function () {
        it("passes stdin through; update falls back to create; a missing delete runs nothing (commandController.go)", async function () {
            const c = h1.connection();
            assert.equal((await runRemoteCommand(c, { create: "cat", stdin: "a\nb c\n" }))?.stdout, "a\nb c");
            const upd = await runRemoteCommand(c, { create: "echo create", delete: "echo delete" }, "update");
            assert.equal(upd?.stdout, "create");
            assert.equal(await runRemoteCommand(c, { create: "true" }, "delete"), undefined);
        });

        it("fails a command with the provider's one error: the command and stdout+stderr combined (commandOutputs.go run)", async function () {
            const c = h1.connection();
            const failure = async (command: string) => {
                const e = await runRemoteCommand(c, { create: command }).then(
                    () => undefined,
                    (x: unknown) => x,
                );
                assert.ok(e instanceof CommandFailedError, String(e));
                return e;
            };
            const out = await failure("echo out; exit 7");
            assert.equal(out.message, 'Process exited with status 7: running "echo out; exit 7":\nout\n');
            const err = await failure("echo 'to \"stderr\"' >&2; exit 1");
            assert.equal(err.message, 'Process exited with status 1: running "echo \'to \\"stderr\\"\' >&2; exit 1":\nto "stderr"\n');
            // Both streams in one buffer, in the order they arrived (two channels: either order is the provider's).
            const both = await failure("echo one; echo two >&2; exit 3");
            assert.deepEqual(both.output.split("\n").sort(), ["", "one", "two"]);
            assert.equal(both.message, `Process exited with status 3: running "echo one; echo two >&2; exit 3":\n${both.output}`);
        });

        it("offers the previous outputs as PULUMI_COMMAND_STDOUT/_STDERR before updates and deletes, like the provider", async function () {
            const c = h1.connection();
            const show = 'printf "%s|%s" "${PULUMI_COMMAND_STDOUT-unset}" "${PULUMI_COMMAND_STDERR-unset}"';
            const spec = { create: show, delete: show };
            const previous = { stdout: "out", stderr: "" };
            const warnings = async (s: object, op: "create" | "update" | "delete", p = previous) =>
                (await runRemoteCommand(c, s, op, p))!.warnings.map((w) => w.split("'")[1]);
            // A stock sshd (no AcceptEnv) refuses: the provider's warning, once per non-empty output.
            assert.deepEqual(await warnings(spec, "create"), []);
            assert.deepEqual(await warnings(spec, "update"), ["PULUMI_COMMAND_STDOUT"]);
            assert.deepEqual(await warnings(spec, "delete", { stdout: "o", stderr: "e" }), ["PULUMI_COMMAND_STDOUT", "PULUMI_COMMAND_STDERR"]);
            assert.deepEqual(await warnings({ ...spec, addPreviousOutputInEnv: false }, "delete", { stdout: "o", stderr: "e" }), []);
            // An sshd that accepts them: the command sees the values, no warning.
            const config = path.join(h1.stateDir, "sshd_config");
            const stock = fs.readFileSync(config, "utf8");
            const reload = async () => assert.equal((await h1.exec('kill -HUP "$(cat /run/sshd.pid)"')).exitCode, 0);
            fs.writeFileSync(config, `${stock}AcceptEnv PULUMI_COMMAND_*\n`);
            try {
                await reload();
                const r = await runRemoteCommand(c, spec, "update", { stdout: "out", stderr: "err" });
                assert.deepEqual([r!.stdout, r!.warnings], ["out|err", []]);
            } finally {
                fs.writeFileSync(config, stock);
                await reload();
            }
        });

        it("dials dialErrorLimit + 1 times before giving up (connection.go dialWithRetry, reachedDialingErrorLimit)", async function () {
            // h2 drops every packet: each dial is a TCP connect timing out after perDialTimeout.
            for (const [limit, dials] of [
                [0, 1],
                [3, 4],
            ]) {
                const err = await runRemote({ ...h2.connection(), dialErrorLimit: limit, perDialTimeout: 1 }, "true").then(
                    () => undefined,
                    (e: unknown) => e,
                );
                assert.ok(err instanceof DialError, String(err));
                assert.equal(err.attempts, dials);
                assert.equal(err.message, `after ${limit} failed attempts: dial tcp ${h2.address}:22: i/o timeout`);
            }
        });

        it("bounds only the TCP connect by perDialTimeout, not the SSH handshake (connection.go SSHConfig Timeout, ssh.Dial)", async function () {
            // A forwarder that accepts at once and lets the host's sshd speak only after 2.5 s: a handshake longer
            // than perDialTimeout (1 s), which the provider's Go client lets finish.
            const server = net.createServer((client) => {
                client.pause();
                setTimeout(() => {
                    const upstream = net.connect({ host: h1.address, port: 22 });
                    client.pipe(upstream).pipe(client);
                    client.resume();
                    upstream.on("error", () => client.destroy());
                    client.on("error", () => upstream.destroy());
                }, 2500);
            });
            await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
            try {
                const port = (server.address() as net.AddressInfo).port;
                const r = await runRemote({ ...h1.connection(), host: "127.0.0.1", port, dialErrorLimit: 0, perDialTimeout: 1 }, "echo in");
                assert.deepEqual([r.stdout, r.dialAttempts], ["in", 1]);
            } finally {
                server.close();
            }
        });

        it("verifies hostKey like the provider: the host's key connects, another key fails every dial", async function () {
            const c = { ...h1.connection(), dialErrorLimit: 1, perDialTimeout: 5 };
            assert.equal((await runRemote({ ...c, hostKey: h1.hostKey() }, "echo ok")).stdout, "ok");
            const err = await runRemote({ ...c, hostKey: h0.hostKey() }, "true").then(
                () => undefined,
                (e: unknown) => e,
            );
            assert.ok(err instanceof DialError, String(err));
            assert.equal(err.attempts, 2);
            assert.equal(err.message, "after 1 failed attempts: ssh: handshake failed: ssh: host key mismatch");
            await assert.rejects(runRemote({ ...c, hostKey: "ssh-ed25519 not-base64!" }, "true"), /failed to parse host key/);
        });
    });
});

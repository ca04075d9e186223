// The user-facing lab (tools/lab): `up`, `deploy`, a change of Pulumi.lab.yaml, `status` and `down`, each run as
// the user runs it (a separate `npm run lab` process), in a lab directory and stack file of the test's own.
// `before` brings the lab up; the tests of `up` only read it. The deploys are one scenario (a first deploy, an
// unchanged one, a changed stack file, status) in one test, the only one that deploys; `down` brings the lab up
// again when it is done. So each test runs alone (`--grep`) and in any order.
import { strict as assert } from "assert";
import { spawn, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse, stringify } from "yaml";
import { findLeftovers, runRemote } from "./harness";
import { listNetns, uptimeTicks } from "./harness/run-context";
import { readStackConfig } from "../../tools/plan/stack-config";
import { files, keeperAlive, LabState, readState } from "../../tools/lab/state";

const ROOT = path.join(__dirname, "..", "..");

describe("the local lab (npm run lab)", function () {
    this.timeout(300_000);
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "ovha-lab-test-"));
    const env: NodeJS.ProcessEnv & { OVHA_LAB_DIR: string; OVHA_LAB_STACK_FILE: string } = {
        ...process.env,
        OVHA_LAB_DIR: path.join(tmp, "lab"),
        OVHA_LAB_STACK_FILE: path.join(tmp, "Pulumi.lab.yaml"),
    };
    delete env.SUDO_UID;
    let state: LabState;

    /** `npm run lab -- <args>` as its own process. */
    function lab(...args: string[]): { code: number | null; out: string } {
        const r = spawnSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.join(ROOT, "tools", "lab", "cli.ts"), ...args], {
            cwd: ROOT,
            env,
            encoding: "utf8",
            timeout: 240_000,
        });
        return { code: r.status, out: r.stdout + r.stderr };
    }

    /** The lines a deploy printed under `host`, without timings: "<step> <operation>". */
    function ranOn(out: string, host: string): string[] {
        const block = out.split("\n");
        const start = block.findIndex((l) => l === `${host}:` || l === `${host}: nothing ran`);
        assert.ok(start >= 0, `no ${host} in:\n${out}`);
        const lines: string[] = [];
        for (const l of block.slice(start + 1)) {
            const m = /^ {2}\+\s*[\d.]+s (\S+) (\S+) \([\d.]+s\)(.*)$/.exec(l);
            if (!m) break;
            // The node's own steps; the convergence chain (converge-*) of a media node is the lifecycle tests' concern.
            if (!m[1].startsWith("converge-")) lines.push(`${m[1]} ${m[2]}${m[3]}`);
        }
        return lines;
    }

    const steps = (prefix: string) => ["preflight", "install", "start", "health"].map((k) => `${prefix}-${k} create`);

    /** `lab up`, which every test starts from. */
    function labUp(): void {
        const r = lab("up");
        assert.equal(r.code, 0, r.out);
        state = readState(env.OVHA_LAB_DIR)!;
    }

    before(labUp);

    after(function () {
        if (readState(env.OVHA_LAB_DIR)) lab("down");
        fs.rmSync(tmp, { recursive: true, force: true });
    });

    it("up: 4 masters, 2 media nodes and a spare, answering SSH with the pinned host keys after `up` exited", function () {
        assert.deepEqual(
            state.hosts.map((h) => h.name),
            ["master-1", "master-2", "master-3", "master-4", "media-1", "media-2", "spare-1"],
        );
        assert.ok(keeperAlive(state), "the keeper outlives `up`");
    });

    it("up: each host answers SSH with the key and the host key of the stack file", async function () {
        const key = fs.readFileSync(files(env.OVHA_LAB_DIR).privateKey, "utf8");
        for (const h of state.hosts) {
            const r = await runRemote({ host: h.address, port: 22, user: "root", privateKey: key, hostKey: h.hostKey }, "hostname");
            assert.deepEqual([r.exitCode, r.stdout.trim()], [0, h.name]);
        }
    });

    it("up: the stack file is a passphrase stack the CLI rules accept, secrets only as secure values", function () {
        const text = fs.readFileSync(env.OVHA_LAB_STACK_FILE, "utf8");
        const file = parse(text);
        assert.match(file.encryptionsalt, /^v1:[A-Za-z0-9+/=]+:v1:/);
        const key = fs.readFileSync(files(env.OVHA_LAB_DIR).privateKey, "utf8");
        assert.ok(!text.includes(key.split("\n")[1]), "the SSH key is not in the file in clear");
        const cli = readStackConfig(ROOT, env.OVHA_LAB_STACK_FILE, "lab", { env: { PULUMI_CONFIG_PASSPHRASE_FILE: files(env.OVHA_LAB_DIR).passphrase } });
        assert.equal(cli.config["openvidu-ha:sshPrivateKey"], key);
        assert.equal(cli.config["openvidu-ha:dnsProvider"], "none");
        assert.ok(cli.secretKeys.includes("openvidu-ha:license") && cli.secretKeys.includes("openvidu-ha:sshPrivateKey"));
        assert.deepEqual(
            JSON.parse(cli.config["openvidu-ha:masterNodes"]).map((n: { hostKey: string }) => n.hostKey),
            state.hosts.filter((h) => h.role === "master").map((h) => h.hostKey),
        );
    });

    it("up again: refused while the lab is up", function () {
        const r = lab("up");
        assert.equal(r.code, 2, r.out);
        assert.match(r.out, /lab: a lab is already up \(7 hosts, since .*\): `sudo npm run lab -- down` first/);
    });

    it("deploy: a first deploy, an unchanged one, the spare added to Pulumi.lab.yaml, status", async function () {
        // A first deploy: every cluster host runs preflight, install, start, health in order; the spare runs nothing.
        const r = lab("deploy");
        assert.equal(r.code, 0, r.out);
        assert.match(r.out, /^lab deploy \(first deploy, .* \d+ commands run in [\d.]+s$/m);
        for (const i of [1, 2, 3, 4]) assert.deepEqual(ranOn(r.out, `master-${i}`), steps(`masters-${i}`));
        for (const h of state.hosts.filter((x) => x.role === "media")) {
            assert.deepEqual(ranOn(r.out, h.name), steps(`media-${h.address.replace(/\./g, "-")}`));
        }
        assert.deepEqual(ranOn(r.out, "spare-1"), []);
        const key = fs.readFileSync(files(env.OVHA_LAB_DIR).privateKey, "utf8");
        const media = state.hosts.find((h) => h.name === "media-1")!;
        const runs = await runRemote({ host: media.address, port: 22, user: "root", privateKey: key }, "ls /var/log/openvidu-installer-double");
        assert.deepEqual(runs.stdout.split("\n").filter(Boolean), ["001"], "the installer double ran once on media-1");

        // No change: nothing runs.
        const unchanged = lab("deploy");
        assert.equal(unchanged.code, 0, unchanged.out);
        assert.match(unchanged.out, /^lab deploy \(after the previous deploy, .* 0 commands run in/m);

        // The spare added as a media node in Pulumi.lab.yaml: only what the engine plans runs.
        const file = parse(fs.readFileSync(env.OVHA_LAB_STACK_FILE, "utf8"));
        const spare = state.hosts.find((h) => h.name === "spare-1")!;
        file.config["openvidu-ha:mediaNodes"].push({ publicIp: spare.address, privateIp: spare.address, hostKey: spare.hostKey });
        fs.writeFileSync(env.OVHA_LAB_STACK_FILE, stringify(file, { lineWidth: 0 }));
        const changed = lab("deploy");
        assert.equal(changed.code, 0, changed.out);
        assert.deepEqual(ranOn(changed.out, "spare-1"), steps(`media-${spare.address.replace(/\./g, "-")}`));
        assert.deepEqual(ranOn(changed.out, "media-1"), []);
        assert.ok(fs.existsSync(files(env.OVHA_LAB_DIR).previousRun), "the previous run is kept");

        // status: every host, SSH answering, and what the last deploy ran there.
        const status = lab("status");
        assert.equal(status.code, 0, status.out);
        for (const h of state.hosts) assert.match(status.out, new RegExp(`^${h.name} +${h.role} +${h.address.replace(/\./g, "\\.")} +ssh ok`, "m"));
        assert.match(status.out, /openvidu-runtime-double/);
        assert.match(status.out, /^ {4}last deploy: \+\s*[\d.]+s media-[\d-]+-health create/m);
    });

    it("down: removes everything (namespaces, links, processes, mounts, files); down again says no lab is up", async function () {
        const startedBefore = uptimeTicks();
        // The kernel gives a freed namespace's number to the next new one at once: a process that starts in it while
        // down runs is not the lab's. Stand-in: a namespace of the test's own, its id added to the lab's recorded ones,
        // entered by a process forked once the keeper's teardown has removed the first host's namespace.
        const held = `labtest-held-${process.pid}`;
        assert.equal(spawnSync("ip", ["netns", "add", held]).status, 0);
        const late = spawn(
            "sh",
            [
                "-c",
                'while ip netns list | grep -q -e "^$1$" -e "^$1 "; do sleep 0.05; done; ip netns exec "$2" sleep 120 & wait',
                "sh",
                state.hosts[0].netns,
                held,
            ],
            { detached: true, stdio: "ignore" },
        );
        try {
            const heldId = spawnSync("ip", ["netns", "exec", held, "readlink", "/proc/self/ns/net"], { encoding: "utf8" }).stdout.trim();
            assert.match(heldId, /^net:\[\d+\]$/);
            const stateFile = files(env.OVHA_LAB_DIR).state;
            const recorded = JSON.parse(fs.readFileSync(stateFile, "utf8")) as LabState;
            fs.writeFileSync(stateFile, JSON.stringify({ ...recorded, nsIds: [...recorded.nsIds, heldId] }));
            const r = lab("down");
            assert.equal(r.code, 0, r.out);
            assert.match(r.out, /^lab down: 7 hosts of run \w+ removed; nothing left$/m);
            assert.notEqual(spawnSync("ip", ["netns", "pids", held], { encoding: "utf8" }).stdout.trim(), "", "the late process ran during down");
        } finally {
            try {
                process.kill(-late.pid!, "SIGKILL");
            } catch {
                // already gone
            }
            for (const pid of spawnSync("ip", ["netns", "pids", held], { encoding: "utf8" }).stdout.split("\n").filter(Boolean))
                process.kill(Number(pid), "SIGKILL");
            spawnSync("ip", ["netns", "del", held]);
        }
        assert.ok(!keeperAlive(state), "the keeper is gone");
        assert.deepEqual(await findLeftovers(state.runId, state.nsIds, startedBefore), []);
        assert.deepEqual(
            (await listNetns()).filter((n) => n.startsWith(`ovha-${state.runId}-`)),
            [],
        );
        assert.ok(!fs.existsSync(env.OVHA_LAB_DIR), "the lab directory is removed");
        assert.ok(!fs.existsSync(env.OVHA_LAB_STACK_FILE), "the stack file is removed");
        assert.ok(!fs.existsSync(state.runDir), "the harness run directory is removed");
        const again = lab("down");
        assert.deepEqual([again.code, again.out.trim()], [0, `no lab is up (nothing in ${env.OVHA_LAB_DIR})`]);
        labUp(); // the lab the other tests start from
    });
});

// Preflight, as the program sends it, on good and bad test hosts; the sudo path of every step.
// Each test runs one step on a host of its own (the sudo test installs on h6 only), so any test runs alone.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { Deployment, failureOutput } from "./deployment";
import { useLab } from "./lab";

/** The seed's prerequisites, 4 CPU cores and 4 GB RAM; README: MemTotal >= 3600 MiB (literal, not the program's constants). */
const MINIMUM_CPUS = 4;
const MINIMUM_MEMORY_MB = 3600;

describe("preflight on test hosts (the program's commands)", function () {
    const good = { cpus: MINIMUM_CPUS, memMb: 4096 };
    const lab = useLab([
        good, // h0 passes
        { ...good, memMb: MINIMUM_MEMORY_MB - 1 }, // h1 one MiB short, as /proc/meminfo says
        { ...good, cpus: MINIMUM_CPUS - 1 }, // h2 one core short
        { ...good, systemd: false }, // h3 no systemd
        good, // h4 configured with a privateIp it does not have
        { ...good, extraUser: "deploy" }, // h5 non-root user without sudo
        { ...good, extraUser: "ops", extraUserSudo: true }, // h6 non-root user with passwordless sudo
    ]);
    let h: TestHost[];
    let asRoot: Deployment;
    const wrongIp = "10.99.0.4";

    before(async function () {
        h = lab.hosts.hosts;
        asRoot = await Deployment.of(lab, {
            masters: [h[0], { host: h[4], privateIp: wrongIp }, h[1], h[2]],
            media: [h[3]],
        });
    });

    /** stderr lines of a failed preflight: one per failed check, then the summary. */
    const failureLines = (stderr: string) => stderr.split("\n").filter(Boolean);

    it("passes on a host with enough cores and memory, systemd and its privateIp", async function () {
        const r = await asRoot.run(asRoot.stepOf(h[0], "preflight"));
        assert.equal(r.exitCode, 0, r.stderr);
        assert.equal(r.stdout, `preflight passed on master-1: Linux with systemd, root, ${h[0].address} bound, ${MINIMUM_CPUS} cores, 4096 MB`);
        assert.equal(r.stderr, "");
    });

    const cases: [string, number, (h: TestHost[]) => string, string][] = [
        ["too little memory", 1, () => "master-3", `${MINIMUM_MEMORY_MB - 1} MB of memory, at least ${MINIMUM_MEMORY_MB} MB are required`],
        ["too few cores", 2, () => "master-4", `${MINIMUM_CPUS - 1} CPU cores, at least ${MINIMUM_CPUS} are required`],
        [
            "no systemd",
            3,
            (x) => `media-${x[3].address.replace(/\./g, "-")}`,
            "systemd is not running (no /run/systemd/system); the openvidu service needs systemd",
        ],
    ];
    for (const [what, i, label, check] of cases) {
        it(`fails on a host with ${what}, naming the host and the check`, async function () {
            const step = asRoot.stepOf(h[i], "preflight");
            assert.equal(step.label, label(h));
            const r = await asRoot.run(step);
            assert.deepEqual(failureLines(failureOutput(r, step.spec.create)), [
                `preflight failed on ${label(h)}: ${check}`,
                `preflight failed on ${label(h)}: 1 check(s) failed`,
            ]);
        });
    }

    it("fails on a host that does not have the configured privateIp", async function () {
        const step = asRoot.stepOf(h[4], "preflight");
        const r = await asRoot.run(step);
        const lines = failureLines(failureOutput(r, step.spec.create));
        assert.equal(lines.length, 2, r.error);
        assert.match(
            lines[0],
            new RegExp(
                `^preflight failed on master-2: privateIp ${wrongIp.replace(/\./g, "\\.")} ` +
                    `is not bound on this host \\(bound: .*\\b${h[4].address.replace(/\./g, "\\.")}\\b`,
            ),
        );
        assert.equal(lines[1], "preflight failed on master-2: 1 check(s) failed");
    });

    it("fails for a non-root SSH user without passwordless sudo, before running any check", async function () {
        const asDeploy = await Deployment.of(lab, { masters: [h[5], h[0], h[1], h[2]], media: [h[3]], config: { sshUser: "deploy" } });
        const step = asDeploy.stepOf(h[5], "preflight");
        assert.equal(step.connection.user, "deploy");
        const r = await asDeploy.run(step);
        assert.equal(failureOutput(r, step.spec.create), "preflight failed on master-1: user deploy is not root and has no passwordless sudo");
    });

    it("passes for a non-root SSH user with passwordless sudo, and install runs as root through it", async function () {
        const asOps = await Deployment.of(lab, { masters: [h[6], h[0], h[1], h[2]], media: [h[3]], config: { sshUser: "ops" } });
        assert.equal(asOps.stepOf(h[6], "preflight").connection.user, "ops");
        await asOps.up({ hosts: [h[6]], kinds: ["preflight", "install", "start", "health"] });
        // The installer double refuses to run unless it is root, and records how it was run.
        assert.equal(await h[6].readFile("/var/log/openvidu-installer-double/001/status"), "finished\n");
        assert.equal((await h[6].exec("stat -c %U /var/lib/openvidu-ha/installed")).stdout, "root\n");
        assert.equal((await h[6].exec("systemctl is-active openvidu")).stdout, "active\n");
    });
});

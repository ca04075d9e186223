// Install, as the program sends it: flags per role and release line, HTTPS source and checksum, idempotence.
import { strict as assert } from "assert";
import * as crypto from "crypto";
import { InstallerArg, installerArgs, renderArg } from "../../components/core/installer-flags";
import { releaseLineOf } from "../../components/core/release-lines";
import { CertificateType, NodeRole, RtcEngine } from "../../components/core/types";
import { installFingerprint } from "../../components/onprem/host-commands";
import { installerUrl } from "../../components/host/host-scripts";
import { runProgramFailure } from "../support/program";
import { installerDoubleScript, TestHost } from "./harness";
import { ClusterSpec, Deployment, failureOutput, hostSnapshot, installerRuns, stackConfig } from "./deployment";
import { useLab } from "./lab";

/** The arguments installerArgs gives for this node of the stack config, derived here from the config itself. */
function expectedArgs(config: Record<string, any>, role: NodeRole, nodeIp: string): InstallerArg[] {
    const line = releaseLineOf(config.openviduVersion)!;
    return installerArgs(
        {
            role,
            line,
            domain: config.domain,
            turnDomain: config.turnDomain,
            rtcEngine: (config.rtcEngine ?? "pion") as RtcEngine,
            modules: config.modules ?? line.defaultModules,
            masterPrivateIps: config.masterNodes.map((n: { privateIp: string }) => n.privateIp),
            nodePrivateIp: nodeIp,
            certificate: role === "master" ? { type: config.certificateType as CertificateType, letsencryptEmail: config.letsencryptEmail } : undefined,
        },
        {
            license: config.license,
            credentials: Object.fromEntries(line.credentials.map((k) => [k, config[k]])),
        },
    );
}

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

describe("install on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good, good]);
    let h: TestHost[];
    let line38: ClusterSpec, line30: ClusterSpec;
    let d38: Deployment, d30: Deployment;
    const never = (i: number) => ({ address: `10.99.1.${i}` }); // masters of the config that no test dials

    before(async function () {
        h = lab.hosts.hosts;
        line38 = { masters: [h[0], h[4], never(1), never(2)], media: [h[1]] };
        line30 = {
            masters: [h[2], never(1), never(2), never(3)],
            media: [h[3]],
            config: {
                openviduVersion: "3.0.0",
                turnDomain: "turn.hosts.example.com",
                certificateType: "letsencrypt",
                letsencryptEmail: "ops@hosts.example.com",
                modules: ["observability", "app"],
                rtcEngine: "mediasoup",
            },
        };
        d38 = await Deployment.of(lab, line38);
        d30 = await Deployment.of(lab, line30);
    });

    const nodes = () => [
        { d: d38, host: h[0], role: "master" as const, version: "3.8.0" },
        { d: d38, host: h[1], role: "media" as const, version: "3.8.0" },
        { d: d30, host: h[2], role: "master" as const, version: "3.0.0" },
        { d: d30, host: h[3], role: "media" as const, version: "3.0.0" },
    ];

    it("passes each role the release line's flags, in order (3.8 and 3.0)", async function () {
        await Promise.all(nodes().map(({ d, host }) => d.up({ hosts: [host], kinds: ["preflight", "install"] })));
        for (const { d, host, role, version } of nodes()) {
            assert.deepEqual(await installerRuns(host), ["001"], `${host.name}: one installer run`);
            const rec = "/var/log/openvidu-installer-double/001";
            const expected = expectedArgs(d.config, role, host.address).map(renderArg);
            assert.ok(expected.includes(`--node-role=${role}-node`));
            assert.equal(await host.readFile(`${rec}/argv`), expected.map((a) => `${a}\n`).join(""), `${host.name} ${role} ${version}`);
            assert.equal(await host.readFile(`${rec}/role`), `${role}\n`);
            assert.equal(await host.readFile(`${rec}/version`), `${version}\n`);
            assert.equal(await host.readFile(`${rec}/status`), "finished\n");
        }
        // The lines really differ where the vendor changed them.
        assert.match(await h[0].readFile("/var/log/openvidu-installer-double/001/argv"), /^--domain-name=openvidu\.hosts\.example\.com$/m);
        assert.match(await h[2].readFile("/var/log/openvidu-installer-double/001/argv"), /^--domain-name-or-ip=openvidu\.hosts\.example\.com$/m);
        assert.match(await h[1].readFile("/var/log/openvidu-installer-double/001/argv"), new RegExp(`^--private-ip=${h[1].address}$`, "m"));
    });

    it("fetches the installer over HTTPS from the pinned version's path, once per host", function () {
        for (const { host, role, version } of nodes()) {
            const fetched = lab.server.requests.filter((q) => q.remoteAddress === host.address).map((q) => [q.method, q.path, q.status]);
            assert.deepEqual(fetched, [["GET", `/pro/ha/${version}/install_ov_${role}_node.sh`, 200]], host.name);
        }
        const step = d38.stepOf(h[0], "install");
        assert.ok(step.spec.create.includes(`'${lab.server.url}/pro/ha/3.8.0/install_ov_master_node.sh'`));
        assert.match(lab.server.url, /^https:\/\//);
    });

    it("records the program's fingerprint of the inputs", async function () {
        for (const { d, host, role } of nodes()) {
            const config = d.config as Record<string, any>;
            const fingerprint = installFingerprint(
                {
                    label: d.stepOf(host, "install").label,
                    role,
                    retainData: true,
                    installerUrl: installerUrl(config.installerBaseUrl, config.openviduVersion, role),
                },
                expectedArgs(config, role, host.address),
            );
            assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${fingerprint}\n`, host.name);
        }
    });

    it("changes nothing when run again with the same inputs: no download, no installer run, no file written", async function () {
        const again38 = await Deployment.of(lab, line38);
        const again30 = await Deployment.of(lab, line30);
        for (const [first, again] of [
            [d38, again38],
            [d30, again30],
        ]) {
            for (const host of [h[0], h[1], h[2], h[3]].filter((x) => first.select({ hosts: [x] }).length > 0)) {
                assert.deepEqual(again.stepOf(host, "install").spec, first.stepOf(host, "install").spec, "same commands");
            }
        }
        const before = await Promise.all(nodes().map(({ host }) => hostSnapshot(host)));
        const requests = lab.server.requests.length;
        const runs = await Promise.all(
            nodes().map(({ host }) => (host === h[0] || host === h[1] ? again38 : again30).up({ hosts: [host], kinds: ["preflight", "install"] })),
        );
        for (const [i, { host }] of nodes().entries()) {
            const install = [...runs[i].values()].find((r) => r.step.endsWith("-install"))!;
            assert.match(install.stdout, /: already installed with these inputs, nothing to do$/);
            assert.deepEqual(await installerRuns(host), ["001"], `${host.name}: the installer did not run again`);
            assert.deepEqual(await hostSnapshot(host), before[i], `${host.name}: files changed`);
        }
        assert.equal(lab.server.requests.length, requests, "nothing downloaded");
    });

    it("leaves a changed version or credential on an installed host to the converge steps: no download, no write", async function () {
        const newVersion = await Deployment.of(lab, { ...line38, config: { openviduVersion: "3.8.1" } });
        const newPassword = await Deployment.of(lab, {
            ...line30,
            config: { ...line30.config, redisPassword: "changed-redis-password-0123" },
        });
        const before = [await hostSnapshot(h[0]), await hostSnapshot(h[3])];
        const requests = lab.server.requests.length;
        const [r0, r3] = await Promise.all([newVersion.run(newVersion.stepOf(h[0], "install")), newPassword.run(newPassword.stepOf(h[3], "install"))]);
        for (const [r, label] of [
            [r0, "master-1"],
            [r3, `media-${h[3].address.replace(/\./g, "-")}`],
        ] as const) {
            assert.equal(r.exitCode, 0, r.stderr);
            assert.equal(
                r.stdout,
                `install on ${label}: installed earlier with other inputs (version, flags or credentials); ` + "the converge steps apply the change",
            );
        }
        assert.ok(!r3.stdout.includes("changed-redis-password-0123"));
        assert.deepEqual([await hostSnapshot(h[0]), await hostSnapshot(h[3])], before);
        assert.deepEqual([await installerRuns(h[0]), await installerRuns(h[3])], [["001"], ["001"]]);
        assert.equal(lab.server.requests.length, requests);
    });

    it("refuses an installer whose SHA-256 is not installerSha256Master/Media, without running it", async function () {
        const wrong = "0123456789abcdef".repeat(4);
        const d = await Deployment.of(lab, {
            ...line38,
            media: [h[1], h[5]],
            config: { installerSha256Master: wrong, installerSha256Media: wrong.toUpperCase() },
        });
        const results = await Promise.all([d.run(d.stepOf(h[4], "install")), d.run(d.stepOf(h[5], "install"))]);
        for (const [i, [host, role, label]] of (
            [
                [h[4], "master", "master-2"],
                [h[5], "media", `media-${h[5].address.replace(/\./g, "-")}`],
            ] as const
        ).entries()) {
            const url = `${lab.server.url}/pro/ha/3.8.0/install_ov_${role}_node.sh`;
            assert.equal(
                failureOutput(results[i], d.stepOf(host, "install").spec.create),
                `install failed on ${label}: installer checksum mismatch for ${url}: ` +
                    `expected ${wrong}, got ${sha256(installerDoubleScript(role, "3.8.0"))}`,
            );
            assert.deepEqual(await installerRuns(host), [], "the installer did not run");
            assert.equal(await host.fileExists("/opt/openvidu"), false);
            assert.equal(await host.fileExists("/var/lib/openvidu-ha/installed"), false);
        }
    });

    it("runs the installer whose SHA-256 matches installerSha256Master/Media", async function () {
        const d = await Deployment.of(lab, {
            ...line38,
            media: [h[1], h[5]],
            config: {
                installerSha256Master: sha256(installerDoubleScript("master", "3.8.0")).toUpperCase(),
                installerSha256Media: sha256(installerDoubleScript("media", "3.8.0")),
            },
        });
        for (const host of [h[4], h[5]]) {
            const r = await d.run(d.stepOf(host, "install"));
            assert.equal(r.exitCode, 0, r.stderr);
            assert.deepEqual(await installerRuns(host), ["001"]);
            assert.equal(await host.readFile("/var/log/openvidu-installer-double/001/status"), "finished\n");
            assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${d.fingerprintOf(d.stepOf(host, "install"))}\n`);
        }
    });

    it("never lets an http:// installerBaseUrl reach a host: the stack is rejected before any command exists", async function () {
        const requests = lab.server.requests.length;
        const plain = lab.server.url.replace(/^https:/, "http:") + "/pro/ha";
        const config = { ...stackConfig(lab, line38), installerBaseUrl: plain };
        const { error, resources } = await runProgramFailure(config, ["license", "sshPrivateKey"]);
        assert.match(String(error), /installerBaseUrl: must be an https:\/\/ URL \(the installer is never fetched over plain http\)/);
        assert.deepEqual(
            resources.filter((r) => r.type === "command:remote:Command"),
            [],
        );
        assert.equal(lab.server.requests.length, requests);
    });
});

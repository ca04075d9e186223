// Install, as the program sends it: flags per role and release line, HTTPS source and checksum, idempotence.
// Expected installer arguments are literal tables copied from the vendor's commands (the seed document for 3.0,
// vendor facts 2.3/CF and the DLB appendix for 3.8), never computed by the program's own functions.
// A shared `before` installs 4 nodes (3.8 and 3.0, master and media) that the tests only read; the tests that
// install (checksums) have hosts of their own, so each test runs alone (`--grep`) and in any order.
import { strict as assert } from "assert";
import * as crypto from "crypto";
import { runProgramFailure } from "../support/program";
import { installerDoubleScript, TestHost } from "./harness";
import { ClusterSpec, Deployment, failureOutput, hostSnapshot, installerLines, installerRuns, stackConfig } from "./deployment";
import { useLab } from "./lab";

type Config = Record<string, any>;

/** The first four arguments of every vendor install command, both documents and both roles alike. */
const installPreamble = (role: "master" | "media"): string[] => ["--no-tty", "--install", "--deployment-type=ha", `--node-role=${role}-node`];

/** The seed's 3.0 commands pass these five in this order on both roles. */
const seed30StorageCredentials = (c: Config): string[] => [
    `--redis-password=${c.redisPassword}`,
    `--minio-access-key=${c.minioAccessKey}`,
    `--minio-secret-key=${c.minioSecretKey}`,
    `--mongo-admin-user=${c.mongoAdminUser}`,
    `--mongo-admin-password=${c.mongoAdminPassword}`,
];

/** 3.8 master: vendor facts, CF template's master install line (2.3) + the DLB page's `--certificate-type` (appendix). */
const VENDOR_3_8_MASTER = (c: Config, masterIps: string): string[] => [
    ...installPreamble("master"),
    `--master-node-private-ip-list=${masterIps}`,
    `--openvidu-pro-license=${c.license}`,
    "--domain-name=openvidu.hosts.example.com",
    "--enabled-modules=observability,v2compatibility,openviduMeet",
    "--rtc-engine=pion",
    `--redis-password=${c.redisPassword}`,
    `--mongo-admin-user=${c.mongoAdminUser}`,
    `--mongo-admin-password=${c.mongoAdminPassword}`,
    `--mongo-replica-set-key=${c.mongoReplicaSetKey}`,
    `--minio-access-key=${c.minioAccessKey}`,
    `--minio-secret-key=${c.minioSecretKey}`,
    `--dashboard-admin-user=${c.dashboardAdminUser}`,
    `--dashboard-admin-password=${c.dashboardAdminPassword}`,
    `--grafana-admin-user=${c.grafanaAdminUser}`,
    `--grafana-admin-password=${c.grafanaAdminPassword}`,
    `--meet-initial-admin-password=${c.meetInitialAdminPassword}`,
    `--meet-initial-api-key=${c.meetInitialApiKey}`,
    `--livekit-api-key=${c.livekitApiKey}`,
    `--livekit-api-secret=${c.livekitApiSecret}`,
    "--certificate-type=selfsigned",
];

/** 3.8 media: vendor facts, CF template's media install line (3.2): the cluster list, its own IP, the Redis password. */
const VENDOR_3_8_MEDIA = (c: Config, masterIps: string, ownIp: string): string[] => [
    ...installPreamble("media"),
    `--master-node-private-ip-list=${masterIps}`,
    `--private-ip=${ownIp}`,
    `--redis-password=${c.redisPassword}`,
];

/** 3.0 master: the seed's guided preamble, then its Let's Encrypt command flag for flag. */
const SEED_3_0_MASTER = (c: Config, masterIps: string): string[] => [
    ...installPreamble("master"),
    `--master-node-private-ip-list=${masterIps}`,
    `--openvidu-pro-license=${c.license}`,
    "--domain-name-or-ip=openvidu.hosts.example.com",
    "--enabled-modules=observability,app",
    "--turn-domain-name=turn.hosts.example.com",
    `--livekit-api-key=${c.livekitApiKey}`,
    `--livekit-api-secret=${c.livekitApiSecret}`,
    `--dashboard-admin-user=${c.dashboardAdminUser}`,
    `--dashboard-admin-password=${c.dashboardAdminPassword}`,
    ...seed30StorageCredentials(c),
    `--mongo-replica-set-key=${c.mongoReplicaSetKey}`,
    `--grafana-admin-user=${c.grafanaAdminUser}`,
    `--grafana-admin-password=${c.grafanaAdminPassword}`,
    `--default-app-user=${c.defaultAppUser}`,
    `--default-app-password=${c.defaultAppPassword}`,
    `--default-app-admin-user=${c.defaultAppAdminUser}`,
    `--default-app-admin-password=${c.defaultAppAdminPassword}`,
    "--certificate-type=letsencrypt",
    "--letsencrypt-email=ops@hosts.example.com",
];

/** 3.0 media: the seed's guided preamble, then its media command flag for flag (TURN domain: the configured one). */
const SEED_3_0_MEDIA = (c: Config, masterIps: string): string[] => [
    ...installPreamble("media"),
    "--domain-name-or-ip=openvidu.hosts.example.com",
    `--master-node-private-ip-list=${masterIps}`,
    `--openvidu-pro-license=${c.license}`,
    "--rtc-engine=mediasoup",
    "--enabled-modules=observability,app",
    "--turn-domain-name=turn.hosts.example.com",
    `--livekit-api-key=${c.livekitApiKey}`,
    `--livekit-api-secret=${c.livekitApiSecret}`,
    ...seed30StorageCredentials(c),
];

const sha256 = (s: string) => crypto.createHash("sha256").update(s).digest("hex");

describe("install on test hosts (the program's commands)", function () {
    const good = { cpus: 4, memMb: 8192 };
    // h0-h3: installed by `before` (read only); h4, h5: checksum refused; h6, h7: checksum accepted.
    const lab = useLab([good, good, good, good, good, good, good, good]);
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
        await Promise.all(nodes().map(({ d, host }) => d.up({ hosts: [host], kinds: ["preflight", "install"] })));
    });

    const nodes = () => {
        const ips38 = `${h[0].address},${h[4].address},10.99.1.1,10.99.1.2`;
        const ips30 = `${h[2].address},10.99.1.1,10.99.1.2,10.99.1.3`;
        return [
            { d: d38, host: h[0], role: "master" as const, version: "3.8.0", expected: () => VENDOR_3_8_MASTER(d38.config, ips38) },
            { d: d38, host: h[1], role: "media" as const, version: "3.8.0", expected: () => VENDOR_3_8_MEDIA(d38.config, ips38, h[1].address) },
            { d: d30, host: h[2], role: "master" as const, version: "3.0.0", expected: () => SEED_3_0_MASTER(d30.config, ips30) },
            { d: d30, host: h[3], role: "media" as const, version: "3.0.0", expected: () => SEED_3_0_MEDIA(d30.config, ips30) },
        ];
    };

    for (const [i, what] of ["3.8 master", "3.8 media", "3.0 master", "3.0 media"].entries()) {
        it(`passes a ${what} node the vendor's flags, in the vendor's order`, async function () {
            const { host, role, version, expected } = nodes()[i];
            assert.deepEqual(await installerRuns(host), ["001"], `${host.name}: one installer run`);
            const rec = "/var/log/openvidu-installer-double/001";
            const argv = (await host.readFile(`${rec}/argv`)).split("\n").slice(0, -1);
            assert.deepEqual(argv, expected());
            assert.equal(await host.readFile(`${rec}/role`), `${role}\n`);
            assert.equal(await host.readFile(`${rec}/version`), `${version}\n`);
            assert.equal(await host.readFile(`${rec}/status`), "finished\n");
        });
    }

    it("fetches the installer over HTTPS from the pinned version's path, once per host", function () {
        assert.match(lab.server.url, /^https:\/\//);
        for (const { host, role, version } of nodes()) {
            const fetched = lab.server.requests.filter((q) => q.remoteAddress === host.address).map((q) => [q.method, q.path, q.status]);
            assert.deepEqual(fetched, [["GET", `/pro/ha/${version}/install_ov_${role}_node.sh`, 200]], host.name);
        }
    });

    it("records a fingerprint of the installer URL, checksum and arguments (install.sh's formula; a media node's H lines are no argument)", async function () {
        for (const { d, host, role, version } of nodes()) {
            const url = `${lab.server.url}/pro/ha/${version}/install_ov_${role}_node.sh`;
            const stdin = d.stepOf(host, "install").spec.stdin!;
            assert.equal(/^H /m.test(stdin), role === "media", `${host.name}: the masters' settings by hash`);
            const fingerprint = sha256(`${url}\n-\n${installerLines(stdin)}`);
            assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${fingerprint}\n`, host.name);
        }
    });

    it("changes nothing when run again with the same inputs: no download, no installer run, no file written", async function () {
        const again38 = await Deployment.of(lab, line38);
        const again30 = await Deployment.of(lab, line30);
        const againOf = (d: Deployment) => (d === d38 ? again38 : again30);
        for (const { d, host } of nodes()) {
            assert.deepEqual(againOf(d).stepOf(host, "install").spec, d.stepOf(host, "install").spec, "same commands");
        }
        const before = await Promise.all(nodes().map(({ host }) => hostSnapshot(host)));
        const requests = lab.server.requests.length;
        const runs = await Promise.all(nodes().map(({ d, host }) => againOf(d).up({ hosts: [host], kinds: ["preflight", "install"] })));
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
            assert.equal(r.exitCode, 0, r.error);
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
            masters: [h[0], h[4], never(1), never(2)],
            media: [h[5]],
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
            masters: [h[0], h[6], never(1), never(2)],
            media: [h[7]],
            config: {
                installerSha256Master: sha256(installerDoubleScript("master", "3.8.0")).toUpperCase(),
                installerSha256Media: sha256(installerDoubleScript("media", "3.8.0")),
            },
        });
        for (const [host, role] of [
            [h[6], "master"],
            [h[7], "media"],
        ] as const) {
            const r = await d.run(d.stepOf(host, "install"));
            assert.equal(r.exitCode, 0, r.error);
            assert.deepEqual(await installerRuns(host), ["001"]);
            assert.equal(await host.readFile("/var/log/openvidu-installer-double/001/status"), "finished\n");
            // The recorded fingerprint covers the checksum (lower case, as install.sh compares it).
            const url = `${lab.server.url}/pro/ha/3.8.0/install_ov_${role}_node.sh`;
            const fingerprint = sha256(`${url}\n${sha256(installerDoubleScript(role, "3.8.0"))}\n${installerLines(d.stepOf(host, "install").spec.stdin!)}`);
            assert.equal(await host.readFile("/var/lib/openvidu-ha/installed"), `${fingerprint}\n`);
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

/**
 * What validateConfig hands the components: the whole settings object of a minimal and of a full stack, defaults
 * as the README's config reference documents them (literal here), addresses in canonical spelling, secrets apart.
 */
import * as assert from "assert";
import { ConfigError, validateConfig } from "../../components/config/validate";
import { awsConfig, onpremConfig, SSH_KEY_PLACEHOLDER } from "../support/fixtures";
import { pemPair } from "../support/pem";
import { rawConfig, validate } from "../support/validation";

const SHA = "ab".repeat(32);

/** The defaults both targets share (README config reference), for the two minimal stacks below; literal. */
const DEFAULTS_OF_BOTH_TARGETS = {
    openviduVersion: "3.8.0",
    line: "3.8",
    domain: "openvidu.example.com",
    turnDomain: undefined,
    rtcEngine: "pion",
    modules: ["observability", "v2compatibility", "openviduMeet"],
    installer: { baseUrl: "https://get.openvidu.io/pro/ha", sha256: { master: undefined, media: undefined } },
    forceMediaNodePublicIp: false,
    additionalInstallerFlags: [],
    updater: { baseUrl: "https://get.openvidu.io/update", sha256: {} },
};

/** The secret values of a minimal stack of either target but the SSH key: the fixtures' license, nothing else set. */
const SECRET_DEFAULTS_OF_BOTH_TARGETS = {
    license: "TEST-LICENSE-0123456789",
    credentialOverrides: {},
    ownCert: undefined,
    turnOwnCert: undefined,
    zerosslApiKey: undefined,
};

describe("validated settings", () => {
    it("on-prem defaults: the README's (3.8.0, pion, ubuntu@22, 10 dials of 15 s, first-use keys, 900 s, 60 min drain)", () => {
        const { settings, secretValues, warnings } = validate(onpremConfig());
        assert.deepStrictEqual(
            { ...settings, line: settings.line.id },
            {
                ...DEFAULTS_OF_BOTH_TARGETS,
                dns: { provider: "cloudflare", cloudflareZoneId: "023e105f4ecef8ad9ca31a8372d0c353", ttl: 60, route53ZoneId: undefined, health: undefined },
                drainTimeoutMinutes: 60,
                target: "onprem",
                masterNodes: [1, 2, 3, 4].map((i) => ({ publicIp: `203.0.113.${10 + i}`, privateIp: `10.5.0.${i}` })),
                mediaNodes: [
                    { publicIp: "198.51.100.21", privateIp: "10.5.1.1" },
                    { publicIp: "198.51.100.22", privateIp: "10.5.1.2" },
                ],
                ssh: { user: "ubuntu", port: 22, dialErrorLimit: 10, perDialTimeout: 15, hostKeyCheck: "first-use" },
                certificate: { type: "selfsigned", letsencryptEmail: undefined },
                healthTimeoutSeconds: 900,
                hostFirewall: false,
                retainDataOnDestroy: true,
            },
        );
        assert.deepStrictEqual(secretValues, { ...SECRET_DEFAULTS_OF_BOTH_TARGETS, sshPrivateKey: SSH_KEY_PLACEHOLDER });
        assert.deepStrictEqual(warnings, [
            "sshHostKeyCheck: no hostKey for masterNodes[0], masterNodes[1], masterNodes[2], masterNodes[3], mediaNodes[0], mediaNodes[1]: each one's SSH host key is recorded at the first connection and required from then on; compare the recorded keys (pulumi stack output masterNodes, mediaNodes) with the hosts' own and set hostKey",
        ]);
    });

    it("on-prem, every key set: values pass through; IPv6 in canonical form; updater digests lowercased", () => {
        const domain = pemPair("openvidu.example.com");
        const turn = pemPair("turn.example.com");
        const key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIDv1";
        const { settings, secretValues } = validate(
            onpremConfig({
                openviduVersion: "3.0.0",
                turnDomain: "turn.example.com",
                rtcEngine: "mediasoup",
                modules: ["observability"],
                installerBaseUrl: "https://mirror.example.com/ov",
                installerSha256Master: SHA,
                installerSha256Media: "cd".repeat(32),
                dnsProvider: "cloudflare",
                dnsTtl: 300,
                dnsHealthChecks: true,
                dnsHealthCheckPath: "/healthz",
                cloudflareAccountId: "0123456789abcdef0123456789abcdef",
                cloudflareCheckRegions: ["WEU"],
                drainTimeoutMinutes: 5,
                additionalInstallerFlags: ["--experimental"],
                masterNodes: [1, 2, 3, 4].map((i) => ({ publicIp: `2001:DB8:0:0::${i}`, privateIp: `fd00:0::${i}`, hostKey: key })),
                mediaNodes: [{ publicIp: "198.51.100.21", privateIp: "10.5.1.1", hostKey: key }],
                sshUser: "admin",
                sshPort: 2222,
                sshDialErrorLimit: 3,
                sshPerDialTimeout: 7,
                sshHostKeyCheck: "configured",
                certificateType: "owncert",
                ownCertPrivateKey: domain.key,
                ownCertPublicKey: domain.cert,
                turnOwnCertPrivateKey: turn.key,
                turnOwnCertPublicKey: turn.cert,
                healthTimeoutSeconds: 30,
                hostFirewall: true,
                retainDataOnDestroy: false,
                updaterBaseUrl: "https://mirror.example.com/update/",
                updaterSha256: [`3.5.0=${SHA.toUpperCase()}`],
                livekitApiKey: "APIkey123",
            }),
        );
        assert.strictEqual(settings.target, "onprem");
        if (settings.target !== "onprem") return;
        assert.deepStrictEqual(
            [settings.openviduVersion, settings.line.id, settings.turnDomain, settings.rtcEngine, settings.modules],
            ["3.0.0", "3.0", "turn.example.com", "mediasoup", ["observability"]],
        );
        assert.deepStrictEqual(settings.installer, { baseUrl: "https://mirror.example.com/ov", sha256: { master: SHA, media: "cd".repeat(32) } });
        assert.deepStrictEqual(settings.dns, {
            provider: "cloudflare",
            cloudflareZoneId: "023e105f4ecef8ad9ca31a8372d0c353",
            ttl: 300,
            route53ZoneId: undefined,
            health: { path: "/healthz", cloudflareAccountId: "0123456789abcdef0123456789abcdef", cloudflareCheckRegions: ["WEU"] },
        });
        assert.deepStrictEqual([settings.drainTimeoutMinutes, settings.additionalInstallerFlags], [5, ["--experimental"]]);
        assert.deepStrictEqual(settings.masterNodes[2], { publicIp: "2001:db8::3", privateIp: "fd00::3", hostKey: key });
        assert.deepStrictEqual(settings.ssh, { user: "admin", port: 2222, dialErrorLimit: 3, perDialTimeout: 7, hostKeyCheck: "configured" });
        assert.deepStrictEqual(settings.certificate, { type: "owncert", letsencryptEmail: undefined });
        assert.deepStrictEqual([settings.healthTimeoutSeconds, settings.hostFirewall, settings.retainDataOnDestroy], [30, true, false]);
        assert.deepStrictEqual(settings.updater, { baseUrl: "https://mirror.example.com/update", sha256: { "3.5.0": SHA } });
        assert.deepStrictEqual(secretValues.credentialOverrides, { livekitApiKey: "APIkey123" });
        assert.deepStrictEqual(secretValues.ownCert, { privateKeyPem: domain.key, publicKeyPem: domain.cert });
        assert.deepStrictEqual(secretValues.turnOwnCert, { privateKeyPem: turn.key, publicKeyPem: turn.cert });
    });

    it("AWS defaults: the README's (c6a.xlarge, 1..5 media at 50% CPU, 100 GB, volumes kept, 2870 min drain)", () => {
        const { settings, secretValues, warnings } = validate(awsConfig());
        assert.deepStrictEqual(
            { ...settings, line: settings.line.id },
            {
                ...DEFAULTS_OF_BOTH_TARGETS,
                dns: { provider: "cloudflare", cloudflareZoneId: "023e105f4ecef8ad9ca31a8372d0c353", ttl: 60 },
                drainTimeoutMinutes: 2870,
                target: "aws",
                vpcId: "vpc-0a1b2c3d4e5f60718",
                masterSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"],
                mediaSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
                certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
                turnCertificateArn: undefined,
                masterInstanceType: "c6a.xlarge",
                mediaInstanceType: "c6a.xlarge",
                keyName: undefined,
                amiId: undefined,
                mediaScaling: { initial: 1, min: 1, max: 5, targetCpu: 50 },
                masterDiskSizeGb: 100,
                retainVolumes: true,
                sshAllowedCidrs: [],
                appDataBucketName: undefined,
                clusterDataBucketName: undefined,
            },
        );
        assert.deepStrictEqual(secretValues, { ...SECRET_DEFAULTS_OF_BOTH_TARGETS, sshPrivateKey: undefined });
        assert.deepStrictEqual(warnings, []);
    });

    it("ConfigError: one problem in the singular, several in the plural, each on its own line", () => {
        assert.strictEqual(new ConfigError(["a: x"]).message, "Invalid stack configuration (1 problem):\n  - a: x");
        assert.strictEqual(new ConfigError(["a: x", "b: y"]).message, "Invalid stack configuration (2 problems):\n  - a: x\n  - b: y");
        assert.strictEqual(new ConfigError([]).name, "ConfigError");
    });

    it("reports a line break in any single-line value by its path, lists and objects included", () => {
        assert.throws(
            () =>
                validate(
                    onpremConfig({
                        domain: "a\nb",
                        additionalInstallerFlags: ["--x", "--y\r"],
                        mediaNodes: [{ publicIp: "198.51.100.21\n", privateIp: "10.5.1.1" }],
                    }),
                ),
            (err: ConfigError) =>
                JSON.stringify(err.problems) ===
                JSON.stringify([
                    "domain: must be a single line (a line break would start another installer argument)",
                    "additionalInstallerFlags[1]: must be a single line (a line break would start another installer argument)",
                    "mediaNodes[0].publicIp: must be a single line (a line break would start another installer argument)",
                ]),
        );
    });

    it("names a foreign namespace key with its namespace", () => {
        assert.throws(
            () => validateConfig(rawConfig(onpremConfig()), { hasCloudflareToken: true, foreignKeys: ["openvidu:domain"] }),
            (err: ConfigError) =>
                JSON.stringify(err.problems) === JSON.stringify(["openvidu:domain: unknown config namespace 'openvidu' (project keys are openvidu-ha:<key>)"]),
        );
    });
});

/**
 * The stacks' wiring (stacks/aws-wiring.ts, stacks/onprem-wiring.ts): what each stack passes between its
 * components, pure. Expected values are literals: vendor facts 1.2 (images), 1.3 (scale-in chain), 1.4/1.5
 * (installer inputs per role), the seed's installer URLs, AWS's ARN formats.
 */
import * as assert from "assert";
import { releaseLineOf } from "../../components/core/release-lines";
import { balancerNames, clusterSecretInput, ec2AlarmActions, mediaBootTiming, mediaImageId, SecretSettings } from "../../stacks/aws-wiring";
import { InstallSettings, mediaConvergeStdin, nodeInstallerSettings, nodeOutput, poolSettings, PoolStackSettings } from "../../stacks/onprem-wiring";

const IPS = ["10.0.1.10", "10.0.2.10", "10.0.3.10", "10.0.4.10"];

function secretSettings(): SecretSettings {
    return {
        line: releaseLineOf("3.8.0")!,
        openviduVersion: "3.8.0",
        domain: "openvidu.example.com",
        turnDomain: "turn.example.com",
        rtcEngine: "mediasoup",
        modules: ["observability", "openviduMeet"],
        installer: { baseUrl: "https://mirror.example.com/pro/ha", sha256: { master: "aa".repeat(32), media: "bb".repeat(32) } },
        forceMediaNodePublicIp: true,
        additionalInstallerFlags: ["--force-utc-timezone"],
        updater: { baseUrl: "https://mirror.example.com/update", sha256: { "3.8.0": "cc".repeat(32) } },
    };
}

describe("stack wiring: AWS", () => {
    it("the secrets' input takes every setting the installers and the updater need, the masters' IPs, credentials and license", () => {
        const s = secretSettings();
        const input = clusterSecretInput(s, IPS, { redisPassword: "r3dis" }, "LICENSE-1");
        assert.deepStrictEqual(input, {
            line: s.line,
            openviduVersion: "3.8.0",
            domain: "openvidu.example.com",
            turnDomain: "turn.example.com",
            rtcEngine: "mediasoup",
            modules: ["observability", "openviduMeet"],
            masterPrivateIps: IPS,
            installerBaseUrl: "https://mirror.example.com/pro/ha",
            installerSha256: { master: "aa".repeat(32), media: "bb".repeat(32) },
            forceMediaNodePublicIp: true,
            additionalInstallerFlags: ["--force-utc-timezone"],
            license: "LICENSE-1",
            credentials: { redisPassword: "r3dis" },
            updater: { baseUrl: "https://mirror.example.com/update", sha256: { "3.8.0": "cc".repeat(32) } },
        });
    });

    it("a media node waits 15 min for the masters and 10 min for its health, within the group's 30-min grace; heartbeats at the interval", () => {
        const timing = mediaBootTiming({ drainTimeoutSeconds: 7200, heartbeatTimeoutSeconds: 432, heartbeatIntervalSeconds: 144 });
        assert.deepStrictEqual(timing, {
            masterWaitSeconds: 900,
            healthTimeoutSeconds: 600,
            lifecycleHookName: "openvidu-ha-drain",
            drainTimeoutSeconds: 7200,
            // Three heartbeats per hook timeout: sending one per timeout would let the hook lapse on any delay.
            heartbeatSeconds: 144,
            privateIpPlaceholder: "OPENVIDU_HA_NODE_PRIVATE_IP",
            publicIpPlaceholder: "OPENVIDU_HA_NODE_PUBLIC_IP",
        });
        assert.ok(timing.masterWaitSeconds + timing.healthTimeoutSeconds <= 1800);
    });

    it("media image: the configured amiId, else the SSM parameter of the type's image, resolved at each launch (vendor facts 1.2)", () => {
        assert.strictEqual(mediaImageId({ amiId: "ami-0123456789abcdef0", mediaInstanceType: "c6a.xlarge" }), "ami-0123456789abcdef0");
        assert.strictEqual(
            mediaImageId({ mediaInstanceType: "c6a.xlarge" }),
            "resolve:ssm:/aws/service/canonical/ubuntu/server/noble/stable/current/amd64/hvm/ebs-gp3/ami-id",
        );
        assert.strictEqual(
            mediaImageId({ mediaInstanceType: "c7gn.2xlarge" }),
            "resolve:ssm:/aws/service/canonical/ubuntu/server/noble/stable/current/arm64/hvm/ebs-gp3/ami-id",
        );
        assert.strictEqual(
            mediaImageId({ mediaInstanceType: "g5.xlarge" }),
            "resolve:ssm:/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id",
        );
        assert.strictEqual(
            mediaImageId({ mediaInstanceType: "g5g.xlarge" }),
            "resolve:ssm:/aws/service/deeplearning/ami/arm64/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id",
        );
    });

    it("the masters' alarms act through CloudWatch's EC2 actions of the stack's partition and region", () => {
        assert.deepStrictEqual(ec2AlarmActions("aws-us-gov", "us-gov-west-1"), {
            recover: "arn:aws-us-gov:automate:us-gov-west-1:ec2:recover",
            reboot: "arn:aws-us-gov:automate:us-gov-west-1:ec2:reboot",
        });
    });

    it("the balancers serve the domain, and the TURN domain on the TURN balancer only when both exist", () => {
        assert.deepStrictEqual(balancerNames({ domain: "ov.example.com", turnDomain: "turn.example.com" }, "main.elb", "turn.elb"), [
            { key: "domain", name: "ov.example.com", target: "main.elb" },
            { key: "turn", name: "turn.example.com", target: "turn.elb" },
        ]);
        assert.deepStrictEqual(balancerNames({ domain: "ov.example.com" }, "main.elb", "turn.elb"), [
            { key: "domain", name: "ov.example.com", target: "main.elb" },
        ]);
        assert.deepStrictEqual(balancerNames({ domain: "ov.example.com", turnDomain: "turn.example.com" }, "main.elb", undefined), [
            { key: "domain", name: "ov.example.com", target: "main.elb" },
        ]);
    });
});

describe("stack wiring: on-prem", () => {
    function installSettings(force: boolean): InstallSettings {
        return {
            line: releaseLineOf("3.8.0")!,
            domain: "openvidu.example.com",
            turnDomain: undefined,
            rtcEngine: "pion",
            modules: ["observability"],
            forceMediaNodePublicIp: force,
            additionalInstallerFlags: ["--force-utc-timezone"],
            certificate: { type: "letsencrypt", letsencryptEmail: "ops@example.com" },
        };
    }
    const address = { publicIp: "198.51.100.21", privateIp: "10.0.2.21" };

    it("a master installs with its own private IP and the certificate, never a public IP flag", () => {
        const s = installSettings(true);
        assert.deepStrictEqual(nodeInstallerSettings(s, "master", address, IPS), {
            role: "master",
            line: s.line,
            domain: "openvidu.example.com",
            turnDomain: undefined,
            rtcEngine: "pion",
            modules: ["observability"],
            masterPrivateIps: IPS,
            nodePrivateIp: "10.0.2.21",
            nodePublicIp: undefined,
            forceMediaNodePublicIp: true,
            additionalFlags: ["--force-utc-timezone"],
            certificate: { type: "letsencrypt", letsencryptEmail: "ops@example.com" },
        });
    });

    it("a media node passes its public IP only with forceMediaNodePublicIp, and never the certificate", () => {
        const forced = nodeInstallerSettings(installSettings(true), "media", address, IPS);
        assert.deepStrictEqual(
            [forced.role, forced.nodePrivateIp, forced.nodePublicIp, forced.certificate],
            ["media", "10.0.2.21", "198.51.100.21", undefined],
        );
        const plain = nodeInstallerSettings(installSettings(false), "media", address, IPS);
        assert.deepStrictEqual([plain.nodePublicIp, plain.forceMediaNodePublicIp], [undefined, false]);
    });

    it("each pool installs its role's installer (the seed's install_ov_<role>_node.sh) with its pinned SHA-256; drains in seconds", () => {
        const s: PoolStackSettings = {
            ssh: { user: "ubuntu", port: 22, dialErrorLimit: 10, perDialTimeout: 15, hostKeyCheck: "first-use" },
            installer: { baseUrl: "https://get.openvidu.io/pro/ha", sha256: { media: "bb".repeat(32) } },
            openviduVersion: "3.0.0",
            retainDataOnDestroy: true,
            healthTimeoutSeconds: 900,
            drainTimeoutMinutes: 15,
            masterNodes: IPS.map((privateIp, i) => ({ publicIp: `203.0.113.${i + 1}`, privateIp })),
        };
        assert.deepStrictEqual(poolSettings(s, "KEY", "master"), {
            ssh: s.ssh,
            sshPrivateKey: "KEY",
            installerUrl: "https://get.openvidu.io/pro/ha/3.0.0/install_ov_master_node.sh",
            installerSha256: undefined,
            retainDataOnDestroy: true,
            healthTimeoutSeconds: 900,
            drainTimeoutSeconds: 900,
            masterPrivateIps: IPS,
        });
        const media = poolSettings({ ...s, retainDataOnDestroy: false, drainTimeoutMinutes: 2 }, "KEY", "media");
        assert.deepStrictEqual(
            [media.installerUrl, media.installerSha256, media.retainDataOnDestroy, media.drainTimeoutSeconds],
            ["https://get.openvidu.io/pro/ha/3.0.0/install_ov_media_node.sh", "bb".repeat(32), false, 120],
        );
    });

    it("a media node converges on its own lines plus the masters' settings by hash, never their values", () => {
        const own = "P --redis-password=abc\nV --private-ip=10.0.2.21\n";
        const converge = mediaConvergeStdin(own, "S --redis-password=abc\nV --domain-name=openvidu.example.com\n");
        // sha256 of "--redis-password=abc" (printf '%s' '--redis-password=abc' | sha256sum).
        assert.strictEqual(converge, own + "H --redis-password=d2676600890e90bd5186723535b36b85a10bf9ecd1b4f488fdf2071458184745\n");
    });

    it("outputs each node's label and addresses, and its host key when known", () => {
        assert.deepStrictEqual(nodeOutput({ label: "media-a", address }), { label: "media-a", publicIp: "198.51.100.21", privateIp: "10.0.2.21" });
        assert.deepStrictEqual(nodeOutput({ label: "master-1", address, hostKey: "ssh-ed25519 AAAA" }), {
            label: "master-1",
            publicIp: "198.51.100.21",
            privateIp: "10.0.2.21",
            hostKey: "ssh-ed25519 AAAA",
        });
    });
});

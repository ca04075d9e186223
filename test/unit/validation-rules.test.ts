/**
 * Cross-field rules and warnings, each with the exact message (pure: validateConfig only, no program run), for the
 * rules the program-level validation tests reach only through a full run.
 */
import * as assert from "assert";
import { awsConfig, onpremConfig } from "../support/fixtures";
import { problemsOf, validate } from "../support/validation";

const ARN = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5";
const pinned = (n: number, base: string, priv: string) =>
    Array.from({ length: n }, (_, i) => ({ publicIp: `${base}.${i + 1}`, privateIp: `${priv}.${i + 1}`, hostKey: KEY }));

describe("validation: SSH host key warnings and the configured mode", () => {
    it("no warning when every node has its hostKey", () => {
        assert.deepStrictEqual(
            validate(onpremConfig({ masterNodes: pinned(4, "203.0.113", "10.5.0"), mediaNodes: pinned(1, "198.51.100", "10.5.1") })).warnings,
            [],
        );
    });

    it("lists at most 6 unpinned nodes, then how many more", () => {
        const media = Array.from({ length: 5 }, (_, i) => ({ publicIp: `198.51.100.${i + 1}`, privateIp: `10.5.1.${i + 1}` }));
        assert.deepStrictEqual(validate(onpremConfig({ mediaNodes: media })).warnings, [
            "sshHostKeyCheck: no hostKey for masterNodes[0], masterNodes[1], masterNodes[2], masterNodes[3], mediaNodes[0], mediaNodes[1] and 3 more: each one's SSH host key is recorded at the first connection and required from then on; compare the recorded keys (pulumi stack output masterNodes, mediaNodes) with the hosts' own and set hostKey",
        ]);
    });

    it("off: names the unverified nodes only", () => {
        const config = onpremConfig({ sshHostKeyCheck: "off", masterNodes: pinned(4, "203.0.113", "10.5.0") });
        assert.deepStrictEqual(validate(config).warnings, [
            "sshHostKeyCheck: off: the SSH host keys of mediaNodes[0], mediaNodes[1] are not verified; whoever answers at those addresses receives the cluster's secrets",
        ]);
    });

    it("configured: every node without hostKey is a problem at its path", () => {
        const config = onpremConfig({ sshHostKeyCheck: "configured", masterNodes: pinned(4, "203.0.113", "10.5.0") });
        assert.deepStrictEqual(problemsOf(config), [
            "mediaNodes[0].hostKey: is required when sshHostKeyCheck is configured",
            "mediaNodes[1].hostKey: is required when sshHostKeyCheck is configured",
        ]);
    });
});

describe("validation: node lists", () => {
    it("names unknown host fields, singular and plural", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: [{ publicIp: "198.51.100.1", privateIp: "10.5.1.1", ip: "x" }] })), [
            "mediaNodes[0]: unknown field 'ip' (allowed: publicIp, privateIp, hostKey)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: [{ publicIp: "198.51.100.1", privateIp: "10.5.1.1", ip: "x", port: 1 }] })), [
            "mediaNodes[0]: unknown fields 'ip', 'port' (allowed: publicIp, privateIp, hostKey)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: ["198.51.100.1"] })), [
            "mediaNodes[0]: must be an object {publicIp, privateIp, hostKey?}",
        ]);
    });

    it("requires both lists, and says which shape", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNodes: undefined, mediaNodes: undefined })), [
            "masterNodes: is required: a list of 4 {publicIp, privateIp}",
            "mediaNodes: is required: a list of 1 or more {publicIp, privateIp}",
        ]);
    });

    it("reports a duplicate address at the second node, whichever list it is in", () => {
        const config = onpremConfig({ mediaNodes: [{ publicIp: "203.0.113.11", privateIp: "10.5.1.1" }] });
        assert.deepStrictEqual(problemsOf(config), ["mediaNodes[0].publicIp: 203.0.113.11 is already used by masterNodes[0]"]);
    });
});

describe("validation: updater and installer URLs, license", () => {
    it("updaterBaseUrl: https only, no credentials (user or password), trailing slashes dropped", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ updaterBaseUrl: "http://mirror.example.com/update" })), [
            "updaterBaseUrl: must be an https:// URL (the updater is never fetched over plain http)",
        ]);
        for (const url of ["https://user@mirror.example.com/update", "https://:pw@mirror.example.com/update"]) {
            assert.deepStrictEqual(
                problemsOf(onpremConfig({ updaterBaseUrl: url })),
                ["updaterBaseUrl: must not carry credentials: the URL appears in plain command strings and logs"],
                url,
            );
        }
        const settings = validate(
            onpremConfig({ updaterBaseUrl: "https://mirror.example.com/update//", installerBaseUrl: "https://mirror.example.com/ha///" }),
        ).settings;
        assert.strictEqual(settings.target === "onprem" && settings.updater.baseUrl, "https://mirror.example.com/update");
        assert.strictEqual(settings.installer.baseUrl, "https://mirror.example.com/ha");
    });

    it("installerBaseUrl: a password alone is a credential too; malformed percent-encoding is named", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerBaseUrl: "https://:secret@mirror.example.com/ha" })), [
            "installerBaseUrl: must not carry credentials: the URL appears in plain command strings and logs",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerBaseUrl: "https://mirror.example.com/%E0%A4%A" })), [
            "installerBaseUrl: has a malformed percent-encoding",
        ]);
    });

    it("updaterSha256: a version listed twice, a version off the path", () => {
        const sha = "ab".repeat(32);
        assert.deepStrictEqual(problemsOf(onpremConfig({ updaterSha256: [`3.8.0=${sha}`, `3.8.0=${"cd".repeat(32)}`] })), [
            "updaterSha256: lists a version more than once",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ updaterSha256: [`3.8.1=${sha}`] })), [
            "updaterSha256[0]: names 3.8.1, which is not on the updater's path (3.0.0, 3.1.0, 3.2.0, 3.3.0, 3.4.0, 3.4.1, 3.5.0, 3.6.0, 3.6.1, 3.7.0, 3.8.0)",
        ]);
        // Two versions with the same digest are two entries, not a repeat: the rule compares versions only.
        assert.deepStrictEqual(problemsOf(onpremConfig({ updaterSha256: [`3.5.0=${sha}`, `3.8.0=${sha}`] })), []);
    });

    it("installerBaseUrl: a user name alone is a credential too", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerBaseUrl: "https://deploy@mirror.example.com/ha" })), [
            "installerBaseUrl: must not carry credentials: the URL appears in plain command strings and logs",
        ]);
    });

    it("license: not empty, no whitespace anywhere", () => {
        for (const license of ["", "   ", "ABC DEF", "ABC\tDEF", " ABC"]) {
            assert.deepStrictEqual(
                problemsOf(onpremConfig({ license })),
                ["license: must be the license key: not empty, no whitespace"],
                JSON.stringify(license),
            );
        }
        assert.deepStrictEqual(problemsOf(onpremConfig({ license: "A" })), []);
    });

    it("a one-of key names the wrong value as given, JSON for non-strings", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ rtcEngine: "janus" })), ["rtcEngine: must be one of pion, mediasoup, got 'janus'"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ target: undefined, domain: undefined })), [
            "target: is required (onprem or aws)",
            "domain: is required",
        ]);
    });

    it("additionalInstallerFlags: the flag name of a repeated entry", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ additionalInstallerFlags: ["--x=1", "--x=2"] })), [
            "additionalInstallerFlags[1]: --x is listed more than once",
        ]);
    });
});

describe("validation: on-prem DNS keys used only where they apply", () => {
    it("route53ZoneId only with route53; Cloudflare account and regions only with Cloudflare health checks", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ route53ZoneId: "Z0123456789ABCDEFGHIJ" })), [
            "route53ZoneId: is only used when dnsProvider is route53",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ cloudflareAccountId: "0123456789abcdef0123456789abcdef" })), [
            "cloudflareAccountId: is only used when dnsHealthChecks is true with dnsProvider cloudflare",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ cloudflareCheckRegions: ["WEU"] })), [
            "cloudflareCheckRegions: is only used when dnsHealthChecks is true with dnsProvider cloudflare",
        ]);
    });

    it("dnsTtl 1 only for plain Cloudflare records", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsTtl: 1 })), []);
        assert.deepStrictEqual(
            problemsOf(
                onpremConfig({ dnsTtl: 1, dnsHealthChecks: true, cloudflareAccountId: "0123456789abcdef0123456789abcdef", cloudflareCheckRegions: ["WEU"] }),
            ),
            ["dnsTtl: 1 (automatic) exists only for plain Cloudflare records: give seconds (60..86400)"],
        );
    });

    it("a TURN certificate needs both halves; the missing one is named", () => {
        const problems = problemsOf(onpremConfig({ certificateType: "owncert", turnDomain: "turn.example.com", turnOwnCertPublicKey: "x" }));
        assert.ok(problems.includes("turnOwnCertPrivateKey: turnOwnCertPrivateKey and turnOwnCertPublicKey must be set together"), problems.join("\n"));
    });
});

describe("validation: AWS rules", () => {
    it("media scaling bounds: min above max, initial outside them", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ minMediaNodes: 6, maxMediaNodes: 5, initialMediaNodes: 5 })), [
            "minMediaNodes: (6) must not exceed maxMediaNodes (5)",
            "initialMediaNodes: (5) must be between minMediaNodes (6) and maxMediaNodes (5)",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ minMediaNodes: 2, maxMediaNodes: 2, initialMediaNodes: 2 })), []);
        assert.deepStrictEqual(problemsOf(awsConfig({ initialMediaNodes: 6 })), [
            "initialMediaNodes: (6) must be between minMediaNodes (1) and maxMediaNodes (5)",
        ]);
    });

    it("certificates in another region than the stack's, or than each other when the region is unknown", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ certificateArn: ARN("us-east-1") })), [
            "certificateArn: is in us-east-1, but the stack deploys to eu-west-1 (aws:region): the load balancer takes certificates of its own region",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ turnDomain: "turn.example.com", turnCertificateArn: ARN("us-east-1") })), [
            "turnCertificateArn: is in us-east-1, but the stack deploys to eu-west-1 (aws:region): the load balancer takes certificates of its own region",
        ]);
        const unknownRegion = { "aws:region": undefined, turnDomain: "turn.example.com" };
        assert.deepStrictEqual(problemsOf(awsConfig({ ...unknownRegion, turnCertificateArn: ARN("us-east-1") })), [
            "turnCertificateArn: must be in the region of certificateArn (eu-west-1): both load balancers take certificates of their own region",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ ...unknownRegion, turnCertificateArn: ARN("eu-west-1") })), []);
    });

    it("drainTimeoutMinutes at most 2870 on AWS", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ drainTimeoutMinutes: 2870 })), []);
        assert.deepStrictEqual(problemsOf(awsConfig({ drainTimeoutMinutes: 2871 })), [
            "drainTimeoutMinutes: (2871) must be at most 2870 on AWS: the terminate hook lasts at most 48 hours, 10 minutes of which stop the node and complete the hook",
        ]);
    });

    it("sshAllowedCidrs: host bits named with the network; the world allowed with a warning per entry", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ sshAllowedCidrs: ["198.51.100.7/24"] })), [
            "sshAllowedCidrs[0]: 198.51.100.7/24 has host bits set: write the network, 198.51.100.0/24",
        ]);
        assert.deepStrictEqual(validate(awsConfig({ sshAllowedCidrs: ["198.51.100.0/24", "0.0.0.0/0", "::/0"] })).warnings, [
            "sshAllowedCidrs[1]: 0.0.0.0/0 opens SSH on every node to the whole internet; prefer your operators' networks (or Session Manager)",
            "sshAllowedCidrs[2]: ::/0 opens SSH on every node to the whole internet; prefer your operators' networks (or Session Manager)",
        ]);
    });

    it("bucket names end with a letter or digit; subnet lists must be lists", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ appDataBucketName: "bucket-" })), [
            "appDataBucketName: must be a valid S3 bucket name (3-63 lowercase letters, digits, dots or hyphens)",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ mediaSubnetIds: "subnet-0a1b2c3d4e5f60001" })), ["mediaSubnetIds: must be a list of strings"]);
        assert.deepStrictEqual(problemsOf(awsConfig({ mediaSubnetIds: undefined })), ["mediaSubnetIds: is required: a list of media subnet ids"]);
    });
});

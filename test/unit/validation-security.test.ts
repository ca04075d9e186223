/**
 * Validation rules from the security review: values that could add installer arguments, addresses that escaped
 * the address checks, installer URLs that hide tokens or 'latest', SSH CIDRs, certificates of another region,
 * and warnings for what is allowed but risky.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { InstallerArg } from "../../components/core/installer-flags";
import { ConfigError } from "../../components/config/validate";
import { installerStdin } from "../../components/host/host-scripts";
import { readStackConfig } from "../../tools/plan/stack-config";
import { awsConfig, onpremConfig, ONPREM_SECRET_KEYS } from "../support/fixtures";
import { runProgram } from "../support/program";
import { problemsOf, validate } from "../support/validation";

const masters = () => onpremConfig().masterNodes as { publicIp: string; privateIp: string }[];
const CERT = (region: string) => `arn:aws:acm:${region}:123456789012:certificate/11111111-2222-3333-4444-555555555555`;

describe("validation: line breaks never reach the installer's argument file", () => {
    it("rejects a line break in zerosslApiKey, naming the key and not the value", () => {
        const problems = problemsOf(onpremConfig({ certificateType: "zerossl", zerosslApiKey: "abc\nP --evil-flag=1" }));
        assert.deepStrictEqual(problems, ["zerosslApiKey: must be a single line (a line break would start another installer argument)"]);
    });

    it("rejects a line break in any value, whatever its key, nested ones included", () => {
        const m = masters();
        m[0] = { ...m[0], hostKey: "ssh-ed25519 AAAA\rP --x" } as (typeof m)[0];
        assert.deepStrictEqual(
            problemsOf(
                onpremConfig({
                    openviduVersion: "3.0.0",
                    letsencryptEmail: "a@example.com\n",
                    certificateType: "letsencrypt",
                    masterNodes: m,
                    modules: ["observability\nx"],
                }),
            ),
            [
                "modules[0]: must be a single line (a line break would start another installer argument)",
                "masterNodes[0].hostKey: must be a single line (a line break would start another installer argument)",
                "letsencryptEmail: must be a single line (a line break would start another installer argument)",
            ],
        );
    });

    it("keeps multi-line PEM values (they reach the installer base64-encoded)", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig()), []); // sshPrivateKey is multi-line
    });

    it("refuses to render installer stdin with a line break in an argument, naming the flag only", () => {
        const args: InstallerArg[] = [{ flag: "--zerossl-api-key", value: "k\nP --evil-flag=1", secret: true }];
        assert.throws(
            () => installerStdin(args),
            (e: Error) => e.message === "installer argument --zerossl-api-key contains a line break" && !e.message.includes("evil"),
        );
    });
});

describe("validation: host addresses that escaped the checks", () => {
    it("rejects IPv4-mapped IPv6 addresses, so they cannot duplicate an IPv4 or hide an unusable one", () => {
        const media = [
            { publicIp: "::ffff:203.0.113.11", privateIp: "10.5.1.1" },
            { publicIp: "::ffff:127.0.0.1", privateIp: "::ffff:10.5.1.2" },
        ];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), [
            "mediaNodes[0].publicIp: is an IPv4-mapped IPv6 address: write it as 203.0.113.11",
            "mediaNodes[1].publicIp: is an IPv4-mapped IPv6 address: write it as 127.0.0.1",
            "mediaNodes[1].privateIp: is an IPv4-mapped IPv6 address: write it as 10.5.1.2",
        ]);
    });

    it("rejects IPv6 zone ids, which would reach the nftables ruleset", () => {
        const media = [{ publicIp: "2001:db8::21", privateIp: "fd00::1%eth0" }];
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes: media })), [
            "mediaNodes[0].privateIp: must not carry a zone id ('%eth0'): give the bare address",
        ]);
    });
});

describe("validation: installerBaseUrl", () => {
    const problems = (url: string) => problemsOf(onpremConfig({ installerBaseUrl: url }));

    it("rejects a query string or fragment (a token there would sit in plain command strings)", () => {
        const message = "installerBaseUrl: must not carry a query string or fragment: the URL appears in plain command strings and logs";
        assert.deepStrictEqual(problems("https://mirror.example.com/ov?token=abc"), [message]);
        assert.deepStrictEqual(problems("https://mirror.example.com/ov#x"), [message]);
    });

    it("rejects whitespace anywhere", () => {
        assert.deepStrictEqual(problems("https://mirror.example.com/o v"), ["installerBaseUrl: must not contain whitespace"]);
        assert.deepStrictEqual(problems(" https://mirror.example.com/ov"), ["installerBaseUrl: must not contain whitespace"]);
    });

    it("decodes percent-encoding before the 'latest' check", () => {
        for (const url of ["https://mirror.example.com/%6Catest", "https://mirror.example.com/LATEST"]) {
            assert.deepStrictEqual(problems(url), ["installerBaseUrl: must not point at 'latest': the version is pinned by openviduVersion"], url);
        }
        assert.deepStrictEqual(problems("https://mirror.example.com/%zz"), ["installerBaseUrl: has a malformed percent-encoding"]);
    });
});

describe("validation: AWS security rules", () => {
    it("rejects sshAllowedCidrs with host bits set, suggesting the network", () => {
        assert.deepStrictEqual(problemsOf(awsConfig({ sshAllowedCidrs: ["198.51.100.7/24", "2001:db8::1/32", "198.51.100.7/32"] })), [
            "sshAllowedCidrs[0]: 198.51.100.7/24 has host bits set: write the network, 198.51.100.0/24",
            "sshAllowedCidrs[1]: 2001:db8::1/32 has host bits set: write the network, 2001:db8::/32",
        ]);
    });

    it("warns when SSH is open to the world", () => {
        const { warnings } = validate(awsConfig({ sshAllowedCidrs: ["0.0.0.0/0", "::/0", "198.51.100.0/24"] }));
        assert.deepStrictEqual(warnings, [
            "sshAllowedCidrs[0]: 0.0.0.0/0 opens SSH on every node to the whole internet; prefer your operators' networks (or Session Manager)",
            "sshAllowedCidrs[1]: ::/0 opens SSH on every node to the whole internet; prefer your operators' networks (or Session Manager)",
        ]);
        assert.deepStrictEqual(validate(awsConfig({ sshAllowedCidrs: ["198.51.100.0/24"] })).warnings, []);
    });

    it("rejects certificates from another region than the stack's", () => {
        assert.deepStrictEqual(
            problemsOf(awsConfig({ certificateArn: CERT("us-east-1"), turnDomain: "turn.example.com", turnCertificateArn: CERT("us-east-1") })),
            [
                "certificateArn: is in us-east-1, but the stack deploys to eu-west-1 (aws:region): the load balancer takes certificates of its own region",
                "turnCertificateArn: is in us-east-1, but the stack deploys to eu-west-1 (aws:region): the load balancer takes certificates of its own region",
            ],
        );
        assert.deepStrictEqual(problemsOf(awsConfig({ "aws:region": "us-east-1", certificateArn: CERT("us-east-1") })), []);
    });
});

describe("offline plan: stack file syntax", () => {
    it("reports a YAML syntax error as a config problem naming the file (exit 1, like other config errors)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "ovha-yaml-"));
        const file = path.join(dir, "Pulumi.broken.yaml");
        fs.writeFileSync(file, "config:\n  openvidu-ha:domain: [unclosed\n");
        try {
            assert.throws(
                () => readStackConfig(path.join(__dirname, "..", ".."), file, "broken"),
                (e: unknown) => e instanceof ConfigError && e.problems.length === 1 && e.problems[0].startsWith(`${file}: is not valid YAML: `),
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});

describe("config: plain-text secrets", () => {
    async function warningsOf(config: Record<string, unknown>, secretKeys: string[]): Promise<string[]> {
        const warnings: string[] = [];
        const original = console.warn;
        console.warn = (...args: unknown[]) => {
            warnings.push(args.join(" "));
        };
        try {
            await runProgram(config, secretKeys);
        } finally {
            console.warn = original;
        }
        return warnings;
    }

    it("warns, naming each secret key given without secure:, never its value", async () => {
        const config = onpremConfig({ certificateType: "zerossl", zerosslApiKey: "zerossl-plain-value", redisPassword: "redis-plain-value" });
        const warnings = (await warningsOf(config, ["license", "sshPrivateKey"])).filter((w) => w.includes("plain text"));
        assert.deepStrictEqual(warnings, [
            "warning: [runtime] redisPassword: is a secret but the stack file holds it in plain text; encrypt it: pulumi config set --secret redisPassword <value>",
            "warning: [runtime] zerosslApiKey: is a secret but the stack file holds it in plain text; encrypt it: pulumi config set --secret zerosslApiKey <value>",
            "warning: [runtime] cloudflare:apiToken: is a secret but the stack file holds it in plain text; encrypt it: pulumi config set --secret cloudflare:apiToken <value>",
        ]);
        assert.ok(warnings.every((w) => !w.includes("plain-value")));
    });

    it("warns about nothing when every secret is secure:", async () => {
        assert.deepStrictEqual(
            (await warningsOf(onpremConfig(), ONPREM_SECRET_KEYS)).filter((w) => w.includes("plain text")),
            [],
        );
    });
});

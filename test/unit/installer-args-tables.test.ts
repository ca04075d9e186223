/**
 * installerArgs called directly (no program run, so mutation testing can afford it) against the vendor's commands:
 * the seed's 3.0 commands and the 3.8 CloudFormation template's arguments, flag for flag, in order, with values and
 * secret marks. Expected values come from the vendor's text (test/support/seed-commands.ts,
 * test/support/vendor-3-8-commands.ts) and literals here, never from the release line tables.
 */
import * as assert from "assert";
import {
    credentialsUsedBy,
    EXTRA_FLAG_PATTERN,
    extraFlagName,
    InstallerArg,
    installerArgs,
    InstallerSettings,
    MANAGED_FLAGS,
    renderArg,
} from "../../components/core/installer-flags";
import { RELEASE_LINES, releaseLineOf, supportsMediaPublicIp, SUPPORTED_LINES_TEXT, DEFAULT_OPENVIDU_VERSION } from "../../components/core/release-lines";
import { camelCaseOfFlag } from "../support/installer-args";
import {
    SEED_MASTER_LETSENCRYPT,
    SEED_MASTER_OWNCERT,
    SEED_MASTER_SELFSIGNED,
    SEED_MEDIA,
    SEED_PREAMBLE_MASTER,
    SEED_PREAMBLE_MEDIA,
    seedCommand,
} from "../support/seed-commands";
import { templateArgs, VENDOR_3_8_AWS_MASTER_ARGS, VENDOR_3_8_AWS_MEDIA_ARGS } from "../support/vendor-3-8-commands";

const LINE_3_0 = RELEASE_LINES.find((l) => l.id === "3.0")!;
const LINE_3_8 = RELEASE_LINES.find((l) => l.id === "3.8")!;
const MASTERS = ["10.5.0.1", "10.5.0.2", "10.5.0.3", "10.5.0.4"];
const LICENSE = "LICENSE-VALUE";

/** The credentials of both lines, literal names (the vendor's flags in camelCase): the cluster's, then each line's application module's. */
const CLUSTER_CREDENTIAL_NAMES = [
    "livekitApiKey",
    "livekitApiSecret",
    "dashboardAdminUser",
    "dashboardAdminPassword",
    "redisPassword",
    "minioAccessKey",
    "minioSecretKey",
    "mongoAdminUser",
    "mongoAdminPassword",
    "mongoReplicaSetKey",
    "grafanaAdminUser",
    "grafanaAdminPassword",
];
const MEET_CREDENTIAL_NAMES = ["meetInitialAdminPassword", "meetInitialApiKey"];
const CALL_APP_CREDENTIAL_NAMES = ["defaultAppUser", "defaultAppPassword", "defaultAppAdminUser", "defaultAppAdminPassword"];

/** Every credential of both lines, with a recognisable value. */
const CREDENTIALS: Record<string, string> = Object.fromEntries(
    [...CLUSTER_CREDENTIAL_NAMES, ...MEET_CREDENTIAL_NAMES, ...CALL_APP_CREDENTIAL_NAMES].map((k) => [k, `value-of-${k}`]),
);

const base = (over: Partial<InstallerSettings>): InstallerSettings => ({
    role: "master",
    line: LINE_3_0,
    domain: "openvidu.example.io",
    turnDomain: "turn.example.io",
    rtcEngine: "pion",
    modules: ["observability", "v2compatibility", "app"],
    masterPrivateIps: MASTERS,
    ...over,
});

const secrets = {
    license: LICENSE,
    credentials: CREDENTIALS,
    ownCert: { privateKeyPem: "DOMAIN KEY\n", publicKeyPem: "DOMAIN CERT\n" },
    turnOwnCert: { privateKeyPem: "TURN KEY\n", publicKeyPem: "TURN CERT\n" },
    zerosslApiKey: "ZEROSSL-KEY",
};

/** Flags that carry a secret in the vendor's commands: the license, every credential, certificate keys. */
const SECRET_FLAGS = new Set([
    "--openvidu-pro-license",
    "--owncert-private-key",
    "--owncert-public-key",
    "--turn-owncert-private-key",
    "--turn-owncert-public-key",
    "--zerossl-api-key",
]);
const isSecretFlag = (flag: string) => SECRET_FLAGS.has(flag) || camelCaseOfFlag(flag) in CREDENTIALS;

/** What a seed value ('xxxxx', "$CERT_...") stands for in these inputs. */
function seedValue(flag: string, value: string | undefined): string | undefined {
    if (value === "xxxxx") {
        return flag === "--openvidu-pro-license" ? LICENSE : CREDENTIALS[camelCaseOfFlag(flag)];
    }
    const certs: Record<string, string> = {
        // base64 of "DOMAIN KEY\n", "DOMAIN CERT\n", "TURN KEY\n", "TURN CERT\n" (`printf ... | base64 -w 0`)
        $CERT_PRIVATE_KEY: "RE9NQUlOIEtFWQo=",
        $CERT_PUBLIC_KEY: "RE9NQUlOIENFUlQK",
        $CERT_TURN_PRIVATE_KEY: "VFVSTiBLRVkK",
        $CERT_TURN_PUBLIC_KEY: "VFVSTiBDRVJUCg==",
    };
    return value !== undefined && value in certs ? certs[value] : value;
}

function assertSame(actual: InstallerArg[], expected: { flag: string; value?: string }[]): void {
    assert.deepStrictEqual(
        actual.map((a) => a.flag),
        expected.map((e) => e.flag),
        "flags and their order",
    );
    expected.forEach((e, i) => {
        assert.strictEqual(actual[i].value, e.value, `value of ${e.flag}`);
        assert.strictEqual(actual[i].secret, isSecretFlag(e.flag), `secret mark of ${e.flag}`);
    });
}

describe("installerArgs against the seed's 3.0 commands (pure)", () => {
    const seed = (preamble: string, block: string) => seedCommand(preamble, block).map((f) => ({ flag: f.flag, value: seedValue(f.flag, f.value) }));

    it("master with letsencrypt: the seed's command, email included", () => {
        const args = installerArgs(base({ certificate: { type: "letsencrypt", letsencryptEmail: "example@example.io" } }), secrets);
        assertSame(args, seed(SEED_PREAMBLE_MASTER, SEED_MASTER_LETSENCRYPT));
    });

    it("master with selfsigned: the seed's command", () => {
        assertSame(installerArgs(base({ certificate: { type: "selfsigned" } }), secrets), seed(SEED_PREAMBLE_MASTER, SEED_MASTER_SELFSIGNED));
    });

    it("master with owncert and a TURN certificate: PEMs base64-encoded on one line", () => {
        assertSame(installerArgs(base({ certificate: { type: "owncert" } }), secrets), seed(SEED_PREAMBLE_MASTER, SEED_MASTER_OWNCERT));
    });

    it("owncert without a TURN certificate stops after the domain's key pair", () => {
        const args = installerArgs(base({ certificate: { type: "owncert" } }), { ...secrets, turnOwnCert: undefined });
        assert.deepStrictEqual(args.slice(-3).map(renderArg), [
            "--certificate-type=owncert",
            "--owncert-private-key=RE9NQUlOIEtFWQo=",
            "--owncert-public-key=RE9NQUlOIENFUlQK",
        ]);
    });

    it("owncert without any certificate sends empty values rather than a stale one", () => {
        const args = installerArgs(base({ certificate: { type: "owncert" } }), { license: LICENSE, credentials: CREDENTIALS });
        assert.deepStrictEqual(args.slice(-3).map(renderArg), ["--certificate-type=owncert", "--owncert-private-key=", "--owncert-public-key="]);
    });

    it("zerossl: the API key follows the certificate type, marked secret", () => {
        const args = installerArgs(base({ certificate: { type: "zerossl" } }), secrets);
        assert.deepStrictEqual(args.slice(-2), [
            { flag: "--certificate-type", value: "zerossl", secret: false },
            { flag: "--zerossl-api-key", value: "ZEROSSL-KEY", secret: true },
        ]);
        const noKey = installerArgs(base({ certificate: { type: "zerossl" } }), { license: LICENSE, credentials: CREDENTIALS });
        assert.deepStrictEqual(noKey.slice(-1), [{ flag: "--zerossl-api-key", value: "", secret: true }]);
    });

    it("letsencrypt without an email sends an empty --letsencrypt-email", () => {
        const args = installerArgs(base({ certificate: { type: "letsencrypt" } }), secrets);
        assert.deepStrictEqual(args.slice(-1), [{ flag: "--letsencrypt-email", value: "", secret: false }]);
    });

    it("media node: the seed's media command (turnDomain is the configured one)", () => {
        const expected = seed(SEED_PREAMBLE_MEDIA, SEED_MEDIA).map((f) => (f.flag === "--turn-domain-name" ? { ...f, value: "turn.example.io" } : f));
        assertSame(installerArgs(base({ role: "media" }), secrets), expected);
    });

    it("media node without a TURN domain leaves --turn-domain-name out", () => {
        const flags = installerArgs(base({ role: "media", turnDomain: undefined }), secrets).map((a) => a.flag);
        assert.ok(!flags.includes("--turn-domain-name"));
        assert.strictEqual(flags.length, 16);
    });

    it("names the missing credential and the line when a credential is not given", () => {
        const { redisPassword: _dropped, ...rest } = CREDENTIALS;
        assert.throws(
            () => installerArgs(base({ role: "media" }), { license: LICENSE, credentials: rest }),
            (err: Error) => err.message === "installer flag --redis-password needs credential redisPassword, which the 3.0 line does not define",
        );
    });
});

describe("installerArgs against the vendor's 3.8 CloudFormation template (pure)", () => {
    /** The template's "$VAR" values are the stack's values here. */
    const TEMPLATE_VALUES: Record<string, string> = {
        $MASTER_NODE_PRIVATE_IP_LIST: "10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4",
        $OPENVIDU_PRO_LICENSE: LICENSE,
        $DOMAIN: "openvidu.example.io",
        $ENABLED_MODULES: "observability,v2compatibility,openviduMeet",
        $OPENVIDU_RTC_ENGINE: "mediasoup",
        $PRIVATE_IP: "10.5.1.7",
    };
    /**
     * The template's arguments with its values; --environment moved after --node-role, where the program's shared
     * preamble puts it (the one deliberate difference, see plan-secret-iam.test.ts; the installer ignores order).
     */
    const template = (block: string) => {
        const args = templateArgs(block).map((a) => {
            if (a.value === undefined || !a.value.startsWith("$")) {
                return a;
            }
            return { flag: a.flag, value: TEMPLATE_VALUES[a.value] ?? CREDENTIALS[camelCaseOfFlag(a.flag)] };
        });
        const environment = args.filter((a) => a.flag === "--environment");
        const rest = args.filter((a) => a.flag !== "--environment");
        const afterRole = rest.findIndex((a) => a.flag === "--node-role") + 1;
        return [...rest.slice(0, afterRole), ...environment, ...rest.slice(afterRole)];
    };
    const aws = (over: Partial<InstallerSettings>) =>
        base({
            line: LINE_3_8,
            turnDomain: undefined,
            rtcEngine: "mediasoup",
            modules: ["observability", "v2compatibility", "openviduMeet"],
            environment: "aws",
            externalLoadBalancer: true,
            ...over,
        });

    it("master: the template's COMMON_ARGS in its order", () => {
        assertSame(installerArgs(aws({}), secrets), template(VENDOR_3_8_AWS_MASTER_ARGS));
    });

    it("master: additional flags appended last, split at the first '='", () => {
        const args = installerArgs(aws({ additionalFlags: ["--experimental", "--opt=a=b"] }), secrets);
        assert.deepStrictEqual(args.slice(-2), [
            { flag: "--experimental", secret: false },
            { flag: "--opt", value: "a=b", secret: false },
        ]);
        assert.deepStrictEqual(args.slice(-2).map(renderArg), ["--experimental", "--opt=a=b"]);
    });

    it("media: the template's media arguments; additional flags are the masters' only", () => {
        assertSame(
            installerArgs(aws({ role: "media", nodePrivateIp: "10.5.1.7", additionalFlags: ["--experimental"] }), secrets),
            template(VENDOR_3_8_AWS_MEDIA_ARGS),
        );
    });

    it("forceMediaNodePublicIp: a bare switch on masters, --public-ip on media nodes", () => {
        const master = installerArgs(aws({ forceMediaNodePublicIp: true, externalLoadBalancer: false, environment: undefined }), secrets);
        assert.deepStrictEqual(master.slice(-1), [{ flag: "--force-media-node-public-ip", secret: false }]);
        assert.ok(!master.some((a) => a.flag === "--external-load-balancer" || a.flag === "--environment"));
        const media = installerArgs(aws({ role: "media", nodePrivateIp: "10.5.1.7", nodePublicIp: "198.51.100.7" }), secrets);
        assert.deepStrictEqual(media.slice(-3).map(renderArg), [
            "--private-ip=10.5.1.7",
            "--public-ip=198.51.100.7",
            "--redis-password=value-of-redisPassword",
        ]);
    });

    it("3.8 letsencrypt sends no email flag (the line's commands take none)", () => {
        const args = installerArgs(aws({ externalLoadBalancer: false, certificate: { type: "letsencrypt", letsencryptEmail: "a@b.io" } }), secrets);
        assert.deepStrictEqual(args.slice(-1), [{ flag: "--certificate-type", value: "letsencrypt", secret: false }]);
    });
});

describe("release line tables (literal, from the vendor's documents)", () => {
    it("credentials per role and line: the flags' credentials in the vendor's order", () => {
        assert.deepStrictEqual(credentialsUsedBy(LINE_3_8, "media"), ["redisPassword"]);
        assert.deepStrictEqual(credentialsUsedBy(LINE_3_0, "media"), [
            "livekitApiKey",
            "livekitApiSecret",
            "redisPassword",
            "minioAccessKey",
            "minioSecretKey",
            "mongoAdminUser",
            "mongoAdminPassword",
        ]);
    });

    it("each line's credentials: the cluster's and its application module's", () => {
        assert.deepStrictEqual(LINE_3_0.credentials, [...CLUSTER_CREDENTIAL_NAMES, ...CALL_APP_CREDENTIAL_NAMES]);
        assert.deepStrictEqual(LINE_3_8.credentials, [...CLUSTER_CREDENTIAL_NAMES, ...MEET_CREDENTIAL_NAMES]);
    });

    it("modules, default modules and the application module per line", () => {
        assert.deepStrictEqual(
            [LINE_3_0.modules, LINE_3_0.defaultModules, LINE_3_0.appModule],
            [["observability", "v2compatibility", "app"], ["observability", "v2compatibility", "app"], { module: "app", urlName: "call" }],
        );
        assert.deepStrictEqual(
            [LINE_3_8.modules, LINE_3_8.defaultModules, LINE_3_8.appModule],
            [
                ["observability", "v2compatibility", "openviduMeet"],
                ["observability", "v2compatibility", "openviduMeet"],
                { module: "openviduMeet", urlName: "meet" },
            ],
        );
    });

    it("versions map to their line; anything else to none", () => {
        assert.strictEqual(releaseLineOf("3.0.0")?.id, "3.0");
        assert.strictEqual(releaseLineOf("3.0.12")?.id, "3.0");
        assert.strictEqual(releaseLineOf("3.8.1")?.id, "3.8");
        for (const v of ["3.5.0", "3.8", "3.8.0-rc1", "v3.8.0", "13.8.0", "3.0.x"]) {
            assert.strictEqual(releaseLineOf(v), undefined, v);
        }
        assert.strictEqual(SUPPORTED_LINES_TEXT, "3.0.x, 3.8.x");
        assert.strictEqual(DEFAULT_OPENVIDU_VERSION, "3.8.0");
    });

    it("only 3.8 media nodes take a public IP", () => {
        assert.strictEqual(supportsMediaPublicIp(LINE_3_8), true);
        assert.strictEqual(supportsMediaPublicIp(LINE_3_0), false);
    });

    it("managed flags: every flag either line sets, certificate flags included; extra flags must not name them", () => {
        for (const flag of [
            "--no-tty",
            "--letsencrypt-email",
            "--zerossl-api-key",
            "--turn-owncert-public-key",
            "--public-ip",
            "--domain-name-or-ip",
            "--meet-initial-api-key",
        ]) {
            assert.ok(MANAGED_FLAGS.has(flag), flag);
        }
        // 28 flags of 3.0 masters, --rtc-engine of 3.0 media, 6 more of 3.8, 6 certificate flags.
        assert.strictEqual(MANAGED_FLAGS.size, 41);
        assert.strictEqual(extraFlagName("--opt=a=b"), "--opt");
        assert.strictEqual(extraFlagName("--opt"), "--opt");
        for (const ok of ["--x", "--a1-b", "--opt=a,b=c_d.e-f", "--opt="]) {
            assert.match(ok, EXTRA_FLAG_PATTERN);
        }
        for (const bad of ["-x", "--", "--X", "---x", "--x=a b", "--x=$(id)", "--x;id", " --x"]) {
            assert.doesNotMatch(bad, EXTRA_FLAG_PATTERN);
        }
    });
});

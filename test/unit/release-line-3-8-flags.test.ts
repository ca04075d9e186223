/**
 * The 3.8 line against the vendor's current on-prem page: for each certificate type and for media nodes, what the
 * program sends to install.sh is the page's command flag for flag (test/support/vendor-3-8-commands.ts, copied
 * verbatim), plus only the documented extras (README "Installer flags per line"). Also the credential flags of
 * both lines.
 */
import * as assert from "assert";
import { credentialsUsedBy } from "../../components/core/installer-flags";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { CREDENTIAL_KEYS } from "../../components/core/types";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { camelCaseOfFlag, credentialOverrides, ParsedArg, parseInstallerStdin } from "../support/installer-args";
import { pemPair } from "../support/pem";
import { runProgram } from "../support/program";
import { SeedFlag, seedFlags } from "../support/seed-commands";
import {
    VENDOR_3_8_MASTER_LETSENCRYPT,
    VENDOR_3_8_MASTER_OWNCERT,
    VENDOR_3_8_MASTER_SELFSIGNED,
    VENDOR_3_8_MEDIA,
    VENDOR_3_8_PREAMBLE_MASTER,
    VENDOR_3_8_PREAMBLE_MEDIA,
} from "../support/vendor-3-8-commands";

const LINE = RELEASE_LINES.find((l) => l.id === "3.8")!;
const LICENSE = "PAGE-LICENSE-0123456789";
const CREDENTIALS = credentialOverrides("page", LINE.credentials);
const cert = () => pemPair("openvidu.example.io");
const base64Of = (pem: string) => Buffer.from(pem, "utf8").toString("base64");

/** The page's example values as stack config (its master IPs are the fixtures' 10.5.0.1-4). */
function pageConfig(overrides: Record<string, unknown>): Record<string, unknown> {
    return onpremConfig({ domain: "openvidu.example.io", license: LICENSE, rtcEngine: "pion", ...CREDENTIALS, ...overrides });
}

/** The guided preamble, then the example's flags that the preamble does not already carry. */
function pageCommand(preamble: string, block: string): SeedFlag[] {
    const head = seedFlags(preamble);
    return [...head, ...seedFlags(block).filter((f) => !head.some((h) => h.flag === f.flag))];
}

/** What a page value stands for in our config: 'xxxxx' is a credential or the license, "$CERT_..." a base64 PEM. */
function expectedValue(page: SeedFlag): string | undefined {
    if (page.value === "xxxxx") {
        return page.flag === "--openvidu-pro-license" ? LICENSE : CREDENTIALS[camelCaseOfFlag(page.flag)];
    }
    const certs: Record<string, string> = { $CERT_PRIVATE_KEY: base64Of(cert().key), $CERT_PUBLIC_KEY: base64Of(cert().cert) };
    return page.value !== undefined && page.value in certs ? certs[page.value] : page.value;
}

/**
 * Flag for flag: the same flags, each once, with the page's values; `extras` are the flags the program adds (with
 * their values). Order is not compared: the installer does not depend on it, and install.sh fingerprints the
 * argument list, so the existing order is kept for installed nodes.
 */
function assertPageCommand(actual: ParsedArg[], page: SeedFlag[], extras: Record<string, string | undefined> = {}): void {
    const flags = actual.map((a) => a.flag);
    assert.strictEqual(new Set(flags).size, flags.length, `no flag twice: ${flags.join(" ")}`);
    const expected = [...page.map((p) => p.flag), ...Object.keys(extras)];
    assert.deepStrictEqual([...flags].sort(), [...expected].sort(), "the page's flags plus the documented extras, nothing else");
    for (const p of page) {
        assert.strictEqual(actual.find((a) => a.flag === p.flag)!.value, expectedValue(p), `value of ${p.flag}`);
    }
    for (const [flag, value] of Object.entries(extras)) {
        assert.strictEqual(actual.find((a) => a.flag === flag)!.value, value, `value of ${flag}`);
    }
}

type Runs = Record<"letsencrypt" | "selfsigned" | "owncert" | "publicIp", Awaited<ReturnType<typeof runProgram>>>;

describe("release line 3.8: installer commands reproduce the vendor's current on-prem page", () => {
    const runs = {} as Runs;
    const args = (run: keyof Runs, resource: string): ParsedArg[] => parseInstallerStdin(runs[run].inputsOf(resource, true).stdin);
    const MEDIA = [
        ["media-10-5-1-1-install", "10.5.1.1", "198.51.100.21"],
        ["media-10-5-1-2-install", "10.5.1.2", "198.51.100.22"],
    ];

    before(async () => {
        const secretKeys = [...ONPREM_SECRET_KEYS, ...Object.keys(CREDENTIALS)];
        runs.letsencrypt = await runProgram(pageConfig({ certificateType: "letsencrypt" }), secretKeys);
        runs.selfsigned = await runProgram(pageConfig({ certificateType: "selfsigned" }), secretKeys);
        runs.owncert = await runProgram(pageConfig({ certificateType: "owncert", ownCertPrivateKey: cert().key, ownCertPublicKey: cert().cert }), secretKeys);
        runs.publicIp = await runProgram(
            pageConfig({ certificateType: "letsencrypt", forceMediaNodePublicIp: true, additionalInstallerFlags: ["--force-utc-timezone", "--x-option=a,b"] }),
            secretKeys,
        );
    });

    it("master with Let's Encrypt: no --letsencrypt-email", () => {
        for (const master of ["masters-1-install", "masters-4-install"]) {
            assertPageCommand(args("letsencrypt", master), pageCommand(VENDOR_3_8_PREAMBLE_MASTER, VENDOR_3_8_MASTER_LETSENCRYPT));
        }
        assert.ok(!args("letsencrypt", "masters-2-install").some((a) => a.flag === "--letsencrypt-email"));
    });

    it("master with a self-signed certificate", () => {
        assertPageCommand(args("selfsigned", "masters-2-install"), pageCommand(VENDOR_3_8_PREAMBLE_MASTER, VENDOR_3_8_MASTER_SELFSIGNED));
    });

    it("master with its own certificate, base64 on one line", () => {
        assertPageCommand(args("owncert", "masters-3-install"), pageCommand(VENDOR_3_8_PREAMBLE_MASTER, VENDOR_3_8_MASTER_OWNCERT));
    });

    it("media node: the page's command plus its own --private-ip (the vendor's template passes it; install checks it is bound)", () => {
        for (const run of ["letsencrypt", "owncert"] as const) {
            for (const [resource, privateIp] of MEDIA) {
                assertPageCommand(args(run, resource), pageCommand(VENDOR_3_8_PREAMBLE_MEDIA, VENDOR_3_8_MEDIA), { "--private-ip": privateIp });
            }
        }
    });

    it("forceMediaNodePublicIp: media nodes add --public-ip with their publicIp, masters --force-media-node-public-ip", () => {
        for (const [resource, privateIp, publicIp] of MEDIA) {
            assertPageCommand(args("publicIp", resource), pageCommand(VENDOR_3_8_PREAMBLE_MEDIA, VENDOR_3_8_MEDIA), {
                "--private-ip": privateIp,
                "--public-ip": publicIp,
            });
        }
        const master = args("publicIp", "masters-1-install");
        assertPageCommand(master, pageCommand(VENDOR_3_8_PREAMBLE_MASTER, VENDOR_3_8_MASTER_LETSENCRYPT), {
            "--force-media-node-public-ip": undefined,
            "--force-utc-timezone": undefined,
            "--x-option": "a,b",
        });
    });

    it("additionalInstallerFlags: appended to the masters' arguments in order, plain; media nodes do not get them", () => {
        const master = args("publicIp", "masters-2-install");
        assert.deepStrictEqual(master.slice(-2), [
            { flag: "--force-utc-timezone", value: undefined, secret: false },
            { flag: "--x-option", value: "a,b", secret: false },
        ]);
        assert.ok(!args("publicIp", "media-10-5-1-1-install").some((a) => a.flag === "--force-utc-timezone"));
    });

    it("marks exactly the license, credentials and certificates secret", () => {
        const secret = args("owncert", "masters-1-install")
            .filter((a) => a.secret)
            .map((a) => a.flag);
        const credentialFlags = LINE.credentials.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
        assert.deepStrictEqual([...secret].sort(), ["--openvidu-pro-license", ...credentialFlags, "--owncert-private-key", "--owncert-public-key"].sort());
    });

    it("uses none of the 3.0 flag names", () => {
        const flags = [...args("letsencrypt", "masters-1-install"), ...args("letsencrypt", "media-10-5-1-1-install")].map((a) => a.flag);
        for (const old of [
            "--domain-name-or-ip",
            "--default-app-user",
            "--default-app-password",
            "--default-app-admin-user",
            "--default-app-admin-password",
            "--letsencrypt-email",
        ]) {
            assert.ok(!flags.includes(old), old);
        }
    });
});

describe("release line 3.8: flags beyond the page's examples", () => {
    it("a TURN domain adds --turn-domain-name to masters only (the vendor's current NLB page)", async () => {
        const run = await runProgram(pageConfig({ certificateType: "selfsigned", turnDomain: "turn.example.io" }), [
            ...ONPREM_SECRET_KEYS,
            ...Object.keys(CREDENTIALS),
        ]);
        const master = parseInstallerStdin(run.inputsOf("masters-1-install", true).stdin);
        assertPageCommand(master, pageCommand(VENDOR_3_8_PREAMBLE_MASTER, VENDOR_3_8_MASTER_SELFSIGNED), { "--turn-domain-name": "turn.example.io" });
        assert.ok(!parseInstallerStdin(run.inputsOf("media-10-5-1-1-install", true).stdin).some((a) => a.flag === "--turn-domain-name"));
    });
});

describe("release lines: credential flags", () => {
    const kebab = (key: string) => `--${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;

    for (const line of RELEASE_LINES) {
        it(`${line.id}: every credential flag is its key in kebab case and belongs to the line`, () => {
            for (const role of ["master", "media"] as const) {
                for (const spec of line.flags[role]) {
                    if (spec.source.from === "credential") {
                        assert.strictEqual(spec.flag, kebab(spec.source.key), `${line.id} ${role}`);
                        assert.ok(line.credentials.includes(spec.source.key), `${line.id} ${role} ${spec.flag}`);
                    }
                }
            }
        });

        it(`${line.id}: the masters' installer takes every credential the line generates`, () => {
            assert.deepStrictEqual([...credentialsUsedBy(line, "master")].sort(), [...line.credentials].sort());
        });
    }

    it("Meet credentials belong to 3.8 only, OpenVidu Call credentials to 3.0 only, the rest to both", () => {
        const [v30, v38] = ["3.0", "3.8"].map((id) => RELEASE_LINES.find((l) => l.id === id)!.credentials);
        for (const key of CREDENTIAL_KEYS) {
            const expected = key.startsWith("meet") ? [false, true] : key.startsWith("defaultApp") ? [true, false] : [true, true];
            assert.deepStrictEqual([v30.includes(key), v38.includes(key)], expected, key);
        }
    });
});

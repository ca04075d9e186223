/**
 * The 3.0 line reproduces the seed's non-interactive installer commands flag for flag and in order, for every
 * master certificate variant and for media nodes, checked on what the program actually sends to install.sh.
 */
import * as assert from "assert";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { camelCaseOfFlag, credentialOverrides, ParsedArg, parseInstallerStdin } from "../support/installer-args";
import { pemPair } from "../support/pem";
import { runProgram } from "../support/program";
import {
    SEED_MASTER_LETSENCRYPT,
    SEED_MASTER_OWNCERT,
    SEED_MASTER_SELFSIGNED,
    SEED_MEDIA,
    SEED_PREAMBLE_MASTER,
    SEED_PREAMBLE_MEDIA,
    SeedFlag,
    seedCommand,
} from "../support/seed-commands";

const LINE = RELEASE_LINES.find((l) => l.id === "3.0")!;
const LICENSE = "SEED-LICENSE-0123456789";
const CREDENTIALS = credentialOverrides("seed", LINE.credentials);
const domainCert = () => pemPair("openvidu.example.io");
const turnCert = () => pemPair("turn.example.io");

/** The seed's example values as stack config. */
function seedConfig(overrides: Record<string, unknown>): Record<string, unknown> {
    return onpremConfig({
        openviduVersion: "3.0.0",
        domain: "openvidu.example.io",
        turnDomain: "turn.example.io",
        license: LICENSE,
        ...CREDENTIALS,
        ...overrides,
    });
}

const base64Of = (pem: string) => Buffer.from(pem, "utf8").toString("base64");

/** What a seed value stands for in our config: 'xxxxx' is a credential or the license, "$CERT_..." a base64 PEM. */
function expectedValue(seed: SeedFlag, role: "master" | "media"): string | undefined {
    if (seed.value === "xxxxx") {
        return seed.flag === "--openvidu-pro-license" ? LICENSE : CREDENTIALS[camelCaseOfFlag(seed.flag)];
    }
    const certs: Record<string, string> = {
        $CERT_PRIVATE_KEY: base64Of(domainCert().key),
        $CERT_PUBLIC_KEY: base64Of(domainCert().cert),
        $CERT_TURN_PRIVATE_KEY: base64Of(turnCert().key),
        $CERT_TURN_PUBLIC_KEY: base64Of(turnCert().cert),
    };
    if (seed.value !== undefined && seed.value in certs) {
        return certs[seed.value];
    }
    // The seed's media example passes the main domain as TURN domain, which the wizard itself forbids
    // ("must be different from the OpenVidu domain name"); the media node gets the configured turnDomain.
    if (role === "media" && seed.flag === "--turn-domain-name") {
        return "turn.example.io";
    }
    return seed.value;
}

function assertSameCommand(actual: ParsedArg[], seed: SeedFlag[], role: "master" | "media"): void {
    assert.deepStrictEqual(
        actual.map((a) => a.flag),
        seed.map((s) => s.flag),
        "flags and their order",
    );
    seed.forEach((s, i) => {
        assert.strictEqual(actual[i].value, expectedValue(s, role), `value of ${s.flag}`);
    });
}

type Runs = Record<"selfsigned" | "letsencrypt" | "owncert" | "mediasoup", Awaited<ReturnType<typeof runProgram>>>;

describe("release line 3.0: installer commands reproduce the seed", () => {
    const runs = {} as Runs;
    const args = (run: keyof Runs, resource: string): ParsedArg[] => parseInstallerStdin(runs[run].inputsOf(resource, true).stdin);

    before(async () => {
        const secretKeys = [...ONPREM_SECRET_KEYS, ...Object.keys(CREDENTIALS)];
        runs.selfsigned = await runProgram(seedConfig({ certificateType: "selfsigned" }), secretKeys);
        runs.letsencrypt = await runProgram(seedConfig({ certificateType: "letsencrypt", letsencryptEmail: "example@example.io" }), secretKeys);
        runs.owncert = await runProgram(
            seedConfig({
                certificateType: "owncert",
                ownCertPrivateKey: domainCert().key,
                ownCertPublicKey: domainCert().cert,
                turnOwnCertPrivateKey: turnCert().key,
                turnOwnCertPublicKey: turnCert().cert,
            }),
            secretKeys,
        );
        runs.mediasoup = await runProgram(seedConfig({ certificateType: "selfsigned", rtcEngine: "mediasoup", turnDomain: undefined }), secretKeys);
    });

    it("master with a self-signed certificate", () => {
        for (const master of ["masters-1-install", "masters-4-install"]) {
            assertSameCommand(args("selfsigned", master), seedCommand(SEED_PREAMBLE_MASTER, SEED_MASTER_SELFSIGNED), "master");
        }
    });

    it("master with Let's Encrypt", () => {
        assertSameCommand(args("letsencrypt", "masters-3-install"), seedCommand(SEED_PREAMBLE_MASTER, SEED_MASTER_LETSENCRYPT), "master");
    });

    it("master with its own certificates, TURN certificates included, base64 on one line", () => {
        const owncert = args("owncert", "masters-2-install");
        assertSameCommand(owncert, seedCommand(SEED_PREAMBLE_MASTER, SEED_MASTER_OWNCERT), "master");
        for (const a of owncert.filter((x) => x.flag.includes("owncert"))) {
            assert.match(a.value!, /^[A-Za-z0-9+/]+=*$/, `${a.flag} is base64 on one line (base64 -w 0)`);
            assert.match(Buffer.from(a.value!, "base64").toString("utf8"), /^-----BEGIN [A-Z ]+-----\n/, `${a.flag} decodes to PEM`);
        }
    });

    it("media node", () => {
        for (const media of ["media-10-5-1-1-install", "media-10-5-1-2-install"]) {
            assertSameCommand(args("selfsigned", media), seedCommand(SEED_PREAMBLE_MEDIA, SEED_MEDIA), "media");
        }
        // Media nodes take no certificate flags, whatever the masters use.
        assertSameCommand(args("owncert", "media-10-5-1-1-install"), seedCommand(SEED_PREAMBLE_MEDIA, SEED_MEDIA), "media");
    });

    it("media node with mediasoup and without a TURN domain", () => {
        const media = args("mediasoup", "media-10-5-1-1-install");
        const seed = seedCommand(SEED_PREAMBLE_MEDIA, SEED_MEDIA).filter((f) => f.flag !== "--turn-domain-name");
        assert.deepStrictEqual(
            media.map((a) => a.flag),
            seed.map((s) => s.flag),
        );
        assert.strictEqual(media.find((a) => a.flag === "--rtc-engine")?.value, "mediasoup");
        assert.ok(!args("mediasoup", "masters-1-install").some((a) => a.flag === "--turn-domain-name"));
    });

    it("marks exactly the license, credentials and certificates secret", () => {
        const secret = args("owncert", "masters-1-install")
            .filter((a) => a.secret)
            .map((a) => a.flag);
        const credentialFlags = LINE.credentials.map((k) => `--${k.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`);
        const certFlags = ["--owncert-private-key", "--owncert-public-key", "--turn-owncert-private-key", "--turn-owncert-public-key"];
        assert.deepStrictEqual([...secret].sort(), ["--openvidu-pro-license", ...credentialFlags, ...certFlags].sort());
    });
});

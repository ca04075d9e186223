/** The 3.8 line's installer flags (vendor facts 2.3), and the credential flags of both lines. */
import * as assert from "assert";
import { credentialsUsedBy } from "../../components/core/installer-flags";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { CREDENTIAL_KEYS } from "../../components/core/types";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { camelCaseOfFlag, credentialOverrides, ParsedArg, parseInstallerStdin } from "../support/installer-args";
import { pemPair } from "../support/pem";
import { runProgram } from "../support/program";

const LINE = RELEASE_LINES.find((l) => l.id === "3.8")!;
const CREDENTIALS = credentialOverrides("current", LINE.credentials);
const PREAMBLE = (role: string) => [
    { flag: "--no-tty", value: undefined, secret: false },
    { flag: "--install", value: undefined, secret: false },
    { flag: "--deployment-type", value: "ha", secret: false },
    { flag: "--node-role", value: role, secret: false },
];
const MASTER_IPS = "10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4";

type Runs = Record<"letsencrypt" | "owncert", Awaited<ReturnType<typeof runProgram>>>;

describe("release line 3.8: installer flags", () => {
    const runs = {} as Runs;
    const args = (run: keyof Runs, resource: string): ParsedArg[] => parseInstallerStdin(runs[run].inputsOf(resource, true).stdin);
    const cert = () => pemPair("openvidu.example.com");

    before(async () => {
        const secretKeys = [...ONPREM_SECRET_KEYS, ...Object.keys(CREDENTIALS)];
        runs.letsencrypt = await runProgram(
            onpremConfig({ ...CREDENTIALS, certificateType: "letsencrypt", letsencryptEmail: "ops@example.com", rtcEngine: "mediasoup", turnDomain: "turn.example.com" }),
            secretKeys,
        );
        runs.owncert = await runProgram(
            onpremConfig({ ...CREDENTIALS, certificateType: "owncert", ownCertPrivateKey: cert().key, ownCertPublicKey: cert().cert, modules: ["observability"] }),
            secretKeys,
        );
    });

    it("media nodes get only the master IP list, their own private IP and the Redis password besides the fixed flags", () => {
        for (const [resource, ip] of [["media-10-5-1-1-install", "10.5.1.1"], ["media-10-5-1-2-install", "10.5.1.2"]]) {
            assert.deepStrictEqual(args("letsencrypt", resource), [
                ...PREAMBLE("media-node"),
                { flag: "--master-node-private-ip-list", value: MASTER_IPS, secret: false },
                { flag: "--private-ip", value: ip, secret: false },
                { flag: "--redis-password", value: CREDENTIALS.redisPassword, secret: true },
            ]);
        }
    });

    it("masters get the current flag names and every 3.8 credential", () => {
        const master = args("letsencrypt", "masters-1-install");
        assert.deepStrictEqual(master.slice(0, 4), PREAMBLE("master-node"));
        const plain = Object.fromEntries(master.filter((a) => !a.secret).slice(4).map((a) => [a.flag, a.value]));
        assert.deepStrictEqual(plain, {
            "--master-node-private-ip-list": MASTER_IPS,
            "--domain-name": "openvidu.example.com",
            "--enabled-modules": "observability,v2compatibility,openviduMeet",
            "--rtc-engine": "mediasoup",
            "--turn-domain-name": "turn.example.com",
            "--certificate-type": "letsencrypt",
            "--letsencrypt-email": "ops@example.com",
        });
        const secret = master.filter((a) => a.secret);
        assert.deepStrictEqual(secret.map((a) => a.flag).sort(), [
            "--dashboard-admin-password", "--dashboard-admin-user", "--grafana-admin-password", "--grafana-admin-user",
            "--livekit-api-key", "--livekit-api-secret", "--meet-initial-admin-password", "--meet-initial-api-key",
            "--minio-access-key", "--minio-secret-key", "--mongo-admin-password", "--mongo-admin-user", "--mongo-replica-set-key",
            "--openvidu-pro-license", "--redis-password",
        ]);
        for (const a of secret.filter((x) => x.flag !== "--openvidu-pro-license")) {
            assert.strictEqual(a.value, CREDENTIALS[camelCaseOfFlag(a.flag)], a.flag);
        }
        // The certificate flags come last, as in every vendor example.
        assert.deepStrictEqual(master.slice(-2).map((a) => a.flag), ["--certificate-type", "--letsencrypt-email"]);
    });

    it("masters pass their own certificate base64-encoded on one line", () => {
        const master = args("owncert", "masters-4-install");
        const byFlag = Object.fromEntries(master.map((a) => [a.flag, a]));
        assert.strictEqual(byFlag["--certificate-type"].value, "owncert");
        assert.strictEqual(byFlag["--owncert-private-key"].value, Buffer.from(cert().key).toString("base64"));
        assert.strictEqual(byFlag["--owncert-public-key"].value, Buffer.from(cert().cert).toString("base64"));
        assert.ok(byFlag["--owncert-private-key"].secret && byFlag["--owncert-public-key"].secret);
        assert.ok(!("--turn-domain-name" in byFlag) && !("--turn-owncert-private-key" in byFlag));
        assert.strictEqual(byFlag["--enabled-modules"].value, "observability");
        assert.deepStrictEqual(master.slice(-3).map((a) => a.flag), ["--certificate-type", "--owncert-private-key", "--owncert-public-key"]);
    });

    it("uses none of the 3.0 flag names", () => {
        const flags = [...args("letsencrypt", "masters-1-install"), ...args("letsencrypt", "media-10-5-1-1-install")].map((a) => a.flag);
        for (const old of ["--domain-name-or-ip", "--default-app-user", "--default-app-password", "--default-app-admin-user", "--default-app-admin-password"]) {
            assert.ok(!flags.includes(old), old);
        }
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

/**
 * No secret value (license, SSH key, certificates, API keys, every generated or configured credential) reaches a
 * plain input, a plain output, a command string or a resource name; what carries secrets is itself secret.
 */
import * as assert from "assert";
import { isWrappedSecret, RecordedResource, unwrapWireValue } from "../../tools/offline-runtime";
import { onpremConfig, SSH_KEY_PLACEHOLDER } from "../support/fixtures";
import { credentialOverrides } from "../support/installer-args";
import { pemPair } from "../support/pem";
import { ProgramRun, runProgram } from "../support/program";

const COMMAND = "command:remote:Command";

/** Strings of a wire value that are not inside a secret, with their paths. */
function plainStrings(value: unknown, path: string, out: [string, string][] = []): [string, string][] {
    if (isWrappedSecret(value)) {
        return out;
    }
    if (typeof value === "string") {
        out.push([path, value]);
    } else if (Array.isArray(value)) {
        value.forEach((v, i) => plainStrings(v, `${path}[${i}]`, out));
    } else if (typeof value === "object" && value !== null) {
        Object.entries(value).forEach(([k, v]) => plainStrings(v, `${path}.${k}`, out));
    }
    return out;
}

/** A secret and the forms it may travel in: as given, base64 (certificates), and each line of a PEM body. */
function forms(secret: string): string[] {
    const lines = secret.split("\n").filter((l) => l.length >= 16 && !l.startsWith("-----"));
    return [secret, Buffer.from(secret).toString("base64"), ...lines];
}

function assertNoSecretIn(text: string, secrets: string[], where: string): void {
    for (const secret of secrets) {
        for (const form of forms(secret)) {
            assert.ok(!text.includes(form), `${where} contains a secret value (${form.slice(0, 12)}...)`);
        }
    }
}

interface Case {
    name: string;
    config: Record<string, unknown>;
    secretKeys: string[];
    run?: ProgramRun;
    /** Every secret value of the run: configured ones and the credentials the program generated. */
    secrets?: string[];
}

const domain = () => pemPair("openvidu.example.com");
const turn = () => pemPair("turn.example.com");
const CASES: Case[] = [
    {
        name: "owncert, every credential configured",
        config: onpremConfig({
            license: "SECRET-LICENSE-aaaaaaaa",
            "cloudflare:apiToken": "SECRET-CLOUDFLARE-TOKEN",
            ...credentialOverrides("SECRET", [
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
                "meetInitialAdminPassword",
                "meetInitialApiKey",
            ]),
            certificateType: "owncert",
            turnDomain: "turn.example.com",
            hostFirewall: "true",
        }),
        secretKeys: ["license", "sshPrivateKey", "cloudflare:apiToken"],
    },
    {
        name: "3.0 line, zerossl, generated credentials",
        config: onpremConfig({ openviduVersion: "3.0.0", license: "SECRET-LICENSE-bbbbbbbb", certificateType: "zerossl", zerosslApiKey: "SECRET-ZEROSSL-KEY" }),
        secretKeys: ["license", "sshPrivateKey", "cloudflare:apiToken", "zerosslApiKey"],
    },
];

describe("secrets", () => {
    before(async () => {
        Object.assign(CASES[0].config, {
            ownCertPrivateKey: domain().key,
            ownCertPublicKey: domain().cert,
            turnOwnCertPrivateKey: turn().key,
            turnOwnCertPublicKey: turn().cert,
        });
        for (const c of CASES) {
            c.run = await runProgram(c.config, c.secretKeys);
            const configured = [
                "license",
                "sshPrivateKey",
                "cloudflare:apiToken",
                "zerosslApiKey",
                "ownCertPrivateKey",
                "ownCertPublicKey",
                "turnOwnCertPrivateKey",
                "turnOwnCertPublicKey",
            ]
                .map((k) => c.config[k])
                .filter((v): v is string => typeof v === "string");
            const credentials = Object.values(c.run.revealedOutputs.credentials as Record<string, string>);
            c.secrets = [...configured, ...credentials];
            assert.ok(credentials.length >= 14 && configured.includes(SSH_KEY_PLACEHOLDER), c.name);
        }
    });

    for (const c of CASES) {
        describe(c.name, () => {
            const resources = () => c.run!.resources;

            it("appears in no plain input of any resource", () => {
                for (const r of resources()) {
                    for (const [path, text] of plainStrings(r.inputs, r.name)) {
                        assertNoSecretIn(text, c.secrets!, path);
                    }
                }
            });

            it("appears in no command string, secret or not", () => {
                for (const r of resources().filter((x) => x.type === COMMAND)) {
                    const inputs = unwrapWireValue(r.inputs, true) as Record<string, string | undefined>;
                    for (const field of ["create", "update", "delete"]) {
                        assertNoSecretIn(inputs[field] ?? "", c.secrets!, `${r.name}.${field}`);
                    }
                    assert.ok(!isWrappedSecret(r.inputs.create) && !isWrappedSecret(r.inputs.delete), `${r.name}: commands stay readable in previews`);
                }
            });

            it("appears in no resource name or URN", () => {
                for (const r of resources()) {
                    assertNoSecretIn(`${r.name} ${r.urn} ${r.parent ?? ""} ${r.dependsOn.join(" ")}`, c.secrets!, `name of ${r.name}`);
                }
            });

            it("appears in no plain output", () => {
                assertNoSecretIn(JSON.stringify(c.run!.outputs), c.secrets!, "outputs");
            });

            it("the credentials output is secret, and holds every credential of the line", () => {
                assert.strictEqual(c.run!.outputs.credentials, "[secret]");
                const revealed = c.run!.revealedOutputs.credentials as Record<string, string>;
                for (const [key, value] of Object.entries(c.config).filter(([k]) => k in revealed)) {
                    assert.strictEqual(revealed[key], value, `configured ${key} is used as given`);
                }
            });

            it("every install's stdin and every SSH connection is secret", () => {
                const commands = resources().filter((r) => r.type === COMMAND);
                const installs = commands.filter((r) => r.name.endsWith("-install"));
                assert.strictEqual(installs.length, 6);
                installs.forEach((r: RecordedResource) => assert.ok(isWrappedSecret(r.inputs.stdin), `${r.name}.stdin`));
                commands.forEach((r: RecordedResource) => assert.ok(isWrappedSecret(r.inputs.connection), `${r.name}.connection`));
                // The masters' stdin does carry the license: stdin is the only way secrets reach the hosts.
                const license = c.config.license as string;
                installs
                    .filter((r) => r.name.startsWith("masters-"))
                    .forEach((r) => assert.ok(String(unwrapWireValue(r.inputs.stdin, true)).includes(license), `${r.name}.stdin has the license`));
            });
        });
    }
});

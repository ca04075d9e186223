/**
 * Passphrase-encrypted stacks read as the CLI reads them (tools/offline-runtime/passphrase.ts): the reference's
 * test vector from pkg/secrets/passphrase/manager_test.go, then fixtures this test encrypts itself.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { stringify } from "yaml";
import { CliConfigError } from "../../tools/offline-runtime/cli-config";
import { decryptValue, IncorrectPassphraseError, keyForStack, passphraseFromEnv } from "../../tools/offline-runtime/passphrase";
import { readStackConfig } from "../../tools/plan/stack-config";
import { onpremConfig, SSH_KEY_PLACEHOLDER } from "../support/fixtures";
import { passphraseStack } from "../support/passphrase";
import { runPlanInProcess } from "../support/program";

const ROOT = path.join(__dirname, "..", "..");

/** manager_test.go: passphrase "password", this state decrypts to "pulumi"; "password123" does not. */
const VECTOR_STATE = "v1:fozI5u6B030=:v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ==";

const fromEnv = (phrase: string) => ({ phrase, source: "PULUMI_CONFIG_PASSPHRASE" as const });

/** One stack secrets state per passphrase for the files here: each new one derives a PBKDF2 key (0.2 s of CPU or more). */
const states = new Map<string, ReturnType<typeof passphraseStack>>();

/** An on-prem stack file whose secrets are secure: values under `passphrase` (the same salt for the same passphrase). */
export function encryptedStackFile(passphrase: string, secrets: Record<string, string>): string {
    let state = states.get(passphrase);
    if (!state) {
        state = passphraseStack(passphrase);
        states.set(passphrase, state);
    }
    const base = onpremConfig({
        dnsProvider: "none",
        cloudflareZoneId: undefined,
        "cloudflare:apiToken": undefined,
        license: undefined,
        sshPrivateKey: undefined,
    });
    const config: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(base)) if (v !== undefined) config[`openvidu-ha:${k}`] = v;
    for (const [k, v] of Object.entries(secrets)) config[`openvidu-ha:${k}`] = { secure: state.encrypt(v) };
    return stringify({ encryptionsalt: state.encryptionsalt, config });
}

describe("passphrase secrets (pkg/secrets/passphrase, resource/config/crypt.go)", () => {
    let dir: string;
    const file = (name: string, text: string) => {
        const f = path.join(dir, name);
        fs.writeFileSync(f, text);
        return f;
    };

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-passphrase-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("the reference's test vector: 'password' unlocks the state, 'password123' is an incorrect passphrase", () => {
        const key = keyForStack(fromEnv("password"), VECTOR_STATE);
        assert.strictEqual(decryptValue(key, "v1:F+6ZduKKd8G0/V7L:PGMFeIzwobWRKmEAzUdaQHqC5mMRIQ=="), "pulumi");
        assert.throws(() => keyForStack(fromEnv("password123"), VECTOR_STATE), IncorrectPassphraseError);
        assert.throws(
            () => keyForStack(fromEnv("password123"), VECTOR_STATE),
            /^IncorrectPassphraseError: incorrect passphrase: the passphrase from PULUMI_CONFIG_PASSPHRASE /,
        );
    });

    it("the passphrase comes from PULUMI_CONFIG_PASSPHRASE (even empty), else the trimmed PULUMI_CONFIG_PASSPHRASE_FILE", () => {
        const phraseFile = file("phrase.txt", "  from-file\n");
        assert.deepStrictEqual(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE: "", PULUMI_CONFIG_PASSPHRASE_FILE: phraseFile }), {
            phrase: "",
            source: "PULUMI_CONFIG_PASSPHRASE",
        });
        assert.deepStrictEqual(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: phraseFile }), {
            phrase: "from-file",
            source: "PULUMI_CONFIG_PASSPHRASE_FILE",
        });
        assert.strictEqual(passphraseFromEnv({ PULUMI_CONFIG_PASSPHRASE_FILE: "" }), undefined);
        assert.strictEqual(passphraseFromEnv({}), undefined);
    });

    it("a stack file with encryptionsalt: secure: values decrypted, and secret", () => {
        const stackFile = file(
            "Pulumi.enc.yaml",
            encryptedStackFile("correct horse", {
                license: "REAL-LICENSE-42",
                sshPrivateKey: "-----BEGIN OPENSSH PRIVATE KEY-----\nreal\n-----END OPENSSH PRIVATE KEY-----\n",
            }),
        );
        const stack = readStackConfig(ROOT, stackFile, "enc", { env: { PULUMI_CONFIG_PASSPHRASE: "correct horse" } });
        assert.strictEqual(stack.config["openvidu-ha:license"], "REAL-LICENSE-42");
        assert.match(stack.config["openvidu-ha:sshPrivateKey"], /\nreal\n/);
        assert.deepStrictEqual(stack.secretKeys, ["openvidu-ha:license", "openvidu-ha:sshPrivateKey"]);
        assert.strictEqual(stack.secrets, "decrypted with PULUMI_CONFIG_PASSPHRASE");
    });

    it("no passphrase set, or no encryptionsalt: placeholders, and the reason", () => {
        const stackFile = file("Pulumi.enc2.yaml", encryptedStackFile("pw", { license: "REAL-LICENSE-42" }));
        const noPhrase = readStackConfig(ROOT, stackFile, "enc2", { env: {} });
        assert.strictEqual(noPhrase.config["openvidu-ha:license"], "placeholder-license");
        assert.strictEqual(noPhrase.secrets, "placeholders (PULUMI_CONFIG_PASSPHRASE and PULUMI_CONFIG_PASSPHRASE_FILE are not set)");
        const noSalt = readStackConfig(ROOT, path.join(ROOT, "Pulumi.dev.yaml"), "dev", { env: { PULUMI_CONFIG_PASSPHRASE: "pw" } });
        assert.strictEqual(noSalt.secrets, "placeholders (no encryptionsalt in Pulumi.dev.yaml)");
    });

    it("a wrong passphrase is an error that says so; a value that does not decrypt names its key", () => {
        const stackFile = file("Pulumi.enc3.yaml", encryptedStackFile("pw", { license: "REAL-LICENSE-42" }));
        assert.throws(() => readStackConfig(ROOT, stackFile, "enc3", { env: { PULUMI_CONFIG_PASSPHRASE: "not-pw" } }), IncorrectPassphraseError);
        const other = passphraseStack("pw").encrypt("from another stack");
        const text = fs.readFileSync(stackFile, "utf8").replace(/secure: v1:\S+/, `secure: ${other}`);
        const tampered = file("Pulumi.enc4.yaml", text);
        assert.throws(
            () => readStackConfig(ROOT, tampered, "enc4", { env: { PULUMI_CONFIG_PASSPHRASE: "pw" } }),
            (err: unknown) => {
                assert.ok(err instanceof CliConfigError);
                assert.deepStrictEqual(err.problems, [
                    "validating stack config: could not decrypt configuration key 'openvidu-ha:license': cipher: message authentication failed",
                ]);
                return true;
            },
        );
    });
});

describe("npm run plan with a passphrase stack, and with a stack the CLI refuses (in-process; a wrong passphrase spawned)", function () {
    // One spawned plan (the CLI's refusal of a wrong passphrase through the process: exit code, stderr, nothing else)
    // beside the others in-process (tools/plan/cli.ts, the command tools/plan.ts runs; a spawn costs ~1.5 s of CPU).
    // Each process decrypting the stack derives its PBKDF2 key once.
    this.timeout(180000);
    interface Spawned {
        code: number;
        stdout: string;
        stderr: string;
    }
    const runs: Record<string, Spawned> = {};
    let dir: string;
    const plan = (env: NodeJS.ProcessEnv, ...args: string[]) =>
        new Promise<Spawned>((resolve) => {
            const { PULUMI_CONFIG_PASSPHRASE: _a, PULUMI_CONFIG_PASSPHRASE_FILE: _b, ...base } = process.env;
            execFile(
                "npm",
                ["run", "-s", "plan", "--", ...args],
                { cwd: ROOT, env: { ...base, ...env }, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 },
                (err, stdout, stderr) => resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
            );
        });

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-passphrase-plan-"));
        const stackFile = path.join(dir, "Pulumi.secret.yaml");
        fs.writeFileSync(
            stackFile,
            encryptedStackFile("plan passphrase", { license: "REAL-LICENSE-42", redisPassword: "Real-Redis-Password-77", sshPrivateKey: SSH_KEY_PLACEHOLDER }),
        );
        const phraseFile = path.join(dir, "passphrase");
        fs.writeFileSync(phraseFile, "plan passphrase\n");
        const noDomain = path.join(dir, "Pulumi.nodomain.yaml");
        fs.writeFileSync(noDomain, fs.readFileSync(path.join(ROOT, "Pulumi.dev.yaml"), "utf8").replace(/^ {2}openvidu-ha:domain: .*\n/m, ""));
        const spawned = plan({ PULUMI_CONFIG_PASSPHRASE: "wrong passphrase" }, "--config-file", stackFile);
        const tree = await runPlanInProcess(["--config-file", stackFile, "--show-secrets"], { PULUMI_CONFIG_PASSPHRASE_FILE: phraseFile });
        const json = await runPlanInProcess(["--config-file", stackFile, "--show-secrets", "--json"], { PULUMI_CONFIG_PASSPHRASE: "plan passphrase" });
        const refused = await runPlanInProcess(["--config-file", noDomain], {});
        Object.assign(runs, { tree, json, wrong: await spawned, refused });
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("--show-secrets shows the decrypted values; the tree says it decrypted them", () => {
        assert.strictEqual(runs.tree.code, 0, runs.tree.stderr);
        assert.match(runs.tree.stdout, /^secure: values: decrypted with PULUMI_CONFIG_PASSPHRASE_FILE$/m);
        assert.match(runs.tree.stdout, /"redisPassword": "Real-Redis-Password-77"/);
        assert.strictEqual(runs.json.code, 0, runs.json.stderr);
        const install = (JSON.parse(runs.json.stdout) as { resources: { name: string; inputs: { stdin: string } }[] }).resources.find(
            (r) => r.name === "masters-1-install",
        )!;
        assert.match(install.inputs.stdin, /^S --openvidu-pro-license=REAL-LICENSE-42$/m);
    });

    it("a wrong passphrase: the error on stderr, nothing on stdout, exit 1, no stack trace", () => {
        assert.deepStrictEqual(runs.wrong, {
            code: 1,
            stdout: "",
            stderr: "error: incorrect passphrase: the passphrase from PULUMI_CONFIG_PASSPHRASE does not unlock this stack's secrets (encryptionsalt)\n",
        });
    });

    it("a stack missing domain: the CLI's message on stderr, nothing on stdout, exit 1", () => {
        assert.deepStrictEqual(runs.refused, {
            code: 1,
            stdout: "",
            stderr: "error: validating stack config: Stack 'nodomain' is missing configuration value 'domain'\n",
        });
    });
});

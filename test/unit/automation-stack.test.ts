/**
 * automation/ against a test double of the `pulumi` executable (test/support/pulumi-double): the exact commands,
 * where secrets travel, the events and errors a caller sees.
 */
import { strict as assert } from "assert";
import * as path from "path";
import { EngineEvent } from "@pulumi/pulumi/automation";
import { ConfigError, DeploymentEvent, DeploymentError, OpenviduHaConfig, OpenviduHaStack, Secret } from "../../automation";
import { EventTranslator, SecretMasker } from "../../automation/events";
import { readStackConfig } from "../../tools/plan/stack-config";
import { onpremConfig } from "../support/fixtures";
import { DoubleScenario, PulumiDouble, RecordedCall } from "../support/pulumi-double";

const PASSPHRASE = "correct horse battery staple";
const PEM_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAbm9uZQ==\n-----END OPENSSH PRIVATE KEY-----\n";
const CONFIG = onpremConfig({
    openviduVersion: "3.8.0",
    license: "LICENSE-AUTOMATION-0451",
    sshPrivateKey: PEM_KEY,
    "cloudflare:apiToken": "cf-token-automation-0451",
}) as unknown as OpenviduHaConfig;
const SECRETS = ["LICENSE-AUTOMATION-0451", "cf-token-automation-0451", PEM_KEY.trim(), "b3BlbnNzaC1rZXktdjEAAAAAbm9uZQ=="];

/**
 * A double whose passphrase provider derives its key in 1,000 PBKDF2 rounds instead of the CLI's million (0.2 s or
 * more of CPU per stack): for the tests here that do not look at the encryption. The double's encryption with the
 * CLI's parameters is tested below ("writes passphrase secrets as the CLI does").
 */
const doubleWithFewKdfRounds = (scenario: DoubleScenario = {}) => PulumiDouble.create({ kdfRounds: 1000, ...scenario });

async function openStack(double: PulumiDouble, config: OpenviduHaConfig | undefined = CONFIG, stackName = "acme", mode?: "select"): Promise<OpenviduHaStack> {
    return OpenviduHaStack.open({
        stackName,
        mode,
        config,
        workDir: double.projectDir,
        pulumiCommand: await double.command(),
        envVars: { PULUMI_BACKEND_URL: `file://${double.stateDir}`, PULUMI_CONFIG_PASSPHRASE: PASSPHRASE },
    });
}

function assertNoSecretInArguments(calls: RecordedCall[]): void {
    for (const call of calls) {
        for (const secret of SECRETS) {
            assert.ok(!call.argv.some((a) => a.includes(secret)), `secret in the arguments of: pulumi ${call.argv.slice(0, 3).join(" ")}`);
        }
    }
}

describe("automation: stack lifecycle against a pulumi double", function () {
    this.timeout(120000);
    let double: PulumiDouble;
    afterEach(() => double.remove());

    it("refuses an invalid config with every problem named, before any CLI command", async () => {
        double = doubleWithFewKdfRounds();
        const command = await double.command();
        const before = double.calls().length;
        const bad = {
            ...CONFIG,
            sshPort: "22",
            domain: "not a domain",
            masterNodes: CONFIG.target === "onprem" ? CONFIG.masterNodes.slice(0, 3) : [],
            "openvidu:domain": "x",
        } as unknown as OpenviduHaConfig;
        await assert.rejects(OpenviduHaStack.open({ stackName: "acme", config: bad, workDir: double.projectDir, pulumiCommand: command }), (err: unknown) => {
            assert.ok(err instanceof ConfigError);
            assert.deepEqual(err.problems, [
                "sshPort: must be an integer",
                "openvidu:domain: unknown config namespace 'openvidu' (project keys are openvidu-ha:<key>)",
                "domain: is not a valid fully qualified domain name (lowercase labels separated by dots, e.g. openvidu.example.com)",
                "masterNodes: must list exactly 4 master nodes, got 3",
            ]);
            return true;
        });
        assert.equal(double.calls().length, before, "no CLI command ran");
    });

    it("creates the stack, sets plain config with set-all --path and each secret on stdin, deploys, reads typed outputs", async () => {
        double = doubleWithFewKdfRounds({ leakyInstaller: true });
        const stack = await openStack(double);
        const events: DeploymentEvent[] = [];
        const { outputs, changes } = await stack.up({ onEvent: (e) => events.push(e) });

        const commands = double.commands(1).map((argv) => argv.filter((a) => !a.startsWith("tcp://")));
        assert.deepEqual(commands.slice(0, 4), [
            ["stack", "select", "--stack", "acme", "--non-interactive"],
            ["stack", "init", "acme", "--non-interactive"],
            ["config", "--json", "--stack", "acme", "--non-interactive"],
            [
                "config",
                "set-all",
                "--stack",
                "acme",
                "--path",
                "--plaintext",
                "openvidu-ha:target=onprem",
                "--plaintext",
                "openvidu-ha:domain=openvidu.example.com",
                "--plaintext",
                "openvidu-ha:certificateType=selfsigned",
                ...[1, 2, 3, 4].flatMap((i) => [
                    "--plaintext",
                    `openvidu-ha:masterNodes[${i - 1}].publicIp=203.0.113.${10 + i}`,
                    "--plaintext",
                    `openvidu-ha:masterNodes[${i - 1}].privateIp=10.5.0.${i}`,
                ]),
                ...[1, 2].flatMap((i) => [
                    "--plaintext",
                    `openvidu-ha:mediaNodes[${i - 1}].publicIp=198.51.100.${20 + i}`,
                    "--plaintext",
                    `openvidu-ha:mediaNodes[${i - 1}].privateIp=10.5.1.${i}`,
                ]),
                "--plaintext",
                "openvidu-ha:cloudflareZoneId=023e105f4ecef8ad9ca31a8372d0c353",
                "--plaintext",
                "openvidu-ha:openviduVersion=3.8.0",
                "--non-interactive",
            ],
        ]);
        assert.deepEqual(commands.slice(4), [
            ["config", "set", "--secret", "openvidu-ha:license", "--stack", "acme", "--non-interactive"],
            ["config", "set", "--secret", "openvidu-ha:sshPrivateKey", "--stack", "acme", "--non-interactive"],
            ["config", "set", "--secret", "cloudflare:apiToken", "--stack", "acme", "--non-interactive"],
            ["up", "--yes", "--skip-preview", "--exec-kind", "auto.local", "--event-log", "--stack", "acme", "--non-interactive"],
            ["stack", "output", "--json", "--stack", "acme", "--non-interactive"],
            ["stack", "output", "--json", "--show-secrets", "--stack", "acme", "--non-interactive"],
            ["stack", "history", "--json", "--show-secrets", "--page-size", "1", "--page", "1", "--stack", "acme", "--non-interactive"],
        ]);

        // Secrets: never an argument; on stdin with one "\n" the CLI strips; encrypted in the stack file.
        const calls = double.calls();
        assertNoSecretInArguments(calls);
        assert.deepEqual(
            calls.filter((c) => c.stdin !== undefined).map((c) => c.stdin),
            ["LICENSE-AUTOMATION-0451\n", `${PEM_KEY}\n`, "cf-token-automation-0451\n"],
        );
        const file = double.stackFile("acme");
        for (const secret of SECRETS) assert.ok(!file.includes(secret), "no plain secret in the stack file");
        assert.match(file, /openvidu-ha:license:\n\s+secure: v1:/);
        // The backend and passphrase reach every command through the environment.
        for (const call of calls.slice(1)) {
            assert.equal(call.env.PULUMI_BACKEND_URL, `file://${double.stateDir}`);
            assert.equal(call.env.PULUMI_CONFIG_PASSPHRASE, PASSPHRASE);
            assert.equal(call.env.PULUMI_AUTOMATION_API, "true");
            assert.equal(call.cwd, double.projectDir);
        }

        // Events: each resource started and done; host output with the secret masked; no secret in any event.
        const names = (kind: string) => events.filter((e) => e.kind === kind).map((e) => (e as { name: string }).name);
        const resources = ["openvidu-ha-acme", "masters-1-install", "masters-2-install", "masters-3-install", "masters-4-install"];
        assert.deepEqual(names("resource-started"), resources);
        assert.deepEqual(names("resource-done"), resources);
        assert.deepEqual(
            events.filter((e) => e.kind === "host-output").map((e) => (e as { line: string }).line),
            ["installing OpenVidu 3.8.0", "using license [secret]"],
        );
        assert.ok(!SECRETS.some((s) => JSON.stringify(events).includes(s)));
        assert.deepEqual(events.at(-1), { kind: "summary", result: "succeeded", changes: { create: 5 } });
        assert.deepEqual(changes, { create: 5 });

        // Outputs: typed, the secret one stays secret until revealed.
        assert.equal(outputs.target, "onprem");
        assert.equal(outputs.urls.openvidu, "https://openvidu.example.com/");
        assert.ok(outputs.credentials instanceof Secret);
        assert.ok(!JSON.stringify(outputs).includes("generated-acme-password"));
        assert.equal(String(outputs.credentials), "[secret]");
        assert.deepEqual(outputs.credentials.reveal(), { dashboardAdminPassword: "generated-acme-password" });
    });

    it("reads the config back exactly (a PEM keeps its final newline) and a smaller config removes what it no longer has", async () => {
        double = doubleWithFewKdfRounds();
        const stack = await openStack(double);
        const read = await stack.readConfig();
        assert.deepEqual(read, { ...CONFIG });

        const smaller = {
            ...CONFIG,
            mediaNodes: [{ publicIp: "198.51.100.21", privateIp: "10.5.1.1" }],
            cloudflareZoneId: undefined,
            dnsProvider: "none",
        } as OpenviduHaConfig;
        const skip = double.calls().length;
        await stack.setConfig({ ...smaller, "cloudflare:apiToken": undefined });
        assert.deepEqual(double.commands(skip)[1], [
            "config",
            "rm-all",
            "--stack",
            "acme",
            "openvidu-ha:masterNodes",
            "openvidu-ha:mediaNodes",
            "openvidu-ha:cloudflareZoneId",
            "cloudflare:apiToken",
            "--non-interactive",
        ]);
        const after = await stack.readConfig();
        assert.deepEqual(after.target === "onprem" && after.mediaNodes, [{ publicIp: "198.51.100.21", privateIp: "10.5.1.1" }]);
        assert.equal(after.cloudflareZoneId, undefined);
        assert.equal(after.dnsProvider, "none");
        assertNoSecretInArguments(double.calls());
    });

    it("a failed up raises an error naming the failed resource and its message, secrets masked", async () => {
        double = doubleWithFewKdfRounds({
            failures: [
                { operation: "up", resource: "masters-2-install", message: "Process exited with status 1: installer rejected license LICENSE-AUTOMATION-0451" },
            ],
        });
        const stack = await openStack(double);
        const events: DeploymentEvent[] = [];
        await assert.rejects(stack.up({ onEvent: (e) => events.push(e) }), (err: unknown) => {
            assert.ok(err instanceof DeploymentError);
            assert.equal(
                err.message,
                "pulumi up of stack 'acme' failed:\n  masters-2-install (command:remote:Command): Process exited with status 1: installer rejected license [secret]",
            );
            assert.deepEqual(
                err.failures.map((f) => f.name),
                ["masters-2-install"],
            );
            return true;
        });
        assert.deepEqual(
            events.filter((e) => e.kind === "resource-failed").map((e) => (e as { name: string }).name),
            ["masters-2-install"],
        );
        assert.deepEqual(events.at(-1), { kind: "summary", result: "failed", changes: { create: 4 } });
    });

    it("preview, refresh and destroy of an existing stack run the Automation API's commands; an older CLI logs events to a file", async () => {
        double = doubleWithFewKdfRounds({ version: "3.205.0" });
        await openStack(double);
        const stack = await openStack(double, undefined, "acme", "select");
        const skip = double.calls().length;
        const events: DeploymentEvent[] = [];
        assert.deepEqual((await stack.preview({ onEvent: (e) => events.push(e) })).changes, { create: 5 });
        await stack.up();
        assert.deepEqual((await stack.refresh()).changes, { refresh: 5 });
        assert.deepEqual((await stack.destroy()).changes, { delete: 5 });
        const ops = double.commands(skip).filter((argv) => ["preview", "up", "refresh", "destroy"].includes(argv[0]));
        const eventLogs = ops.map((argv) => argv[argv.indexOf("--event-log") + 1]);
        assert.ok(
            eventLogs.every((f) => /automation-logs-.*eventlog\.txt$/.test(f)),
            `event logs are files with CLI 3.205: ${eventLogs.join(" ")}`,
        );
        assert.deepEqual(
            ops.map((argv) => argv.filter((a) => !eventLogs.includes(a))),
            [
                ["preview", "--exec-kind", "auto.local", "--event-log", "--stack", "acme", "--non-interactive"],
                ["up", "--yes", "--skip-preview", "--exec-kind", "auto.local", "--event-log", "--stack", "acme", "--non-interactive"],
                ["refresh", "--skip-preview", "--yes", "--event-log", "--exec-kind", "auto.local", "--stack", "acme", "--non-interactive"],
                ["destroy", "--yes", "--skip-preview", "--event-log", "--exec-kind", "auto.local", "--stack", "acme", "--non-interactive"],
            ],
        );
        assert.equal(events.filter((e) => e.kind === "resource-done").length, 5);
        assertNoSecretInArguments(double.calls());
    });

    it("without a passphrase the CLI's own error reaches the caller", async () => {
        double = doubleWithFewKdfRounds();
        assert.equal(process.env.PULUMI_CONFIG_PASSPHRASE, undefined, "the test process has no passphrase");
        await assert.rejects(
            OpenviduHaStack.open({
                stackName: "acme",
                config: CONFIG,
                workDir: double.projectDir,
                pulumiCommand: await double.command(),
                envVars: { PULUMI_BACKEND_URL: `file://${double.stateDir}` },
            }),
            /error: constructing secrets manager of type "passphrase": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables/,
        );
    });

    it("writes passphrase secrets as the CLI does: npm run plan's reader decrypts the stack file (PBKDF2, 1,000,000 rounds)", async () => {
        double = PulumiDouble.create(); // the CLI's parameters
        await openStack(double);
        const file = path.join(double.projectDir, "Pulumi.acme.yaml");
        const read = readStackConfig(double.projectDir, file, "acme", { env: { PULUMI_CONFIG_PASSPHRASE: PASSPHRASE } });
        assert.equal(read.secrets, "decrypted with PULUMI_CONFIG_PASSPHRASE");
        assert.equal(read.config["openvidu-ha:license"], "LICENSE-AUTOMATION-0451");
        assert.equal(read.config["openvidu-ha:sshPrivateKey"], PEM_KEY);
        assert.equal(read.config["cloudflare:apiToken"], "cf-token-automation-0451");
    });

    it("why secrets bypass the Automation API's setAllConfig: it puts them in the argument list", async () => {
        double = doubleWithFewKdfRounds();
        const stack = await openStack(double, undefined);
        await stack.stack.setAllConfig({ "openvidu-ha:license": { value: "LICENSE-AUTOMATION-0451", secret: true } });
        assert.ok(double.calls().at(-1)!.argv.includes("openvidu-ha:license=LICENSE-AUTOMATION-0451"));
    });
});

describe("automation: engine events", () => {
    it("an event delivered twice (a tailed event log file's lines can be) reaches the caller once", () => {
        const events: DeploymentEvent[] = [];
        const translator = new EventTranslator(new SecretMasker([]), (e) => events.push(e));
        const metadata = { op: "create", urn: "urn:pulumi:acme::openvidu-ha::command:remote:Command::masters-1-install", type: "command:remote:Command" };
        const done = { sequence: 7, timestamp: 0, resOutputsEvent: { metadata, planning: false } } as unknown as EngineEvent;
        const next = { sequence: 8, timestamp: 0, resOutputsEvent: { metadata, planning: false } } as unknown as EngineEvent;
        for (const event of [done, done, next]) translator.onEngineEvent(event);
        assert.deepEqual(
            events.map((e) => e.kind),
            ["resource-done", "resource-done"],
        );
    });
});

/**
 * The offline plan tool's contract: spawned as a process, as users and other checks run it (`npm run plan` and
 * `node tools/plan.ts`), and in-process through the same command function (tools/plan/cli.ts) for the rest: a spawn
 * costs ~1.5 s of CPU (process, ts-node, SDK load), so two spawns start at once in before() while the in-process runs
 * go one after the other (they share the SDK's global state; test/support/program.ts runPlanInProcess).
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { SSH_KEY_PLACEHOLDER } from "../support/fixtures";
import { runPlanInProcess } from "../support/program";

const ROOT = path.join(__dirname, "..", "..");

interface Spawned {
    code: number;
    stdout: string;
    stderr: string;
}

function spawn(command: string, args: string[]): Promise<Spawned> {
    return new Promise((resolve) => {
        execFile(command, args, { cwd: ROOT, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
            resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
        });
    });
}

const plan = (...args: string[]) => spawn(process.execPath, ["-r", "ts-node/register/transpile-only", "tools/plan.ts", ...args]);

const STACK_FILE = `
config:
  openvidu-ha:target: onprem
  openvidu-ha:openviduVersion: 3.0.0
  openvidu-ha:domain: openvidu.example.io
  openvidu-ha:turnDomain: turn.example.io
  openvidu-ha:license:
    secure: v1:placeholder:license
  openvidu-ha:redisPassword: Plain-Redis-Password-42
  openvidu-ha:sshPrivateKey: ${JSON.stringify(SSH_KEY_PLACEHOLDER)}
  openvidu-ha:certificateType: owncert
  openvidu-ha:ownCertPrivateKey:
    secure: v1:placeholder:key
  openvidu-ha:ownCertPublicKey:
    secure: v1:placeholder:cert
  openvidu-ha:cloudflareZoneId: 023e105f4ecef8ad9ca31a8372d0c353
  cloudflare:apiToken:
    secure: v1:placeholder:token
  openvidu-ha:masterNodes:
${[1, 2, 3, 4].map((i) => `    - { publicIp: 203.0.113.${10 + i}, privateIp: 10.5.0.${i} }`).join("\n")}
  openvidu-ha:mediaNodes:
    - { publicIp: 198.51.100.21, privateIp: 10.5.1.1 }
`;

const INVALID_FILE = `
config:
  openvidu-ha:target: onprem
  openvidu-ha:domain: not_a_domain
  openvidu-ha:license:
    secure: v1:placeholder:license
  openvidu-ha:dnsTtl: 5
`;

interface PlanJson {
    target: string;
    resources: { urn: string; type: string; name: string; parent: string | null; inputs: any; dependsOn: string[]; options: any }[];
    outputs: Record<string, any>;
}

describe("offline plan tool", function () {
    this.timeout(180000); // two spawns beside three in-process plans on a busy 2-core machine
    const runs: Record<string, Spawned> = {};
    let dir: string;

    before(async () => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-plan-test-"));
        const stackFile = path.join(dir, "Pulumi.probe.yaml");
        const invalidFile = path.join(dir, "invalid.yaml");
        fs.writeFileSync(stackFile, STACK_FILE);
        fs.writeFileSync(invalidFile, INVALID_FILE);
        const spawned = Promise.all([spawn("npm", ["run", "plan", "--", "--stack", "dev"]), plan("--config-file", stackFile, "--json", "--show-secrets")]);
        const shownAgain = await runPlanInProcess(["--config-file", stackFile, "--json", "--show-secrets"]);
        const json = await runPlanInProcess(["--config-file", stackFile, "--json"]);
        const invalid = await runPlanInProcess(["--config-file", invalidFile, "--json"]);
        const [tree, shown] = await spawned;
        Object.assign(runs, { tree, shownAgain, shown, json, invalid });
    });

    after(() => fs.rmSync(dir, { recursive: true, force: true }));

    const parsed = (name: string): PlanJson => {
        assert.strictEqual(runs[name].code, 0, runs[name].stderr);
        return JSON.parse(runs[name].stdout);
    };

    it("--json prints exactly one JSON object {target, resources, outputs} on stdout", () => {
        const out = runs.json.stdout;
        assert.ok(out.startsWith("{") && out.trimEnd().endsWith("}"), out.slice(0, 80));
        const p = parsed("json");
        assert.deepStrictEqual(Object.keys(p), ["target", "resources", "outputs"]);
        assert.strictEqual(p.target, "onprem");
        assert.deepStrictEqual(Object.keys(p.outputs).sort(), ["credentials", "dnsRecords", "firewallRules", "masterNodes", "mediaNodes", "target", "urls"]);
    });

    it("describes each resource by urn, Pulumi type token, name, parent, inputs, dependsOn and options", () => {
        const p = parsed("json");
        const urns = new Set(p.resources.map((r) => r.urn));
        for (const r of p.resources) {
            assert.deepStrictEqual(Object.keys(r), ["urn", "type", "name", "parent", "inputs", "dependsOn", "options"]);
            assert.match(r.type, /^[a-z][a-z0-9-]*:[A-Za-z0-9/]+:[A-Z][A-Za-z0-9]*$/, r.type);
            assert.ok(r.urn.startsWith("urn:pulumi:probe::openvidu-ha::") && r.urn.endsWith(`::${r.name}`), r.urn);
            assert.ok(r.parent === null || urns.has(r.parent), `${r.name} parent ${r.parent}`);
            assert.ok(
                r.dependsOn.every((d) => urns.has(d)),
                `${r.name} dependsOn`,
            );
            for (const option of ["protect", "retainOnDelete", "deleteBeforeReplace"]) {
                assert.strictEqual(typeof r.options[option], "boolean", `${r.name} options.${option}`);
            }
        }
        const types = new Set(p.resources.map((r) => r.type));
        for (const t of ["command:remote:Command", "cloudflare:index/dnsRecord:DnsRecord", "random:index/randomPassword:RandomPassword"]) {
            assert.ok(types.has(t), t);
        }
        const install = p.resources.find((r) => r.name === "masters-1-install")!;
        assert.ok(install.dependsOn.some((d) => d.endsWith("::masters-1-preflight")));
    });

    it("prints secrets as [secret]", () => {
        const p = parsed("json");
        const install = p.resources.find((r) => r.name === "masters-1-install")!;
        assert.strictEqual(install.inputs.stdin, "[secret]");
        assert.strictEqual(install.inputs.connection, "[secret]");
        assert.strictEqual(p.outputs.credentials, "[secret]");
    });

    it("--show-secrets prints the values", () => {
        const p = parsed("shown");
        const install = p.resources.find((r) => r.name === "masters-1-install")!;
        assert.match(install.inputs.stdin, /^S --openvidu-pro-license=.+$/m);
        assert.strictEqual(install.inputs.connection.privateKey, SSH_KEY_PLACEHOLDER);
        assert.strictEqual(typeof p.outputs.credentials.livekitApiSecret, "string");
    });

    it("--config-file <file>: secure: values get placeholders and stay secret; plain values of secret keys are used as given and stay secret", () => {
        const shown = parsed("shown");
        assert.strictEqual(shown.target, "onprem");
        const stdin: string = shown.resources.find((r) => r.name === "masters-1-install")!.inputs.stdin;
        const license = /^S --openvidu-pro-license=(.+)$/m.exec(stdin)![1];
        assert.ok(!license.includes("v1:placeholder"), "the ciphertext is not used as the value");
        assert.strictEqual(shown.outputs.credentials.redisPassword, "Plain-Redis-Password-42");
        assert.match(stdin, /^S --redis-password=Plain-Redis-Password-42$/m);
        assert.match(stdin, /^P --domain-name-or-ip=openvidu\.example\.io$/m, "the 3.0 line, as the file says");
        const key = /^S --owncert-private-key=(.+)$/m.exec(stdin)![1];
        assert.match(Buffer.from(key, "base64").toString(), /^-----BEGIN PRIVATE KEY-----\n/, "a secure: PEM gets a PEM placeholder");
        const hidden = runs.json.stdout;
        assert.strictEqual(runs.json.code, 0, runs.json.stderr);
        for (const secret of [license, key, "Plain-Redis-Password-42", "b3BlbnNzaC1rZXktdjEAAAAA"]) {
            assert.ok(!hidden.includes(secret), `${secret} printed without --show-secrets`);
        }
    });

    it("generated values and placeholders are deterministic: two runs (a process, and in-process) print the same plan, secrets shown", () => {
        assert.strictEqual(runs.shownAgain.code, 0, runs.shownAgain.stderr);
        // The same resources with the same values: the order they register in differs between a fresh process and
        // one whose modules are loaded (the host-key pins' provider is serialized asynchronously).
        const byUrn = (p: PlanJson) => ({ ...p, resources: [...p.resources].sort((a, b) => a.urn.localeCompare(b.urn)) });
        assert.deepStrictEqual(byUrn(parsed("shownAgain")), byUrn(parsed("shown")));
        const credentials = parsed("shown").outputs.credentials as Record<string, string>;
        assert.ok(credentials.livekitApiSecret.length >= 16, "a generated credential is shown");
    });

    it("invalid config: the problems on stderr, nothing on stdout, exit 1, no stack trace", () => {
        const { code, stdout, stderr } = runs.invalid;
        assert.strictEqual(code, 1);
        assert.strictEqual(stdout, "");
        assert.match(stderr, /^Invalid stack configuration \(\d+ problems\):/m);
        assert.match(stderr, /^ {2}- domain: is not a valid fully qualified domain name/m);
        assert.match(stderr, /^ {2}- dnsTtl: must be 1 \(automatic\) or between 60 and 86400/m);
        assert.doesNotMatch(stderr, /^\s+at /m);
    });

    it("by default prints a readable tree of what npm run plan -- --stack dev would create", () => {
        const { code, stdout } = runs.tree;
        assert.strictEqual(code, 0, runs.tree.stderr);
        const body = stdout.slice(stdout.indexOf("openvidu-ha stack dev"));
        assert.match(body, /^openvidu-ha stack dev \(target onprem\): \d+ resources\n/);
        assert.match(body, /^secure: values: placeholders \(no encryptionsalt in Pulumi\.dev\.yaml\)$/m);
        assert.match(body, /^├─ masters: openvidu-ha:onprem:MasterNodePool$/m);
        assert.match(body, /^│ {2}├─ masters-1-install: command:remote:Command \[deleteBeforeReplace\]/m);
        assert.match(body, /\nOutputs:\n {2}target: "onprem"\n/);
        assert.match(body, /^ {2}credentials: "\[secret\]"$/m);
    });
});

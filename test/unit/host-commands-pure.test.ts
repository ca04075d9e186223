/**
 * components/onprem/host-commands.ts as text: the exact command each step sends, with its script read straight from
 * the repository and its arguments written out as literals (seed: 4 cores; README: 3600 MiB; vendor facts: the health
 * endpoints). Nothing runs; nothing is computed at load time (see MUTATION.md).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import {
    convergeCommand,
    ConvergeCommandInput,
    firewallCommand,
    healthCommand,
    installCommand,
    MINIMUM_CPUS,
    MINIMUM_MEMORY_MB,
    preflightCommand,
    remoteInvocation,
    startCommand,
} from "../../components/onprem/host-commands";

const ROOT = path.join(__dirname, "..", "..");

/** The whole command for a script without include lines, `argv` as it appears quoted. */
function expectedCommand(dir: "host" | "onprem", script: string, label: string, argv: string): string {
    const body = fs.readFileSync(path.join(ROOT, "components", dir, "scripts", `${script}.sh`), "utf8").replace(/\n$/, "");
    return [
        `# openvidu-ha ${script} on ${label}`,
        "set -eu",
        "script=$(mktemp)",
        `trap 'rm -f "$script"' EXIT`,
        `cat > "$script" <<'OPENVIDU_HA_SCRIPT_END'`,
        body,
        "OPENVIDU_HA_SCRIPT_END",
        'if [ "$(id -u)" -eq 0 ]; then',
        `    sh "$script" ${argv}`,
        "elif sudo -n true 2>/dev/null; then",
        `    sudo -n sh "$script" ${argv}`,
        "else",
        `    echo "${script} failed on ${label}: user $(id -un) is not root and has no passwordless sudo" >&2`,
        "    exit 1",
        "fi",
        "",
    ].join("\n");
}

/** The header line and the quoted arguments of a command (the line that runs it as root). */
function invocationOf(command: string): { header: string; argv: string } {
    const start = command.indexOf('\n    sh "$script" ');
    const end = command.indexOf("\nelif sudo -n true");
    assert.ok(start > 0 && end > start, "no root invocation line");
    return { header: command.split("\n")[0], argv: command.slice(start + '\n    sh "$script" '.length, end) };
}

describe("host commands (exact text)", () => {
    it("remoteInvocation: the script inline in a quoted heredoc, run as root or through passwordless sudo, arguments quoted", () => {
        assert.strictEqual(
            remoteInvocation("start", "master-1", ["master-1", "a b", "it's"]),
            expectedCommand("host", "start", "master-1", `'master-1' 'a b' 'it'\\''s'`),
        );
        assert.strictEqual(remoteInvocation("stop", "media-10-5-1-1", []), expectedCommand("host", "stop", "media-10-5-1-1", ""));
    });

    it("preflight: the node's private IP, the seed's minimum of 4 cores and 3600 MiB (a 4 GB machine's MemTotal), the masters' IPs", () => {
        assert.strictEqual(MINIMUM_CPUS, 4);
        assert.strictEqual(MINIMUM_MEMORY_MB, 3600);
        const spec = preflightCommand("master-2", "10.5.0.2", ["10.5.0.1", "10.5.0.2", "10.5.0.3", "10.5.0.4"]);
        assert.deepStrictEqual(Object.keys(spec), ["create"]);
        assert.strictEqual(
            spec.create,
            expectedCommand("onprem", "preflight", "master-2", "'master-2' '10.5.0.2' '4' '3600' '10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4'"),
        );
    });

    it("firewall: applied on create with the ruleset on stdin, removed on delete", () => {
        const spec = firewallCommand("media-10-5-1-1", "table inet openvidu_ha {}\n");
        assert.deepStrictEqual(spec, {
            create: expectedCommand("onprem", "firewall", "media-10-5-1-1", "'media-10-5-1-1' 'apply'"),
            delete: expectedCommand("onprem", "firewall", "media-10-5-1-1", "'media-10-5-1-1' 'remove'"),
            stdin: "table inet openvidu_ha {}\n",
        });
    });

    it("install: URL, checksum ('-' when none) and deferred start as arguments, never stdin; uninstall keeps or purges the data", () => {
        const url = "https://get.openvidu.io/pro/ha/3.8.0/install_ov_master_node.sh";
        const sha = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";
        const retained = installCommand({ label: "master-1", role: "master", installerUrl: url, installerSha256: sha, retainData: true });
        assert.deepStrictEqual(Object.keys(retained), ["create", "delete"]);
        assert.deepStrictEqual(invocationOf(retained.create), {
            header: "# openvidu-ha install on master-1",
            argv: `'master-1' 'master' '${url}' '${sha}' 'defer'`,
        });
        assert.strictEqual(retained.delete, expectedCommand("host", "uninstall", "master-1", "'master-1' 'retain'"));
        const purged = installCommand({ label: "media-10-5-1-1", role: "media", installerUrl: url, retainData: false });
        assert.deepStrictEqual(invocationOf(purged.create).argv, `'media-10-5-1-1' 'media' '${url}' '-' 'defer'`);
        assert.strictEqual(purged.delete, expectedCommand("host", "uninstall", "media-10-5-1-1", "'media-10-5-1-1' 'purge'"));
    });

    it("install carries install.sh with mask-secrets.sh inlined", () => {
        const create = installCommand({ label: "master-1", role: "master", installerUrl: "https://x/i.sh", retainData: true }).create;
        const helper = fs.readFileSync(path.join(ROOT, "components", "host", "scripts", "mask-secrets.sh"), "utf8");
        assert.ok(create.includes(helper), "mask-secrets.sh inlined");
        assert.doesNotMatch(create, /^# openvidu-ha:include /m, "no include line left");
    });

    it("start: starts on create; removal stops a master and drains a media node within its drain timeout", () => {
        assert.deepStrictEqual(startCommand("master-3", "master", 600), {
            create: expectedCommand("host", "start", "master-3", "'master-3'"),
            delete: expectedCommand("host", "stop", "master-3", "'master-3'"),
        });
        assert.deepStrictEqual(startCommand("media-10-5-1-2", "media", 900), {
            create: expectedCommand("host", "start", "media-10-5-1-2", "'media-10-5-1-2'"),
            delete: expectedCommand("host", "drain", "media-10-5-1-2", "'media-10-5-1-2' '900'"),
        });
    });

    it("health: polls the role's local endpoint for at most the timeout", () => {
        assert.deepStrictEqual(healthCommand("master-4", "master", 300), {
            create: expectedCommand("host", "health", "master-4", "'master-4' 'http://127.0.0.1:7880/health/caddy' '300'"),
        });
        assert.deepStrictEqual(healthCommand("media-10-5-1-1", "media", 120), {
            create: expectedCommand("host", "health", "media-10-5-1-1", "'media-10-5-1-1' 'http://127.0.0.1:7880/' '120'"),
        });
    });
});

describe("converge command (arguments as converge.sh reads them)", () => {
    const input = (over: Partial<ConvergeCommandInput> = {}): ConvergeCommandInput => ({
        label: "master-1",
        role: "master",
        phase: "check",
        round: "final",
        target: "3.8.0",
        steps: ["3.6.1", "3.7.0", "3.8.0"],
        checkpoint: "3.5.0",
        updaterBaseUrl: "https://updater.example.com",
        updaterSha256: { "3.7.0": "aa", "3.8.0": "bb" },
        healthTimeoutSeconds: 300,
        drainTimeoutSeconds: 600,
        leader: true,
        rules: "--license in-place license config/cluster/openvidu.env:OPENVIDU_PRO_LICENSE",
        clusterRules: "",
        ...over,
    });

    it("a master's check phase: every setting as key=value, the updater checksums joined, leader yes", () => {
        const spec = convergeCommand(input());
        // `update` only: creating a chain step runs nothing (cluster-convergence.ts).
        assert.deepStrictEqual(Object.keys(spec), ["update"]);
        assert.deepStrictEqual(invocationOf(spec.update), {
            header: "# openvidu-ha converge on master-1",
            argv: [
                "'label=master-1'",
                "'role=master'",
                "'phase=check'",
                "'round=final'",
                "'target=3.8.0'",
                "'steps=3.6.1 3.7.0 3.8.0'",
                "'checkpoint=3.5.0'",
                "'updater_base=https://updater.example.com'",
                "'updater_sha=3.7.0=aa,3.8.0=bb'",
                "'health_url=http://127.0.0.1:7880/health/caddy'",
                "'health_timeout=300'",
                "'drain_timeout=600'",
                "'leader=yes'",
                "'rules=--license in-place license config/cluster/openvidu.env:OPENVIDU_PRO_LICENSE'",
                "'cluster_rules='",
            ].join(" "),
        });
    });

    it("a media node's start phase: no checksums ('-'), not the leader, the masters' rules, the media health endpoint", () => {
        const spec = convergeCommand(
            input({
                label: "media-10-5-1-1",
                role: "media",
                phase: "start",
                round: "checkpoint",
                updaterSha256: {},
                leader: false,
                rules: "r",
                clusterRules: "c1\nc2",
            }),
        );
        assert.deepStrictEqual(
            invocationOf(spec.update).argv,
            [
                "'label=media-10-5-1-1'",
                "'role=media'",
                "'phase=start'",
                "'round=checkpoint'",
                "'target=3.8.0'",
                "'steps=3.6.1 3.7.0 3.8.0'",
                "'checkpoint=3.5.0'",
                "'updater_base=https://updater.example.com'",
                "'updater_sha=-'",
                "'health_url=http://127.0.0.1:7880/'",
                "'health_timeout=300'",
                "'drain_timeout=600'",
                "'leader=no'",
                "'rules=r'",
                "'cluster_rules=c1\nc2'",
            ].join(" "),
        );
    });
});

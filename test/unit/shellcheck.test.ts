/** Every host script, and every command string the program sends over SSH, passes `shellcheck -s sh`. */
import * as assert from "assert";
import { execFileSync, spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import {
    CommandSpec,
    convergeCommand,
    firewallCommand,
    healthCommand,
    installCommand,
    preflightCommand,
    startCommand,
} from "../../components/onprem/host-commands";
import { scriptContent, scriptPath } from "../../components/host/host-scripts";

/** Node scripts both targets share, and the on-prem-only ones. */
const SCRIPT_DIRS = [path.dirname(scriptPath("install")), path.dirname(scriptPath("preflight"))];

function requireShellcheck(): void {
    const probe = spawnSync("shellcheck", ["--version"], { encoding: "utf8" });
    if (probe.error || probe.status !== 0) {
        assert.fail("shellcheck is not installed: install it (Debian/Ubuntu: apt-get install shellcheck) to run the host script checks");
    }
}

/** Runs shellcheck on the files; fails with its report. */
function shellcheck(files: string[]): void {
    const result = spawnSync("shellcheck", ["-s", "sh", "-f", "gcc", ...files], { encoding: "utf8" });
    assert.strictEqual(result.status, 0, `shellcheck -s sh found problems:\n${result.stdout}${result.stderr}`);
}

/** Every command the node pools can create, for both roles, with and without optional values. */
function allCommands(): Record<string, Partial<CommandSpec>> {
    const install = { installerUrl: "https://get.openvidu.io/pro/ha/3.8.0/install_ov_master_node.sh", retainData: true };
    return {
        preflight: preflightCommand("master-1", "10.5.0.1", ["10.5.0.1", "10.5.0.2", "10.5.0.3", "10.5.0.4"]),
        "preflight-ipv6": preflightCommand("media-fd00--1", "fd00::1", ["fd00::a", "fd00::b", "fd00::c", "fd00::d"]),
        firewall: firewallCommand("master-1", "table inet openvidu_ha {\n}\n"),
        "install-master": installCommand({ ...install, label: "master-1", role: "master" }),
        "install-media-sha": installCommand({ ...install, label: "media-10-5-1-1", role: "media", installerSha256: "a".repeat(64), retainData: false }),
        "start-master": startCommand("master-1", "master", 3600),
        "start-media": startCommand("media-10-5-1-1", "media", 3600),
        "health-master": healthCommand("master-1", "master", 900),
        "health-media": healthCommand("media-10-5-1-1", "media", 900),
        "converge-media": convergeCommand({
            label: "media-10-5-1-1",
            role: "media",
            phase: "update",
            round: "final",
            target: "3.8.0",
            steps: ["3.7.0", "3.8.0"],
            checkpoint: "3.5.0",
            updaterBaseUrl: "https://updates.example/update",
            updaterSha256: {},
            healthTimeoutSeconds: 900,
            drainTimeoutSeconds: 3600,
            leader: false,
            rules: "--redis-password cluster redisPassword config/node/media_node.env:REDIS_PASSWORD",
            clusterRules: "",
        }),
    };
}

describe("shellcheck", () => {
    before(requireShellcheck);

    it("passes on every host script", () => {
        const scripts = SCRIPT_DIRS.flatMap((dir) =>
            fs
                .readdirSync(dir)
                .filter((f) => f.endsWith(".sh"))
                .map((f) => path.join(dir, f)),
        );
        assert.ok(scripts.length >= 8, `host scripts found: ${scripts.join(", ")}`);
        shellcheck(scripts);
    });

    it("passes on every generated command string (create, update, delete)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-shellcheck-"));
        try {
            const files: string[] = [];
            for (const [name, spec] of Object.entries(allCommands())) {
                for (const field of ["create", "update", "delete"] as const) {
                    const text = spec[field];
                    if (text !== undefined) {
                        const file = path.join(dir, `${name}-${field}.sh`);
                        fs.writeFileSync(file, text);
                        files.push(file);
                    }
                }
            }
            assert.strictEqual(files.length, 15);
            shellcheck(files);
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("each command carries its script verbatim and parses as POSIX sh", () => {
        const spec = installCommand({ label: "master-1", role: "master", installerUrl: "https://x.example/3.8.0/install_ov_master_node.sh", retainData: true });
        assert.ok(spec.create.includes(scriptContent("install").replace(/\n$/, "")), "install.sh inline, as assembled");
        assert.ok(spec.delete!.includes(fs.readFileSync(scriptPath("uninstall"), "utf8").replace(/\n$/, "")), "uninstall.sh inline");
        execFileSync("sh", ["-n", "-c", spec.create]);
    });
});

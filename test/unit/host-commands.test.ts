/** The pure pieces of the SSH commands: installer stdin format, shell quoting, installer URL, root/sudo wrapper. */
import * as assert from "assert";
import { execFileSync } from "child_process";
import { remoteInvocation } from "../../components/onprem/host-commands";
import { installerStdin, installerUrl, shellQuote } from "../../components/host/host-scripts";

describe("installerStdin", () => {
    it("writes one argument per line: 'S ' before secret values, 'P ' before the rest, --flag=value or a bare --flag", () => {
        const stdin = installerStdin([
            { flag: "--no-tty", secret: false },
            { flag: "--node-role", value: "master-node", secret: false },
            { flag: "--redis-password", value: "p4ss=word", secret: true },
            { flag: "--enabled-modules", value: "", secret: false },
        ]);
        assert.strictEqual(stdin, "P --no-tty\nP --node-role=master-node\nS --redis-password=p4ss=word\nP --enabled-modules=\n");
    });

    it("is empty for no arguments", () => {
        assert.strictEqual(installerStdin([]), "");
    });
});

describe("shellQuote", () => {
    const tricky = ["plain", "", "with space", "it's", "''", "$HOME `id` $(id) \\n", "a\nb", "*", "-n", "--flag=x'y"];

    it("single-quotes and escapes embedded single quotes", () => {
        assert.strictEqual(shellQuote("it's"), `'it'\\''s'`);
        assert.strictEqual(shellQuote("a b"), "'a b'");
    });

    it("gives back the exact string through sh, with nothing expanded", () => {
        const script = tricky.map((t) => `printf '%s\\0' ${shellQuote(t)}`).join("\n");
        const out = execFileSync("sh", ["-c", script], { encoding: "utf8" });
        assert.deepStrictEqual(out.split("\0").slice(0, -1), tricky);
    });
});

describe("installerUrl", () => {
    it("pins the version and names the role's installer", () => {
        assert.strictEqual(installerUrl("https://get.openvidu.io/pro/ha", "3.8.0", "master"), "https://get.openvidu.io/pro/ha/3.8.0/install_ov_master_node.sh");
        assert.strictEqual(installerUrl("https://mirror.example.com/ov", "3.0.0", "media"), "https://mirror.example.com/ov/3.0.0/install_ov_media_node.sh");
    });
});

describe("remoteInvocation", () => {
    const run = (command: string, env: Record<string, string>) => {
        try {
            return {
                status: 0,
                out: execFileSync("sh", ["-c", command], { encoding: "utf8", env: { ...process.env, ...env }, stdio: ["ignore", "pipe", "pipe"] }),
            };
        } catch (err) {
            const e = err as { status: number; stdout: string; stderr: string };
            return { status: e.status, out: e.stdout + e.stderr };
        }
    };

    it("passes the arguments quoted, one word each", () => {
        const command = remoteInvocation("start", "master-1", ["master-1", "a b", "it's"]);
        assert.ok(command.includes(`sh "$script" 'master-1' 'a b' 'it'\\''s'`));
        assert.ok(command.includes(`sudo -n sh "$script" 'master-1' 'a b' 'it'\\''s'`));
        assert.ok(command.startsWith("# openvidu-ha start on master-1\nset -eu\n"));
    });

    it("names the host when the user is neither root nor a passwordless sudoer", () => {
        // Fake id and sudo on PATH: user 1000 without sudo rights.
        const fakeBin = execFileSync(
            "sh",
            [
                "-c",
                `d=$(mktemp -d); printf '#!/bin/sh\\ncase "$1" in -u) echo 1000;; -un) echo alice;; esac\\n' > "$d/id"; printf '#!/bin/sh\\nexit 1\\n' > "$d/sudo"; chmod +x "$d/id" "$d/sudo"; echo "$d"`,
            ],
            { encoding: "utf8" },
        ).trim();
        try {
            const result = run(remoteInvocation("start", "media-10-5-1-1", ["media-10-5-1-1"]), { PATH: `${fakeBin}:${process.env.PATH}` });
            assert.strictEqual(result.status, 1);
            assert.match(result.out, /start failed on media-10-5-1-1: user alice is not root and has no passwordless sudo/);
        } finally {
            execFileSync("rm", ["-rf", fakeBin]);
        }
    });
});

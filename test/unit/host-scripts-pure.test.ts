/**
 * components/host/host-scripts.ts without running anything: where each script lives, how include lines are
 * expanded, installer stdin framing, quoting, installer URLs and health endpoints. Expected values are literals or
 * the script files read directly; nothing is computed at load time (see MUTATION.md).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { expandIncludes, HEALTH_URLS, installerStdin, installerUrl, scriptContent, scriptPath, shellQuote } from "../../components/host/host-scripts";

const ROOT = path.join(__dirname, "..", "..");
const read = (relative: string) => fs.readFileSync(path.join(ROOT, relative), "utf8");
const INCLUDE = "# openvidu-ha:include mask-secrets.sh";

describe("host scripts: files and include lines", () => {
    it("node scripts live in components/host/scripts, the on-prem-only ones in components/onprem/scripts", () => {
        for (const script of ["install", "start", "health", "stop", "drain", "uninstall", "converge"] as const) {
            assert.strictEqual(scriptPath(script), path.join(ROOT, "components", "host", "scripts", `${script}.sh`));
        }
        assert.strictEqual(scriptPath("preflight"), path.join(ROOT, "components", "onprem", "scripts", "preflight.sh"));
        assert.strictEqual(scriptPath("firewall"), path.join(ROOT, "components", "onprem", "scripts", "firewall.sh"));
    });

    it("a script without include lines is its file, byte for byte", () => {
        assert.strictEqual(scriptContent("start"), read("components/host/scripts/start.sh"));
        assert.strictEqual(scriptContent("preflight"), read("components/onprem/scripts/preflight.sh"));
    });

    it("install.sh and converge.sh get mask-secrets.sh in place of their include line, without its last newline", () => {
        const helper = read("components/host/scripts/mask-secrets.sh");
        assert.ok(helper.endsWith("}\n"));
        for (const script of ["install", "converge"] as const) {
            const file = read(`components/host/scripts/${script}.sh`);
            assert.strictEqual(file.split(`\n${INCLUDE}\n`).length, 2, `${script}.sh has one include line`);
            assert.strictEqual(scriptContent(script), file.replace(`\n${INCLUDE}\n`, `\n${helper}`), script);
        }
    });

    it("expandIncludes replaces whole include lines only, naming the helper file, and keeps every other line", () => {
        const asked: string[] = [];
        const readHelper = (name: string) => {
            asked.push(name);
            return `helper ${name}\nline 2\n`;
        };
        const text = ["#!/bin/sh", INCLUDE, "  # openvidu-ha:include a.sh", "# openvidu-ha:include b.sh # x", "# openvidu-ha:include c-2.sh", ""].join("\n");
        assert.strictEqual(
            expandIncludes(text, readHelper),
            [
                "#!/bin/sh",
                "helper mask-secrets.sh",
                "line 2",
                "  # openvidu-ha:include a.sh",
                "# openvidu-ha:include b.sh # x",
                "helper c-2.sh",
                "line 2",
                "",
            ].join("\n"),
        );
        assert.deepStrictEqual(asked, ["mask-secrets.sh", "c-2.sh"]);
        // Only the helper's last newline goes; a name that is not a lowercase .sh file is no include.
        assert.strictEqual(
            expandIncludes("# openvidu-ha:include x.sh", () => "a\n\n"),
            "a\n",
        );
        assert.strictEqual(
            expandIncludes("# openvidu-ha:include X.sh\n# openvidu-ha:include x.bash", () => "no"),
            "# openvidu-ha:include X.sh\n# openvidu-ha:include x.bash",
        );
        assert.strictEqual(
            expandIncludes("# openvidu-ha:include x.sh\n", () => "h"),
            "h\n",
        );
    });
});

describe("installer stdin, quoting, URLs, health endpoints", () => {
    it("installerStdin: one argument per line, 'S ' before secret values, 'P ' before the rest", () => {
        assert.strictEqual(
            installerStdin([
                { flag: "--no-tty", secret: false },
                { flag: "--node-role", value: "master-node", secret: false },
                { flag: "--redis-password", value: "p4ss=word", secret: true },
                { flag: "--enabled-modules", value: "", secret: false },
            ]),
            "P --no-tty\nP --node-role=master-node\nS --redis-password=p4ss=word\nP --enabled-modules=\n",
        );
        assert.strictEqual(installerStdin([]), "");
    });

    it("installerStdin refuses a value with a line break, naming the flag", () => {
        for (const value of ["a\nb", "a\rb"]) {
            assert.throws(() => installerStdin([{ flag: "--domain-name", value, secret: false }]), {
                message: "installer argument --domain-name contains a line break",
            });
        }
    });

    it("shellQuote single-quotes and escapes every embedded single quote", () => {
        assert.strictEqual(shellQuote("plain"), "'plain'");
        assert.strictEqual(shellQuote(""), "''");
        assert.strictEqual(shellQuote("it's"), `'it'\\''s'`);
        assert.strictEqual(shellQuote("''"), `''\\'''\\'''`);
        assert.strictEqual(shellQuote("$HOME `id`"), "'$HOME `id`'");
    });

    it("installerUrl pins the version and names the role's installer (seed: install_ov_<role>_node.sh)", () => {
        assert.strictEqual(installerUrl("https://get.openvidu.io/pro/ha", "3.8.0", "master"), "https://get.openvidu.io/pro/ha/3.8.0/install_ov_master_node.sh");
        assert.strictEqual(installerUrl("https://mirror.example.com/ov", "3.0.0", "media"), "https://mirror.example.com/ov/3.0.0/install_ov_media_node.sh");
    });

    it("health endpoints: Caddy's /health/caddy on masters (vendor facts), port 7880 on media nodes", () => {
        assert.deepStrictEqual(HEALTH_URLS, { master: "http://127.0.0.1:7880/health/caddy", media: "http://127.0.0.1:7880/" });
    });
});

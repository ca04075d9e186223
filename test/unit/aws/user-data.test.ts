/** User data and boot scripts: pure text, shellcheck-clean, small, nothing secret, snapshot-tested. */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { BOOT_FILES, bootDigests, bootFiles, bootRevision, masterUserData, mediaUserData } from "../../../components/aws/plan/user-data";
import { ALL_BOOT_FILES, bootLocation, masterBootInput, mediaBootInput } from "./boot-inputs";
import { matchSnapshot } from "./snapshot";
import { scriptContent } from "../../../components/host/host-scripts";

/** Runs shellcheck (POSIX sh, following sourced files) on files; returns its findings, "" when clean. */
export function shellcheckFiles(files: readonly string[], cwd: string): string {
    try {
        execFileSync("shellcheck", ["-s", "sh", "-x", "-f", "gcc", ...files], { cwd, encoding: "utf8", stdio: "pipe" });
        return "";
    } catch (err) {
        return String((err as { stdout?: string }).stdout ?? err);
    }
}

/** Runs shellcheck on a text, written to a temporary file. */
export function shellcheck(text: string, name: string): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-sc-"));
    fs.writeFileSync(path.join(dir, name), text);
    try {
        return shellcheckFiles([name], dir);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

describe("aws user data", () => {
    it("passes shellcheck, for both roles", () => {
        assert.strictEqual(shellcheck(masterUserData(masterBootInput()), "master-user-data.sh"), "");
        assert.strictEqual(shellcheck(mediaUserData(mediaBootInput()), "media-user-data.sh"), "");
    });

    it("shellcheck catches a broken user data (the check can fail)", () => {
        const unquoted = masterUserData(masterBootInput()).replace(
            '"http://169.254.169.254/latest/meta-data/$1"',
            "http://169.254.169.254/latest/meta-data/$1",
        );
        assert.match(shellcheck(unquoted, "broken.sh"), /SC2086/);
    });

    it("matches the reviewed snapshots", () => {
        matchSnapshot("master-user-data.sh", masterUserData(masterBootInput()));
        matchSnapshot("media-user-data.sh", mediaUserData(mediaBootInput()));
    });

    it("stays tiny: a few KB, far below EC2's 16 KB", () => {
        assert.ok(Buffer.byteLength(masterUserData(masterBootInput())) < 5000);
        assert.ok(Buffer.byteLength(mediaUserData(mediaBootInput())) < 5000);
    });

    it("fetches the role's boot files and starts the role's entry script as a oneshot service that resumes after reboots", () => {
        const media = mediaUserData(mediaBootInput());
        const master = masterUserData(masterBootInput());
        assert.match(media, new RegExp(`^for f in ${BOOT_FILES.media.join(" ")}; do$`, "m"));
        assert.match(media, /^ExecStart=\/bin\/sh \$dir\/boot-media.sh$/m);
        assert.match(master, /^ExecStart=\/bin\/sh \$dir\/boot-master.sh$/m);
        for (const text of [media, master]) {
            assert.match(text, /^Type=oneshot$/m);
            assert.match(text, /^ConditionPathExists=!\/var\/lib\/openvidu-ha\/boot-complete$/m);
            assert.match(text, /^systemctl enable openvidu-ha-boot.service\nsystemctl start --no-block openvidu-ha-boot.service$/m);
        }
        assert.match(media, /--aws-sigv4 "aws:amz:\$OPENVIDU_HA_REGION:s3"/);
        assert.match(media, /-K -/, "credentials reach curl on stdin, not in its arguments");
    });

    it("writes only plain settings, single-quoted, and refuses values that could break out", () => {
        const master = masterUserData(masterBootInput());
        assert.match(master, /^OPENVIDU_HA_DATA_VOLUME='vol-0123456789abcdef0'$/m);
        assert.match(master, /^OPENVIDU_HA_LABEL='master-2'$/m);
        assert.throws(() => masterUserData({ ...masterBootInput(), label: "x'; rm -rf /" }), /LABEL has characters a boot setting may not contain/);
        assert.throws(() => mediaUserData({ ...mediaBootInput(), bootBucket: "a\nb" }), /BOOT_BUCKET/);
    });

    it("checks every fetched boot file of the role against its SHA-256 before anything runs, and refuses a missing digest", () => {
        for (const [role, text] of [
            ["master", masterUserData(masterBootInput())],
            ["media", mediaUserData(mediaBootInput())],
        ] as const) {
            const sums = /sha256sum -c --strict --quiet\) <<'OPENVIDU_HA_SUMS'; then\n([\s\S]*?)\nOPENVIDU_HA_SUMS\n/.exec(text);
            assert.ok(sums, role);
            assert.deepStrictEqual(
                sums[1].split("\n"),
                BOOT_FILES[role].map((f) => `${bootLocation().bootDigests[f]}  ${f}`),
                role,
            );
            assert.ok(text.indexOf("sha256sum -c") < text.indexOf("openvidu-ha-boot.service"), `${role}: checked before the service exists`);
        }
        const { ["lifecycle-watch.sh"]: _omitted, ...partial } = bootLocation().bootDigests;
        assert.throws(
            () => mediaUserData({ ...mediaBootInput(), bootDigests: partial }),
            /^Error: user data: no SHA-256 for the boot file lifecycle-watch\.sh$/,
        );
        assert.doesNotThrow(() => masterUserData({ ...masterBootInput(), bootDigests: partial }), "masters do not fetch the watcher");
    });

    it("pins the media pool to a secret version and a boot revision, so either change makes a new template", () => {
        const base = mediaUserData(mediaBootInput());
        assert.notStrictEqual(mediaUserData({ ...mediaBootInput(), secretVersionId: "other" }), base);
        assert.notStrictEqual(mediaUserData({ ...mediaBootInput(), bootRevision: "fedcba9876543210" }), base);
        assert.match(base, /^OPENVIDU_HA_SECRET_VERSION='3f2a9c1e-5b7d-4e8f-9a0b-1c2d3e4f5a6b'$/m);
    });
});

describe("aws boot scripts", () => {
    it("bundles the AWS scripts and the shared host scripts, each once", () => {
        const names = bootFiles().map((f) => f.name);
        assert.deepStrictEqual(names, ALL_BOOT_FILES);
        const install = bootFiles().find((f) => f.name === "install.sh")!;
        // As the on-prem commands carry it: its shared helpers inlined (scriptContent).
        assert.strictEqual(install.content, scriptContent("install"));
        assert.match(install.content, /^mask_secrets\(\) \{$/m);
    });

    it("every boot script passes shellcheck, sourced helpers followed", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-boot-"));
        try {
            for (const f of bootFiles()) {
                fs.writeFileSync(path.join(dir, f.name), f.content);
            }
            assert.strictEqual(
                shellcheckFiles(
                    bootFiles().map((f) => f.name),
                    dir,
                ),
                "",
            );
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has per-file SHA-256 digests, as sha256sum prints them", () => {
        const digests = bootDigests(bootFiles());
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-digests-"));
        try {
            for (const f of bootFiles()) {
                fs.writeFileSync(path.join(dir, f.name), f.content);
                assert.strictEqual(execFileSync("sha256sum", [f.name], { cwd: dir, encoding: "utf8" }), `${digests[f.name]}  ${f.name}\n`);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("has a revision that changes with any script", () => {
        const files = bootFiles();
        const changed = files.map((f, i) => (i === 0 ? { ...f, content: f.content + "\n" } : f));
        assert.match(bootRevision(files), /^[0-9a-f]{16}$/);
        assert.notStrictEqual(bootRevision(changed), bootRevision(files));
    });

    it("marks the boot complete only at the very end, after the health gate", () => {
        for (const name of ["boot-master.sh", "boot-media.sh"]) {
            const lines = bootFiles()
                .find((f) => f.name === name)!
                .content.trimEnd()
                .split("\n");
            assert.match(lines[lines.length - 2], /^touch \/var\/lib\/openvidu-ha\/boot-complete$/, name);
            const health = lines.findIndex((l) => /health\.sh/.test(l));
            assert.ok(health > 0 && health < lines.length - 2, name);
            assert.ok(
                lines.slice(health + 1, -2).every((l) => !/install\.sh|start\.sh/.test(l)),
                `${name}: nothing installs or starts after the health gate`,
            );
        }
    });

    it("never traces commands (set -x would print secrets) and keeps files private (umask 077)", () => {
        for (const f of bootFiles().filter((x) => /^(boot-|aws-api|lifecycle)/.test(x.name))) {
            assert.ok(!/set -[a-z]*x/.test(f.content), f.name);
        }
        for (const name of ["boot-master.sh", "boot-media.sh"]) {
            assert.match(bootFiles().find((f) => f.name === name)!.content, /^umask 077$/m, name);
        }
    });
});

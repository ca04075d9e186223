/**
 * User data and the boot bundle, pure (no shellcheck, no sha256sum: those are in user-data.test.ts). Expected
 * values are literals: the reviewed snapshots, the boot file names, SHA-256 test vectors (FIPS 180-2), the scripts'
 * own files. Inputs are built inside each test, never while mocha loads the file.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { BootFile, bootDigests, bootFiles, bootObjectKey, bootRevision, masterUserData, mediaUserData } from "../../../components/aws/plan/user-data";
import { ALL_BOOT_FILES, bootLocation, masterBootInput as masterInput, mediaBootInput as mediaInput } from "./boot-inputs";
import { matchSnapshot } from "./snapshot";

describe("aws plan: user data (pure)", () => {
    it("is, for each role, the reviewed snapshot (settings, fetch, checksum lines, failure path, boot unit)", () => {
        matchSnapshot("master-user-data.sh", masterUserData(masterInput()));
        matchSnapshot("media-user-data.sh", mediaUserData(mediaInput()));
    });

    it("accepts every character a boot setting may hold, and an empty value", () => {
        const text = masterUserData(masterInput({ label: "Az09._:/,@+=-", appDataBucket: "" }));
        assert.match(text, /^OPENVIDU_HA_LABEL='Az09\._:\/,@\+=-'$/m);
        assert.match(text, /^OPENVIDU_HA_APP_DATA_BUCKET=''$/m);
    });

    it("refuses a setting with a character that could break out of boot.env, naming the key and the value", () => {
        for (const bad of ["a b", "a'b", 'a"b', "a$b", "a;b", "a\nb", "a`b", "a\\b", "a*b"]) {
            assert.throws(
                () => masterUserData(masterInput({ dataVolumeId: bad })),
                (e: Error) => e.message === `user data: DATA_VOLUME has characters a boot setting may not contain: ${JSON.stringify(bad)}`,
                JSON.stringify(bad),
            );
        }
        assert.throws(
            () => mediaUserData(mediaInput({ lifecycleHookName: "hook name" })),
            (e: Error) => e.message === 'user data: LIFECYCLE_HOOK has characters a boot setting may not contain: "hook name"',
        );
    });

    it("refuses a boot revision that is not 16 lowercase hex digits", () => {
        for (const bad of ["0123456789abcde", "0123456789abcdef0", "0123456789ABCDEF", "x0123456789abcde", "0123456789abcdeg", ""]) {
            assert.throws(
                () => mediaUserData(mediaInput({ bootRevision: bad })),
                (e: Error) => e.message === `user data: malformed boot revision ${JSON.stringify(bad)}`,
                JSON.stringify(bad),
            );
        }
    });

    it("refuses a digest that is missing or not 64 lowercase hex digits for a file of the role", () => {
        for (const bad of ["ab".repeat(31) + "a", "AB".repeat(32), "ab".repeat(32) + "a", "x" + "ab".repeat(31) + "a"]) {
            const digests = { ...bootLocation().bootDigests, "start.sh": bad };
            assert.throws(
                () => masterUserData(masterInput({ bootDigests: digests })),
                (e: Error) => e.message === "user data: no SHA-256 for the boot file start.sh",
                bad,
            );
        }
        const { ["converge-watch.sh"]: _left, ...withoutWatcher } = bootLocation().bootDigests;
        assert.throws(
            () => masterUserData(masterInput({ bootDigests: withoutWatcher })),
            (e: Error) => e.message === "user data: no SHA-256 for the boot file converge-watch.sh",
        );
        // Media nodes do not fetch converge-watch.sh: its digest is not needed there.
        assert.match(mediaUserData(mediaInput({ bootDigests: withoutWatcher })), /^for f in boot-media\.sh /m);
    });

    it("names each setting after its input (master: label, volume, buckets, health; media: version, masters, timing, placeholders)", () => {
        const master = masterUserData(masterInput({ label: "master-4", healthTimeoutSeconds: 77 }));
        assert.match(master, /^OPENVIDU_HA_LABEL='master-4'$/m);
        assert.match(master, /^OPENVIDU_HA_HEALTH_TIMEOUT_SECONDS='77'$/m);
        assert.match(master, /^# openvidu-ha master-4 \(user data\)/m);
        const media = mediaUserData(mediaInput({ masterPrivateIps: ["10.9.0.1", "10.9.0.2"], heartbeatSeconds: 42 }));
        assert.match(media, /^OPENVIDU_HA_MASTER_IPS='10\.9\.0\.1,10\.9\.0\.2'$/m);
        assert.match(media, /^OPENVIDU_HA_HEARTBEAT_SECONDS='42'$/m);
    });
});

describe("aws plan: boot bundle (pure)", () => {
    it("keys each file of a revision under openvidu-ha/boot/<revision>/", () => {
        assert.strictEqual(bootObjectKey("0123456789abcdef", "install.sh"), "openvidu-ha/boot/0123456789abcdef/install.sh");
    });

    it("bundles the AWS scripts as their files and the shared host scripts with their helpers inlined, each once, by name", () => {
        const files = bootFiles();
        assert.deepStrictEqual(
            files.map((f) => f.name),
            ALL_BOOT_FILES,
        );
        const awsDir = path.join(__dirname, "..", "..", "..", "components", "aws", "scripts");
        for (const name of ["aws-api.sh", "boot-master.sh", "boot-media.sh", "converge-watch.sh", "lifecycle-watch.sh"]) {
            assert.strictEqual(files.find((f) => f.name === name)!.content, fs.readFileSync(path.join(awsDir, name), "utf8"), name);
        }
        const hostDir = path.join(__dirname, "..", "..", "..", "components", "host", "scripts");
        for (const name of ["install.sh", "start.sh", "health.sh", "drain.sh", "converge.sh"]) {
            const content = files.find((f) => f.name === name)!.content;
            assert.match(content, /^#!\/bin\/sh\n/, name);
            assert.doesNotMatch(content, /^# openvidu-ha:include /m, `${name}: helpers inlined`);
            // The host script's own lines are all there, in order, with the include lines replaced.
            const own = fs
                .readFileSync(path.join(hostDir, name), "utf8")
                .split("\n")
                .filter((l) => !l.startsWith("# openvidu-ha:include "));
            let at = 0;
            for (const line of own) {
                at = content.indexOf(line, at);
                assert.ok(at >= 0, `${name}: ${line}`);
            }
        }
        assert.match(files.find((f) => f.name === "install.sh")!.content, /^mask_secrets\(\) \{$/m);
    });

    it("digests each file as sha256sum does (FIPS 180-2 test vectors)", () => {
        const files: BootFile[] = [
            { name: "abc.sh", content: "abc" },
            { name: "empty.sh", content: "" },
        ];
        assert.deepStrictEqual(bootDigests(files), {
            "abc.sh": "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
            "empty.sh": "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
        });
    });

    it("has a 16-digit revision that changes with a file's name, its content, and stays the same across program versions", () => {
        const files: BootFile[] = [
            { name: "a.sh", content: "echo a\n" },
            { name: "b.sh", content: "echo b\n" },
        ];
        const revision = bootRevision(files);
        assert.match(revision, /^[0-9a-f]{16}$/);
        assert.strictEqual(bootRevision(files.map((f) => ({ ...f }))), revision, "same files, same revision");
        assert.notStrictEqual(bootRevision([files[0], { ...files[1], name: "c.sh" }]), revision);
        assert.notStrictEqual(bootRevision([files[0], { ...files[1], content: "echo c\n" }]), revision);
        // The formula, pinned: the same scripts keep their revision across program versions, so an upgrade of the
        // program alone does not roll the media pool (printf 'a.sh\n7\necho a\nb.sh\n7\necho b\n' | sha256sum).
        assert.strictEqual(revision, "c52a619a8c596cb5");
    });
});

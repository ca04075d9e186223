/** What each host step runs over SSH: installer source per role, health gates, removal, connection bounds. */
import * as assert from "assert";
import { ONPREM_SECRET_KEYS, onpremConfig } from "../support/fixtures";
import { ProgramRun, runProgram, sharedRun } from "../support/program";

const SHA_MASTER = "a".repeat(64);
const SHA_MEDIA = "B".repeat(64);
const HOST_KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIBk3Zm9vYmFyYmF6cXV4MTIzNDU2Nzg5MDEyMzQ1Njc4";

/** The quoted arguments the command passes to its script (the root branch of the wrapper). */
function scriptArgs(command: string): string[] {
    const line = command.split("\n").find((l) => l.startsWith('    sh "$script" '))!;
    return [...line.slice('    sh "$script" '.length).matchAll(/'((?:[^']|'\\'')*)'/g)].map((m) => m[1].replace(/'\\''/g, "'"));
}

describe("provisioning commands", () => {
    let run: ProgramRun;
    let defaults: ProgramRun;

    before(async () => {
        const masterNodes = (onpremConfig().masterNodes as object[]).map((h, i) => (i === 0 ? { ...h, hostKey: HOST_KEY } : h));
        run = await runProgram(
            onpremConfig({
                masterNodes,
                openviduVersion: "3.8.1",
                installerBaseUrl: "https://mirror.example.com/openvidu/",
                installerSha256Master: SHA_MASTER,
                installerSha256Media: SHA_MEDIA,
                healthTimeoutSeconds: "600",
                drainTimeoutMinutes: "30",
                retainDataOnDestroy: "false",
                sshUser: "deploy",
                sshPort: "2222",
                sshDialErrorLimit: "5",
                sshPerDialTimeout: "20",
            }),
            ONPREM_SECRET_KEYS,
        );
        defaults = await sharedRun(onpremConfig(), ONPREM_SECRET_KEYS);
    });

    it("installs each role from its pinned HTTPS installer, checked against the role's SHA-256", () => {
        assert.deepStrictEqual(scriptArgs(run.inputsOf("masters-2-install").create), [
            "master-2",
            "master",
            "https://mirror.example.com/openvidu/3.8.1/install_ov_master_node.sh",
            SHA_MASTER,
            "defer",
        ]);
        assert.deepStrictEqual(scriptArgs(run.inputsOf("media-10-5-1-1-install").create), [
            "media-10-5-1-1",
            "media",
            "https://mirror.example.com/openvidu/3.8.1/install_ov_media_node.sh",
            SHA_MEDIA.toLowerCase(),
            "defer",
        ]);
        assert.strictEqual(scriptArgs(defaults.inputsOf("masters-1-install").create)[3], "-", "no checksum configured");
    });

    it("preflights the configured private IP with the seed's minimum of 4 cores and about 4 GB, and the masters' IPs", () => {
        const masterIps = "10.5.0.1,10.5.0.2,10.5.0.3,10.5.0.4";
        assert.deepStrictEqual(scriptArgs(run.inputsOf("masters-3-preflight").create), ["master-3", "10.5.0.3", "4", "3600", masterIps]);
        assert.deepStrictEqual(scriptArgs(run.inputsOf("media-10-5-1-2-preflight").create), ["media-10-5-1-2", "10.5.1.2", "4", "3600", masterIps]);
    });

    it("gates each master on /health/caddy at 7880 and each media node on 7880, bounded by healthTimeoutSeconds", () => {
        assert.deepStrictEqual(scriptArgs(run.inputsOf("masters-4-health").create), ["master-4", "http://127.0.0.1:7880/health/caddy", "600"]);
        assert.deepStrictEqual(scriptArgs(run.inputsOf("media-10-5-1-2-health").create), ["media-10-5-1-2", "http://127.0.0.1:7880/", "600"]);
        assert.strictEqual(scriptArgs(defaults.inputsOf("masters-1-health").create)[2], "900");
    });

    it("on removal stops a master, drains a media node within drainTimeoutMinutes, then uninstalls", () => {
        assert.match(run.inputsOf("masters-1-start").delete, /^# openvidu-ha stop on master-1\n/);
        assert.deepStrictEqual(scriptArgs(run.inputsOf("masters-1-start").delete), ["master-1"]);
        assert.match(run.inputsOf("media-10-5-1-1-start").delete, /^# openvidu-ha drain on media-10-5-1-1\n/);
        assert.deepStrictEqual(scriptArgs(run.inputsOf("media-10-5-1-1-start").delete), ["media-10-5-1-1", "1800"]);
        assert.deepStrictEqual(scriptArgs(run.inputsOf("media-10-5-1-1-install").delete), ["media-10-5-1-1", "purge"]);
        assert.deepStrictEqual(scriptArgs(defaults.inputsOf("masters-1-install").delete), ["master-1", "retain"], "data kept by default");
        assert.strictEqual(run.inputsOf("masters-1-preflight").delete, undefined);
        assert.strictEqual(run.inputsOf("masters-1-health").delete, undefined);
    });

    it("dials every host with the configured user and port, a bounded number of retries, and its configured or recorded host key", () => {
        const connection = run.inputsOf("masters-1-install", true).connection;
        assert.deepStrictEqual(connection, {
            host: "203.0.113.11",
            port: 2222,
            user: "deploy",
            privateKey: onpremConfig().sshPrivateKey,
            dialErrorLimit: 5,
            perDialTimeout: 20,
            hostKey: HOST_KEY,
        });
        assert.strictEqual(run.inputsOf("media-10-5-1-2-start", true).connection.host, "198.51.100.22");
        assert.strictEqual(run.inputsOf("masters-2-install", true).connection.hostKey, "(recorded at the first connection to 203.0.113.12:2222)");
        const d = defaults.inputsOf("media-10-5-1-1-health", true).connection;
        assert.deepStrictEqual([d.dialErrorLimit, d.perDialTimeout], [10, 15]);
    });

    it("replaces a step by undoing the old one first", () => {
        for (const r of run.ofType("command:remote:Command")) {
            assert.strictEqual(r.options.deleteBeforeReplace, true, r.name);
            assert.strictEqual(r.options.protect, false, r.name);
        }
    });

    it("outputs the nodes in config order, the URLs of the line and the target", () => {
        const recorded = (ip: string) => `(recorded at the first connection to ${ip}:2222)`;
        assert.deepStrictEqual(
            run.outputs.masterNodes,
            [1, 2, 3, 4].map((i) => ({
                label: `master-${i}`,
                publicIp: `203.0.113.${10 + i}`,
                privateIp: `10.5.0.${i}`,
                hostKey: i === 1 ? HOST_KEY : recorded(`203.0.113.${10 + i}`),
            })),
        );
        assert.deepStrictEqual(
            run.outputs.mediaNodes,
            [1, 2].map((i) => ({
                label: `media-10-5-1-${i}`,
                publicIp: `198.51.100.${20 + i}`,
                privateIp: `10.5.1.${i}`,
                hostKey: recorded(`198.51.100.${20 + i}`),
            })),
        );
        assert.strictEqual(run.outputs.target, "onprem");
        assert.deepStrictEqual(run.outputs.urls, {
            openvidu: "https://openvidu.example.com/",
            livekit: "wss://openvidu.example.com/",
            dashboard: "https://openvidu.example.com/dashboard/",
            minioConsole: "https://openvidu.example.com/minio-console/",
            grafana: "https://openvidu.example.com/grafana/",
            meet: "https://openvidu.example.com/",
        });
    });
});

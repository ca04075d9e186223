// Self-tests of the test doubles, kept where a host test could pass on a double that differs from the real thing
// in what the tests read: the installer double's record of its arguments and stdin (install.test.ts compares it
// with the vendor's commands), its refusal of non-root (the vendor installer's), and systemctl's refusals. What the
// other host tests exercise anyway (the HTTPS server, failing and slow installs, health knobs, drain, reboot) is not
// tested again here. Each test runs alone: the install writes only on h0, which no other test reads.
import { strict as assert } from "assert";
import { shq, TestHost } from "./harness";
import { ssh, useLab } from "./lab";

describe("test doubles", function () {
    const lab = useLab([{ cpus: 4, memMb: 8192, systemd: true, extraUser: "deploy" }, { systemd: false }]);
    let h0: TestHost, h1: TestHost;
    before(() => {
        [h0, h1] = lab.hosts.hosts;
    });

    describe("installer double", function () {
        const args = ["--domain-name=openvidu.example.test", "an argument with spaces", `it's "quoted"`, "", "--openvidu-pro-license=LICENSE-123"];
        const stdin = "first line\nsecret from stdin: s3cr3t\n\nno newline at the end";

        it("records argv and stdin exactly and writes the installed layout", async function () {
            const cmd = `curl -fsS ${lab.installUrl("master")} -o /tmp/i.sh && sh /tmp/i.sh ${args.map(shq).join(" ")}`;
            const r = await ssh(h0, cmd, stdin);
            assert.equal(r.exitCode, 0, r.stderr);
            assert.match(r.stdout, /OpenVidu HA 'Master Node' Installation Finished Successfully!/);
            const rec = `/var/log/openvidu-installer-double/${(await h0.exec("ls /var/log/openvidu-installer-double | tail -1")).stdout.trim()}`;
            assert.equal(await h0.readFile(`${rec}/argv`), args.map((a) => a + "\n").join(""));
            assert.equal(await h0.readFile(`${rec}/argc`), `${args.length}\n`);
            assert.equal(await h0.readFile(`${rec}/stdin`), stdin);
            assert.equal(await h0.readFile(`${rec}/status`), "finished\n");
            const info = await h0.readFile("/opt/openvidu/deployment-info.yaml");
            assert.match(info, /^version: 3\.8\.0$/m);
            assert.match(info, /^environment: on_premise$/m);
            assert.match(await h0.readFile("/opt/openvidu/config/cluster/openvidu.env"), /^OPENVIDU_PRO_LICENSE=LICENSE-123$/m);
            for (const f of [
                "/opt/openvidu/config/node/master_node.env",
                "/opt/openvidu/data",
                "/opt/openvidu/.env",
                "/opt/openvidu/docker-compose.yml",
                "/etc/systemd/system/openvidu.service",
            ]) {
                assert.ok(await h0.fileExists(f), `${f} missing`);
            }
            assert.equal(await h0.fileExists("/opt/openvidu/config/node/media_node.env"), false);
        });

        it("refuses to run as a user other than root, as the vendor's installer does", async function () {
            const u = await ssh(h0, `curl -fsS ${lab.installUrl("media")} | sh -s -- --y=1`, undefined, "deploy");
            assert.equal(u.exitCode, 1);
            assert.match(u.stderr, /must be run as root/);
        });
    });

    describe("systemctl double", function () {
        it("refuses a unit without a unit file (exit 5) and fails on a host not booted with systemd, as systemctl does", async function () {
            const missing = await ssh(h0, "systemctl start nonexistent");
            assert.equal(missing.exitCode, 5);
            const no = await ssh(h1, "systemctl is-active openvidu");
            assert.equal(no.exitCode, 1);
            assert.match(no.stderr, /not been booted with systemd/);
        });
    });
});

// Self-tests of the test doubles (installer, its HTTPS server, systemctl, docker) on real test hosts.
import { strict as assert } from "assert";
import { shq, TestHost } from "./harness";
import { run, waitFor } from "./harness/sh";
import { ssh, useLab } from "./lab";

describe("test doubles", function () {
    const lab = useLab([{ cpus: 4, memMb: 8192, systemd: true, extraUser: "deploy" }, { systemd: false }]);
    let h0: TestHost, h1: TestHost;
    before(() => {
        [h0, h1] = lab.hosts.hosts;
    });

    describe("installer double server", function () {
        it("serves the installer double over verified HTTPS to hosts", async function () {
            const before = lab.server.requests.length;
            const r = await ssh(h0, `curl -fsS ${lab.installUrl("master")}`);
            assert.equal(r.exitCode, 0, r.stderr);
            assert.match(r.stdout, /^OVHA_DOUBLE_ROLE=master$/m);
            assert.match(r.stdout, /^OVHA_DOUBLE_VERSION=3\.8\.0$/m);
            assert.deepEqual(
                lab.server.requests.slice(before).map((q) => [q.path, q.status, q.remoteAddress]),
                [["/pro/ha/3.8.0/install_ov_master_node.sh", 200, h0.address]],
            );
        });

        it("is not trusted without the test CA, and does not serve plain HTTP", async function () {
            const untrusted = await run("curl", ["-sS", "--cacert", "/etc/ssl/certs/ca-certificates.crt", "--max-time", "5", lab.installUrl("master")]);
            assert.equal(untrusted.exitCode, 60, untrusted.stderr); // peer certificate cannot be authenticated
            const before = lab.server.requests.length;
            const r = await ssh(h0, `curl -sS --max-time 5 ${lab.installUrl("master").replace("https:", "http:")}`);
            assert.notEqual(r.exitCode, 0);
            assert.equal(lab.server.requests.length, before);
        });
    });

    describe("installer double", function () {
        const args = ["--domain-name=openvidu.example.test", "an argument with spaces", `it's "quoted"`, "", "--openvidu-pro-license=LICENSE-123"];
        const stdin = "first line\nsecret from stdin: s3cr3t\n\nno newline at the end";

        it("records argv and stdin exactly and writes the installed layout", async function () {
            const cmd = `curl -fsS ${lab.installUrl("master")} -o /tmp/i.sh && sh /tmp/i.sh ${args.map(shq).join(" ")}`;
            const r = await ssh(h0, cmd, stdin);
            assert.equal(r.exitCode, 0, r.stderr);
            assert.match(r.stdout, /OpenVidu HA 'Master Node' Installation Finished Successfully!/);
            const rec = "/var/log/openvidu-installer-double/001";
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

        it("fails on request, printing its arguments, and refuses non-root", async function () {
            await h1.exec("mkdir -p /etc/openvidu-installer-double && echo fail > /etc/openvidu-installer-double/behaviour");
            const r = await ssh(h1, `curl -fsS ${lab.installUrl("media")} | sh -s -- --x=LEAKME`);
            assert.equal(r.exitCode, 1);
            assert.match(r.stdout, /--x=LEAKME/);
            assert.match(r.stderr, /--x=LEAKME/);
            assert.equal(await h1.fileExists("/var/log/openvidu-installer-double/001/stdin-not-recorded"), true);
            const u = await ssh(h0, `curl -fsS ${lab.installUrl("media")} | sh -s -- --y=1`, undefined, "deploy");
            assert.equal(u.exitCode, 1);
            assert.match(u.stderr, /must be run as root/);
        });
    });

    describe("systemctl and docker doubles", function () {
        it("start the fake OpenVidu only when its unit exists", async function () {
            assert.equal((await ssh(h0, "systemctl start nonexistent")).exitCode, 5);
            const r = await ssh(h0, "systemctl enable --now openvidu && systemctl is-active openvidu && " + "curl -fsS http://127.0.0.1:7880/health/caddy");
            assert.equal(r.exitCode, 0, r.stderr);
            assert.equal(r.stdout, "active\nOK");
            assert.ok(h0.systemctlCalls().includes("enable --now openvidu"));
            const no = await ssh(h1, "systemctl is-active openvidu");
            assert.equal(no.exitCode, 1);
            assert.match(no.stderr, /not been booted with systemd/);
        });

        it("list the containers and drain them after SIGQUIT by id", async function () {
            await h0.exec("mkdir -p /etc/docker-double && echo 1 > /etc/docker-double/drain-seconds");
            const names = await ssh(h0, "docker ps --format '{{.Names}}' | sort");
            assert.equal(names.stdout, "agent-speech-processing\negress\ningress\nopenvidu");
            const agent = await ssh(h0, "docker ps -q --filter label=openvidu-agent=true --filter status=running");
            assert.match(agent.stdout, /^[0-9a-f]{12}$/);
            const running = "docker ps -q --filter name='^openvidu$' --filter name='^egress$' --filter status=running";
            const ids = (await ssh(h0, running)).stdout.split("\n");
            assert.equal(ids.length, 2);
            const started = Date.now();
            assert.equal((await ssh(h0, `docker kill --signal=SIGQUIT ${ids.join(" ")}`)).exitCode, 0);
            assert.equal((await ssh(h0, `${running} | wc -l`)).stdout, "2"); // still draining
            await waitFor("the drain", async () => ((await ssh(h0, running)).stdout === "" ? true : undefined));
            assert.equal((await ssh(h0, running)).stderr, "");
            assert.ok(Date.now() - started >= 900, "exited before the drain delay");
            const state = JSON.parse((await ssh(h0, "docker inspect openvidu")).stdout)[0].State;
            assert.deepEqual([state.Running, state.ExitCode], [false, 0]);
            assert.equal((await ssh(h0, "docker ps -q --filter status=exited | wc -l")).stdout, "2");
        });

        it("serve no health endpoint when told so", async function () {
            await h0.exec("mkdir -p /etc/systemctl-double && echo down > /etc/systemctl-double/openvidu-health");
            const r = await ssh(h0, "systemctl restart openvidu && curl -sS --max-time 2 http://127.0.0.1:7880/");
            assert.equal(r.exitCode, 7, r.stderr); // connection refused
            await h0.exec("rm /etc/systemctl-double/openvidu-health");
        });

        it("on restart: start enabled units, run oneshot units, forget nftables rules", async function () {
            const unit = "[Service]\nType=oneshot\nExecStart=/bin/sh -c 'echo ran > /run/oneshot-ran'\n" + "ExecStart=/usr/sbin/nft add table inet from_unit\n";
            const r = await ssh(h0, "cat > /etc/systemd/system/ovha-test.service && systemctl enable ovha-test && " + "nft add table inet from_shell", unit);
            assert.equal(r.exitCode, 0, r.stderr);
            await h0.restart();
            const after = await ssh(h0, "systemctl is-active openvidu; curl -fsS http://127.0.0.1:7880/; " + "cat /run/oneshot-ran; nft list tables");
            assert.equal(after.stdout, "active\nOK\nran\ntable inet from_unit");
            assert.ok(h0.systemctlCalls().includes("boot: start openvidu.service"));
        });
    });
});

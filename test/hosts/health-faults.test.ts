// The health gate (health.sh, the program's health step) against nodes that answer badly, as real nodes do: an
// HTTP 5xx, a service that comes up late, one that answers each request too slowly. The systemctl double's knob
// (/etc/systemctl-double/openvidu-health) makes the fake OpenVidu behave so; each test has its own host.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { Deployment, failureOutput, KNOBS, setKnob } from "./deployment";
import { useLab } from "./lab";

describe("the health gate against nodes that answer badly (test hosts)", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good]);
    let h: TestHost[];
    let d: Deployment;

    before(async function () {
        h = lab.hosts.hosts;
        d = await Deployment.of(lab, {
            masters: [h[0], h[1], h[2], { address: "10.99.5.1" }],
            media: [{ address: "10.99.5.2" }],
            config: { healthTimeoutSeconds: 30 },
        });
    });

    /** Installs and starts `host` with the health knob set, as the steps before the gate leave it. */
    async function installedAndStarted(host: TestHost, health: string): Promise<void> {
        await setKnob(host, KNOBS.health, health);
        for (const kind of ["install", "start"] as const) {
            const r = await d.run(d.stepOf(host, kind));
            assert.equal(r.exitCode, 0, r.error);
        }
    }
    /** What the endpoint answers now, seen from the host (curl exit code and HTTP status). */
    const probe = async (host: TestHost) =>
        (await host.exec("curl -sS -o /dev/null -w '%{http_code}' --max-time 20 http://127.0.0.1:7880/health/caddy; echo \" $?\"")).stdout.trim();

    it("an HTTP 503 from the node is a failed gate, naming the host and the status (curl -f)", async function () {
        const host = h[0];
        await installedAndStarted(host, "failing");
        // The double answers, with 503: a gate that counted any answer as healthy would pass.
        assert.equal(await probe(host), "503 0");
        const step = d.stepOf(host, "health");
        const r = await d.run(step);
        assert.equal(
            failureOutput(r, step.spec.create),
            "health gate failed on master-1: http://127.0.0.1:7880/health/caddy did not answer within 30s " +
                "(openvidu service: active; last error: curl: (22) The requested URL returned error: 503)",
        );
    });

    it("a node that comes up late is waited for: the gate passes once it answers, after failed polls", async function () {
        const host = h[1];
        // delay 25: the fake OpenVidu starts answering 25 s after `systemctl start`, within the 30 s gate.
        await installedAndStarted(host, "delay 25");
        assert.match(await probe(host), /^000 7$/, "the endpoint answered before the gate ran");
        const r = await d.run(d.stepOf(host, "health"));
        assert.equal(r.exitCode, 0, r.error);
        // Down when the gate began (above), so a pass needs at least one 5 s pause between polls.
        const after = /^health on master-2: http:\/\/127\.0\.0\.1:7880\/health\/caddy answers after (\d+)s$/.exec(r.stdout.trim());
        assert.ok(after, r.stdout);
        assert.ok(Number(after[1]) >= 5, r.stdout);
        assert.equal(await probe(host), "200 0");
    });

    it("a node answering each request slower than the 5 s a poll allows fails the gate (curl --max-time)", async function () {
        const host = h[2];
        // slow-answers 8: every request answered, 200, after 8 s.
        await installedAndStarted(host, "slow-answers 8");
        assert.equal(await probe(host), "200 0");
        const step = d.stepOf(host, "health");
        const r = await d.run(step);
        assert.match(
            failureOutput(r, step.spec.create),
            new RegExp(
                "^health gate failed on master-3: http://127\\.0\\.0\\.1:7880/health/caddy did not answer within 30s " +
                    "\\(openvidu service: active; last error: curl: \\(28\\) Operation timed out after 500\\d milliseconds with 0 bytes received\\)$",
            ),
        );
    });
});

// Health-checked DNS on test hosts: 4 masters installed by the program's commands (host firewall on) and a fifth
// host outside the cluster in the checkers' place. It polls each master exactly as the program configures its
// Cloudflare monitor and its Route 53 health checks (their recorded inputs, not a copy), and must see the master
// whose health endpoint fails, and only that one. The masters are installed once, in `before`; a test that
// breaks one puts it back in `finally`, so each test runs alone and in any order.
import { strict as assert } from "assert";
import { TestHost } from "./harness";
import { Deployment, KNOBS, setKnob } from "./deployment";
import { useLab } from "./lab";

/** One poll as a checker sends it: TLS to ip:port with SNI = host, then GET path with Host = host. */
interface Poll {
    ip: string;
    port: number;
    path: string;
    host: string;
    /** true: the certificate is not validated (Cloudflare allowInsecure; Route 53 never validates) */
    insecure: boolean;
    timeoutSeconds: number;
}

const POLLER = `import socket, ssl, sys
ip, port, path, host, insecure, timeout = sys.argv[1:7]
context = ssl.create_default_context()
if insecure == "true":
    context.check_hostname = False
    context.verify_mode = ssl.CERT_NONE
try:
    with socket.create_connection((ip, int(port)), timeout=float(timeout)) as raw:
        with context.wrap_socket(raw, server_hostname=host) as tls:
            tls.sendall(("GET %s HTTP/1.1\\r\\nHost: %s\\r\\nConnection: close\\r\\n\\r\\n" % (path, host)).encode())
            print(tls.makefile("rb").readline().decode().split()[1])
except Exception as e:
    print("error: " + type(e).__name__)
`;

/** The HTTP status as text, or "error: <what>" when no answer came. */
async function poll(from: TestHost, p: Poll): Promise<string> {
    const r = await from.exec('python3 -c "$1" "$2" "$3" "$4" "$5" "$6" "$7"', {
        args: [POLLER, p.ip, String(p.port), p.path, p.host, String(p.insecure), String(p.timeoutSeconds)],
    });
    assert.equal(r.exitCode, 0, r.stderr);
    return r.stdout.trim();
}

/** What the Cloudflare monitor polls on each pool origin, from the program's recorded inputs; healthy = expectedCodes. */
function cloudflareChecks(d: Deployment): { ip: string; poll: Poll; healthy: (status: string) => boolean }[] {
    const monitor = d.program.inputsOf("dns-monitor");
    const pool = d.program.inputsOf("dns-pool");
    assert.equal(pool.monitor, "dns-monitor-id");
    return (pool.origins as { address: string }[]).map((o) => ({
        ip: o.address,
        poll: {
            ip: o.address,
            port: monitor.port,
            path: monitor.path,
            host: monitor.header.Host[0],
            insecure: monitor.allowInsecure,
            timeoutSeconds: monitor.timeout,
        },
        healthy: (status: string) => status === monitor.expectedCodes,
    }));
}

/** What each Route 53 health check polls; healthy = 2xx or 3xx (Route 53's rule for HTTP(S) checks). */
function route53Checks(d: Deployment): { ip: string; poll: Poll; healthy: (status: string) => boolean }[] {
    return [1, 2, 3, 4].map((i) => {
        const c = d.program.inputsOf(`dns-master-${i}-health`);
        assert.equal(c.type, "HTTPS");
        return {
            ip: c.ipAddress,
            poll: { ip: c.ipAddress, port: c.port, path: c.resourcePath, host: c.fqdn, insecure: true, timeoutSeconds: 4 },
            healthy: (status: string) => /^[23]\d\d$/.test(status),
        };
    });
}

describe("health-checked DNS on test hosts: what the checkers poll", function () {
    const good = { cpus: 4, memMb: 8192 };
    const lab = useLab([good, good, good, good, good]);
    let masters: TestHost[], checker: TestHost, cloudflare: Deployment, route53: Deployment;

    const common = { hostFirewall: true, dnsHealthChecks: true };
    before(async function () {
        masters = lab.hosts.hosts.slice(0, 4);
        checker = lab.hosts.hosts[4]; // outside the cluster, like Cloudflare's and Route 53's checkers
        const media = [{ address: "10.99.4.1" }];
        cloudflare = await Deployment.of(lab, {
            masters,
            media,
            config: {
                ...common,
                dnsProvider: "cloudflare",
                cloudflareZoneId: "023e105f4ecef8ad9ca31a8372d0c353",
                cloudflareAccountId: "0123456789abcdef0123456789abcdef",
                cloudflareCheckRegions: ["WEU"],
                "cloudflare:apiToken": "test-token",
            },
        });
        route53 = await Deployment.of(lab, { masters, media, config: { ...common, dnsProvider: "route53", route53ZoneId: "Z0123456789ABCDEFGHIJ" } });
        await cloudflare.up();
    });

    /** Each master's verdict ("healthy"/"unhealthy: <status>") under each provider's checks. */
    async function verdicts(): Promise<Record<string, string[]>> {
        const judge = async (checks: ReturnType<typeof cloudflareChecks>) =>
            Promise.all(
                checks.map(async (c) => {
                    const status = await poll(checker, c.poll);
                    return c.healthy(status) ? "healthy" : `unhealthy: ${status}`;
                }),
            );
        return { cloudflare: await judge(cloudflareChecks(cloudflare)), route53: await judge(route53Checks(route53)) };
    }
    const all = (...v: string[]) => ({ cloudflare: v, route53: v });

    it("both providers poll the 4 masters' public IPs; the host steps are the same for both", function () {
        assert.deepEqual(
            cloudflareChecks(cloudflare).map((c) => c.ip),
            masters.map((m) => m.address),
        );
        assert.deepEqual(
            route53Checks(route53).map((c) => c.ip),
            masters.map((m) => m.address),
        );
        const steps = (d: Deployment) => d.select().map((s) => [s.name, s.spec]);
        assert.deepEqual(steps(cloudflare), steps(route53));
    });

    /** Puts masters[2] back as the up left it: default health, service running. */
    async function healthy(): Promise<void> {
        await setKnob(masters[2], KNOBS.health, "");
        assert.equal((await masters[2].exec("systemctl restart openvidu")).exitCode, 0);
    }

    it("up with the host firewall: every master's endpoint answers the checkers from outside the cluster", async function () {
        for (const m of masters) assert.equal((await m.exec("nft list table inet openvidu_ha")).exitCode, 0, m.name);
        assert.deepEqual(await verdicts(), all("healthy", "healthy", "healthy", "healthy"));
    });

    it("a master whose health endpoint fails (503) is reported unhealthy, and only that one", async function () {
        await setKnob(masters[2], KNOBS.health, "failing");
        try {
            assert.equal((await masters[2].exec("systemctl restart openvidu")).exitCode, 0);
            assert.deepEqual(await verdicts(), all("healthy", "healthy", "unhealthy: 503", "healthy"));
        } finally {
            await healthy();
        }
    });

    it("a master that stopped serving (nothing on 443) is reported unhealthy; started again, healthy", async function () {
        try {
            assert.equal((await masters[2].exec("systemctl stop openvidu")).exitCode, 0);
            assert.deepEqual(await verdicts(), all("healthy", "healthy", "unhealthy: error: ConnectionRefusedError", "healthy"));
            assert.equal((await masters[2].exec("systemctl start openvidu")).exitCode, 0);
            assert.deepEqual(await verdicts(), all("healthy", "healthy", "healthy", "healthy"));
        } finally {
            await healthy();
        }
    });

    it("with a self-signed certificate the monitor must skip validation: a validating poll fails", async function () {
        const [first] = cloudflareChecks(cloudflare);
        assert.equal(first.poll.insecure, true);
        assert.equal(await poll(checker, { ...first.poll, insecure: false }), "error: SSLCertVerificationError");
    });
});

/**
 * fill_node_addresses (aws-api.sh), run for real with a fake curl answering IMDS: a media node's installer
 * arguments get its private IP, and its public IPv4 only when forceMediaNodePublicIp put the placeholder there.
 */
import * as assert from "assert";
import { execFile } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { NODE_PRIVATE_IP_PLACEHOLDER, NODE_PUBLIC_IP_PLACEHOLDER } from "../../../components/aws/plan/cluster-secret";
import { bootFiles } from "../../../components/aws/plan/user-data";

const FAKES = path.join(__dirname, "fakes");

async function fill(args: string, publicIpv4?: string): Promise<{ code: number; stdout: string; stderr: string; imdsCalls: string }> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-fill-"));
    try {
        fs.writeFileSync(path.join(dir, "aws-api.sh"), bootFiles().find((f) => f.name === "aws-api.sh")!.content);
        if (publicIpv4 !== undefined) fs.writeFileSync(path.join(dir, "public-ipv4"), publicIpv4);
        const script = `. "${dir}/aws-api.sh"; fill_node_addresses "$1" "$2" "$3"`;
        return await new Promise((resolve) => {
            const child = execFile(
                "sh",
                ["-c", script, "fill", NODE_PRIVATE_IP_PLACEHOLDER, "10.0.7.8", NODE_PUBLIC_IP_PLACEHOLDER],
                { env: { PATH: `${FAKES}:${process.env.PATH}`, FAKE_DIR: dir, OPENVIDU_HA_IMDS: "http://169.254.169.254/latest" }, timeout: 20000 },
                (err, stdout, stderr) => {
                    const log = path.join(dir, "curl-argv.log");
                    resolve({
                        code: err ? Number((err as { code?: number }).code ?? 1) : 0,
                        stdout,
                        stderr,
                        imdsCalls: fs.existsSync(log) ? fs.readFileSync(log, "utf8") : "",
                    });
                },
            );
            child.stdin!.end(args);
        });
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

const ARGS = ["P --no-tty", `P --private-ip=${NODE_PRIVATE_IP_PLACEHOLDER}`, "S --redis-password=secret-value"].join("\n") + "\n";
const WITH_PUBLIC = ARGS.replace("S --redis", `P --public-ip=${NODE_PUBLIC_IP_PLACEHOLDER}\nS --redis`);

describe("aws boot: fill_node_addresses", () => {
    it("fills the private IP and asks IMDS nothing when the arguments have no public IP placeholder", async () => {
        const r = await fill(ARGS, "203.0.113.50");
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(r.stdout, "P --no-tty\nP --private-ip=10.0.7.8\nS --redis-password=secret-value\n");
        assert.strictEqual(r.imdsCalls, "");
    });

    it("with forceMediaNodePublicIp, fills the instance's public IPv4 from IMDS", async () => {
        const r = await fill(WITH_PUBLIC, "203.0.113.50\n");
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(r.stdout, "P --no-tty\nP --private-ip=10.0.7.8\nP --public-ip=203.0.113.50\nS --redis-password=secret-value\n");
        assert.match(r.imdsCalls, /meta-data\/public-ipv4/);
        assert.ok(!r.imdsCalls.includes("secret-value"), "the arguments never reach curl's argument list");
    });

    it("fails, printing nothing to install, when the instance has no public IPv4", async () => {
        const r = await fill(WITH_PUBLIC);
        assert.notStrictEqual(r.code, 0);
        assert.strictEqual(r.stdout, "");
        assert.match(r.stderr, /this instance has no public IPv4 address; forceMediaNodePublicIp needs media subnets that assign one/);
    });

    it("fails when IMDS answers something that is not an IPv4 address", async () => {
        const r = await fill(WITH_PUBLIC, "<html>oops</html>");
        assert.notStrictEqual(r.code, 0);
        assert.strictEqual(r.stdout, "");
        assert.match(r.stderr, /public-ipv4 is not an IPv4 address/);
    });
});

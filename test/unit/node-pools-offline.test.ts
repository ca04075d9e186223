/**
 * The on-prem node pools constructed alone (no program) under the offline runtime's mock monitor: which steps each
 * host gets, in which order, how they connect and what they carry. Hosts have configured (or caller-pinned) host
 * keys, so no dynamic resource is made. Literal expected values; nothing computed at load time (see MUTATION.md).
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { MasterNodePool } from "../../components/onprem/master-node-pool";
import { MediaNodePool } from "../../components/onprem/media-node-pool";
import { PoolNode, PoolSettings } from "../../components/onprem/node-provisioning";
import { isWrappedSecret, RecordedResource, runOffline, unwrapWireValue } from "../../tools/offline-runtime";

const KEY = (n: number) => `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${"k".repeat(42)}${n}`;

const settings = (over: Partial<PoolSettings> = {}): PoolSettings => ({
    ssh: { user: "ubuntu", port: 22, dialErrorLimit: 10, perDialTimeout: 15, hostKeyCheck: "first-use" },
    sshPrivateKey: pulumi.secret("PRIVATE-KEY"),
    installerUrl: "https://get.openvidu.io/pro/ha/3.8.0/install_ov_master_node.sh",
    retainDataOnDestroy: true,
    healthTimeoutSeconds: 300,
    drainTimeoutSeconds: 600,
    masterPrivateIps: ["10.5.0.1", "10.5.0.2", "10.5.0.3", "10.5.0.4"],
    ...over,
});

const master = (i: number, firewall?: string): PoolNode => ({
    label: `master-${i}`,
    address: { publicIp: `203.0.113.1${i}`, privateIp: `10.5.0.${i}`, hostKey: KEY(i) },
    installStdin: pulumi.secret(`S --license=LIC-${i}\n`),
    ...(firewall === undefined ? {} : { firewallRuleset: firewall }),
});

/** A resource another step waits for (the masters' health gates, a node's last convergence step). */
class Gate extends pulumi.CustomResource {
    constructor(name: string) {
        super("test:index:Gate", name, {});
    }
}

async function construct(build: () => unknown): Promise<RecordedResource[]> {
    return (await runOffline(build, { project: "openvidu-ha", stack: "test", config: {} })).resources;
}

const byName = (resources: RecordedResource[]) => new Map(resources.map((r) => [r.name, r]));
/** The names of the resources `r` waits for (dependsOn), sorted. */
const waitsFor = (r: RecordedResource) => r.dependsOn.map((urn) => urn.split("::").pop()).sort();
const scriptOf = (r: RecordedResource, field: "create" | "delete") =>
    /^# openvidu-ha (\S+) on (\S+)/
        .exec(r.inputs[field] as string)
        ?.slice(1)
        .join(" on ");

describe("on-prem node pools (constructed alone, offline)", () => {
    it("MasterNodePool refuses any count but 4, naming the pool", async () => {
        await assert.rejects(
            construct(() => new MasterNodePool("masters", { nodes: [master(1), master(2), master(3)], settings: settings() })),
            { message: "MasterNodePool masters: exactly 4 masters are required, got 3" },
        );
    });

    it("MasterNodePool: per master preflight, firewall when given, install, start and health, named masters-<n>-<step>", async () => {
        const resources = await construct(
            () => new MasterNodePool("masters", { nodes: [master(1, "RULESET-1"), master(2), master(3), master(4)], settings: settings() }),
        );
        assert.deepStrictEqual(
            resources.map((r) => `${r.type} ${r.name} ${r.parent?.split("::").pop() ?? "-"}`).sort(),
            [
                "openvidu-ha:onprem:MasterNodePool masters -",
                ...[1, 2, 3, 4].flatMap((i) => [
                    `command:remote:Command masters-${i}-preflight masters`,
                    ...(i === 1 ? ["command:remote:Command masters-1-firewall masters"] : []),
                    `command:remote:Command masters-${i}-install masters`,
                ]),
                ...[1, 2, 3, 4].flatMap((i) => [`command:remote:Command masters-${i}-start masters`, `command:remote:Command masters-${i}-health masters`]),
            ].sort(),
        );
        const r = byName(resources);
        assert.deepStrictEqual(waitsFor(r.get("masters-1-firewall")!), ["masters-1-preflight"]);
        // Every master installs once all four preflights passed (a mistyped master address installs nothing).
        assert.deepStrictEqual(waitsFor(r.get("masters-1-install")!), [
            "masters-1-firewall",
            "masters-1-preflight",
            "masters-2-preflight",
            "masters-3-preflight",
            "masters-4-preflight",
        ]);
        assert.deepStrictEqual(waitsFor(r.get("masters-2-install")!), [
            "masters-1-preflight",
            "masters-2-preflight",
            "masters-3-preflight",
            "masters-4-preflight",
        ]);
        // Every master starts once all four are installed; each health gate follows its own start.
        assert.deepStrictEqual(waitsFor(r.get("masters-3-start")!), ["masters-1-install", "masters-2-install", "masters-3-install", "masters-4-install"]);
        assert.deepStrictEqual(waitsFor(r.get("masters-3-health")!), ["masters-3-start"]);
        assert.deepStrictEqual(
            [scriptOf(r.get("masters-2-install")!, "create"), scriptOf(r.get("masters-2-install")!, "delete")],
            ["install on master-2", "uninstall on master-2"],
        );
        assert.deepStrictEqual(
            [scriptOf(r.get("masters-2-start")!, "create"), scriptOf(r.get("masters-2-start")!, "delete"), scriptOf(r.get("masters-2-health")!, "create")],
            ["start on master-2", "stop on master-2", "health on master-2"],
        );
        assert.strictEqual(scriptOf(r.get("masters-1-firewall")!, "create"), "firewall on master-1");
        assert.strictEqual(scriptOf(r.get("masters-4-preflight")!, "create"), "preflight on master-4");
        assert.match(
            r.get("masters-4-preflight")!.inputs.create as string,
            /sh "\$script" 'master-4' '10\.5\.0\.4' '4' '3600' '10\.5\.0\.1,10\.5\.0\.2,10\.5\.0\.3,10\.5\.0\.4'\n/,
        );
        assert.match(
            r.get("masters-2-install")!.inputs.create as string,
            /'master-2' 'master' 'https:\/\/get\.openvidu\.io\/pro\/ha\/3\.8\.0\/install_ov_master_node\.sh' '-' 'defer'\n/,
        );
        assert.match(r.get("masters-2-install")!.inputs.delete as string, /'master-2' 'retain'\n/);
        assert.match(r.get("masters-2-health")!.inputs.create as string, /'master-2' 'http:\/\/127\.0\.0\.1:7880\/health\/caddy' '300'\n/);
    });

    it("MasterNodePool steps connect to the master's public IP with its configured host key; install stdin is secret", async () => {
        const resources = await construct(() => new MasterNodePool("masters", { nodes: [master(1), master(2), master(3), master(4)], settings: settings() }));
        const install = byName(resources).get("masters-3-install")!;
        const connection = unwrapWireValue(install.inputs.connection, true) as Record<string, unknown>;
        assert.strictEqual(connection.host, "203.0.113.13");
        assert.strictEqual(connection.hostKey, KEY(3));
        assert.strictEqual(connection.user, "ubuntu");
        assert.ok(isWrappedSecret(install.inputs.stdin), "stdin is a secret");
        assert.strictEqual(unwrapWireValue(install.inputs.stdin, true), "S --license=LIC-3\n");
        assert.strictEqual(connection.privateKey, "PRIVATE-KEY");
        for (const r of resources.filter((x) => x.custom)) assert.strictEqual(r.options.deleteBeforeReplace, true, r.name);
    });

    it("MediaNodePool: each node named after its private IP, installed after the masters and its own extra wait, drained on removal", async () => {
        const media = (privateIp: string, over: Partial<PoolNode> = {}): PoolNode => ({
            label: `media-${privateIp.replace(/\./g, "-")}`,
            address: { publicIp: `198.51.100.${privateIp.split(".")[3]}`, privateIp },
            installStdin: "P --public-ip=x\n",
            pinnedHostKey: KEY(9),
            ...over,
        });
        const resources = await construct(() => {
            const gate = new Gate("masters-health");
            const ownLast = new Gate("converge-last");
            return new MediaNodePool("media", {
                nodes: [media("10.5.1.7"), media("10.5.1.8", { firewallRuleset: "R" })],
                settings: settings({ retainDataOnDestroy: false, drainTimeoutSeconds: 900, healthTimeoutSeconds: 120 }),
                installAfter: [gate],
                installAfterNode: new Map([["media-10-5-1-7", ownLast]]),
            });
        });
        const r = byName(resources);
        assert.deepStrictEqual(
            resources
                .filter((x) => x.type === "command:remote:Command")
                .map((x) => x.name)
                .sort(),
            [
                "media-10-5-1-7-preflight",
                "media-10-5-1-7-install",
                "media-10-5-1-7-start",
                "media-10-5-1-7-health",
                "media-10-5-1-8-preflight",
                "media-10-5-1-8-firewall",
                "media-10-5-1-8-install",
                "media-10-5-1-8-start",
                "media-10-5-1-8-health",
            ].sort(),
        );
        assert.deepStrictEqual(waitsFor(r.get("media-10-5-1-7-install")!), ["converge-last", "masters-health", "media-10-5-1-7-preflight"]);
        assert.deepStrictEqual(waitsFor(r.get("media-10-5-1-8-install")!), ["masters-health", "media-10-5-1-8-firewall", "media-10-5-1-8-preflight"]);
        assert.deepStrictEqual(waitsFor(r.get("media-10-5-1-8-start")!), ["media-10-5-1-8-install"]);
        assert.strictEqual((unwrapWireValue(r.get("media-10-5-1-8-install")!.inputs.connection, true) as Record<string, unknown>).hostKey, KEY(9));
        assert.match(r.get("media-10-5-1-7-start")!.inputs.delete as string, /^# openvidu-ha drain on media-10-5-1-7\n[\s\S]*'media-10-5-1-7' '900'\n/);
        assert.match(r.get("media-10-5-1-7-install")!.inputs.delete as string, /'media-10-5-1-7' 'purge'\n/);
        assert.match(r.get("media-10-5-1-7-health")!.inputs.create as string, /'media-10-5-1-7' 'http:\/\/127\.0\.0\.1:7880\/' '120'\n/);
        assert.strictEqual(r.get("media")!.type, "openvidu-ha:onprem:MediaNodePool");
        assert.match(
            r.get("media-10-5-1-7-install")!.inputs.create as string,
            /'media-10-5-1-7' 'media' 'https:\/\/get\.openvidu\.io\/pro\/ha\/3\.8\.0\/install_ov_master_node\.sh' '-' 'defer'\n/,
        );
        // Installer arguments are secret on the way to the host even when the caller passes plain text.
        assert.ok(isWrappedSecret(r.get("media-10-5-1-7-install")!.inputs.stdin), "install stdin is a secret");
        assert.strictEqual(unwrapWireValue(r.get("media-10-5-1-7-install")!.inputs.stdin, true), "P --public-ip=x\n");
    });

    it("MediaNodePool without per-node waits: each install waits for the masters only", async () => {
        const resources = await construct(() => {
            const gate = new Gate("masters-health");
            return new MediaNodePool("media", {
                nodes: [{ label: "media-10-5-1-7", address: { publicIp: "198.51.100.7", privateIp: "10.5.1.7", hostKey: KEY(7) }, installStdin: "P\n" }],
                settings: settings(),
                installAfter: [gate],
            });
        });
        assert.deepStrictEqual(waitsFor(byName(resources).get("media-10-5-1-7-install")!), ["masters-health", "media-10-5-1-7-preflight"]);
    });

    it("a node without hostKey, with sshHostKeyCheck first-use: a HostKeyPin of its own, before any of its steps", async () => {
        const nodes = [1, 2, 3, 4].map((i) => (i === 2 ? { ...master(2), address: { publicIp: "203.0.113.12", privateIp: "10.5.0.2" } } : master(i)));
        const resources = await construct(() => new MasterNodePool("masters", { nodes, settings: settings() }));
        const pins = resources.filter((x) => x.type === "pulumi-nodejs:dynamic:HostKeyPin");
        assert.deepStrictEqual(
            pins.map((p) => p.name),
            ["masters-2-host-key"],
        );
        const { __provider, ...inputs } = pins[0].inputs;
        assert.deepStrictEqual(inputs, { label: "master-2", host: "203.0.113.12", port: 22, dialErrorLimit: 10, perDialTimeout: 15 });
        assert.strictEqual(typeof __provider, "string");
        assert.strictEqual(pins[0].parent?.split("::").pop(), "masters");
        assert.ok(waitsFor(byName(resources).get("masters-2-preflight")!).includes("masters-2-host-key"));
        // With sshHostKeyCheck off, no pin and no host key.
        const off = await construct(() => new MasterNodePool("masters", { nodes, settings: settings({ ssh: { ...settings().ssh, hostKeyCheck: "off" } }) }));
        assert.deepStrictEqual(
            off.filter((x) => x.type === "pulumi-nodejs:dynamic:HostKeyPin"),
            [],
        );
        assert.ok(!("hostKey" in (unwrapWireValue(byName(off).get("masters-2-install")!.inputs.connection, true) as object)));
    });
});

// Network plumbing: one bridge per run in the root namespace, one netns + veth per
// host. Hosts get no default route: they can reach only the bridge subnet (the
// test server on the bridge address and the other hosts), never the outside.
import { runOk, run } from "./sh";
import { names } from "./run-context";

export interface BridgeInfo {
    name: string;
    /** the root namespace's address on the bridge, e.g. 10.213.0.1 */
    address: string;
}

export async function createBridge(rid: string, octet: number): Promise<BridgeInfo> {
    const name = names.bridge(rid);
    const address = `10.213.${octet}.1`;
    await runOk("ip", ["link", "add", name, "type", "bridge"]);
    await runOk("ip", ["addr", "add", `${address}/24`, "dev", name]);
    await runOk("ip", ["link", "set", name, "up"]);
    return { name, address };
}

export async function deleteBridge(rid: string): Promise<void> {
    await run("ip", ["link", "del", names.bridge(rid)]);
}

export async function createHostNetwork(rid: string, i: number, address: string): Promise<string> {
    const ns = names.netns(rid, i);
    const root = names.vethRoot(rid, i);
    const peer = names.vethPeer(rid, i);
    await runOk("ip", ["netns", "add", ns]);
    await runOk("ip", ["link", "add", root, "type", "veth", "peer", "name", peer]);
    await runOk("ip", ["link", "set", peer, "netns", ns]);
    await runOk("ip", ["link", "set", root, "master", names.bridge(rid), "up"]);
    await runOk("ip", ["-n", ns, "link", "set", peer, "name", "eth0"]);
    await runOk("ip", ["-n", ns, "addr", "add", `${address}/24`, "dev", "eth0"]);
    await runOk("ip", ["-n", ns, "link", "set", "eth0", "up"]);
    await runOk("ip", ["-n", ns, "link", "set", "lo", "up"]);
    return ns;
}

export async function deleteHostNetwork(rid: string, i: number): Promise<void> {
    // Veth first: netns destruction is deferred in the kernel, deleting a veth is not.
    await run("ip", ["link", "del", names.vethRoot(rid, i)]);
    await run("ip", ["netns", "del", names.netns(rid, i)]);
}

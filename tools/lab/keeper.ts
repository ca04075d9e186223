// The lab's keeper: a detached process that owns the harness run (test/hosts/harness: hosts in network namespaces
// with their own sshd, the installer doubles over HTTPS), so the hosts outlive `lab up` and other harness runs
// see a live owner (run-context.ts removes only runs whose owner died). SIGTERM (`lab down`) tears it all down.
// Usage (by up.ts): node -r ts-node/register/transpile-only keeper.ts <labDir> <mediaCount> <spareCount>
import * as fs from "fs";
import { startInstallerDoubleServer, startTestHosts, TestHostSpec } from "../../test/hosts/harness";
import { files, LabHost, LabState, procStartTime, writeAtomic } from "./state";

/** Hosts sized like the vendor's minimum (the preflight checks them): 4 CPUs, 8 GiB. */
const HOST: TestHostSpec = { cpus: 4, memMb: 8192 };

async function main(dir: string, mediaCount: number, spareCount: number): Promise<void> {
    const f = files(dir);
    const names = [1, 2, 3, 4]
        .map((i) => `master-${i}`)
        .concat(Array.from({ length: mediaCount }, (_, i) => `media-${i + 1}`))
        .concat(Array.from({ length: spareCount }, (_, i) => `spare-${i + 1}`));
    const hosts = await startTestHosts(names.map((name) => ({ ...HOST, name })));
    const server = await startInstallerDoubleServer({ address: hosts.bridge.address, ca: hosts.ca, dir: hosts.dir });
    let stopping = false;
    const stop = async () => {
        if (stopping) return;
        stopping = true;
        await server.close();
        const left = await hosts.teardown();
        writeAtomic(f.leftovers, JSON.stringify(left));
        process.exit(left.length === 0 ? 0 : 1);
    };
    process.on("SIGTERM", () => void stop());
    process.on("SIGINT", () => void stop());
    writeAtomic(f.privateKey, hosts.privateKey, 0o600);
    fs.copyFileSync(hosts.ca.certPath, f.caCert);
    const state: LabState = {
        keeperPid: process.pid,
        keeperStartTime: procStartTime(process.pid) ?? "",
        runId: hosts.runId,
        runDir: hosts.dir,
        nsIds: hosts.hosts.flatMap((h) => h.nsIds),
        doublesUrl: server.url,
        hosts: hosts.hosts.map((h) => ({
            index: h.index,
            name: h.name,
            role: h.name.replace(/-\d+$/, "") as LabHost["role"],
            address: h.address,
            netns: h.netns,
            dir: h.dir,
            hostKey: h.hostKey(),
        })),
        createdAt: new Date().toISOString(),
    };
    writeAtomic(f.state, JSON.stringify(state, null, 2));
    // Stay alive: the HTTPS server keeps the event loop busy until stop().
}

const [dir, media, spare] = process.argv.slice(2);
main(dir, Number(media), Number(spare)).catch((e) => {
    writeAtomic(files(dir).failed, String(e instanceof Error ? (e.stack ?? e.message) : e));
    process.exit(1);
});

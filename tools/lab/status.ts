// `npm run lab -- status`: the lab's hosts, whether each answers SSH (with its pinned host key), the processes
// running on it (as root, who can read the lab's key) and what the last deploy ran there.
import * as fs from "fs";
import { runRemote } from "../../test/hosts/harness";
import { lastDeploy } from "./deploy";
import { files, keeperAlive, labDir, readState, stackFile } from "./state";

/** Process names a bare lab host runs anyway (its init, sshd, the listing itself). */
const BASE = /^(sh|sleep|sshd|sshd-session|ps|bash)$/;

export async function status(): Promise<boolean> {
    const dir = labDir();
    const state = readState(dir);
    if (!state) {
        console.log(`no lab is up (nothing recorded in ${dir})`);
        return false;
    }
    const alive = keeperAlive(state);
    console.log(`lab run ${state.runId} since ${state.createdAt}: ${alive ? "up" : "DOWN (its keeper is gone: `sudo npm run lab -- down`)"}`);
    console.log(`installer doubles: ${state.doublesUrl}   stack file: ${stackFile()}`);
    const f = files(dir);
    let key: string | undefined;
    try {
        key = fs.readFileSync(f.privateKey, "utf8");
    } catch {
        /* not root: no SSH */
    }
    const last = lastDeploy(dir);
    for (const h of state.hosts) {
        let running = "(run as root to list its processes)";
        if (key && alive) {
            try {
                const r = await runRemote({ host: h.address, port: 22, user: "root", privateKey: key, hostKey: h.hostKey }, "ps -e -o args=");
                const names = [
                    ...new Set(
                        r.stdout
                            .split("\n")
                            .map((s) => s.trim().slice(0, 70))
                            .filter((s) => s && !BASE.test(s.split(" ")[0].split("/").pop() ?? "")),
                    ),
                ];
                running = `ssh ok; running: ${names.length > 0 ? "\n      " + names.join("\n      ") : "nothing but sshd"}`;
            } catch (e) {
                running = `ssh FAILED: ${e instanceof Error ? e.message : String(e)}`;
            }
        }
        console.log(`${h.name.padEnd(10)} ${h.role.padEnd(6)} ${h.address.padEnd(14)} ${running}`);
        for (const l of last?.byHost[h.name] ?? []) console.log(`    last deploy: ${l}`);
    }
    if (!last) console.log("no deploy yet: npm run lab -- deploy");
    else console.log(`last deploy ${last.ok ? "succeeded" : "FAILED"} at ${last.finishedAt}`);
    return alive;
}

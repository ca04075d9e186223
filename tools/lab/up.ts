// `sudo npm run lab -- up [--media N] [--spare N]`: refuses where a lab cannot run, starts the keeper (keeper.ts) detached,
// waits until its hosts answer, then writes the lab's passphrase and stack file.
import { spawn, spawnSync } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as path from "path";
import { files, keeperAlive, labDir, readState, stackFile, writeAtomic } from "./state";
import { labStackFile } from "./stack-file";
import { LabError, ownToInvokingUser } from "./errors";

const TOOLS = ["ip", "unshare", "nsenter", "openssl", "ssh-keygen", "/usr/sbin/sshd"];

/** Why a lab cannot start here, or undefined. */
export function refusal(dir: string, stack: string): string | undefined {
    if (process.getuid?.() !== 0) {
        return "lab up needs root (it creates network namespaces and runs an sshd per host): run `sudo npm run lab -- up`";
    }
    const missing = TOOLS.filter((t) => spawnSync("sh", ["-c", `command -v ${t}`]).status !== 0);
    if (missing.length > 0) return `lab up needs ${missing.join(", ")}: install them with \`sudo bash test/hosts/setup.sh\``;
    const netns = spawnSync("unshare", ["--net", "--mount", "--pid", "--fork", "true"], { encoding: "utf8" });
    if (netns.status !== 0) {
        return `this machine cannot create network namespaces (unshare --net failed: ${(netns.stderr || netns.error?.message || "").trim()}); the lab needs a Linux machine or VM where root may create them`;
    }
    const state = readState(dir);
    if (state && keeperAlive(state)) {
        return `a lab is already up (${state.hosts.length} hosts, since ${state.createdAt}, recorded in ${dir}): \`sudo npm run lab -- down\` first`;
    }
    if (fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
        return `${dir} holds a lab that is not running (its keeper is gone): \`sudo npm run lab -- down\` cleans it up`;
    }
    if (fs.existsSync(stack)) return `${stack} exists: it is the lab's stack file, remove it (or \`sudo npm run lab -- down\`) first`;
    return undefined;
}

export async function up(mediaCount: number, spareCount: number): Promise<void> {
    if (!Number.isInteger(mediaCount) || mediaCount < 1 || mediaCount > 20) throw new LabError("--media must be an integer from 1 to 20");
    if (!Number.isInteger(spareCount) || spareCount < 0 || spareCount > 20) throw new LabError("--spare must be an integer from 0 to 20");
    const dir = labDir();
    const stack = stackFile();
    const why = refusal(dir, stack);
    if (why) throw new LabError(why);
    const f = files(dir);
    fs.mkdirSync(dir, { recursive: true, mode: 0o755 });
    const log = fs.openSync(f.log, "a");
    const keeper = spawn(
        process.execPath,
        ["-r", require.resolve("ts-node/register/transpile-only"), path.join(__dirname, "keeper.ts"), dir, String(mediaCount), String(spareCount)],
        { detached: true, stdio: ["ignore", log, log] },
    );
    fs.closeSync(log);
    let exited: number | null | undefined;
    keeper.on("exit", (code) => {
        exited = code;
    });
    keeper.unref();
    const deadline = Date.now() + 180_000;
    while (!readState(dir)) {
        if (fs.existsSync(f.failed) || exited !== undefined || Date.now() > deadline) {
            const why = fs.existsSync(f.failed) ? fs.readFileSync(f.failed, "utf8") : `see ${f.log}`;
            throw new LabError(`the lab did not start: ${why}\n\`sudo npm run lab -- down\` removes what was made`);
        }
        await new Promise((r) => setTimeout(r, 100));
    }
    const state = readState(dir)!;
    const passphrase = crypto.randomBytes(24).toString("base64url");
    writeAtomic(f.passphrase, passphrase + "\n", 0o600);
    writeAtomic(stack, labStackFile(state, fs.readFileSync(f.privateKey, "utf8"), passphrase), 0o600);
    fs.mkdirSync(path.dirname(f.lastRun), { recursive: true, mode: 0o700 });
    // `deploy` and `pulumi up` run as the user who ran `sudo ... up`: the key, passphrase, stack and runs are theirs.
    ownToInvokingUser([f.passphrase, f.privateKey, stack, path.dirname(f.lastRun)]);
    console.log(`lab up: ${state.hosts.length} hosts (run ${state.runId}), installer doubles at ${state.doublesUrl}`);
    for (const h of state.hosts)
        console.log(
            `  ${h.name.padEnd(10)} ${h.address.padEnd(14)} ssh -i ${f.privateKey} root@${h.address}${h.role === "spare" ? "   (not in the stack: add it to mediaNodes to scale out)" : ""}`,
        );
    console.log(`stack file: ${stack} (host keys pinned, dnsProvider none, secrets under the lab's passphrase)`);
    console.log(`next: npm run lab -- deploy   |   with the Pulumi CLI: export PULUMI_CONFIG_PASSPHRASE_FILE=${f.passphrase}`);
}

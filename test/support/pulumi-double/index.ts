/**
 * A test double of the `pulumi` executable (pulumi-double.js), installed the way the Automation API finds a CLI:
 * `<root>/bin/pulumi`, handed over with `PulumiCommand.get({ root })`. Each double gets its own state and its own
 * project directory (a copy of Pulumi.yaml), so the stack files it writes never touch the repository.
 * `bin/pulumi` is a bash client (client.sh) of a loopback server that this module runs in the test process: each
 * invocation is a process of its own, answered by pulumi-double.js here (see there why).
 */
import * as fs from "fs";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

// eslint-disable-next-line @typescript-eslint/no-require-imports -- plain JavaScript module of this directory
const double = require("./pulumi-double.js") as {
    invoke(
        state: string,
        request: { argv: string[]; env: Record<string, string>; cwd: string; stdin(): Promise<string>; out(text: string): void; err(text: string): void },
    ): Promise<number>;
};
const CLIENT = path.join(__dirname, "client.sh");
const REPO = path.join(__dirname, "..", "..", "..");

/**
 * Reads client.sh's NUL-terminated fields from a connection: cwd, argc, the arguments, NAME=value until "", then
 * answers; a "stdin" request makes the client send its stdin as one more field.
 */
function serve(stateDir: string, socket: net.Socket): void {
    let buffered = Buffer.alloc(0);
    const fields: string[] = [];
    let waiting: ((field: string) => void) | undefined;
    const next = (): Promise<string> => (fields.length > 0 ? Promise.resolve(fields.shift()!) : new Promise((resolve) => (waiting = resolve)));
    socket.on("data", (chunk: Buffer) => {
        buffered = Buffer.concat([buffered, chunk]);
        for (let end = buffered.indexOf(0); end >= 0; end = buffered.indexOf(0)) {
            const field = buffered.subarray(0, end).toString("utf8");
            buffered = buffered.subarray(end + 1);
            if (waiting) {
                const resolve = waiting;
                waiting = undefined;
                resolve(field);
            } else fields.push(field);
        }
    });
    socket.on("error", () => socket.destroy());
    const send = (...parts: string[]) => socket.write(parts.map((p) => `${p}\0`).join(""));
    void (async () => {
        const cwd = await next();
        const argv: string[] = [];
        for (let argc = Number(await next()); argc > 0; argc--) argv.push(await next());
        const env: Record<string, string> = {};
        for (let entry = await next(); entry !== ""; entry = await next()) {
            env[entry.slice(0, entry.indexOf("="))] = entry.slice(entry.indexOf("=") + 1);
        }
        const code = await double.invoke(stateDir, {
            argv,
            env,
            cwd,
            stdin: () => {
                send("stdin");
                return next();
            },
            out: (text) => send("out", text),
            err: (text) => send("err", text),
        });
        send("exit", String(code));
        socket.end();
    })();
}

export interface DoubleScenario {
    /** What `pulumi version` prints. Default 3.260.0 (events over gRPC); 3.205.0 or older: an event log file. */
    version?: string;
    /** Operations that fail at a resource: when the stack's plain config has the `when` values. */
    failures?: { stack?: string; operation?: string; when?: Record<string, string>; resource: string; message: string }[];
    /** The first install step prints the stack's license in its output, as a careless installer would. */
    leakyInstaller?: boolean;
    /**
     * PBKDF2 rounds of the passphrase secrets provider. Default 1,000,000, the CLI's (crypt.go
     * `NewSymmetricCrypterFromPassphrase`): test/unit/automation-stack.test.ts reads such a stack file back with
     * npm run plan's reader. Tests that do not look at the encryption may take fewer (a million rounds cost 0.2 s or
     * more of CPU per stack); the files are then readable only by the double.
     */
    kdfRounds?: number;
}

/** One recorded CLI invocation. */
export interface RecordedCall {
    argv: string[];
    env: Record<string, string>;
    cwd: string;
    /** What the CLI read from stdin (only commands that read it). */
    stdin?: string;
    exitCode: number;
}

export class PulumiDouble {
    private constructor(
        readonly root: string,
        readonly stateDir: string,
        readonly projectDir: string,
        private readonly server: net.Server,
        private readonly listening: Promise<void>,
    ) {}

    static create(scenario: DoubleScenario = {}): PulumiDouble {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-pulumi-double-"));
        const stateDir = path.join(root, "state");
        const projectDir = path.join(root, "project");
        for (const dir of [path.join(root, "bin"), stateDir, projectDir]) fs.mkdirSync(dir);
        fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(stateDir, "scenario.json"), JSON.stringify(scenario));
        const server = net.createServer((socket) => serve(stateDir, socket));
        const listening = new Promise<void>((resolve, reject) => {
            server.once("error", reject);
            server.listen(0, "127.0.0.1", () => {
                const { port } = server.address() as net.AddressInfo;
                fs.writeFileSync(path.join(root, "bin", "pulumi"), `#!/bin/bash\nport=${port}\n. '${CLIENT}'\n`, { mode: 0o755 });
                resolve();
            });
        });
        return new PulumiDouble(root, stateDir, projectDir, server, listening);
    }

    /** The CLI as the Automation API takes it. */
    async command(): Promise<PulumiCommand> {
        await this.listening;
        return PulumiCommand.get({ root: this.root });
    }

    /** Every invocation so far, oldest first. */
    calls(): RecordedCall[] {
        const file = path.join(this.stateDir, "calls.jsonl");
        if (!fs.existsSync(file)) return [];
        return fs
            .readFileSync(file, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as RecordedCall);
    }

    /** Invocations after the first `skip`, as the argument lists. */
    commands(skip = 0): string[][] {
        return this.calls()
            .slice(skip)
            .map((c) => c.argv);
    }

    /** The stack settings file the double wrote (Pulumi.<stack>.yaml). */
    stackFile(stack: string): string {
        return fs.readFileSync(path.join(this.projectDir, `Pulumi.${stack}.yaml`), "utf8");
    }

    remove(): void {
        this.server.close();
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

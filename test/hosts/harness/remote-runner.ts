// Runs a remote.Command-shaped spec against a test host over SSH (npm ssh2).
// This is NOT @pulumi/command: the provider plugin cannot run on this machine. It reproduces what
// @pulumi/command 1.2.1 remote.Command does, read from its source (tag v1.2.1,
// provider/pkg/provider/remote/{connection.go,commandOutputs.go,commandController.go}):
//  - connection {host, port=22, user="root", privateKey | password,
//    dialErrorLimit=10 (-1 = unlimited), perDialTimeout=15 s (0 = no maximum)};
//  - connection.go `dialWithRetry`: a failed dial is retried until `reachedDialingErrorLimit(dials, limit)`,
//    i.e. dials > dialErrorLimit: dialErrorLimit + 1 dials in all, with the SDK's retry.Until pause between
//    them (100 ms, x1.5, at most 5 s); the error then says "after <dials - 1> failed attempts: <last error>";
//  - connection.go `SSHConfig`/`Dial`: perDialTimeout is ssh.ClientConfig.Timeout, which x/crypto/ssh's
//    ssh.Dial applies to the TCP connect only (net.DialTimeout); the SSH handshake after it is not bounded;
//  - one session runs the command string (no pty); `stdin`, when non-empty, is
//    written and stdin is then closed (it is closed at once otherwise);
//  - commandController.go: `update` falls back to `create`; a missing `create` (Create) or `delete` (Delete)
//    runs nothing and dials nothing (runRemoteCommand returns undefined);
//  - before an update or a delete, unless `addPreviousOutputInEnv` is false, the previous
//    stdout/stderr (when not empty) are offered as PULUMI_COMMAND_STDOUT/_STDERR with an SSH
//    `env` request that asks for a reply, as the provider's Setenv does (commandOutputs.go `run`;
//    Create has no previous outputs). A refusal (no AcceptEnv, as on a stock sshd) is the provider's
//    warning, returned in `warnings`; the command still runs;
//  - stdout/stderr lose one trailing newline, like the provider's outputs;
//  - commandOutputs.go `run`: a command that fails (non-zero exit, signal, no exit status) is ONE error,
//    `<ssh.ExitError>: running "<command>":\n<stdout and stderr interleaved as they arrived>`, and no outputs:
//    runRemoteCommand throws CommandFailedError with that message. (`runRemote`, the raw helper tests use to
//    look at hosts, returns the exit code and both streams instead.)
// With `hostKey` the host key is verified as the provider does
// (connection.go SSHConfig: ssh.ParseAuthorizedKey, FixedHostKey, HostKeyAlgorithms =
// [the key's type]; a mismatch is a dial error, retried like any other); without it,
// the host key is not checked (the provider's InsecureIgnoreHostKey).
import * as net from "net";
import { Client, ConnectConfig } from "ssh2";

export interface RemoteConnection {
    host: string;
    port?: number;
    user?: string;
    privateKey?: string;
    password?: string;
    dialErrorLimit?: number;
    /** seconds */
    perDialTimeout?: number;
    /** expected host key, authorized_keys format ("ssh-ed25519 AAAA... [comment]") */
    hostKey?: string;
}

/** The key type (from the key blob itself) and wire bytes of an authorized_keys line; throws on a malformed one. */
function parseHostKey(line: string): { type: string; blob: Buffer } {
    const m = /^\S+ ([A-Za-z0-9+/]+={0,2})(?: .*)?$/.exec(line.trim());
    const blob = m ? Buffer.from(m[1], "base64") : Buffer.alloc(0);
    const typeLength = blob.length >= 4 ? blob.readUInt32BE(0) : 0;
    if (typeLength === 0 || blob.length < 4 + typeLength) {
        throw new Error("failed to parse host key: ssh: no key found");
    }
    return { type: blob.subarray(4, 4 + typeLength).toString(), blob };
}

export interface CommandSpec {
    create?: string;
    update?: string;
    delete?: string;
    stdin?: string;
    /** the provider's default is true (unset) */
    addPreviousOutputInEnv?: boolean;
}

/** stdout/stderr of the resource's last create or update (the provider's state), for updates and deletes */
export interface PreviousOutputs {
    stdout: string;
    stderr: string;
}

export type Operation = "create" | "update" | "delete";

export interface RemoteResult {
    stdout: string;
    stderr: string;
    /** null when the command was ended by a signal (see `signal`) */
    exitCode: number | null;
    signal?: string;
    /** from the first dial to the end of the command */
    durationMs: number;
    dialAttempts: number;
    /** the provider's warnings: an environment variable the server refused */
    warnings: string[];
}

/** The provider's warning when the server refuses a variable (commandOutputs.go `logAndWrapSetenvErr`). */
export function setenvWarning(key: string): string {
    return `Unable to set '${key}'. This only works if your SSH server is configured to accept these variables via AcceptEnv.`;
}

/** Thrown when no dial succeeded. */
export class DialError extends Error {
    /** `attempts` = dials made; the provider's message counts `try`, one less (connection.go `dialWithRetry`) */
    constructor(
        readonly endpoint: string,
        readonly attempts: number,
        readonly lastError: Error,
    ) {
        super(`after ${attempts - 1} failed attempts: ${lastError.message}`);
    }
}

/**
 * Go's %q of an ASCII string (strconv.Quote): JSON's escapes, except that Go writes \x00-style escapes for
 * control characters JSON writes as \u00XX, and \a \v; non-ASCII is kept (Go keeps printable runes).
 */
export function goQuote(s: string): string {
    return JSON.stringify(s).replace(/\\u00([0-1][0-9a-f])/g, (m, hex: string) => {
        const named: Record<string, string> = { "07": "\\a", "0b": "\\v" };
        return named[hex] ?? `\\x${hex}`;
    });
}

/** x/crypto/ssh Waitmsg.String() of an ExitError, or ExitMissingError's text. */
function exitErrorText(exitCode: number | null, signal?: string): string {
    if (exitCode === null && !signal) return "wait: remote command exited without exit status or exit signal";
    return `Process exited with status ${exitCode ?? -1}${signal ? ` from signal ${signal}` : ""}`;
}

/**
 * A command that failed, as the provider reports it (commandOutputs.go `run`): one error holding the command
 * and the combined stdout+stderr; a failed command has no stdout/stderr outputs.
 */
export class CommandFailedError extends Error {
    constructor(
        readonly command: string,
        readonly exitCode: number | null,
        readonly signal: string | undefined,
        /** stdout and stderr interleaved as they arrived (the provider's stdouterrbuf), untrimmed */
        readonly output: string,
        readonly dialAttempts: number,
        readonly warnings: string[],
    ) {
        super(`${exitErrorText(exitCode, signal)}: running ${goQuote(command)}:\n${output}`);
    }
}

/** Thrown when the connection ends before the command reports an exit status (e.g. the host died). */
export class RemoteCommandError extends Error {
    constructor(
        message: string,
        readonly stdout: string,
        readonly stderr: string,
    ) {
        super(message);
    }
}

/** net.DialTimeout: the TCP connect, bounded by `timeoutMs` (0 = no bound). */
function tcpConnect(host: string, port: number, timeoutMs: number): Promise<net.Socket> {
    return new Promise((resolve, reject) => {
        const sock = net.connect({ host, port });
        const timer =
            timeoutMs > 0
                ? setTimeout(() => {
                      sock.destroy();
                      reject(new Error(`dial tcp ${host}:${port}: i/o timeout`));
                  }, timeoutMs)
                : undefined;
        sock.once("connect", () => {
            clearTimeout(timer);
            resolve(sock);
        });
        sock.once("error", (e) => {
            clearTimeout(timer);
            reject(new Error(`dial tcp ${host}:${port}: ${e.message}`));
        });
    });
}

/** One ssh.Dial: the TCP connect bounded by perDialTimeout, then the SSH handshake with no bound. */
async function dialOnce(conn: RemoteConnection, timeoutMs: number): Promise<Client> {
    const sock = await tcpConnect(conn.host, conn.port ?? 22, timeoutMs);
    return new Promise((resolve, reject) => {
        const client = new Client();
        const expected = conn.hostKey === undefined ? undefined : parseHostKey(conn.hostKey);
        let mismatch = false;
        const cfg: ConnectConfig = {
            host: conn.host,
            port: conn.port ?? 22,
            username: conn.user ?? "root",
            privateKey: conn.privateKey,
            password: conn.password,
            sock,
            readyTimeout: 0, // 0: no handshake bound
            ...(expected
                ? {
                      algorithms: { serverHostKey: [expected.type as "ssh-ed25519"] },
                      hostVerifier: (key: Buffer) => !(mismatch = !key.equals(expected.blob)),
                  }
                : {}),
        };
        client.once("ready", () => resolve(client));
        client.on("error", (e) => {
            client.destroy();
            reject(mismatch ? new Error("ssh: handshake failed: ssh: host key mismatch") : e);
        });
        client.once("close", () => reject(new Error("connection closed before the SSH handshake completed")));
        client.connect(cfg);
    });
}

/** Dials with the provider's retry semantics; resolves to the client and the number of dials made. */
export async function dial(conn: RemoteConnection): Promise<{ client: Client; attempts: number }> {
    const limit = conn.dialErrorLimit ?? 10;
    const perDial = conn.perDialTimeout ?? 15;
    const timeoutMs = perDial * 1000; // 0 = no timeout
    let pause = 100;
    if (conn.hostKey !== undefined) parseHostKey(conn.hostKey); // a bad key fails before any dial
    for (let attempt = 1; ; attempt++) {
        try {
            return { client: await dialOnce(conn, timeoutMs), attempts: attempt };
        } catch (e) {
            // connection.go reachedDialingErrorLimit(dials, limit): dials > limit, so limit + 1 dials in all
            if (limit !== -1 && attempt > limit) {
                throw new DialError(`${conn.host}:${conn.port ?? 22}`, attempt, e as Error);
            }
        }
        await new Promise((r) => setTimeout(r, pause));
        pause = Math.min(pause * 1.5, 5000);
    }
}

/**
 * Asks the server to set `key` for the next command with an `env` request that wants a reply (Go's
 * Session.Setenv). ssh2 only sends env requests without a reply on exec, so this asks on a session of its own
 * (its sftp(env) path replies per request); the same server rule (AcceptEnv) answers both. Resolves to true when
 * accepted.
 */
function trySetenv(client: Client, key: string, value: string): Promise<boolean> {
    return new Promise((resolve) => {
        // ssh2's sftp(env, cb); @types/ssh2 declares only sftp(cb)
        const sftpWithEnv = client.sftp.bind(client) as unknown as (
            env: Record<string, string>,
            cb: (e: Error | undefined, s?: { end(): void }) => void,
        ) => void;
        sftpWithEnv({ [key]: value }, (e, sftp) => {
            if (sftp) sftp.end();
            resolve(!e || !/Unable to set environment/.test(e.message));
        });
    });
}

interface SessionResult {
    stdout: string;
    stderr: string;
    /** both streams as they arrived, untrimmed (the provider's stdouterrbuf) */
    combined: string;
    exitCode: number | null;
    signal?: string;
}

function execOnce(client: Client, command: string, stdin: string | undefined, env: Record<string, string> = {}): Promise<SessionResult> {
    return new Promise((resolve, reject) => {
        const out: Buffer[] = [];
        const err: Buffer[] = [];
        const both: Buffer[] = [];
        const text = (b: Buffer[]) => Buffer.concat(b).toString("utf8").replace(/\n$/, "");
        let exit: { exitCode: number | null; signal?: string } | undefined;
        const lost = (why: string) => reject(new RemoteCommandError(`connection lost while running the command (${why})`, text(out), text(err)));
        client.on("error", (e) => lost(e.message));
        client.once("close", () => {
            if (!exit) lost("connection closed");
        });
        client.exec(command, { env }, (e, stream) => {
            if (e) return reject(e);
            stream.on("data", (b: Buffer) => {
                out.push(b);
                both.push(b);
            });
            stream.stderr.on("data", (b: Buffer) => {
                err.push(b);
                both.push(b);
            });
            stream.on("exit", (code: number | null, signal?: string) => {
                exit = { exitCode: code ?? null, signal: signal ?? undefined };
            });
            stream.on("close", () => {
                if (!exit) return lost("no exit status");
                resolve({ stdout: text(out), stderr: text(err), combined: Buffer.concat(both).toString("utf8"), ...exit });
            });
            if (stdin) stream.write(stdin);
            stream.end();
        });
    });
}

/**
 * Runs `command` on the host once, with `stdin`, after dialing like the provider; first offers each of `setenv`
 * (in order) like the provider's Setenv, passing the accepted ones to the command.
 */
export async function runRemote(conn: RemoteConnection, command: string, stdin?: string, setenv: [string, string][] = []): Promise<RemoteResult> {
    const { combined: _, ...r } = await runSession(conn, command, stdin, setenv);
    return r;
}

async function runSession(
    conn: RemoteConnection,
    command: string,
    stdin?: string,
    setenv: [string, string][] = [],
): Promise<RemoteResult & { combined: string }> {
    const started = Date.now();
    const { client, attempts } = await dial(conn);
    try {
        const env: Record<string, string> = {};
        const warnings: string[] = [];
        for (const [key, value] of setenv) {
            if (await trySetenv(client, key, value)) env[key] = value;
            else warnings.push(setenvWarning(key));
        }
        const r = await execOnce(client, command, stdin, env);
        return { ...r, durationMs: Date.now() - started, dialAttempts: attempts, warnings };
    } finally {
        client.end();
    }
}

/**
 * Runs the spec's command for `op` (update falls back to create); undefined if there is none. A failed command
 * throws CommandFailedError, the provider's one error (its exitCode is always 0 otherwise). For an update the
 * spec is the new inputs, for a delete the old state's; `previous` = the outputs of the last create or update.
 */
export async function runRemoteCommand(
    conn: RemoteConnection,
    spec: CommandSpec,
    op: Operation = "create",
    previous?: PreviousOutputs,
): Promise<RemoteResult | undefined> {
    const command = op === "update" ? (spec.update ?? spec.create) : spec[op];
    if (command === undefined) return undefined;
    // commandOutputs.go `run`: Setenv only when AddPreviousOutputInEnv is nil or true and the output is not "".
    const setenv: [string, string][] =
        op === "create" || spec.addPreviousOutputInEnv === false || !previous
            ? []
            : (
                  [
                      ["PULUMI_COMMAND_STDOUT", previous.stdout],
                      ["PULUMI_COMMAND_STDERR", previous.stderr],
                  ] as [string, string][]
              ).filter(([, value]) => value !== "");
    const r = await runSession(conn, command, spec.stdin, setenv);
    if (r.exitCode !== 0) throw new CommandFailedError(command, r.exitCode, r.signal, r.combined, r.dialAttempts, r.warnings);
    const { combined: _, ...result } = r;
    return result;
}

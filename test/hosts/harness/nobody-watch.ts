// Watches, as the unprivileged user `nobody`, what the host scripts keep secret while a step runs: every round
// tries to list each directory and read each file (access(2), as `test -r` does), and reports every one it could.
// The modes a double records are one moment; this covers the whole run, including the instants between a mkdir
// and its chmod.
import { TestHost } from "./test-host";
import { waitFor } from "./sh";

/** Where our scripts keep secrets (directories) and their files, by name (a 0700 directory hides its listing). */
export const SECRET_PATHS = [
    "/run/openvidu-ha",
    "/var/lib/openvidu-ha",
    "/var/log/openvidu-ha",
    "/run/openvidu-ha/installer-args",
    "/run/openvidu-ha/installer-output",
    "/var/lib/openvidu-ha/salt",
    "/var/lib/openvidu-ha/applied",
    "/var/lib/openvidu-ha/installed",
    "/var/lib/openvidu-ha/installing",
];

export interface NobodyWatch {
    /** "list <dir>" or "read <file>" for everything nobody could reach at some round, deduplicated */
    reached: string[];
    /** rounds completed while the watched promise ran (at least 1 when it overlapped the run) */
    rounds: number;
}

const WATCH = `
stop=$1; shift
: > "$stop.started"
n=0
while [ ! -e "$stop" ]; do
    for f in "$@" /run/openvidu-ha/* /var/lib/openvidu-ha/* /var/log/openvidu-ha/* /var/lib/openvidu-ha/*/* /var/lib/openvidu-ha/*/*/*; do
        if [ -d "$f" ]; then
            if ls "$f" >/dev/null 2>&1; then echo "list $f"; fi
        elif [ -r "$f" ]; then
            echo "read $f"
        fi
    done
    n=$((n + 1))
done
echo "rounds $n"
`;

/** Runs `during` while `nobody` tries to reach the secret paths on `host`; resolves to what it reached. */
export async function watchAsNobody<T>(host: TestHost, during: () => Promise<T>): Promise<{ result: T; watch: NobodyWatch }> {
    const stop = `/tmp/ovha-nobody-watch-${process.pid}-${Date.now()}`;
    const watcher = host.exec(WATCH, { user: "nobody", args: [stop, ...SECRET_PATHS], timeoutMs: 30 * 60_000 });
    await waitFor("the nobody watcher to start", async () => ((await host.fileExists(`${stop}.started`)) ? true : undefined), 30_000);
    let result: T;
    try {
        result = await during();
    } finally {
        await host.exec('touch "$1"', { args: [stop] });
    }
    const r = await watcher;
    await host.exec('rm -f "$1" "$1.started"', { args: [stop] });
    if (r.exitCode !== 0) throw new Error(`nobody watcher failed (${r.exitCode}): ${r.stderr}`);
    const lines = r.stdout.split("\n").filter(Boolean);
    const rounds = Number(/^rounds (\d+)$/.exec(lines.pop() ?? "")?.[1] ?? NaN);
    return { result, watch: { reached: [...new Set(lines)].sort(), rounds } };
}

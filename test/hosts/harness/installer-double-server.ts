// HTTPS server on the run's bridge address that serves the installer TEST DOUBLE
// (fixtures/installer-double) where the vendor serves the real installers:
//   https://get.openvidu.io/pro/ha/<version>/install_ov_master_node.sh  (real)
//   https://<bridge>:<port>/pro/ha/<version>/install_ov_master_node.sh  (this double)
// Its certificate is signed by the run's test CA, which the hosts trust.
import * as fs from "fs";
import * as https from "https";
import * as path from "path";
import { AddressInfo } from "net";
import { issueServerCert, TestCa } from "./test-ca";

const DOUBLE = path.join(__dirname, "..", "fixtures", "installer-double", "install_ov_node.sh");
const ROUTE = /^\/pro\/ha\/([A-Za-z0-9._-]+)\/install_ov_(master|media)_node\.sh$/;
// The updater double (fixtures/updater-double) where the vendor serves https://get.openvidu.io/update/<VERSION>/update.sh
// (update-new.sh for the intermediate steps 3.1.0 .. 3.6.1).
const UPDATER = path.join(__dirname, "..", "fixtures", "updater-double", "update.sh");
const UPDATER_ROUTE = /^\/update\/([0-9]+\.[0-9]+\.[0-9]+)\/update(-new)?\.sh$/;

export interface RecordedRequest {
    method: string;
    /** request path including any query string */
    path: string;
    status: number;
    remoteAddress: string;
}

export interface InstallerDoubleServer {
    /** base URL, e.g. https://10.213.0.1:40123 (in place of https://get.openvidu.io) */
    url: string;
    /** every request received, in order */
    requests: RecordedRequest[];
    /** Answers `status` (with an empty body) to paths starting with `prefix`, e.g. to simulate a 404 or 500. */
    failPath(prefix: string, status: number): void;
    close(): Promise<void>;
}

/** The script served for `role` and `version`: the double with its two marker lines filled in. */
export function installerDoubleScript(role: "master" | "media", version: string): string {
    return fs
        .readFileSync(DOUBLE, "utf8")
        .replace(/^OVHA_DOUBLE_ROLE=$/m, `OVHA_DOUBLE_ROLE=${role}`)
        .replace(/^OVHA_DOUBLE_VERSION=$/m, `OVHA_DOUBLE_VERSION=${version}`);
}

/** The updater served for `version`: the double with its version line filled in. */
export function updaterDoubleScript(version: string): string {
    return fs.readFileSync(UPDATER, "utf8").replace(/^OVHA_DOUBLE_VERSION=$/m, `OVHA_DOUBLE_VERSION=${version}`);
}

export async function startInstallerDoubleServer(opts: { address: string; ca: TestCa; dir: string }): Promise<InstallerDoubleServer> {
    const cert = await issueServerCert(opts.ca, opts.address, opts.dir);
    const requests: RecordedRequest[] = [];
    const failures = new Map<string, number>();
    const server = https.createServer(
        {
            cert: fs.readFileSync(cert.certPath),
            key: fs.readFileSync(cert.keyPath),
        },
        (req, res) => {
            const urlPath = req.url ?? "";
            const pathOnly = urlPath.split("?")[0];
            const fail = [...failures].find(([prefix]) => pathOnly.startsWith(prefix));
            const m = ROUTE.exec(pathOnly);
            const u = UPDATER_ROUTE.exec(pathOnly);
            let status = 404;
            let body = "not found (installer test double server)\n";
            if (fail) {
                status = fail[1];
                body = "";
            } else if (m && req.method === "GET") {
                status = 200;
                body = installerDoubleScript(m[2] as "master" | "media", m[1]);
            } else if (u && req.method === "GET") {
                status = 200;
                body = updaterDoubleScript(u[1]);
            }
            requests.push({ method: req.method ?? "", path: urlPath, status, remoteAddress: req.socket.remoteAddress ?? "" });
            res.writeHead(status, { "Content-Type": "text/x-sh", "Content-Length": Buffer.byteLength(body) });
            res.end(body);
        },
    );
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, opts.address, () => resolve());
    });
    const port = (server.address() as AddressInfo).port;
    return {
        url: `https://${opts.address}:${port}`,
        requests,
        failPath: (prefix, status) => {
            failures.set(prefix, status);
        },
        close: () =>
            new Promise<void>((resolve) => {
                server.closeAllConnections();
                server.close(() => resolve());
            }),
    };
}

/** Real PEM key/certificate pairs made with openssl, once per test process. */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

export interface PemPair {
    key: string;
    cert: string;
}

const cache = new Map<string, PemPair>();

/** A self-signed EC P-256 key and certificate for `cn`; the same pair for the same cn within one run. */
export function pemPair(cn: string): PemPair {
    const cached = cache.get(cn);
    if (cached) {
        return cached;
    }
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-test-pem-"));
    try {
        execFileSync(
            "openssl",
            [
                "req",
                "-x509",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
                "-nodes",
                "-days",
                "2",
                "-subj",
                `/CN=${cn}`,
                "-keyout",
                path.join(dir, "key.pem"),
                "-out",
                path.join(dir, "cert.pem"),
            ],
            { stdio: "ignore" },
        );
        const pair = { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
        cache.set(cn, pair);
        return pair;
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

// A throwaway CA per run (openssl), whose certificate the hosts trust instead of
// the machine's CA bundle, and server certificates for IP addresses signed by it.
import * as fs from "fs";
import * as path from "path";
import { runOk } from "./sh";

export interface TestCa {
    certPath: string;
    keyPath: string;
}

export interface ServerCert {
    certPath: string;
    keyPath: string;
}

const EC = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes"];

export async function createTestCa(dir: string): Promise<TestCa> {
    const certPath = path.join(dir, "test-ca.crt");
    const keyPath = path.join(dir, "test-ca.key");
    await runOk("openssl", [
        "req",
        "-x509",
        ...EC,
        "-keyout",
        keyPath,
        "-out",
        certPath,
        "-days",
        "2",
        "-subj",
        "/CN=openvidu-ha test hosts CA (test only)",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
    ]);
    return { certPath, keyPath };
}

/** Issues a certificate whose only name is the IP address `ip` (as an IP SAN). */
export async function issueServerCert(ca: TestCa, ip: string, dir: string): Promise<ServerCert> {
    const keyPath = path.join(dir, `server-${ip}.key`);
    const csrPath = path.join(dir, `server-${ip}.csr`);
    const certPath = path.join(dir, `server-${ip}.crt`);
    const extPath = path.join(dir, `server-${ip}.ext`);
    fs.writeFileSync(
        extPath,
        [`subjectAltName=IP:${ip}`, "basicConstraints=critical,CA:FALSE", "keyUsage=critical,digitalSignature", "extendedKeyUsage=serverAuth", ""].join("\n"),
    );
    await runOk("openssl", ["req", ...EC, "-keyout", keyPath, "-out", csrPath, "-subj", `/CN=${ip}`]);
    await runOk("openssl", [
        "x509",
        "-req",
        "-in",
        csrPath,
        "-CA",
        ca.certPath,
        "-CAkey",
        ca.keyPath,
        "-CAcreateserial",
        "-out",
        certPath,
        "-days",
        "2",
        "-extfile",
        extPath,
    ]);
    return { certPath, keyPath };
}

/**
 * Turns a stack settings file (Pulumi.<stack>.yaml) into the config map the Pulumi CLI would hand the program,
 * without the CLI: values as strings (lists and objects as JSON), `secure:` values replaced by placeholders that
 * stay secret, and every key Pulumi.yaml declares secret treated as secret even when given in plain text.
 */
import * as childProcess from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { parse } from "yaml";

export interface StackConfig {
    project: string;
    stack: string;
    /** Full keys ("openvidu-ha:domain") to values as the CLI passes them. */
    config: Record<string, string>;
    secretKeys: string[];
}

interface ProjectFile {
    name: string;
    config?: Record<string, { secret?: boolean } | unknown>;
}

export function readProjectFile(projectDir: string): ProjectFile {
    const file = path.join(projectDir, "Pulumi.yaml");
    return parse(fs.readFileSync(file, "utf8")) as ProjectFile;
}

/** Full keys that Pulumi.yaml declares `secret: true`. */
export function declaredSecretKeys(project: ProjectFile): string[] {
    return Object.entries(project.config ?? {})
        .filter(([, schema]) => typeof schema === "object" && schema !== null && (schema as { secret?: boolean }).secret === true)
        .map(([key]) => `${project.name}:${key}`);
}

let throwawayPem: { key: string; cert: string } | undefined;

/** A throwaway self-signed pair, so owncert placeholders pass the program's PEM checks. */
function placeholderPem(): { key: string; cert: string } {
    if (!throwawayPem) {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-plan-"));
        try {
            childProcess.execFileSync("openssl", [
                "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
                "-subj", "/CN=placeholder.invalid", "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
            ], { stdio: "ignore" });
            throwawayPem = { key: fs.readFileSync(path.join(dir, "key.pem"), "utf8"), cert: fs.readFileSync(path.join(dir, "cert.pem"), "utf8") };
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    }
    return throwawayPem;
}

/** A value for a `secure:` entry that passes the program's format checks for that key. */
export function placeholderFor(fullKey: string): string {
    const key = fullKey.slice(fullKey.indexOf(":") + 1);
    if (key === "sshPrivateKey") {
        return "-----BEGIN OPENSSH PRIVATE KEY-----\nplaceholder\n-----END OPENSSH PRIVATE KEY-----\n";
    }
    if (/OwnCertPrivateKey$|^ownCertPrivateKey$/.test(key)) {
        return placeholderPem().key;
    }
    if (/OwnCertPublicKey$|^ownCertPublicKey$/.test(key)) {
        return placeholderPem().cert;
    }
    return `placeholder-${key.replace(/[^A-Za-z0-9]/g, "-")}`.padEnd(16, "0");
}

function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** Reads `file` (a Pulumi.<stack>.yaml) for the project in `projectDir`. */
export function readStackConfig(projectDir: string, file: string, stack: string): StackConfig {
    const project = readProjectFile(projectDir);
    const settings = (parse(fs.readFileSync(file, "utf8")) ?? {}) as { config?: Record<string, unknown> };
    const config: Record<string, string> = {};
    const secretKeys = new Set(declaredSecretKeys(project));
    for (const [rawKey, value] of Object.entries(settings.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
        const secure = typeof value === "object" && value !== null && "secure" in value;
        config[key] = secure ? placeholderFor(key) : asConfigString(value);
        if (secure) {
            secretKeys.add(key);
        }
    }
    return { project: project.name, stack, config, secretKeys: [...secretKeys].filter((k) => k in config).sort() };
}

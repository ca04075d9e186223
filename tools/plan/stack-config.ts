/**
 * Turns a stack settings file (Pulumi.<stack>.yaml) into the config map the Pulumi CLI would hand the program,
 * without the CLI: values as strings (lists and objects as JSON), `secure:` values replaced by placeholders that
 * stay secret, and every key Pulumi.yaml declares secret treated as secret even when given in plain text.
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError } from "../../components/config/validate";

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

/**
 * A fixed, public, self-signed pair (CN=placeholder.invalid, EC P-256, valid until 2126) so owncert placeholders
 * pass the program's PEM checks and every plan of the same file is identical. It protects nothing: never deploy it.
 */
const PLACEHOLDER_PEM = {
    key: [
        "-----BEGIN PRIVATE KEY-----",
        "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzxLFmPm2LLY6ITw9",
        "qZqL+CrGRp/BnZsJkKJ+0TAwphqhRANCAAQBUFXtTJj0OwOl5HanMRBDzcZcVZs8",
        "HgSUBa/rkPWFQQFCtgazLM29y0c7gyf0IebiLe6uXT9xmwJyry5zUYGG",
        "-----END PRIVATE KEY-----",
    ].join("\n") + "\n",
    cert: [
        "-----BEGIN CERTIFICATE-----",
        "MIIBkzCCATmgAwIBAgIUHp6aKPJft2+EynO7jJhQiTuByEEwCgYIKoZIzj0EAwIw",
        "HjEcMBoGA1UEAwwTcGxhY2Vob2xkZXIuaW52YWxpZDAgFw0yNjExMjIwMzQxNDBa",
        "GA8yMTI2MTAyOTAzNDE0MFowHjEcMBoGA1UEAwwTcGxhY2Vob2xkZXIuaW52YWxp",
        "ZDBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABAFQVe1MmPQ7A6XkdqcxEEPNxlxV",
        "mzweBJQFr+uQ9YVBAUK2BrMszb3LRzuDJ/Qh5uIt7q5dP3GbAnKvLnNRgYajUzBR",
        "MB0GA1UdDgQWBBRd32o4KVxEZQKPSPBzhppc47nT7jAfBgNVHSMEGDAWgBRd32o4",
        "KVxEZQKPSPBzhppc47nT7jAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0gA",
        "MEUCIQDldYgVhLaxiOxhbw8w+9oNjjYL8Uq7ZXkvJ6aT97ApbQIgZ8pdCT6oHSgR",
        "kPu8i3DjbqHZ+xTnjDf55EflVhE4bOg=",
        "-----END CERTIFICATE-----",
    ].join("\n") + "\n",
};

/** A value for a `secure:` entry that passes the program's format checks for that key. */
export function placeholderFor(fullKey: string): string {
    const key = fullKey.slice(fullKey.indexOf(":") + 1);
    if (key === "sshPrivateKey") {
        return "-----BEGIN OPENSSH PRIVATE KEY-----\nplaceholder\n-----END OPENSSH PRIVATE KEY-----\n";
    }
    if (/OwnCertPrivateKey$|^ownCertPrivateKey$/.test(key)) {
        return PLACEHOLDER_PEM.key;
    }
    if (/OwnCertPublicKey$|^ownCertPublicKey$/.test(key)) {
        return PLACEHOLDER_PEM.cert;
    }
    return `placeholder-${key.replace(/[^A-Za-z0-9]/g, "-")}`.padEnd(16, "0");
}

function asConfigString(value: unknown): string {
    return typeof value === "string" ? value : typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
}

/** Reads `file` (a Pulumi.<stack>.yaml) for the project in `projectDir`. */
export function readStackConfig(projectDir: string, file: string, stack: string): StackConfig {
    const project = readProjectFile(projectDir);
    let settings: { config?: Record<string, unknown> };
    try {
        settings = (parse(fs.readFileSync(file, "utf8")) ?? {}) as typeof settings;
    } catch (err) {
        // A syntax error is a config problem (exit 1, like the CLI's own refusal), not a failure of the tool (exit 2).
        if (err instanceof Error && err.name === "YAMLParseError") throw new ConfigError([`${file}: is not valid YAML: ${err.message}`]);
        throw err;
    }
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

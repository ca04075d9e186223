/**
 * Turns a stack settings file (Pulumi.<stack>.yaml) into the config the Pulumi CLI would hand the program,
 * without the CLI: values as strings (lists and objects as JSON), `secure:` values decrypted with the stack's
 * passphrase when the file has an `encryptionsalt` and PULUMI_CONFIG_PASSPHRASE(_FILE) is set, else replaced by
 * placeholders that stay secret; then the CLI's stack config rules (../offline-runtime/cli-config.ts).
 */
import * as fs from "fs";
import * as path from "path";
import { parse } from "yaml";
import { ConfigError } from "../../components/config/validate";
import { applyCliConfigRules, CliConfigError, fullKey, ProjectFile, readProjectFile, StackValue } from "../offline-runtime/cli-config";
import { decryptValue, keyForStack, passphraseFromEnv } from "../offline-runtime/passphrase";

export interface StackConfig {
    project: string;
    stack: string;
    /** Full keys ("openvidu-ha:domain") to values as the CLI passes them. */
    config: Record<string, string>;
    secretKeys: string[];
    /** How `secure:` values were read, for the plan's header. */
    secrets: string;
}

export interface ReadStackOptions {
    /** Environment for the passphrase (default process.env). */
    env?: NodeJS.ProcessEnv;
    /** Pulumi.yaml's contents (default: read from the project directory). */
    project?: ProjectFile;
}

/**
 * A fixed, public, self-signed pair (CN=placeholder.invalid, EC P-256, valid until 2126) so owncert placeholders
 * pass the program's PEM checks and every plan of the same file is identical. It protects nothing: never deploy it.
 */
const PLACEHOLDER_PEM = {
    key:
        [
            "-----BEGIN PRIVATE KEY-----",
            "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgzxLFmPm2LLY6ITw9",
            "qZqL+CrGRp/BnZsJkKJ+0TAwphqhRANCAAQBUFXtTJj0OwOl5HanMRBDzcZcVZs8",
            "HgSUBa/rkPWFQQFCtgazLM29y0c7gyf0IebiLe6uXT9xmwJyry5zUYGG",
            "-----END PRIVATE KEY-----",
        ].join("\n") + "\n",
    cert:
        [
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
export function placeholderFor(configKey: string): string {
    const key = configKey.slice(configKey.indexOf(":") + 1);
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

type SecureReader = (key: string, ciphertext: string) => string;

/** How this file's `secure:` values are read: decrypted with the passphrase, or placeholders (and why). */
function secureReader(file: string, encryptionSalt: unknown, env: NodeJS.ProcessEnv): { read: SecureReader; secrets: string } {
    const placeholders = (why: string) => ({ read: (key: string) => placeholderFor(key), secrets: `placeholders (${why})` });
    if (typeof encryptionSalt !== "string") {
        return placeholders(`no encryptionsalt in ${file}`);
    }
    const passphrase = passphraseFromEnv(env);
    if (!passphrase) {
        return placeholders("PULUMI_CONFIG_PASSPHRASE and PULUMI_CONFIG_PASSPHRASE_FILE are not set");
    }
    const key = keyForStack(passphrase, encryptionSalt);
    return {
        read: (name, ciphertext) => {
            try {
                return decryptValue(key, ciphertext);
            } catch (err) {
                throw new CliConfigError([`validating stack config: could not decrypt configuration key '${name}': ${(err as Error).message}`]);
            }
        },
        secrets: `decrypted with ${passphrase.source}`,
    };
}

/**
 * Reads `file` (a Pulumi.<stack>.yaml) for the project in `projectDir` and applies the CLI's rules. Throws
 * CliConfigError (what the CLI refuses) or IncorrectPassphraseError.
 */
export function readStackConfig(projectDir: string, file: string, stack: string, options: ReadStackOptions = {}): StackConfig {
    const project = options.project ?? readProjectFile(projectDir);
    let settings: { config?: Record<string, unknown>; encryptionsalt?: unknown };
    try {
        settings = (parse(fs.readFileSync(file, "utf8")) ?? {}) as typeof settings;
    } catch (err) {
        // A syntax error is a config problem (exit 1, like the CLI's own refusal), not a failure of the tool (exit 2).
        if (err instanceof Error && err.name === "YAMLParseError") throw new ConfigError([`${file}: is not valid YAML: ${err.message}`]);
        throw err;
    }
    const { read, secrets } = secureReader(path.basename(file), settings.encryptionsalt, options.env ?? process.env);
    const values = new Map<string, StackValue>();
    for (const [rawKey, value] of Object.entries(settings.config ?? {})) {
        const key = fullKey(project.name, rawKey);
        const secure = typeof value === "object" && value !== null && !Array.isArray(value) && "secure" in value;
        const text = secure ? read(key, String(value.secure)) : asConfigString(value);
        values.set(key, { value: text, secure, object: !secure && typeof value === "object" && value !== null });
    }
    const { config, secretKeys } = applyCliConfigRules(project, stack, values);
    return { project: project.name, stack, config, secretKeys, secrets };
}

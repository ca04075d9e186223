/**
 * Reads the stack config from the Pulumi runtime, validates it and wraps every secret value as a Pulumi secret.
 * This is the only place that sees secret config values as plain strings.
 */
import * as pulumi from "@pulumi/pulumi";
import { CONFIG_KEYS, SECRET_CONFIG_KEYS } from "./keys";
import { LoadedConfig, PemPair, SecretInputs, SecretValues } from "./settings";
import { validateConfig } from "./validate";

/** Config of the project namespace, keys without the `<project>:` prefix. */
export function projectConfig(project = pulumi.getProject()): Record<string, string> {
    const prefix = `${project}:`;
    const all = pulumi.runtime.allConfig();
    return Object.fromEntries(
        Object.entries(all)
            .filter(([k]) => k.startsWith(prefix))
            .map(([k, v]) => [k.slice(prefix.length), v]),
    );
}

/** Namespaces this program's stacks may hold: its own and its providers'. */
const KNOWN_NAMESPACES = ["aws", "cloudflare", "command", "random", "pulumi"];

/** Keys under any other namespace, most likely a misspelled project name ("openvidu:domain"). */
export function foreignConfigKeys(project = pulumi.getProject()): string[] {
    return Object.keys(pulumi.runtime.allConfig()).filter((k) => {
        const namespace = k.slice(0, k.indexOf(":"));
        return namespace !== project && !KNOWN_NAMESPACES.includes(namespace);
    });
}

function hasCloudflareToken(): boolean {
    return pulumi.runtime.getConfig("cloudflare:apiToken") !== undefined || !!process.env.CLOUDFLARE_API_TOKEN;
}

/** The AWS provider's region, as it resolves it: aws:region, then AWS_REGION, then AWS_DEFAULT_REGION. */
function awsRegion(): string | undefined {
    return pulumi.runtime.getConfig("aws:region") ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION;
}

/** Provider keys that hold secrets, besides the project's own secret keys. */
const PROVIDER_SECRET_KEYS = ["cloudflare:apiToken"];

/**
 * Secret keys given in plain text in the stack file (no `secure:`): the value sits unencrypted in the file and in
 * version control. (Where Pulumi.yaml declares a key `secret: true` the CLI itself refuses the plain value first.)
 * `isConfigSecret` is the SDK's own record of the keys the CLI passed as secrets (runtime/config.ts, @internal).
 */
export function plainTextSecretKeys(project = pulumi.getProject()): string[] {
    const { isConfigSecret } = require("@pulumi/pulumi/runtime/config") as { isConfigSecret: (key: string) => boolean };
    const given = pulumi.runtime.allConfig();
    const keys = [...SECRET_CONFIG_KEYS.map((k) => `${project}:${k}`), ...PROVIDER_SECRET_KEYS];
    return keys.filter((k) => given[k] !== undefined && !isConfigSecret(k));
}

function plainTextWarning(fullKey: string, project: string): string {
    const key = fullKey.startsWith(`${project}:`) ? fullKey.slice(project.length + 1) : fullKey;
    const how = key in CONFIG_KEYS && CONFIG_KEYS[key as keyof typeof CONFIG_KEYS].type !== "string" ? "--path " : "";
    return `${key}: is a secret but the stack file holds it in plain text; encrypt it: pulumi config set ${how}--secret ${key} <value>`;
}

function wrap(values: SecretValues): SecretInputs {
    const s = (v: string) => pulumi.secret(v);
    const pair = (p?: PemPair<string>) => (p ? { privateKeyPem: s(p.privateKeyPem), publicKeyPem: s(p.publicKeyPem) } : undefined);
    return {
        license: s(values.license),
        credentialOverrides: Object.fromEntries(Object.entries(values.credentialOverrides).map(([k, v]) => [k, s(v)])),
        sshPrivateKey: values.sshPrivateKey === undefined ? undefined : s(values.sshPrivateKey),
        ownCert: pair(values.ownCert),
        turnOwnCert: pair(values.turnOwnCert),
        zerosslApiKey: values.zerosslApiKey === undefined ? undefined : s(values.zerosslApiKey),
    };
}

/** Loads and validates the stack config; throws ConfigError with every problem before any resource exists. */
export function loadConfig(): LoadedConfig {
    const { settings, secretValues, warnings } = validateConfig(projectConfig(), {
        hasCloudflareToken: hasCloudflareToken(),
        foreignKeys: foreignConfigKeys(),
        awsRegion: awsRegion(),
    });
    const project = pulumi.getProject();
    for (const w of [...plainTextSecretKeys(project).map((k) => plainTextWarning(k, project)), ...warnings]) {
        void pulumi.log.warn(w);
    }
    return { settings, secrets: wrap(secretValues) };
}

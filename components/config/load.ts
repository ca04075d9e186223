/**
 * Reads the stack config from the Pulumi runtime, validates it and wraps every secret value as a Pulumi secret.
 * This is the only place that sees secret config values as plain strings.
 */
import * as pulumi from "@pulumi/pulumi";
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

function wrap(values: SecretValues): SecretInputs {
    const s = (v: string) => pulumi.secret(v);
    const pair = (p?: PemPair<string>) => (p ? { privateKeyPem: s(p.privateKeyPem), publicKeyPem: s(p.publicKeyPem) } : undefined);
    return {
        license: s(values.license),
        credentialOverrides: Object.fromEntries(Object.entries(values.credentialOverrides).map(([k, v]) => [k, s(v!)])),
        sshPrivateKey: values.sshPrivateKey === undefined ? undefined : s(values.sshPrivateKey),
        ownCert: pair(values.ownCert),
        turnOwnCert: pair(values.turnOwnCert),
        zerosslApiKey: values.zerosslApiKey === undefined ? undefined : s(values.zerosslApiKey),
    };
}

/** Loads and validates the stack config; throws ConfigError with every problem before any resource exists. */
export function loadConfig(): LoadedConfig {
    const { settings, secretValues } = validateConfig(projectConfig(), {
        hasCloudflareToken: hasCloudflareToken(),
        foreignKeys: foreignConfigKeys(),
    });
    return { settings, secrets: wrap(secretValues) };
}

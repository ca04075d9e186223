/**
 * Reads installer arguments back from what install.sh receives on stdin ("S --flag=value" / "P --flag"), as install.sh
 * passes them to the installer: without a media node's "H --flag=<sha256>" lines (the masters' settings by hash).
 */
import { CREDENTIAL_KEYS, CredentialKey } from "../../components/core/types";

export interface ParsedArg {
    flag: string;
    value?: string;
    secret: boolean;
}

export function parseInstallerStdin(stdin: string): ParsedArg[] {
    assertEndsWithNewline(stdin);
    return stdin
        .slice(0, -1)
        .split("\n")
        .filter((line) => !/^H --[a-z0-9-]+=[0-9a-f]{64}$/.test(line))
        .map((line) => {
            const m = /^([SP]) (--[a-z0-9-]+)(?:=(.*))?$/.exec(line);
            if (!m) {
                throw new Error(`malformed installer stdin line: ${line}`);
            }
            return { flag: m[2], value: m[3], secret: m[1] === "S" };
        });
}

function assertEndsWithNewline(stdin: string): void {
    if (!stdin.endsWith("\n")) {
        throw new Error("installer stdin must end with a newline");
    }
}

/** "--mongo-admin-user" → "mongoAdminUser", the config key naming rule for credentials. */
export function camelCaseOfFlag(flag: string): string {
    return flag.replace(/^--/, "").replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

/** A distinct, valid override for every credential, recognisable in outputs. */
export function credentialOverrides(tag: string, keys: readonly CredentialKey[] = CREDENTIAL_KEYS): Record<string, string> {
    return Object.fromEntries(keys.map((k) => [k, `${tag}-${k}-value`]));
}

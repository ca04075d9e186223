/**
 * Values as the mock monitor receives them: secrets and resource references arrive wrapped in objects tagged
 * with the SDK's special signature key.
 */
export const SIGNATURE_KEY = "4dabf18193072939515e22adb298388d";
export const SECRET_SIGNATURE = "1b47061264138c4ac30d75fd1eb44270";
export const RESOURCE_SIGNATURE = "5cf8f73096256a8f31e491e813e4eb8e";
export const SECRET_PLACEHOLDER = "[secret]";

function tagged(value: unknown, signature: string): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && (value as Record<string, unknown>)[SIGNATURE_KEY] === signature;
}

export function isWrappedSecret(value: unknown): value is { value: unknown } {
    return tagged(value, SECRET_SIGNATURE);
}

/**
 * Plain JSON from wire values: secrets become "[secret]" (or their value with showSecrets), resource references
 * their URN.
 */
export function unwrapWireValue(value: unknown, showSecrets: boolean): unknown {
    if (isWrappedSecret(value)) {
        return showSecrets ? unwrapWireValue(value.value, true) : SECRET_PLACEHOLDER;
    }
    if (tagged(value, RESOURCE_SIGNATURE)) {
        return (value as { urn: string }).urn;
    }
    if (Array.isArray(value)) {
        return value.map((v) => unwrapWireValue(v, showSecrets));
    }
    if (typeof value === "object" && value !== null) {
        return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, unwrapWireValue(v, showSecrets)]));
    }
    return value;
}

/** True when a wire value holds a secret anywhere inside it. */
export function containsSecret(value: unknown): boolean {
    if (isWrappedSecret(value)) {
        return true;
    }
    if (Array.isArray(value)) {
        return value.some(containsSecret);
    }
    if (typeof value === "object" && value !== null) {
        return Object.values(value).some(containsSecret);
    }
    return false;
}

/** Valid stack configs to start tests from; tests override single keys to probe one rule at a time. */

export const SSH_KEY_PLACEHOLDER = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----\n";

export const ONPREM_SECRET_KEYS = ["license", "sshPrivateKey", "cloudflare:apiToken"];

export function onpremConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        target: "onprem",
        domain: "openvidu.example.com",
        license: "TEST-LICENSE-0123456789",
        certificateType: "selfsigned",
        masterNodes: [1, 2, 3, 4].map((i) => ({ publicIp: `203.0.113.${10 + i}`, privateIp: `10.5.0.${i}` })),
        mediaNodes: [1, 2].map((i) => ({ publicIp: `198.51.100.${20 + i}`, privateIp: `10.5.1.${i}` })),
        sshPrivateKey: SSH_KEY_PLACEHOLDER,
        cloudflareZoneId: "023e105f4ecef8ad9ca31a8372d0c353",
        "cloudflare:apiToken": "test-cloudflare-token",
        ...overrides,
    };
}

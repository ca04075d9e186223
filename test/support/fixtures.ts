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

export const AWS_SECRET_KEYS = ["license", "cloudflare:apiToken"];

/** A valid AWS stack: 4 master subnets in 4 zones (see the getSubnet mock), 2 media subnets, Cloudflare CNAMEs. */
export function awsConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
    return {
        target: "aws",
        "aws:region": "eu-west-1",
        domain: "openvidu.example.com",
        license: "TEST-LICENSE-0123456789",
        vpcId: "vpc-0a1b2c3d4e5f60718",
        masterSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002", "subnet-0a1b2c3d4e5f60003", "subnet-0a1b2c3d4e5f60004"],
        mediaSubnetIds: ["subnet-0a1b2c3d4e5f60001", "subnet-0a1b2c3d4e5f60002"],
        certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555",
        cloudflareZoneId: "023e105f4ecef8ad9ca31a8372d0c353",
        "cloudflare:apiToken": "test-cloudflare-token",
        ...overrides,
    };
}

/** Links into the AWS console for the outputs. */

const CONSOLE_HOST: Record<string, string> = {
    aws: "console.aws.amazon.com",
    "aws-cn": "console.amazonaws.cn",
    "aws-us-gov": "console.amazonaws-us-gov.com",
};

/** The Secrets Manager console page of a secret (the vendor's only output, ServicesAndCredentials). */
export function secretConsoleUrl(partition: string, region: string, secretName: string): string {
    const host = CONSOLE_HOST[partition] ?? CONSOLE_HOST.aws;
    return `https://${region}.${host}/secretsmanager/secret?name=${encodeURIComponent(secretName)}&region=${region}`;
}

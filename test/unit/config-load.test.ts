/**
 * loadConfig and its helpers on the SDK's own config store (runtime/config.ts setAllConfig, as the language host
 * fills it from PULUMI_CONFIG and PULUMI_CONFIG_SECRET_KEYS), without running the program: the project namespace,
 * foreign namespaces, plain-text secrets, warnings and every secret value wrapped as a Pulumi secret.
 */
import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { foreignConfigKeys, loadConfig, plainTextSecretKeys, projectConfig } from "../../components/config/load";
import { ConfigError } from "../../components/config/validate";
import { SSH_KEY_PLACEHOLDER } from "../support/fixtures";
import { pemPair } from "../support/pem";

// The SDK's store (runtime/state.ts getStore, internal): saved and restored around each test.
const { getStore } = require("@pulumi/pulumi/runtime/state") as {
    getStore: () => { config: Record<string, string | undefined>; settings: { options: { project?: string } } };
};

const BASE: Record<string, string> = {
    "openvidu-ha:target": "onprem",
    "openvidu-ha:domain": "openvidu.example.com",
    "openvidu-ha:license": "TEST-LICENSE-0123456789",
    "openvidu-ha:certificateType": "selfsigned",
    "openvidu-ha:masterNodes": JSON.stringify(
        [1, 2, 3, 4].map((i) => ({ publicIp: `203.0.113.${10 + i}`, privateIp: `10.5.0.${i}`, hostKey: "ssh-ed25519 AAAAC3Nz" })),
    ),
    "openvidu-ha:mediaNodes": JSON.stringify([{ publicIp: "198.51.100.21", privateIp: "10.5.1.1", hostKey: "ssh-ed25519 AAAAC3Nz" }]),
    "openvidu-ha:sshPrivateKey": SSH_KEY_PLACEHOLDER,
    "openvidu-ha:dnsProvider": "none",
};
const SECRET = ["openvidu-ha:license", "openvidu-ha:sshPrivateKey"];

const isSecret = (o: pulumi.Output<unknown>): Promise<boolean> => (o as unknown as { isSecret: Promise<boolean> }).isSecret;
const valueOf = <T>(o: pulumi.Output<T>): Promise<T> => new Promise((resolve) => o.apply(resolve));

describe("config loading from the SDK's config store", () => {
    let saved: { config: Record<string, string | undefined>; project?: string; warn: typeof pulumi.log.warn; env: Record<string, string | undefined> };
    let warnings: string[];
    const ENV = ["CLOUDFLARE_API_TOKEN", "AWS_REGION", "AWS_DEFAULT_REGION"];

    beforeEach(() => {
        const store = getStore();
        saved = {
            config: { ...store.config },
            project: store.settings.options.project,
            warn: pulumi.log.warn,
            env: Object.fromEntries(ENV.map((k) => [k, process.env[k]])),
        };
        store.settings.options.project = "openvidu-ha";
        ENV.forEach((k) => delete process.env[k]);
        warnings = [];
        (pulumi.log as { warn: (msg: string) => Promise<void> }).warn = (msg: string) => {
            warnings.push(msg);
            return Promise.resolve();
        };
    });

    afterEach(() => {
        const store = getStore();
        store.config = saved.config;
        store.settings.options.project = saved.project;
        (pulumi.log as { warn: typeof pulumi.log.warn }).warn = saved.warn;
        for (const [k, v] of Object.entries(saved.env)) {
            if (v === undefined) delete process.env[k];
            else process.env[k] = v;
        }
    });

    it("reads the project's keys without their namespace, and only those", () => {
        pulumi.runtime.setAllConfig({ ...BASE, "aws:region": "eu-west-1", "openvidu-hax:domain": "x" }, SECRET);
        const config = projectConfig("openvidu-ha");
        assert.strictEqual(config.domain, "openvidu.example.com");
        assert.strictEqual(config.target, "onprem");
        assert.ok(!("region" in config) && !("aws:region" in config));
        assert.strictEqual(Object.keys(config).length, Object.keys(BASE).length);
    });

    it("names keys of unknown namespaces; the project's and its providers' are known", () => {
        pulumi.runtime.setAllConfig(
            {
                ...BASE,
                "aws:region": "x",
                "cloudflare:apiToken": "x",
                "command:a": "x",
                "random:a": "x",
                "pulumi:tags": "x",
                "openvidu:domain": "x",
                "ovha:x": "y",
            },
            SECRET,
        );
        assert.deepStrictEqual(foreignConfigKeys("openvidu-ha"), ["openvidu:domain", "ovha:x"]);
    });

    it("finds secret keys given in plain text, the Cloudflare token included", () => {
        pulumi.runtime.setAllConfig({ ...BASE, "openvidu-ha:zerosslApiKey": "z", "cloudflare:apiToken": "t" }, ["openvidu-ha:sshPrivateKey"]);
        assert.deepStrictEqual(plainTextSecretKeys("openvidu-ha"), ["openvidu-ha:license", "openvidu-ha:zerosslApiKey", "cloudflare:apiToken"]);
        pulumi.runtime.setAllConfig(BASE, SECRET);
        assert.deepStrictEqual(plainTextSecretKeys("openvidu-ha"), []);
    });

    it("loads valid config: settings, every secret wrapped, no warning when keys are pinned and secrets encrypted", async () => {
        const cert = pemPair("openvidu.example.com");
        pulumi.runtime.setAllConfig(
            {
                ...BASE,
                "openvidu-ha:certificateType": "owncert",
                "openvidu-ha:ownCertPrivateKey": cert.key,
                "openvidu-ha:ownCertPublicKey": cert.cert,
                "openvidu-ha:redisPassword": "redis-password-1",
            },
            [...SECRET, "openvidu-ha:ownCertPrivateKey", "openvidu-ha:ownCertPublicKey", "openvidu-ha:redisPassword"],
        );
        const { settings, secrets } = loadConfig();
        assert.deepStrictEqual(warnings, []);
        assert.strictEqual(settings.domain, "openvidu.example.com");
        assert.strictEqual(settings.target, "onprem");
        const outputs: [pulumi.Output<string>, string][] = [
            [secrets.license, "TEST-LICENSE-0123456789"],
            [secrets.sshPrivateKey!, SSH_KEY_PLACEHOLDER],
            [secrets.ownCert!.privateKeyPem, cert.key],
            [secrets.ownCert!.publicKeyPem, cert.cert],
            [secrets.credentialOverrides.redisPassword!, "redis-password-1"],
        ];
        for (const [output, value] of outputs) {
            assert.strictEqual(await isSecret(output), true);
            assert.strictEqual(await valueOf(output), value);
        }
        assert.deepStrictEqual(Object.keys(secrets.credentialOverrides), ["redisPassword"]);
        assert.strictEqual(secrets.turnOwnCert, undefined);
        assert.strictEqual(secrets.zerosslApiKey, undefined);
    });

    it("warns about plain-text secrets with the command that encrypts them (--path for lists), then the settings' warnings", () => {
        const { masterNodes: _m, ...rest } = BASE;
        pulumi.runtime.setAllConfig(
            {
                ...rest,
                "openvidu-ha:masterNodes": JSON.stringify([1, 2, 3, 4].map((i) => ({ publicIp: `203.0.113.${10 + i}`, privateIp: `10.5.0.${i}` }))),
                "openvidu-ha:certificateType": "zerossl",
                "openvidu-ha:zerosslApiKey": "zerossl-key",
                "cloudflare:apiToken": "t",
            },
            ["openvidu-ha:sshPrivateKey"],
        );
        const { secrets } = loadConfig();
        assert.deepStrictEqual(warnings, [
            "license: is a secret but the stack file holds it in plain text; encrypt it: pulumi config set --secret license <value>",
            "zerosslApiKey: is a secret but the stack file holds it in plain text; encrypt it: pulumi config set --secret zerosslApiKey <value>",
            "cloudflare:apiToken: is a secret but the stack file holds it in plain text; encrypt it: pulumi config set --secret cloudflare:apiToken <value>",
            "sshHostKeyCheck: no hostKey for masterNodes[0], masterNodes[1], masterNodes[2], masterNodes[3]: each one's SSH host key is recorded at the first connection and required from then on; compare the recorded keys (pulumi stack output masterNodes, mediaNodes) with the hosts' own and set hostKey",
        ]);
        assert.ok(secrets.zerosslApiKey !== undefined);
        assert.strictEqual(secrets.ownCert, undefined);
    });

    it("refuses before anything else: the Cloudflare token and the AWS region come from config or the environment", () => {
        pulumi.runtime.setAllConfig(
            { ...BASE, "openvidu-ha:dnsProvider": "cloudflare", "openvidu-ha:cloudflareZoneId": "023e105f4ecef8ad9ca31a8372d0c353" },
            SECRET,
        );
        assert.throws(
            () => loadConfig(),
            (err: ConfigError) => err instanceof ConfigError && err.problems.length === 1 && err.problems[0].startsWith("cloudflare:apiToken: "),
        );
        process.env.CLOUDFLARE_API_TOKEN = "from-env";
        assert.strictEqual(loadConfig().settings.dns.provider, "cloudflare");
    });

    it("counts cloudflare:apiToken in the stack config as the token", () => {
        pulumi.runtime.setAllConfig(
            {
                ...BASE,
                "openvidu-ha:dnsProvider": "cloudflare",
                "openvidu-ha:cloudflareZoneId": "023e105f4ecef8ad9ca31a8372d0c353",
                "cloudflare:apiToken": "t",
            },
            [...SECRET, "cloudflare:apiToken"],
        );
        assert.strictEqual(loadConfig().settings.dns.provider, "cloudflare");
    });

    it("AWS: the region from aws:region, else AWS_REGION, else AWS_DEFAULT_REGION; no SSH key secret", () => {
        const arn = "arn:aws:acm:eu-west-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
        const aws = {
            "openvidu-ha:target": "aws",
            "openvidu-ha:domain": "openvidu.example.com",
            "openvidu-ha:license": "TEST-LICENSE-0123456789",
            "openvidu-ha:vpcId": "vpc-0a1b2c3d4e5f60718",
            "openvidu-ha:masterSubnetIds": JSON.stringify(["subnet-0a1b2c3d4e5f60001"]),
            "openvidu-ha:mediaSubnetIds": JSON.stringify(["subnet-0a1b2c3d4e5f60001"]),
            "openvidu-ha:certificateArn": arn,
            "openvidu-ha:dnsProvider": "none",
        };
        const regionProblem = (region: string) =>
            `certificateArn: is in eu-west-1, but the stack deploys to ${region} (aws:region): the load balancer takes certificates of its own region`;
        const problems = () => {
            try {
                loadConfig();
                return [];
            } catch (err) {
                return [...(err as ConfigError).problems];
            }
        };
        pulumi.runtime.setAllConfig({ ...aws, "aws:region": "us-east-1" }, ["openvidu-ha:license"]);
        process.env.AWS_REGION = "eu-west-1";
        assert.deepStrictEqual(problems(), [regionProblem("us-east-1")]);
        pulumi.runtime.setAllConfig(aws, ["openvidu-ha:license"]);
        process.env.AWS_REGION = "us-west-2";
        process.env.AWS_DEFAULT_REGION = "eu-west-1";
        assert.deepStrictEqual(problems(), [regionProblem("us-west-2")]);
        delete process.env.AWS_REGION;
        process.env.AWS_DEFAULT_REGION = "ap-south-1";
        assert.deepStrictEqual(problems(), [regionProblem("ap-south-1")]);
        process.env.AWS_DEFAULT_REGION = "eu-west-1";
        const { settings, secrets } = loadConfig();
        assert.strictEqual(settings.target, "aws");
        assert.strictEqual(secrets.sshPrivateKey, undefined);
    });

    it("reports keys under a foreign namespace", () => {
        pulumi.runtime.setAllConfig({ ...BASE, "openvidu:domain": "x" }, SECRET);
        assert.throws(
            () => loadConfig(),
            (err: ConfigError) =>
                JSON.stringify(err.problems) === JSON.stringify(["openvidu:domain: unknown config namespace 'openvidu' (project keys are openvidu-ha:<key>)"]),
        );
    });
});

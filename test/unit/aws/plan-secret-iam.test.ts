/** The cluster secret's document (vendor keys, installer inputs) and the node roles' policies. */
import * as assert from "assert";
import { releaseLineOf } from "../../../components/core/release-lines";
import {
    ClusterSecretInput,
    clusterSecretDocument,
    mediaSecretDocument,
    NODE_PRIVATE_IP_PLACEHOLDER,
    NODE_PUBLIC_IP_PLACEHOLDER,
} from "../../../components/aws/plan/cluster-secret";
import { parseInstallerStdin } from "../../support/installer-args";
import { templateArgs, VENDOR_3_8_AWS_MASTER_ARGS, VENDOR_3_8_AWS_MEDIA_ARGS } from "../../support/vendor-3-8-commands";
import { masterPolicy, mediaBootPolicy, mediaLifecyclePolicy, PolicyDocument, sessionManagerPolicy } from "../../../components/aws/plan/iam-policies";
import { iamDecision } from "./iam-evaluation";
import { clusterSecretInput } from "./cluster-secret-input";

/** Vendor facts 1.3, OpenViduSharedInfo: the 30 keys of the vendor's secret. */
const VENDOR_KEYS = [
    "OPENVIDU_URL",
    "MEET_INITIAL_ADMIN_USER",
    "MEET_INITIAL_ADMIN_PASSWORD",
    "MEET_INITIAL_API_KEY",
    "LIVEKIT_URL",
    "LIVEKIT_API_KEY",
    "LIVEKIT_API_SECRET",
    "DASHBOARD_URL",
    "GRAFANA_URL",
    "MINIO_URL",
    "DOMAIN_NAME",
    "OPENVIDU_PRO_LICENSE",
    "OPENVIDU_RTC_ENGINE",
    "REDIS_PASSWORD",
    "MONGO_ADMIN_USERNAME",
    "MONGO_ADMIN_PASSWORD",
    "MONGO_REPLICA_SET_KEY",
    "MINIO_ACCESS_KEY",
    "MINIO_SECRET_KEY",
    "DASHBOARD_ADMIN_USERNAME",
    "DASHBOARD_ADMIN_PASSWORD",
    "GRAFANA_ADMIN_USERNAME",
    "GRAFANA_ADMIN_PASSWORD",
    "ENABLED_MODULES",
    "MASTER_NODE_1_PRIVATE_IP",
    "MASTER_NODE_2_PRIVATE_IP",
    "MASTER_NODE_3_PRIVATE_IP",
    "MASTER_NODE_4_PRIVATE_IP",
    "OPENVIDU_VERSION",
    "ALL_SECRETS_GENERATED",
];

/** The secret tests' stacks pin the media installer's digest. */
const input = (version: string, overrides: Partial<ClusterSecretInput> = {}) =>
    clusterSecretInput(version, { installerSha256: { media: "ab".repeat(32) }, ...overrides });

const lines = (text: string) => text.trimEnd().split("\n");

describe("aws plan: cluster secret document", () => {
    it("holds every vendor key, with the vendor's values for URLs, users and the master IPs (3.8)", () => {
        const doc = clusterSecretDocument(input("3.8.0"));
        for (const key of VENDOR_KEYS) {
            assert.ok(key in doc, key);
        }
        assert.strictEqual(doc.OPENVIDU_URL, "https://openvidu.example.com/");
        assert.strictEqual(doc.LIVEKIT_URL, "wss://openvidu.example.com/");
        assert.strictEqual(doc.MEET_INITIAL_ADMIN_USER, "admin");
        assert.strictEqual(doc.LIVEKIT_API_SECRET, "value-of-livekitApiSecret");
        assert.strictEqual(doc.OPENVIDU_PRO_LICENSE, "LICENSE-123");
        assert.strictEqual(doc.ENABLED_MODULES, "observability,v2compatibility,openviduMeet");
        assert.strictEqual(doc.MASTER_NODE_3_PRIVATE_IP, "10.0.3.10");
        assert.strictEqual(doc.OPENVIDU_VERSION, "3.8.0");
        assert.strictEqual(doc.ALL_SECRETS_GENERATED, "true");
        assert.ok(Object.values(doc).every((v) => typeof v === "string"));
    });

    it("keeps the 3.0 line's OpenVidu Call credentials under their flag names and marks Meet keys none", () => {
        const doc = clusterSecretDocument(input("3.0.0"));
        assert.strictEqual(doc.DEFAULT_APP_USER, "value-of-defaultAppUser");
        assert.strictEqual(doc.DEFAULT_APP_ADMIN_PASSWORD, "value-of-defaultAppAdminPassword");
        assert.strictEqual(doc.MEET_INITIAL_ADMIN_USER, "none");
        assert.strictEqual(doc.MEET_INITIAL_API_KEY, "none");
        for (const key of VENDOR_KEYS) {
            assert.ok(key in doc, key);
        }
    });

    it("carries the master installer lines: environment aws, external load balancer, no certificate flags", () => {
        for (const version of ["3.0.0", "3.8.0"]) {
            const args = lines(clusterSecretDocument(input(version)).OPENVIDU_HA_INSTALLER_ARGS_MASTER);
            assert.ok(
                args.every((l) => /^[SP] --/.test(l)),
                version,
            );
            assert.ok(args.includes("P --environment=aws"), version);
            assert.ok(args.includes("P --external-load-balancer"), version);
            assert.ok(args.includes("P --master-node-private-ip-list=10.0.1.10,10.0.2.10,10.0.3.10,10.0.4.10"), version);
            assert.ok(args.includes("S --openvidu-pro-license=LICENSE-123"), version);
            assert.ok(!args.some((l) => l.includes("--certificate-type")), version);
        }
    });

    describe("3.8: the vendor template's installer arguments, flag for flag", () => {
        // What each of the template's variables is in our input (credentials are value-of-<key>).
        const VARIABLES: Record<string, string> = {
            $MASTER_NODE_PRIVATE_IP_LIST: "10.0.1.10,10.0.2.10,10.0.3.10,10.0.4.10",
            $OPENVIDU_PRO_LICENSE: "LICENSE-123",
            $DOMAIN: "openvidu.example.com",
            $ENABLED_MODULES: "observability,v2compatibility,openviduMeet",
            $OPENVIDU_RTC_ENGINE: "pion",
            $PRIVATE_IP: NODE_PRIVATE_IP_PLACEHOLDER,
        };
        const expected = (block: string) =>
            templateArgs(block).map(({ flag, value }) => {
                const key = flag.slice(2).replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
                const resolved = value === undefined || !value.startsWith("$") ? value : (VARIABLES[value] ?? `value-of-${key}`);
                return `${flag}${resolved === undefined ? "" : `=${resolved}`}`;
            });
        const actual = (text: string) => parseInstallerStdin(text).map((a) => `${a.flag}${a.value === undefined ? "" : `=${a.value}`}`);
        // The program's shared preamble puts --environment after --node-role, the template before --deployment-type.
        const environmentLast = (args: string[]) => [
            ...args.filter((a) => a !== "--environment=aws"),
            ...(args.includes("--environment=aws") ? ["--environment=aws"] : []),
        ];
        const inOrder = (args: string[]) => environmentLast(args).join(" ");

        it("masters: the template's arguments in the template's order (--environment aside)", () => {
            assert.strictEqual(
                inOrder(actual(clusterSecretDocument(input("3.8.0")).OPENVIDU_HA_INSTALLER_ARGS_MASTER)),
                inOrder(expected(VENDOR_3_8_AWS_MASTER_ARGS)),
            );
        });

        it("media nodes: the template's arguments (order aside: --environment follows the preamble)", () => {
            const media = actual(mediaSecretDocument(input("3.8.0")).OPENVIDU_HA_INSTALLER_ARGS_MEDIA);
            assert.deepStrictEqual([...media].sort(), [...expected(VENDOR_3_8_AWS_MEDIA_ARGS)].sort());
        });

        it("additionalInstallerFlags go to masters only, appended as the template appends AdditionalInstallFlags", () => {
            const doc = clusterSecretDocument(input("3.8.0", { additionalInstallerFlags: ["--force-utc-timezone", "--x=1"] }));
            const mediaDoc = mediaSecretDocument(input("3.8.0", { additionalInstallerFlags: ["--force-utc-timezone", "--x=1"] }));
            const master = actual(doc.OPENVIDU_HA_INSTALLER_ARGS_MASTER);
            assert.deepStrictEqual(master.slice(-2), ["--force-utc-timezone", "--x=1"]);
            assert.strictEqual(inOrder(master.slice(0, -2)), inOrder(expected(VENDOR_3_8_AWS_MASTER_ARGS)));
            assert.deepStrictEqual([...actual(mediaDoc.OPENVIDU_HA_INSTALLER_ARGS_MEDIA)].sort(), [...expected(VENDOR_3_8_AWS_MEDIA_ARGS)].sort());
        });

        it("forceMediaNodePublicIp: media nodes get --public-ip with a placeholder boot fills from IMDS, masters the force switch", () => {
            const doc = clusterSecretDocument(input("3.8.0", { forceMediaNodePublicIp: true }));
            const media = actual(mediaSecretDocument(input("3.8.0", { forceMediaNodePublicIp: true })).OPENVIDU_HA_INSTALLER_ARGS_MEDIA);
            assert.deepStrictEqual(
                media.filter((a) => !expected(VENDOR_3_8_AWS_MEDIA_ARGS).includes(a)),
                [`--public-ip=${NODE_PUBLIC_IP_PLACEHOLDER}`],
            );
            const master = actual(doc.OPENVIDU_HA_INSTALLER_ARGS_MASTER);
            assert.deepStrictEqual(
                master.filter((a) => !expected(VENDOR_3_8_AWS_MASTER_ARGS).includes(a)),
                ["--force-media-node-public-ip"],
            );
        });
    });

    it("leaves a placeholder for the media node's own private IP (3.8) that boot fills in", () => {
        const media38 = lines(mediaSecretDocument(input("3.8.0")).OPENVIDU_HA_INSTALLER_ARGS_MEDIA);
        assert.ok(media38.includes(`P --private-ip=${NODE_PRIVATE_IP_PLACEHOLDER}`));
        assert.ok(media38.includes("S --redis-password=value-of-redisPassword"));
        const media30 = lines(mediaSecretDocument(input("3.0.0")).OPENVIDU_HA_INSTALLER_ARGS_MEDIA);
        assert.ok(!media30.some((l) => l.includes("--private-ip")));
        assert.ok(media30.includes("P --environment=aws"));
    });

    it("names the pinned installer per role over HTTPS, with the checksum or '-', each in its role's secret", () => {
        const doc = clusterSecretDocument(input("3.8.0"));
        const media = mediaSecretDocument(input("3.8.0"));
        assert.strictEqual(doc.OPENVIDU_HA_INSTALLER_URL_MASTER, "https://get.openvidu.io/pro/ha/3.8.0/install_ov_master_node.sh");
        assert.strictEqual(media.OPENVIDU_HA_INSTALLER_URL_MEDIA, "https://get.openvidu.io/pro/ha/3.8.0/install_ov_media_node.sh");
        assert.strictEqual(doc.OPENVIDU_HA_INSTALLER_SHA256_MASTER, "-");
        assert.strictEqual(media.OPENVIDU_HA_INSTALLER_SHA256_MEDIA, "ab".repeat(32));
        assert.ok(!Object.keys(doc).some((k) => k.endsWith("_MEDIA")), "masters do not carry the media installer inputs");
    });

    it("gives media nodes only the media installer's inputs: on 3.8 the Redis password and master list, never the license or an admin credential", () => {
        const media = mediaSecretDocument(input("3.8.0"));
        assert.deepStrictEqual(Object.keys(media).sort(), [
            "OPENVIDU_HA_CLUSTER_SETTINGS",
            "OPENVIDU_HA_INSTALLER_ARGS_MEDIA",
            "OPENVIDU_HA_INSTALLER_SHA256_MEDIA",
            "OPENVIDU_HA_INSTALLER_URL_MEDIA",
            "OPENVIDU_HA_MEDIA_GENERATION",
        ]);
        const text = JSON.stringify(media);
        assert.ok(!text.includes("LICENSE-123"), "no license");
        const line = releaseLineOf("3.8.0")!;
        for (const key of line.credentials.filter((k) => k !== "redisPassword")) {
            assert.ok(!text.includes(`value-of-${key}`), key);
        }
        assert.ok(text.includes("value-of-redisPassword"));
        assert.ok(lines(media.OPENVIDU_HA_INSTALLER_ARGS_MEDIA).includes("P --master-node-private-ip-list=10.0.1.10,10.0.2.10,10.0.3.10,10.0.4.10"));
        // The 3.0 media installer itself takes more (license, LiveKit, MinIO, Mongo): exactly its arguments, no admin password.
        const media30 = JSON.stringify(mediaSecretDocument(input("3.0.0")));
        for (const key of ["dashboardAdminPassword", "grafanaAdminPassword", "defaultAppAdminPassword"]) {
            assert.ok(!media30.includes(`value-of-${key}`), key);
        }
    });

    it("passes the TURN domain to both roles when set", () => {
        const doc = clusterSecretDocument(input("3.8.0", { turnDomain: "turn.example.com" }));
        assert.strictEqual(doc.TURN_DOMAIN_NAME, "turn.example.com");
        assert.ok(lines(doc.OPENVIDU_HA_INSTALLER_ARGS_MASTER).includes("P --turn-domain-name=turn.example.com"));
    });

    it("refuses anything but 4 master IPs", () => {
        assert.throws(
            () => clusterSecretDocument(input("3.8.0", { masterPrivateIps: ["10.0.0.1"] })),
            (e: Error) => e.message === "clusterSecretDocument: 4 master private IPs are required, got 1",
        );
    });

    it("holds exactly the vendor's 30 keys, the 3.0 line's Call credentials, and the program's boot and converge keys", () => {
        const PROGRAM_KEYS = [
            "OPENVIDU_HA_INSTALLER_URL_MASTER",
            "OPENVIDU_HA_INSTALLER_SHA256_MASTER",
            "OPENVIDU_HA_INSTALLER_ARGS_MASTER",
            "OPENVIDU_HA_UPDATER_BASE_URL",
            "OPENVIDU_HA_UPDATER_SHA256",
            "OPENVIDU_HA_UPDATER_STEPS",
            "OPENVIDU_HA_UPGRADE_CHECKPOINT",
            "OPENVIDU_HA_CONVERGE_ROUNDS",
            "OPENVIDU_HA_CONVERGE_RULES",
            "OPENVIDU_HA_MEDIA_GENERATION",
        ];
        const CALL_KEYS = ["DEFAULT_APP_USER", "DEFAULT_APP_PASSWORD", "DEFAULT_APP_ADMIN_USER", "DEFAULT_APP_ADMIN_PASSWORD"];
        assert.deepStrictEqual(Object.keys(clusterSecretDocument(input("3.8.0"))).sort(), [...VENDOR_KEYS, ...PROGRAM_KEYS].sort());
        assert.deepStrictEqual(Object.keys(clusterSecretDocument(input("3.0.0"))).sort(), [...VENDOR_KEYS, ...CALL_KEYS, ...PROGRAM_KEYS].sort());
        const turn = clusterSecretDocument(input("3.8.0", { turnDomain: "turn.example.com" }));
        assert.deepStrictEqual(Object.keys(turn).sort(), [...VENDOR_KEYS, ...PROGRAM_KEYS, "TURN_DOMAIN_NAME"].sort());
    });

    it("keeps the Meet credentials under the vendor's keys (3.8); Grafana's URL only with observability", () => {
        const doc = clusterSecretDocument(input("3.8.0"));
        assert.strictEqual(doc.MEET_INITIAL_ADMIN_PASSWORD, "value-of-meetInitialAdminPassword");
        assert.strictEqual(doc.MEET_INITIAL_API_KEY, "value-of-meetInitialApiKey");
        assert.strictEqual(doc.GRAFANA_URL, "https://openvidu.example.com/grafana/");
        assert.strictEqual(clusterSecretDocument(input("3.8.0", { modules: ["openviduMeet"] })).GRAFANA_URL, "none");
    });

    it("lists the updater's pinned SHA-256 per version, comma-separated, or '-' without any", () => {
        const sha256 = { "3.8.0": "ab".repeat(32), "3.9.0": "cd".repeat(32) };
        const doc = clusterSecretDocument(input("3.8.0", { updater: { baseUrl: "https://mirror.example.com/update", sha256 } }));
        assert.strictEqual(doc.OPENVIDU_HA_UPDATER_SHA256, `3.8.0=${"ab".repeat(32)},3.9.0=${"cd".repeat(32)}`);
        assert.strictEqual(doc.OPENVIDU_HA_UPDATER_BASE_URL, "https://mirror.example.com/update");
        assert.strictEqual(clusterSecretDocument(input("3.8.0")).OPENVIDU_HA_UPDATER_SHA256, "-");
    });
});

const SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:s-AbCdEf";
const MEDIA_SECRET = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:m-AbCdEf";
const BOOT = { secretArn: SECRET, bootBucketArn: "arn:aws:s3:::cluster", bootPrefix: "openvidu-ha/boot" };
const allowedResources = (p: PolicyDocument) => p.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Resource);
const allowedActions = (p: PolicyDocument) => p.Statement.filter((s) => s.Effect === "Allow").flatMap((s) => s.Action);
const actions = (p: PolicyDocument) => p.Statement.flatMap((s) => s.Action);

/** The policies under test, made inside each test (never while mocha loads the file). */
const masterDoc = () => masterPolicy(BOOT, { appDataArn: "arn:aws:s3:::app", clusterDataArn: "arn:aws:s3:::cluster" });
const mediaDoc = () => mediaBootPolicy({ ...BOOT, secretArn: MEDIA_SECRET }, "arn:aws:s3:::app");

describe("aws plan: node role policies", () => {
    it("masters: read the secret and boot scripts, use both buckets; nothing else", () => {
        const MASTER = masterDoc();
        assert.deepStrictEqual(
            allowedResources(MASTER).sort(),
            [
                "arn:aws:s3:::app",
                "arn:aws:s3:::app/*",
                "arn:aws:s3:::cluster",
                "arn:aws:s3:::cluster/*",
                "arn:aws:s3:::cluster/openvidu-ha/boot/*",
                SECRET,
            ].sort(),
        );
        assert.ok(!allowedActions(MASTER).some((a) => a.endsWith("*") || a.startsWith("secretsmanager:Put") || a === "secretsmanager:UpdateSecret"));
    });

    it("media nodes at boot: their own secret, the boot scripts, the masters' status objects and the app-data bucket only", () => {
        const [MASTER, MEDIA] = [masterDoc(), mediaDoc()];
        assert.deepStrictEqual(
            allowedResources(MEDIA).sort(),
            [
                "arn:aws:s3:::app",
                "arn:aws:s3:::app/*",
                "arn:aws:s3:::cluster/openvidu-ha/boot/*",
                "arn:aws:s3:::cluster/openvidu-ha/converge/status/*",
                MEDIA_SECRET,
            ].sort(),
        );
        assert.strictEqual(iamDecision(MEDIA, "s3:PutObject", "arn:aws:s3:::cluster/openvidu-ha/converge/status/master-1"), "implicitDeny", "read only");
        assert.strictEqual(iamDecision(MEDIA, "secretsmanager:GetSecretValue", SECRET), "implicitDeny");
        assert.strictEqual(iamDecision(MEDIA, "secretsmanager:GetSecretValue", MEDIA_SECRET), "allow");
        assert.strictEqual(iamDecision(MASTER, "secretsmanager:GetSecretValue", SECRET), "allow");
    });

    it("no node can write, overwrite or delete the boot scripts; masters still write the rest of the cluster-data bucket", () => {
        const [MASTER, MEDIA] = [masterDoc(), mediaDoc()];
        const script = "arn:aws:s3:::cluster/openvidu-ha/boot/boot-media.sh";
        for (const [role, p] of [
            ["master", MASTER],
            ["media", MEDIA],
        ] as const) {
            for (const action of ["s3:PutObject", "s3:DeleteObject", "s3:DeleteObjectVersion", "s3:PutObjectAcl", "s3:RestoreObject"]) {
                assert.notStrictEqual(iamDecision(p, action, script), "allow", `${role} ${action}`);
            }
            assert.strictEqual(iamDecision(p, "s3:GetObject", script), "allow", role);
        }
        assert.strictEqual(iamDecision(MASTER, "s3:PutObject", script), "explicitDeny", "the explicit Deny overrides the bucket grant");
        assert.strictEqual(iamDecision(MASTER, "s3:PutObject", "arn:aws:s3:::cluster/openvidu/recordings/x"), "allow");
        assert.strictEqual(iamDecision(MASTER, "s3:PutObject", "arn:aws:s3:::cluster/openvidu-ha/bootx"), "allow", "only the boot prefix");
    });

    it("Session Manager: the agent's channels only, no ssm:GetParameter(s) on any parameter", () => {
        const p = sessionManagerPolicy();
        for (const action of ["ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:SendCommand", "s3:GetObject"]) {
            assert.strictEqual(iamDecision(p, action, "arn:aws:ssm:eu-west-1:123456789012:parameter/db-password"), "implicitDeny", action);
        }
        assert.strictEqual(iamDecision(p, "ssmmessages:OpenDataChannel", "*"), "allow");
        assert.strictEqual(iamDecision(p, "ssm:UpdateInstanceInformation", "*"), "allow");
    });

    it("media nodes at scale-in: lifecycle actions on their own group; only the read-only lookup on *", () => {
        const group = "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/media-group";
        const p = mediaLifecyclePolicy(group);
        for (const s of p.Statement) {
            if (s.Resource.includes("*")) {
                assert.deepStrictEqual(s.Action, ["autoscaling:DescribeAutoScalingInstances"]);
            } else {
                assert.deepStrictEqual(s.Resource, [group]);
            }
        }
        assert.ok(actions(p).includes("autoscaling:CompleteLifecycleAction"));
        assert.ok(actions(p).includes("autoscaling:RecordLifecycleActionHeartbeat"));
    });

    it("whole documents, as IAM takes them: version 2012-10-17, each statement's Sid, effect, actions and resources", () => {
        assert.deepStrictEqual(masterDoc(), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "ReadOwnSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] },
                { Sid: "ReadBootScripts", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::cluster/openvidu-ha/boot/*"] },
                {
                    Sid: "BootScriptsReadOnly",
                    Effect: "Deny",
                    Action: ["s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:ReplicateObject", "s3:ReplicateDelete"],
                    Resource: ["arn:aws:s3:::cluster/openvidu-ha/boot/*"],
                },
                // The vendor's bucket grants (vendor facts 1.3, IAM): objects read/write/delete, list and locate.
                {
                    Sid: "ClusterBucketsObjects",
                    Effect: "Allow",
                    Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                    Resource: ["arn:aws:s3:::app/*", "arn:aws:s3:::cluster/*"],
                },
                {
                    Sid: "ClusterBucketsList",
                    Effect: "Allow",
                    Action: ["s3:ListBucket", "s3:GetBucketLocation"],
                    Resource: ["arn:aws:s3:::app", "arn:aws:s3:::cluster"],
                },
            ],
        });
        // The vendor's media grants (vendor facts 1.3, IAM: the secret read-only, the app-data bucket only), plus the
        // boot scripts and the masters' status objects, read-only.
        assert.deepStrictEqual(mediaDoc(), {
            Version: "2012-10-17",
            Statement: [
                { Sid: "ReadOwnSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [MEDIA_SECRET] },
                { Sid: "ReadBootScripts", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::cluster/openvidu-ha/boot/*"] },
                {
                    Sid: "BootScriptsReadOnly",
                    Effect: "Deny",
                    Action: ["s3:PutObject*", "s3:DeleteObject*", "s3:RestoreObject", "s3:ReplicateObject", "s3:ReplicateDelete"],
                    Resource: ["arn:aws:s3:::cluster/openvidu-ha/boot/*"],
                },
                { Sid: "ReadMasterStatus", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::cluster/openvidu-ha/converge/status/*"] },
                { Sid: "AppDataBucketObjects", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"], Resource: ["arn:aws:s3:::app/*"] },
                { Sid: "AppDataBucketList", Effect: "Allow", Action: ["s3:ListBucket", "s3:GetBucketLocation"], Resource: ["arn:aws:s3:::app"] },
            ],
        });
        // AWS's custom instance policy for Session Manager alone ("Create a custom IAM instance profile for Session Manager").
        assert.deepStrictEqual(sessionManagerPolicy(), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "SessionManagerOnly",
                    Effect: "Allow",
                    Action: [
                        "ssm:UpdateInstanceInformation",
                        "ssmmessages:CreateControlChannel",
                        "ssmmessages:CreateDataChannel",
                        "ssmmessages:OpenControlChannel",
                        "ssmmessages:OpenDataChannel",
                    ],
                    Resource: ["*"],
                },
            ],
        });
        const group = "arn:aws:autoscaling:eu-west-1:123456789012:autoScalingGroup:uuid:autoScalingGroupName/media-group";
        // The vendor's media grants for the scale-in chain (vendor facts 1.3, IAM), scoped to this group.
        assert.deepStrictEqual(mediaLifecyclePolicy(group), {
            Version: "2012-10-17",
            Statement: [
                {
                    Sid: "OwnLifecycle",
                    Effect: "Allow",
                    Action: ["autoscaling:CompleteLifecycleAction", "autoscaling:RecordLifecycleActionHeartbeat", "autoscaling:SetInstanceHealth"],
                    Resource: [group],
                },
                { Sid: "FindOwnGroup", Effect: "Allow", Action: ["autoscaling:DescribeAutoScalingInstances"], Resource: ["*"] },
            ],
        });
    });
});

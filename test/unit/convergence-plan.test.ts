/** Day 2 planning: upgrade paths (checkpoint, refusals), the change class of every key, the per-flag rules. */
import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import { CHANGE_RULES, ChangeClass, readmeWithChangeTable } from "../../components/config/change-classes";
import { README_PATH } from "../../tools/config-reference";
import { CONFIG_KEYS } from "../../components/config/keys";
import { RELEASE_LINES } from "../../components/core/release-lines";
import { upgradePath, UPDATER_STEPS } from "../../components/core/upgrade-path";
import { assertUpgradeRefused, downgradeMessage, noPathMessage } from "../support/upgrade-refusals";
import { clusterLines, ConvergenceRefused, convergenceRounds, flagRules, planConvergence, renderFlagRules } from "../../components/host/convergence-plan";

const line = (id: string) => RELEASE_LINES.find((l) => l.id === id)!;

describe("upgradePath (the vendor updater's one-step path and the 3.5.0 checkpoint)", () => {
    it("follows get_next_version one step at a time", () => {
        assert.deepStrictEqual(UPDATER_STEPS, ["3.0.0", "3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.4.1", "3.5.0", "3.6.0", "3.6.1", "3.7.0", "3.8.0"]);
        assert.deepStrictEqual(upgradePath("3.6.0", "3.8.0"), { legs: ["3.8.0"], steps: ["3.6.1", "3.7.0", "3.8.0"] });
    });

    it("walks 3.0.0 -> 3.8.0 through the 3.5.0 checkpoint", () => {
        assert.deepStrictEqual(upgradePath("3.0.0", "3.8.0"), {
            legs: ["3.5.0", "3.8.0"],
            steps: ["3.1.0", "3.2.0", "3.3.0", "3.4.0", "3.4.1", "3.5.0", "3.6.0", "3.6.1", "3.7.0", "3.8.0"],
        });
        assert.deepStrictEqual(upgradePath("3.4.1", "3.6.0").legs, ["3.5.0", "3.6.0"]);
    });

    it("needs no checkpoint to reach 3.5.0 itself, nor from it", () => {
        assert.deepStrictEqual(upgradePath("3.4.0", "3.5.0").legs, ["3.5.0"]);
        assert.deepStrictEqual(upgradePath("3.5.0", "3.8.0").legs, ["3.8.0"]);
    });

    it("is empty on the installed version", () => {
        assert.deepStrictEqual(upgradePath("3.8.0", "3.8.0"), { legs: [], steps: [] });
    });

    it("refuses a downgrade, naming both versions", () => {
        assertUpgradeRefused("3.8.0", "3.0.0", downgradeMessage("3.8.0", "3.0.0"));
    });

    it("refuses versions the updater has no path for, naming both versions", () => {
        assertUpgradeRefused("3.8.0", "3.8.1", noPathMessage("3.8.0", "3.8.1", "3.8.1"));
        assert.throws(
            () => upgradePath("3.0.2", "3.8.0"),
            /^Error: no upgrade path from the installed 3\.0\.2 to openviduVersion 3\.8\.0: the vendor's updater knows no path through 3\.0\.2 /,
        );
    });
});

describe("convergenceRounds", () => {
    it("has a checkpoint round only for targets past 3.5.0", () => {
        assert.deepStrictEqual(convergenceRounds("3.8.0"), ["checkpoint", "final"]);
        assert.deepStrictEqual(convergenceRounds("3.5.0"), ["final"]);
        assert.deepStrictEqual(convergenceRounds("3.0.0"), ["final"]);
    });
});

describe("change classes", () => {
    const classOf = (c: ChangeClass) =>
        Object.entries(CHANGE_RULES)
            .filter(([, r]) => r.class === c)
            .map(([k]) => k)
            .sort();

    it("classify every config key, and nothing else", () => {
        assert.deepStrictEqual(Object.keys(CHANGE_RULES).sort(), Object.keys(CONFIG_KEYS).sort());
    });

    it("refuse credentials that live inside a data store, the replica-set key and TLS settings", () => {
        assert.deepStrictEqual(classOf("refused"), [
            "additionalInstallerFlags",
            "certificateType",
            "defaultAppAdminPassword",
            "defaultAppAdminUser",
            "defaultAppPassword",
            "defaultAppUser",
            "domain",
            "forceMediaNodePublicIp",
            "grafanaAdminPassword",
            "grafanaAdminUser",
            "letsencryptEmail",
            "meetInitialAdminPassword",
            "meetInitialApiKey",
            "minioAccessKey",
            "minioSecretKey",
            "mongoAdminPassword",
            "mongoAdminUser",
            "mongoReplicaSetKey",
            "ownCertPrivateKey",
            "ownCertPublicKey",
            "turnDomain",
            "turnOwnCertPrivateKey",
            "turnOwnCertPublicKey",
            "zerosslApiKey",
        ]);
        assert.match(CHANGE_RULES.mongoReplicaSetKey.effect, /running MongoDB replica set/);
    });

    it("apply the license and dashboard credentials in place, and restart the cluster for Redis, LiveKit, engine and modules", () => {
        assert.deepStrictEqual(classOf("in-place"), ["dashboardAdminPassword", "dashboardAdminUser", "hostFirewall", "license"]);
        assert.deepStrictEqual(classOf("cluster"), ["livekitApiKey", "livekitApiSecret", "modules", "redisPassword", "rtcEngine"]);
        assert.deepStrictEqual(classOf("upgrade"), ["openviduVersion"]);
        assert.deepStrictEqual(classOf("nodes"), ["masterNodes", "mediaNodes"]);
    });

    it("leave AWS resources to the engine, and touch no node for Pulumi-side keys", () => {
        assert.ok(classOf("infrastructure").every((k) => k === "target" || CONFIG_KEYS[k as keyof typeof CONFIG_KEYS].targets.join() === "aws"));
        assert.ok(classOf("none").includes("dnsTtl") && classOf("none").includes("sshPrivateKey"));
    });
});

describe("README day-2 table", () => {
    it("is rendered from the change classes (run npm run sync:config after changing them)", () => {
        const readme = fs.readFileSync(README_PATH, "utf8");
        assert.strictEqual(readme, readmeWithChangeTable(readme));
        assert.ok(readme.includes("| `mongoReplicaSetKey` | **refused** | the keyfile members of a running MongoDB replica set"));
    });
});

describe("flagRules (what converge.sh applies or refuses, per installer flag)", () => {
    it("3.8 masters: where each applied value is written, and every refused flag with its key", () => {
        const rules = flagRules(line("3.8"), "master");
        const applied = rules
            .filter((r) => r.class !== "refused")
            .map((r) => `${r.flag} ${r.class} ${r.locations.map((l) => `${l.file}:${l.variable}`).join(" ")}`);
        assert.deepStrictEqual(applied, [
            "--openvidu-pro-license in-place config/cluster/openvidu.env:OPENVIDU_PRO_LICENSE",
            "--enabled-modules cluster config/cluster/openvidu.env:ENABLED_MODULES",
            "--rtc-engine cluster config/cluster/openvidu.env:OPENVIDU_RTC_ENGINE",
            "--redis-password cluster config/node/master_node.env:REDIS_PASSWORD",
            "--dashboard-admin-user in-place config/cluster/openvidu.env:DASHBOARD_ADMIN_USERNAME",
            "--dashboard-admin-password in-place config/cluster/openvidu.env:DASHBOARD_ADMIN_PASSWORD",
            "--livekit-api-key cluster config/cluster/openvidu.env:LIVEKIT_API_KEY",
            "--livekit-api-secret cluster config/cluster/openvidu.env:LIVEKIT_API_SECRET",
        ]);
        assert.deepStrictEqual(
            rules.filter((r) => r.class === "refused").map((r) => r.key),
            [
                "masterNodes",
                "domain",
                "turnDomain",
                "mongoAdminUser",
                "mongoAdminPassword",
                "mongoReplicaSetKey",
                "minioAccessKey",
                "minioSecretKey",
                "grafanaAdminUser",
                "grafanaAdminPassword",
                "meetInitialAdminPassword",
                "meetInitialApiKey",
                "forceMediaNodePublicIp",
                "certificateType",
                "letsencryptEmail",
                "zerosslApiKey",
                "ownCertPrivateKey",
                "ownCertPublicKey",
                "turnOwnCertPrivateKey",
                "turnOwnCertPublicKey",
            ],
        );
    });

    it("3.8 media nodes: the Redis password in media_node.env, the master list refused", () => {
        assert.strictEqual(
            renderFlagRules(flagRules(line("3.8"), "media")),
            [
                "--master-node-private-ip-list refused masterNodes the master IP list is in every node's configuration and in MongoDB's replica set; re-addressing a running cluster is not supported by the vendor (deploy a new cluster, or restore the old addresses)",
                "--public-ip refused mediaNodes a media node is given its public IP at install; reinstall it (pulumi up --replace of its install step)",
                "--redis-password cluster redisPassword config/node/media_node.env:REDIS_PASSWORD",
            ].join("\n"),
        );
    });

    it("3.0: nothing is edited in place (no documented layout)", () => {
        const rules = flagRules(line("3.0"), "master");
        assert.ok(rules.every((r) => r.class === "refused"));
        assert.match(rules.find((r) => r.key === "license")!.reason, /no configuration layout for the 3\.0 line/);
    });
});

describe("planConvergence", () => {
    // Computed in each test, never while mocha loads the file (MUTATION.md: load-time coverage).
    let rules: ReturnType<typeof flagRules>;
    beforeEach(() => {
        rules = flagRules(line("3.8"), "master");
    });
    const at = (version: string, changedFlags: string[] = [], appliedFlags = rules.map((r) => r.flag)) => ({ version, changedFlags, appliedFlags });

    it("nothing to do on the same version and config", () => {
        assert.deepStrictEqual(planConvergence(at("3.8.0"), "3.8.0", rules), { procedure: "none", legs: [], steps: [], applied: [], migrated: [] });
    });

    it("a license change is applied in place", () => {
        assert.deepStrictEqual(planConvergence(at("3.8.0", ["--openvidu-pro-license"]), "3.8.0", rules).procedure, "in-place");
    });

    it("a Redis password or module change restarts the cluster (the strongest class wins)", () => {
        assert.strictEqual(planConvergence(at("3.8.0", ["--redis-password"]), "3.8.0", rules).procedure, "cluster");
        assert.deepStrictEqual(planConvergence(at("3.8.0", ["--openvidu-pro-license", "--enabled-modules"]), "3.8.0", rules).applied, [
            "--openvidu-pro-license",
            "--enabled-modules",
        ]);
        assert.strictEqual(planConvergence(at("3.8.0", ["--openvidu-pro-license", "--enabled-modules"]), "3.8.0", rules).procedure, "cluster");
    });

    it("an upgrade from the 3.0 line goes through the checkpoint; flags only one line has are left to the updater", () => {
        const plan = planConvergence(at("3.0.0", ["--meet-initial-admin-password", "--domain-name-or-ip"], ["--domain-name-or-ip"]), "3.8.0", rules);
        assert.deepStrictEqual(
            [plan.procedure, plan.legs, plan.migrated],
            ["upgrade", ["3.5.0", "3.8.0"], ["--meet-initial-admin-password", "--domain-name-or-ip"]],
        );
    });

    it("refuses every refused change and a downgrade together, before anything runs", () => {
        assert.throws(
            () => planConvergence(at("3.8.0", ["--mongo-replica-set-key", "--minio-secret-key"]), "3.0.0", rules),
            (e: Error) =>
                e instanceof ConvergenceRefused &&
                e.message.split("\n").length === 3 &&
                e.message.startsWith("openviduVersion 3.0.0 is older than the installed 3.8.0") &&
                e.message.includes("mongoReplicaSetKey (--mongo-replica-set-key) cannot change on a running cluster: the keyfile") &&
                e.message.includes("minioSecretKey (--minio-secret-key) cannot change on a running cluster: the value lives inside MinIO"),
        );
    });

    it("on a media node, a changed master-only setting (cluster: entry) sets the procedure and is never written there", () => {
        const mediaRules = flagRules(line("3.8"), "media");
        const mediaFlags = mediaRules.map((r) => r.flag);
        const node = (changed: string[]) => ({ version: "3.8.0", changedFlags: changed, appliedFlags: mediaFlags });
        assert.deepStrictEqual(planConvergence(node(["cluster:--enabled-modules"]), "3.8.0", mediaRules, rules), {
            procedure: "cluster",
            legs: [],
            steps: [],
            applied: [],
            migrated: [],
        });
        assert.strictEqual(planConvergence(node(["cluster:--openvidu-pro-license"]), "3.8.0", mediaRules, rules).procedure, "in-place");
        // Refused master settings are the masters' to report.
        assert.strictEqual(planConvergence(node(["cluster:--mongo-replica-set-key"]), "3.8.0", mediaRules, rules).procedure, "none");
    });

    it("clusterLines: one hash line per master argument, no value", () => {
        const lines = clusterLines("P --no-tty\nS --openvidu-pro-license=LIC-123\nP --domain-name=ov.example.com\n");
        assert.strictEqual(
            lines,
            `H --openvidu-pro-license=${createHash("sha256").update("--openvidu-pro-license=LIC-123").digest("hex")}\n` +
                `H --domain-name=${createHash("sha256").update("--domain-name=ov.example.com").digest("hex")}\n`,
        );
    });

    it("refuses a changed master IP list", () => {
        assert.throws(
            () => planConvergence(at("3.8.0", ["--master-node-private-ip-list"]), "3.8.0", rules),
            /^Error: masterNodes \(--master-node-private-ip-list\) cannot change on a running cluster: the master IP list/,
        );
    });

    it("a flag newly set on the same version is applied (or refused), never left to an updater that does not run", () => {
        assert.deepStrictEqual(planConvergence(at("3.8.0", ["--openvidu-pro-license"], []), "3.8.0", rules), {
            procedure: "in-place",
            legs: [],
            steps: [],
            applied: ["--openvidu-pro-license"],
            migrated: [],
        });
        assert.throws(() => planConvergence(at("3.8.0", ["--domain-name"], []), "3.8.0", rules), ConvergenceRefused);
    });

    it("during an upgrade, a changed flag the node already had is applied; flags of neither line and cluster: entries are not migrated", () => {
        assert.deepStrictEqual(planConvergence(at("3.6.0", ["--openvidu-pro-license", "--gone-flag", "cluster:--enabled-modules"]), "3.8.0", rules), {
            procedure: "upgrade",
            legs: ["3.8.0"],
            steps: ["3.6.1", "3.7.0", "3.8.0"],
            applied: ["--openvidu-pro-license"],
            migrated: ["--gone-flag"],
        });
        // The same flags on the same version: nothing to migrate.
        assert.deepStrictEqual(planConvergence(at("3.8.0", ["--gone-flag"]), "3.8.0", rules).migrated, []);
    });

    it("a cluster: entry for a flag the masters do not have changes nothing", () => {
        const mediaRules = flagRules(line("3.8"), "media");
        const node = { version: "3.8.0", changedFlags: ["cluster:--no-such-flag"], appliedFlags: mediaRules.map((r) => r.flag) };
        assert.strictEqual(planConvergence(node, "3.8.0", mediaRules, rules).procedure, "none");
    });

    it("a refused downgrade still reports a refused change the node never had applied", () => {
        assert.throws(
            () => planConvergence(at("3.8.0", ["--domain-name"], []), "3.6.0", rules),
            (e: Error) =>
                e instanceof ConvergenceRefused &&
                e.message.split("\n").length === 2 &&
                e.message.split("\n")[1].startsWith("domain (--domain-name) cannot change on a running cluster: "),
        );
    });

    it("rules in full: refused ones carry no location, applied ones no reason", () => {
        const master = flagRules(line("3.8"), "master");
        const media = flagRules(line("3.8"), "media");
        assert.deepStrictEqual(
            master.find((r) => r.flag === "--openvidu-pro-license"),
            {
                flag: "--openvidu-pro-license",
                key: "license",
                class: "in-place",
                locations: [{ file: "config/cluster/openvidu.env", variable: "OPENVIDU_PRO_LICENSE" }],
                reason: "",
            },
        );
        for (const rule of [
            master.find((r) => r.flag === "--master-node-private-ip-list"),
            media.find((r) => r.flag === "--public-ip"),
            master.find((r) => r.flag === "--domain-name"),
            flagRules(line("3.0"), "master").find((r) => r.key === "license"),
        ]) {
            assert.ok(rule, "rule present");
            assert.strictEqual(rule.class, "refused", rule.flag);
            assert.deepStrictEqual(rule.locations, [], rule.flag);
            assert.notStrictEqual(rule.reason, "", rule.flag);
        }
    });
});

/** Validation of the DNS keys: provider, Cloudflare zone, account and token, Route 53 zone, health checks, TTL range. */
import * as assert from "assert";
import { awsConfig, onpremConfig } from "../support/fixtures";
import { problemsOf, validate } from "../support/validation";

const TOKEN_MESSAGE =
    "cloudflare:apiToken: is required when dnsProvider is cloudflare: pulumi config set --secret cloudflare:apiToken <token> (or set CLOUDFLARE_API_TOKEN)";

describe("validation: DNS", () => {
    it("requires cloudflareZoneId with the cloudflare provider", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ cloudflareZoneId: undefined })), [
            "cloudflareZoneId: is required when dnsProvider is cloudflare (or set dnsProvider to none)",
        ]);
    });

    it("requires cloudflare:apiToken with the cloudflare provider", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ "cloudflare:apiToken": undefined })), [TOKEN_MESSAGE]);
    });

    it("needs neither with dnsProvider none", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsProvider: "none", cloudflareZoneId: undefined, "cloudflare:apiToken": undefined })), []);
    });

    it("rejects an unknown provider and a malformed zone id", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsProvider: "powerdns" })), [
            "dnsProvider: must be one of cloudflare, route53, none, got 'powerdns'",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ cloudflareZoneId: "example.com" })), [
            "cloudflareZoneId: must be a Cloudflare zone id: 32 lowercase hexadecimal characters",
        ]);
    });

    it("rejects a TTL outside Cloudflare's range (1 = automatic, or 60..86400)", () => {
        const message = "dnsTtl: must be 1 (automatic) or between 60 and 86400 seconds (Cloudflare's range)";
        for (const ttl of ["0", "2", "59", "86401", "-60"]) {
            assert.deepStrictEqual(problemsOf(onpremConfig({ dnsTtl: ttl })), [message], ttl);
        }
        for (const ttl of ["1", "60", "300", "86400"]) {
            assert.deepStrictEqual(problemsOf(onpremConfig({ dnsTtl: ttl })), [], ttl);
        }
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsTtl: "one minute" })), ["dnsTtl: must be an integer"]);
    });

    // Route 53 and health checks
    const ROUTE53 = { dnsProvider: "route53", route53ZoneId: "Z0123456789ABCDEFGHIJ", cloudflareZoneId: undefined, "cloudflare:apiToken": undefined };
    const ACCOUNT = "0123456789abcdef0123456789abcdef";
    const REGIONS = ["WEU"];

    it("route53: needs route53ZoneId, not the Cloudflare zone or token", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig(ROUTE53)), []);
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...ROUTE53, route53ZoneId: undefined })), ["route53ZoneId: is required when dnsProvider is route53"]);
        assert.deepStrictEqual(validate(onpremConfig(ROUTE53)).settings.dns, {
            provider: "route53",
            cloudflareZoneId: undefined,
            ttl: 60,
            route53ZoneId: "Z0123456789ABCDEFGHIJ",
            health: undefined,
        });
    });

    it("route53: rejects a hosted zone id in the wrong form, naming the key", () => {
        const message =
            "route53ZoneId: must be a Route 53 hosted zone id: Z and capital letters or digits (such as Z0123456789ABCDEFGHIJ), without /hostedzone/";
        for (const id of [
            "/hostedzone/Z0123456789ABCDEFGHIJ",
            "z0123456789abcdefghij",
            "example.com",
            "Z",
            "023e105f4ecef8ad9ca31a8372d0c353",
            "Z0123456789ABCDEFGHIJ0123456789AB",
        ]) {
            assert.deepStrictEqual(problemsOf(onpremConfig({ ...ROUTE53, route53ZoneId: id })), [message], id);
        }
    });

    it("route53ZoneId only with route53; route53 only on-prem", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ route53ZoneId: "Z0123456789ABCDEFGHIJ" })), [
            "route53ZoneId: is only used when dnsProvider is route53",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ dnsProvider: "route53" })), [
            "dnsProvider: route53 is only supported with target onprem (use cloudflare or none)",
        ]);
        assert.deepStrictEqual(problemsOf(awsConfig({ dnsHealthChecks: "true" })), ["dnsHealthChecks: only used when target is onprem"]);
    });

    it("health checks need a provider that checks: not dnsProvider none", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsProvider: "none", cloudflareZoneId: undefined, dnsHealthChecks: "true" })), [
            "dnsHealthChecks: needs dnsProvider cloudflare or route53: with dnsProvider none no one checks the masters (set dnsHealthChecks to false)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...ROUTE53, dnsHealthChecks: "true" })), []);
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsHealthChecks: "yes" })), ["dnsHealthChecks: must be true or false"]);
    });

    it("cloudflare health checks need the account id (pools and monitors are account-level), in its form, and only then", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsHealthChecks: "true", cloudflareCheckRegions: REGIONS })), [
            "cloudflareAccountId: is required when dnsHealthChecks is true with dnsProvider cloudflare: load balancer pools and monitors belong to the account",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsHealthChecks: "true", cloudflareCheckRegions: REGIONS, cloudflareAccountId: "my-account" })), [
            "cloudflareAccountId: must be a Cloudflare account id: 32 lowercase hexadecimal characters",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ cloudflareAccountId: ACCOUNT })), [
            "cloudflareAccountId: is only used when dnsHealthChecks is true with dnsProvider cloudflare",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...ROUTE53, dnsHealthChecks: "true", cloudflareAccountId: ACCOUNT })), [
            "cloudflareAccountId: is only used when dnsHealthChecks is true with dnsProvider cloudflare",
        ]);
        assert.deepStrictEqual(
            validate(onpremConfig({ dnsHealthChecks: "true", cloudflareAccountId: ACCOUNT, cloudflareCheckRegions: REGIONS })).settings.dns.health,
            {
                path: "/health/caddy",
                cloudflareAccountId: ACCOUNT,
                cloudflareCheckRegions: ["WEU"],
            },
        );
    });

    it("cloudflare health checks need the regions the monitor probes from, known ones, once each, and only then", () => {
        const on = { dnsHealthChecks: "true", cloudflareAccountId: ACCOUNT };
        assert.deepStrictEqual(problemsOf(onpremConfig(on)), [
            "cloudflareCheckRegions: is required when dnsHealthChecks is true with dnsProvider cloudflare: the regions the monitor probes from, e.g. [WEU] near European masters (without it Cloudflare would probe from every data center, an Enterprise-only option)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...on, cloudflareCheckRegions: ["WEU", "MARS"] })), [
            "cloudflareCheckRegions[1]: unknown region 'MARS' (known: WNAM, ENAM, WEU, EEU, NSAM, SSAM, OC, ME, NAF, SAF, SAS, SEAS, NEAS)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...on, cloudflareCheckRegions: [] })), ["cloudflareCheckRegions: must list at least 1 region"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...on, cloudflareCheckRegions: ["WEU", "WEU"] })), [
            "cloudflareCheckRegions: lists a region more than once",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ cloudflareCheckRegions: REGIONS })), [
            "cloudflareCheckRegions: is only used when dnsHealthChecks is true with dnsProvider cloudflare",
        ]);
    });

    it("dnsHealthCheckPath: a URL path, only with health checks", () => {
        const on = { ...ROUTE53, dnsHealthChecks: "true" };
        assert.deepStrictEqual(validate(onpremConfig({ ...on, dnsHealthCheckPath: "/healthz?full=1" })).settings.dns.health, {
            path: "/healthz?full=1",
            cloudflareAccountId: undefined,
            cloudflareCheckRegions: undefined,
        });
        for (const path of ["health/caddy", "/health caddy", ""]) {
            assert.deepStrictEqual(
                problemsOf(onpremConfig({ ...on, dnsHealthCheckPath: path })),
                ["dnsHealthCheckPath: must be a URL path: starting with / and without spaces"],
                path,
            );
        }
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...ROUTE53, dnsHealthCheckPath: "/healthz" })), [
            "dnsHealthCheckPath: is only used when dnsHealthChecks is true",
        ]);
    });

    it("dnsTtl 1 (automatic) only with plain Cloudflare records", () => {
        const message = "dnsTtl: 1 (automatic) exists only for plain Cloudflare records: give seconds (60..86400)";
        assert.deepStrictEqual(problemsOf(onpremConfig({ ...ROUTE53, dnsTtl: "1" })), [message]);
        assert.deepStrictEqual(
            problemsOf(onpremConfig({ dnsHealthChecks: "true", cloudflareAccountId: ACCOUNT, cloudflareCheckRegions: REGIONS, dnsTtl: "1" })),
            [message],
        );
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsTtl: "1" })), []);
    });

    it("reports every DNS problem at once", () => {
        assert.deepStrictEqual(
            problemsOf(onpremConfig({ ...ROUTE53, route53ZoneId: undefined, dnsHealthChecks: "true", cloudflareAccountId: ACCOUNT, dnsTtl: "1" })),
            [
                "route53ZoneId: is required when dnsProvider is route53",
                "cloudflareAccountId: is only used when dnsHealthChecks is true with dnsProvider cloudflare",
                "dnsTtl: 1 (automatic) exists only for plain Cloudflare records: give seconds (60..86400)",
            ],
        );
    });
});

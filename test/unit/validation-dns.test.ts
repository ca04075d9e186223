/** Validation of the DNS keys: provider, Cloudflare zone and token, TTL range. */
import * as assert from "assert";
import { onpremConfig } from "../support/fixtures";
import { problemsOf } from "../support/validation";

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
        assert.deepStrictEqual(problemsOf(onpremConfig({ dnsProvider: "route53" })), ["dnsProvider: must be one of cloudflare, none, got 'route53'"]);
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
});

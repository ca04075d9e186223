/** Validation of the keys both targets read: target, version, domains, engine, modules, installer source, keys. */
import * as assert from "assert";
import { onpremConfig } from "../support/fixtures";
import { problemsOf } from "../support/validation";

describe("validation: common keys", () => {
    it("rejects an unknown target and requires one", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ target: "gcp" })), ["target: must be one of onprem, aws, got 'gcp'"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ target: undefined })), ["target: is required (onprem or aws)"]);
    });

    it("rejects an invalid FQDN for domain and turnDomain", () => {
        const message = "is not a valid fully qualified domain name (lowercase labels separated by dots, e.g. openvidu.example.com)";
        for (const domain of [
            "openvidu",
            "openvidu_ha.example.com",
            "-openvidu.example.com",
            "openvidu.example.com.",
            "10.5.0.1",
            "https://openvidu.example.com",
        ]) {
            assert.deepStrictEqual(problemsOf(onpremConfig({ domain })), [`domain: ${message}`], domain);
        }
        assert.deepStrictEqual(problemsOf(onpremConfig({ turnDomain: "turn..example.com" })), [`turnDomain: ${message}`]);
    });

    it("requires domain and license", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ domain: undefined, license: undefined })), ["domain: is required", "license: is required"]);
    });

    it("rejects a turnDomain equal to domain, also when only the case differs", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ turnDomain: "openvidu.example.com" })), ["turnDomain: must differ from domain"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ turnDomain: "OpenVidu.Example.COM" })), ["turnDomain: must differ from domain"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ turnDomain: "turn.example.com" })), []);
    });

    it("rejects an unknown rtcEngine", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ rtcEngine: "janus" })), ["rtcEngine: must be one of pion, mediasoup, got 'janus'"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ rtcEngine: "mediasoup" })), []);
    });

    it("rejects modules unknown to the chosen release line", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ modules: ["observability", "app"] })), [
            "modules[1]: unknown module 'app' for the 3.8.x line (known: observability, v2compatibility, openviduMeet)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ openviduVersion: "3.0.0", modules: ["openviduMeet"] })), [
            "modules[0]: unknown module 'openviduMeet' for the 3.0.x line (known: observability, v2compatibility, app)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ openviduVersion: "3.0.0", modules: ["app"] })), []);
        assert.deepStrictEqual(problemsOf(onpremConfig({ modules: [] })), []);
        assert.deepStrictEqual(problemsOf(onpremConfig({ modules: ["observability", "observability"] })), ["modules: lists a module more than once"]);
    });

    it("rejects a version outside the supported release lines, saying which are supported", () => {
        for (const v of ["3.5.0", "3.8", "2.30.0", "3.8.0-beta1", "v3.8.0"]) {
            assert.deepStrictEqual(
                problemsOf(onpremConfig({ openviduVersion: v })),
                [`openviduVersion: '${v}' is not in a supported release line (supported: 3.0.x, 3.8.x)`],
                v,
            );
        }
        assert.deepStrictEqual(problemsOf(onpremConfig({ openviduVersion: "3.0.3" })), []);
        assert.deepStrictEqual(problemsOf(onpremConfig({ openviduVersion: "3.8.1" })), []);
    });

    it("rejects 'latest'", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ openviduVersion: "latest" })), [
            "openviduVersion: 'latest' is not allowed: pin a version (supported: 3.0.x, 3.8.x)",
        ]);
    });

    it("rejects an installerBaseUrl over plain http or pointing at latest", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerBaseUrl: "http://get.openvidu.io/pro/ha" })), [
            "installerBaseUrl: must be an https:// URL (the installer is never fetched over plain http)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerBaseUrl: "https://mirror.example.com/openvidu/latest" })), [
            "installerBaseUrl: must not point at 'latest': the version is pinned by openviduVersion",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerBaseUrl: "https://mirror.example.com/openvidu/" })), []);
    });

    it("rejects a malformed installer checksum", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ installerSha256Media: "abc" })), [
            "installerSha256Media: must be a SHA-256 digest: 64 hexadecimal characters",
        ]);
    });

    it("rejects an unknown config key", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ masterNode: "[]" })), ["masterNode: unknown config key"]);
    });

    it("rejects a key of the other target", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ vpcId: "vpc-0123abcd" })), ["vpcId: only used when target is aws"]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ certificateArn: "arn:aws:acm:eu-west-1:123456789012:certificate/x" })), [
            "certificateArn: only used when target is aws",
        ]);
    });
});

describe("validation: credentials", () => {
    it("accepts overrides of the line's credentials", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ redisPassword: "Redis_pass-123", dashboardAdminUser: "admin" })), []);
    });

    it("rejects characters outside A-Z a-z 0-9 _ - and lengths out of range", () => {
        const password = "redisPassword: must be 8 to 128 characters of A-Z, a-z, 0-9, '_' or '-'";
        for (const value of ["has space12", "quote'1234", "dollar$1234", "short", "x".repeat(129)]) {
            assert.deepStrictEqual(problemsOf(onpremConfig({ redisPassword: value })), [password], value);
        }
        assert.deepStrictEqual(problemsOf(onpremConfig({ mongoAdminUser: "ab" })), ["mongoAdminUser: must be 3 to 64 characters of A-Z, a-z, 0-9, '_' or '-'"]);
    });

    it("rejects a credential of the other release line", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ defaultAppPassword: "callpass-1234" })), [
            "defaultAppPassword: is not used by the 3.8.x line (openviduVersion is 3.8.0)",
        ]);
        assert.deepStrictEqual(problemsOf(onpremConfig({ openviduVersion: "3.0.0", meetInitialApiKey: "meetkey-1234" })), [
            "meetInitialApiKey: is not used by the 3.0.x line (openviduVersion is 3.0.0)",
        ]);
    });
});

/** Validation of forceMediaNodePublicIp and additionalInstallerFlags, with their exact messages, on both targets. */
import * as assert from "assert";
import { awsConfig, onpremConfig } from "../support/fixtures";
import { problemsOf, validate } from "../support/validation";

describe("validation: forceMediaNodePublicIp", () => {
    it("is accepted on 3.8, on-prem and on AWS, and defaults to false", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ forceMediaNodePublicIp: true })), []);
        assert.deepStrictEqual(problemsOf(awsConfig({ forceMediaNodePublicIp: true })), []);
        assert.strictEqual(validate(onpremConfig()).settings.forceMediaNodePublicIp, false);
    });

    it("is refused on the 3.0 line, whose documents have no --force-media-node-public-ip", () => {
        for (const config of [onpremConfig, awsConfig]) {
            assert.deepStrictEqual(problemsOf(config({ openviduVersion: "3.0.0", forceMediaNodePublicIp: true })), [
                "forceMediaNodePublicIp: is not supported by the 3.0.x line: its documents have no --force-media-node-public-ip (openviduVersion is 3.0.0)",
            ]);
        }
    });

    it("on-prem, refuses media nodes whose publicIp is private (clients could not reach it); masters do not matter", () => {
        const mediaNodes = [
            { publicIp: "198.51.100.21", privateIp: "10.5.1.1" },
            { publicIp: "192.168.7.2", privateIp: "10.5.1.2" },
            { publicIp: "fd00::7", privateIp: "10.5.1.3" },
            { publicIp: "100.64.0.9", privateIp: "10.5.1.4" },
        ];
        assert.deepStrictEqual(problemsOf(onpremConfig({ forceMediaNodePublicIp: true, mediaNodes })), [
            "mediaNodes[1].publicIp: 192.168.7.2 is a private address; with forceMediaNodePublicIp clients send media to it",
            "mediaNodes[2].publicIp: fd00::7 is a private address; with forceMediaNodePublicIp clients send media to it",
            "mediaNodes[3].publicIp: 100.64.0.9 is a private address; with forceMediaNodePublicIp clients send media to it",
        ]);
        // Without the option, a private publicIp is just the address Pulumi dials.
        assert.deepStrictEqual(problemsOf(onpremConfig({ mediaNodes })), []);
        const masterNodes = [1, 2, 3, 4].map((i) => ({ publicIp: `192.168.0.${i}`, privateIp: `10.5.0.${i}` }));
        assert.deepStrictEqual(problemsOf(onpremConfig({ forceMediaNodePublicIp: true, masterNodes })), []);
    });

    it("must be a boolean", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ forceMediaNodePublicIp: "yes" })), ["forceMediaNodePublicIp: must be true or false"]);
    });
});

describe("validation: additionalInstallerFlags", () => {
    it("accepts flags the program does not set, on both targets and both lines, and defaults to none", () => {
        const flags = ["--force-utc-timezone", "--some-option=a,b=c_d.e-f", "--empty="];
        assert.deepStrictEqual(problemsOf(onpremConfig({ additionalInstallerFlags: flags })), []);
        assert.deepStrictEqual(problemsOf(awsConfig({ additionalInstallerFlags: flags })), []);
        assert.deepStrictEqual(problemsOf(onpremConfig({ openviduVersion: "3.0.0", additionalInstallerFlags: flags })), []);
        assert.deepStrictEqual(validate(onpremConfig()).settings.additionalInstallerFlags, []);
        assert.deepStrictEqual(validate(onpremConfig({ additionalInstallerFlags: flags })).settings.additionalInstallerFlags, flags);
    });

    it("refuses anything but one flag with a value of the vendor's AdditionalInstallFlags characters", () => {
        const message = "must be one installer flag, '--name' or '--name=value' (value of letters, digits and , = _ . - only)";
        const bad = ["force-utc-timezone", "--a b", "--x=$(reboot)", "--x=a;b", "--x=a\tb", "--x='a'", "--x=a/b", "-x", "--", "--X"];
        assert.deepStrictEqual(
            problemsOf(onpremConfig({ additionalInstallerFlags: bad })),
            bad.map((_, i) => `additionalInstallerFlags[${i}]: ${message}`),
        );
        assert.deepStrictEqual(problemsOf(onpremConfig({ additionalInstallerFlags: "--x" })), ["additionalInstallerFlags: must be a list of strings"]);
        // A line break is refused before any other check (it would start another installer argument).
        assert.deepStrictEqual(problemsOf(onpremConfig({ additionalInstallerFlags: ["--x=a\nP --evil"] })), [
            "additionalInstallerFlags[0]: must be a single line (a line break would start another installer argument)",
        ]);
    });

    it("refuses a flag the program sets, on any line or role, naming the key and the flag", () => {
        const managed = [
            "--domain-name=other.example.com",
            "--rtc-engine=mediasoup",
            "--no-tty",
            "--public-ip=203.0.113.9",
            "--letsencrypt-email=ops-example.com",
            "--domain-name-or-ip=x",
            "--owncert-private-key=abc",
            "--force-media-node-public-ip",
        ];
        assert.deepStrictEqual(problemsOf(awsConfig({ additionalInstallerFlags: managed })), [
            "additionalInstallerFlags[0]: --domain-name is set by openvidu-ha itself (from its config keys); remove it here",
            "additionalInstallerFlags[1]: --rtc-engine is set by openvidu-ha itself (from its config keys); remove it here",
            "additionalInstallerFlags[2]: --no-tty is set by openvidu-ha itself (from its config keys); remove it here",
            "additionalInstallerFlags[3]: --public-ip is set by openvidu-ha itself (from its config keys); remove it here",
            "additionalInstallerFlags[4]: --letsencrypt-email is set by openvidu-ha itself (from its config keys); remove it here",
            "additionalInstallerFlags[5]: --domain-name-or-ip is set by openvidu-ha itself (from its config keys); remove it here",
            "additionalInstallerFlags[6]: --owncert-private-key is set by openvidu-ha itself (from its config keys); remove it here",
            "additionalInstallerFlags[7]: --force-media-node-public-ip is set by openvidu-ha itself (from its config keys); remove it here",
        ]);
    });

    it("reports a malformed entry and a managed one together", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ additionalInstallerFlags: ["--x=a;b", "--domain-name=x"] })), [
            "additionalInstallerFlags[0]: must be one installer flag, '--name' or '--name=value' (value of letters, digits and , = _ . - only)",
            "additionalInstallerFlags[1]: --domain-name is set by openvidu-ha itself (from its config keys); remove it here",
        ]);
    });

    it("refuses a flag listed twice", () => {
        assert.deepStrictEqual(problemsOf(onpremConfig({ additionalInstallerFlags: ["--force-utc-timezone", "--force-utc-timezone=true"] })), [
            "additionalInstallerFlags[1]: --force-utc-timezone is listed more than once",
        ]);
    });
});

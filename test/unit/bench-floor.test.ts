import * as assert from "assert";
import * as aws from "@pulumi/aws";
import * as command from "@pulumi/command";
import * as random from "@pulumi/random";
import { providerClassOf } from "../../tools/bench/scenario";

describe("bench floor: the provider class of a recorded type token", () => {
    it("finds the class in a module of the package, or at its top for index tokens", () => {
        assert.strictEqual(providerClassOf("command:remote:Command"), command.remote.Command);
        assert.strictEqual(providerClassOf("aws:ec2/launchTemplate:LaunchTemplate"), aws.ec2.LaunchTemplate);
        assert.strictEqual(providerClassOf("random:index/randomPassword:RandomPassword"), random.RandomPassword);
    });

    it("has none for a dynamic resource, an unknown package, or a class registered under another token", () => {
        assert.strictEqual(providerClassOf("pulumi-nodejs:dynamic:HostKeyPin"), undefined);
        assert.strictEqual(providerClassOf("nosuchpackage:index/thing:Thing"), undefined);
        assert.strictEqual(providerClassOf("aws:ec2/instance:Vpc"), undefined);
    });
});

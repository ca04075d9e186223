/** Gaps against the vendor's 3.8 template: GPU instance types, the media group's health signal, the drain bound. */
import * as assert from "assert";
import { isNvidiaGpu, mediaRootVolumeGb, nodeImageParameter } from "../../../components/aws/plan/architecture";
import { MAX_AWS_DRAIN_MINUTES } from "../../../components/aws/plan/timing";
import { mockParameterValue } from "../../../tools/offline-runtime/aws-mocks";
import { AWS_SECRET_KEYS, awsConfig, onpremConfig } from "../../support/fixtures";
import { runProgram, sharedRun } from "../../support/program";
import { validate } from "../../support/validation";

/** Vendor facts 1.2, IsMasterNodeNvidia / IsMediaNodeNvidia. */
const VENDOR_NVIDIA = ["g4dn", "g5", "g5g", "g6", "g6e", "g6f", "gr6", "gr6f", "g7e", "p4d", "p4de", "p5", "p5e", "p5en", "p6-b200", "p6-b300", "p6e-gb200"];
const DLAMI = (arch: string) => `/aws/service/deeplearning/ami/${arch}/base-oss-nvidia-driver-gpu-ubuntu-24.04/latest/ami-id`;

const decode = (b64: string) => Buffer.from(b64, "base64").toString("utf8");

describe("aws: GPU instance types, as the vendor boots them", () => {
    it("recognises exactly the vendor's Nvidia families", () => {
        for (const family of VENDOR_NVIDIA) assert.ok(isNvidiaGpu(`${family}.xlarge`), family);
        for (const family of ["c6a", "c7g", "g4ad", "m7i", "inf2", "t4g"]) assert.ok(!isNvidiaGpu(`${family}.xlarge`), family);
    });

    it("takes NVIDIA's deep-learning Ubuntu 24.04 image for its architecture, and Ubuntu for the rest", () => {
        assert.strictEqual(nodeImageParameter("g5.xlarge"), DLAMI("x86_64"));
        assert.strictEqual(nodeImageParameter("g5g.xlarge"), DLAMI("arm64"));
        assert.strictEqual(nodeImageParameter("c6a.xlarge"), "/aws/service/canonical/ubuntu/server/noble/stable/current/amd64/hvm/ebs-gp3/ami-id");
        assert.deepStrictEqual([mediaRootVolumeGb("g6.2xlarge"), mediaRootVolumeGb("c6a.xlarge")], [100, 50]);
    });

    it("boots GPU media nodes from the deep-learning image with a 100 GB disk, and GPU masters from it too", async () => {
        const run = await runProgram(awsConfig({ masterInstanceType: "g5g.xlarge", mediaInstanceType: "g5g.2xlarge" }), AWS_SECRET_KEYS);
        const lt = run.inputsOf("media-template");
        assert.strictEqual(lt.imageId, `resolve:ssm:${DLAMI("arm64")}`);
        assert.strictEqual(lt.blockDeviceMappings[0].ebs.volumeSize, 100);
        assert.strictEqual(run.inputsOf("masters-1").ami, mockParameterValue(DLAMI("arm64")));
    });
});

describe("aws: media health signal", () => {
    it("uses EC2 health (plus the node's own SetInstanceHealth), not the RTMP/TURN target groups' checks", async () => {
        const run = await sharedRun(awsConfig(), AWS_SECRET_KEYS);
        assert.strictEqual(run.inputsOf("media-group").healthCheckType, "EC2");
        assert.match(decode(run.inputsOf("media-template").userData), /\S/);
    });
});

describe("aws: drain bound", () => {
    it("defaults to the lifecycle hook's ceiling on AWS, so no session or recording is cut; 60 minutes on-prem", async () => {
        const aws = validate(awsConfig()).settings;
        assert.strictEqual(aws.drainTimeoutMinutes, MAX_AWS_DRAIN_MINUTES);
        assert.strictEqual(validate(onpremConfig()).settings.drainTimeoutMinutes, 60);
        assert.strictEqual(validate(awsConfig({ drainTimeoutMinutes: "90" })).settings.drainTimeoutMinutes, 90);
        const run = await sharedRun(awsConfig(), AWS_SECRET_KEYS);
        assert.match(decode(run.inputsOf("media-template").userData), new RegExp(`^OPENVIDU_HA_DRAIN_TIMEOUT_SECONDS='${MAX_AWS_DRAIN_MINUTES * 60}'$`, "m"));
        assert.strictEqual(run.inputsOf("media-drain").heartbeatTimeout, Math.ceil(((MAX_AWS_DRAIN_MINUTES + 10) * 60) / 100));
    });
});

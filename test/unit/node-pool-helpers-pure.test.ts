/**
 * The pure helpers of the on-prem node pools: media resource-name suffixes, what a pool reports of a node, and which
 * host key a node's commands verify when no pin is needed. Literal expected values; nothing computed at load time.
 */
import * as assert from "assert";
import * as command from "@pulumi/command";
import { mediaNodeSuffix } from "../../components/onprem/media-node-pool";
import { nodeOutput, pinHostKey } from "../../components/onprem/node-provisioning";

const SSH = { user: "ubuntu", port: 22, dialErrorLimit: 10, perDialTimeout: 15 };
const KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIJZk57NYpniRlmWh2EKAgKIMjHHYydNxQqwmEeJ6Zfa/";

describe("node pool helpers", () => {
    it("mediaNodeSuffix: the private IP with every dot and colon made a dash", () => {
        assert.strictEqual(mediaNodeSuffix({ publicIp: "198.51.100.21", privateIp: "10.5.1.17" }), "10-5-1-17");
        assert.strictEqual(mediaNodeSuffix({ publicIp: "2001:db8::21", privateIp: "fd00::1:11" }), "fd00--1-11");
    });

    it("nodeOutput: label and address, and the host key only when the node's commands verify one", () => {
        const install = {} as command.remote.Command;
        const address = { publicIp: "203.0.113.11", privateIp: "10.5.0.1" };
        const connection = { address, ssh: { ...SSH, hostKeyCheck: "off" as const }, privateKey: "k" };
        assert.deepStrictEqual(nodeOutput({ label: "master-1", address, install, connection }), { label: "master-1", address });
        assert.deepStrictEqual(nodeOutput({ label: "master-1", address, install, connection: { ...connection, hostKey: KEY } }), {
            label: "master-1",
            address,
            hostKey: KEY,
        });
    });

    it("pinHostKey: a configured hostKey is used as is, in every mode; with sshHostKeyCheck off there is none", () => {
        const configured = { publicIp: "203.0.113.11", privateIp: "10.5.0.1", hostKey: KEY };
        for (const hostKeyCheck of ["first-use", "configured", "off"] as const) {
            assert.strictEqual(pinHostKey("masters-1-host-key", "master-1", configured, { ...SSH, hostKeyCheck }, {}), KEY, hostKeyCheck);
        }
        assert.strictEqual(
            pinHostKey("masters-1-host-key", "master-1", { publicIp: "203.0.113.11", privateIp: "10.5.0.1" }, { ...SSH, hostKeyCheck: "off" }, {}),
            undefined,
        );
    });
});

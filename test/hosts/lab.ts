// Shared mocha setup for the self-tests: hosts + the installer-double server,
// started in `before` and torn down (with a leftover check) in `after`.
import { strict as assert } from "assert";
import { InstallerDoubleServer, runRemote, RemoteResult, startInstallerDoubleServer, startTestHosts, TestHost, TestHostSpec, TestHosts } from "./harness";

export interface Lab {
    hosts: TestHosts;
    server: InstallerDoubleServer;
    /** URL of the installer double for `role`, like https://get.openvidu.io/pro/ha/<version>/... */
    installUrl(role: "master" | "media", version?: string): string;
    /** Tears down now; resolves to what was left behind. */
    teardown(): Promise<string[]>;
}

export const ssh = (h: TestHost, cmd: string, stdin?: string, user = "root"): Promise<RemoteResult> => runRemote(h.connection(user), cmd, stdin);

export function useLab(specs: TestHostSpec[]): Lab {
    let done = false;
    const lab = {} as Lab;
    before(async function () {
        lab.hosts = await startTestHosts(specs);
        lab.teardown = async () => {
            done = true;
            if (lab.server) await lab.server.close();
            return lab.hosts.teardown();
        };
        lab.server = await startInstallerDoubleServer({
            address: lab.hosts.bridge.address,
            ca: lab.hosts.ca,
            dir: lab.hosts.dir,
        });
        lab.installUrl = (role, version = "3.8.0") => `${lab.server.url}/pro/ha/${version}/install_ov_${role}_node.sh`;
    });
    after(async function () {
        if (lab.hosts && !done) assert.deepEqual(await lab.teardown(), [], "leftovers after teardown");
    });
    return lab;
}

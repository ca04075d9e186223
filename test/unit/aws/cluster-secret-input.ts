/** The cluster secret's input of a 4-master stack, as literals: the one builder of the AWS secret tests. */
import { ClusterSecretInput } from "../../../components/aws/plan/cluster-secret";
import { releaseLineOf } from "../../../components/core/release-lines";

/** Stack defaults (vendor installer and updater, no digests), every credential of the line as `value-of-<key>`. */
export function clusterSecretInput(version: string, overrides: Partial<ClusterSecretInput> = {}): ClusterSecretInput {
    const line = releaseLineOf(version)!;
    return {
        line,
        openviduVersion: version,
        domain: "openvidu.example.com",
        rtcEngine: "pion",
        modules: line.defaultModules,
        masterPrivateIps: ["10.0.1.10", "10.0.2.10", "10.0.3.10", "10.0.4.10"],
        updater: { baseUrl: "https://get.openvidu.io/update", sha256: {} },
        installerBaseUrl: "https://get.openvidu.io/pro/ha",
        installerSha256: {},
        license: "LICENSE-123",
        credentials: Object.fromEntries(line.credentials.map((k) => [k, `value-of-${k}`])),
        ...overrides,
    };
}

/** Service URLs of a deployment, per release line and enabled modules (seed: "you will be able to access ..."). */
import { ReleaseLine } from "./release-lines";

export interface ClusterUrls {
    openvidu: string;
    livekit: string;
    dashboard: string;
    minioConsole: string;
    grafana?: string;
    /** OpenVidu Meet (3.8 line, openviduMeet module). */
    meet?: string;
    /** OpenVidu Call (3.0 line, app module). */
    call?: string;
}

export function clusterUrls(domain: string, line: ReleaseLine, modules: readonly string[]): ClusterUrls {
    const https = `https://${domain}/`;
    const urls: ClusterUrls = {
        openvidu: https,
        livekit: `wss://${domain}/`,
        dashboard: `${https}dashboard/`,
        minioConsole: `${https}minio-console/`,
    };
    if (modules.includes("observability")) {
        urls.grafana = `${https}grafana/`;
    }
    if (modules.includes(line.appModule.module)) {
        urls[line.appModule.urlName] = https;
    }
    return urls;
}

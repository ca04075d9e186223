import * as fs from "fs";

/** A refusal or failure the user can act on: printed without a stack trace. */
export class LabError extends Error {}

/** Files the user runs `pulumi`/`deploy` with belong to the user who ran sudo (SUDO_UID), not to root. */
export function ownToInvokingUser(paths: string[], env: NodeJS.ProcessEnv = process.env): void {
    const uid = Number(env.SUDO_UID);
    const gid = Number(env.SUDO_GID);
    if (!Number.isInteger(uid) || !Number.isInteger(gid) || env.SUDO_UID === undefined) return;
    for (const p of paths) fs.chownSync(p, uid, gid);
}

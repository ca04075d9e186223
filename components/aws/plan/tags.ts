/** Tags on every AWS resource of a deployment, so it can be found and told apart in the console and the bills. */

export type Tags = Record<string, string>;

/** `openvidu-ha:deployment` = `<project>-<stack>`, plus a Name when given. */
export function deploymentTags(deployment: string, name?: string): Tags {
    return { "openvidu-ha:deployment": deployment, ...(name === undefined ? {} : { Name: `${deployment} ${name}` }) };
}

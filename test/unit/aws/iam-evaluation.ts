/**
 * IAM's identity-policy decision for one request, as AWS documents it ("Policy evaluation logic": an explicit Deny
 * in any statement wins; otherwise an Allow is needed; otherwise the request is implicitly denied). Action and
 * Resource match case-insensitively for actions and case-sensitively for ARNs, with `*` and `?` wildcards.
 * No conditions, NotAction or NotResource: the policies under test use none.
 */
import { PolicyDocument } from "../../../components/aws/plan/iam-policies";

export type IamDecision = "allow" | "explicitDeny" | "implicitDeny";

function wildcard(pattern: string, flags: string): RegExp {
    const body = pattern
        .split("")
        .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.+^${}()|[\]\\]/g, "\\$&")))
        .join("");
    return new RegExp(`^${body}$`, flags);
}

export function iamDecision(policy: PolicyDocument, action: string, resource: string): IamDecision {
    const matching = policy.Statement.filter(
        (s) => s.Action.some((a) => wildcard(a, "i").test(action)) && s.Resource.some((r) => wildcard(r, "").test(resource)),
    );
    if (matching.some((s) => s.Effect === "Deny")) return "explicitDeny";
    return matching.some((s) => s.Effect === "Allow") ? "allow" : "implicitDeny";
}

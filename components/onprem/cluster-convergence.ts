/**
 * Day 2 on-prem: the chain of steps that brings a running cluster to the configured version and config.
 *
 * Every step carries the target version in its command and the installer arguments on stdin, so the engine runs
 * the whole chain again exactly when one of them changes, and nothing otherwise (pulumi-cli-facts 4: a resource
 * whose inputs did not change gets no step). The command is the step's `update` and it has no `create`
 * (pulumi-command v1.2.1 provider/pkg/provider/remote/commandController.go: `Create` without `create` returns
 * at once, no SSH dial; `Update` runs `update`): creating a step runs nothing, which is right whenever a step is
 * created, since its node is then installed at the target by install.sh (the first deploy, a media node added,
 * re-added or replaced); every later change of its inputs runs converge.sh. So both rounds exist for every
 * target: an upgrade across 3.5.0 must update the checkpoint round's steps, not create them (converge.sh's
 * checkpoint round does nothing unless the upgrade crosses 3.5.0). Order, by dependsOn:
 *   check on every node (decides and records the procedure, fetches the updater, pulls its images; refusals
 *   stop the up here, before any node is touched)
 *   -> per round (the 3.5.0 checkpoint round, then the final one): stop media (drained) -> stop masters
 *      -> update every node in parallel (updater and/or config files) -> start masters (health-gated)
 *      -> start media (health-gated).
 * A step that failed keeps its old inputs in the state, so the next up runs it and everything after it again:
 * the upgrade resumes; each phase also marks its work done on the node.
 */
import * as command from "@pulumi/command";
import * as pulumi from "@pulumi/pulumi";
import { SshSettings } from "../config/settings";
import { ReleaseLine } from "../core/release-lines";
import { HostAddress, NodeRole } from "../core/types";
import { UPDATER_STEPS, UPGRADE_CHECKPOINT } from "../core/upgrade-path";
import { ConvergenceRound, flagRules, renderFlagRules } from "../host/convergence-plan";
import { convergeCommand } from "./host-commands";
import { hostStep } from "./host-steps";

export interface ConvergenceNode {
    /** master-1 .. master-4, media-<ip>: the node's label in messages and names. */
    label: string;
    role: NodeRole;
    address: HostAddress;
    /** The host key the steps verify: the node pool's (configured or recorded at the first connection). */
    hostKey?: pulumi.Input<string>;
    /**
     * The configuration to converge to (a Pulumi secret): the node's installer arguments, on media nodes followed
     * by clusterLines() of the masters' arguments (the same text as its install step's stdin).
     */
    convergeStdin: pulumi.Input<string>;
}

export interface ClusterConvergenceArgs {
    /** Every node: the 4 masters first (master-1 restarts for in-place changes), then the media nodes. */
    nodes: ConvergenceNode[];
    /** The configured openviduVersion and its release line (whose flag rules apply). */
    version: string;
    line: ReleaseLine;
    ssh: SshSettings;
    /** SSH private key; a Pulumi secret. */
    sshPrivateKey: pulumi.Input<string>;
    /** HTTPS base of the vendor's updater (`<base>/<version>/update.sh`) and optional SHA-256 per version. */
    updater: { baseUrl: string; sha256: Record<string, string> };
    /** Bound of each node's health gate, seconds. */
    healthTimeoutSeconds: number;
    /** Bound of a media node's drain before it stops, seconds. */
    drainTimeoutSeconds: number;
    /** The checks wait for these: the masters' health gates (the cluster exists before it converges). */
    after: pulumi.Input<pulumi.Resource>[];
}

/** Both rounds for every target (see above): the checkpoint round's steps exist before an upgrade needs them. */
const ROUNDS: readonly ConvergenceRound[] = ["checkpoint", "final"];

/**
 * A resource that completes once every one of `steps` has: the engine-builtin `pulumi:index:Stash` (no provider
 * plugin; pulumi/pulumi pkg/resource/deploy/builtins.go, since CLI v3.208.0), with a constant input so it never
 * changes. Not a component: the Node SDK expands a dependsOn on a component to every child's URN
 * (sdk/nodejs/runtime/dependsOn.ts `getAllTransitivelyReferencedResourceURNs`), a custom resource stays one URN.
 */
export function convergenceBarrier(owner: pulumi.Resource, name: string, steps: pulumi.Resource[]): pulumi.Stash {
    return new pulumi.Stash(name, { input: "barrier" }, { parent: owner, dependsOn: steps });
}

export class ClusterConvergence extends pulumi.ComponentResource {
    /** The masters' last start steps: media nodes install after them, on the converged cluster. */
    public readonly mastersConverged: command.remote.Command[];
    /** Each node's last step, by label: a new media node's install waits for it, so no two scripts share a host. */
    public readonly lastStepOf: ReadonlyMap<string, command.remote.Command>;

    constructor(name: string, args: ClusterConvergenceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("openvidu-ha:onprem:ClusterConvergence", name, {}, opts);
        const step = (
            node: ConvergenceNode,
            phase: "check" | "stop" | "update" | "start",
            round: ConvergenceRound,
            dependsOn: pulumi.Input<pulumi.Resource>[],
        ) =>
            hostStep(
                this,
                phase === "check" ? `${name}-${node.label}-check` : `${name}-${node.label}-${round}-${phase}`,
                { address: node.address, ssh: args.ssh, privateKey: args.sshPrivateKey, hostKey: node.hostKey },
                {
                    ...convergeCommand({
                        label: node.label,
                        role: node.role,
                        phase,
                        round,
                        target: args.version,
                        steps: UPDATER_STEPS,
                        checkpoint: UPGRADE_CHECKPOINT,
                        updaterBaseUrl: args.updater.baseUrl,
                        updaterSha256: args.updater.sha256,
                        healthTimeoutSeconds: args.healthTimeoutSeconds,
                        drainTimeoutSeconds: args.drainTimeoutSeconds,
                        leader: node.label === args.nodes[0].label,
                        rules: renderFlagRules(flagRules(args.line, node.role)),
                        clusterRules: node.role === "media" ? renderFlagRules(flagRules(args.line, "master")) : "",
                    }),
                    stdin: node.convergeStdin,
                },
                { dependsOn, secretStdin: true },
            );
        // A barrier waits for every step of a phase, and the next phase's steps wait for the barrier alone: the
        // dependency lists stay O(N) (every media stop waiting for every check would be N^2 URNs at N media nodes).
        const barrier = (phase: string, steps: pulumi.Resource[]) => convergenceBarrier(this, `${name}-${phase}`, steps);
        const masters = args.nodes.filter((n) => n.role === "master");
        const media = args.nodes.filter((n) => n.role === "media");
        let previous: pulumi.Resource = barrier(
            "checked",
            args.nodes.map((n) => step(n, "check", "final", args.after)),
        );
        let mastersStarted: command.remote.Command[] = [];
        let mediaStarted: command.remote.Command[] = [];
        for (const round of ROUNDS) {
            const mediaStopped = barrier(`${round}-media-stopped`, [previous, ...media.map((n) => step(n, "stop", round, [previous]))]);
            const mastersStopped = masters.map((n) => step(n, "stop", round, [mediaStopped]));
            const updated = barrier(
                `${round}-updated`,
                args.nodes.map((n) => step(n, "update", round, mastersStopped)),
            );
            mastersStarted = masters.map((n) => step(n, "start", round, [updated]));
            mediaStarted = media.map((n) => step(n, "start", round, mastersStarted));
            previous = barrier(`${round}-started`, [...mastersStarted, ...mediaStarted]);
        }
        this.mastersConverged = mastersStarted;
        this.lastStepOf = new Map([
            ...masters.map((n, i) => [n.label, mastersStarted[i]] as const),
            ...media.map((n, i) => [n.label, mediaStarted[i]] as const),
        ]);
        this.registerOutputs({});
    }
}

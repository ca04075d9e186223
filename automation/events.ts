/**
 * Engine events (the CLI's `--event-log` stream, `sdk/go/common/apitype/events.go`) turned into the few events a
 * caller needs, with every known secret value masked in text that reaches the caller.
 */
import { EngineEvent } from "@pulumi/pulumi/automation";

/** What the engine does to a resource (`OpType` in apitype: create, update, delete, replace, same, refresh, ...). */
export type ResourceOperation = string;

/** A progress event of a preview, up, refresh or destroy. */
export type DeploymentEvent =
    /** The engine started a step on a resource (`name` is the URN's last segment, e.g. "masters-2-install"). */
    | { kind: "resource-started"; urn: string; type: string; name: string; op: ResourceOperation }
    /** The step finished. */
    | { kind: "resource-done"; urn: string; type: string; name: string; op: ResourceOperation }
    /** The step failed; a `diagnostic` error with the same `urn` carries the message. */
    | { kind: "resource-failed"; urn: string; type: string; name: string; op: ResourceOperation }
    /** A line a host step printed (`@pulumi/command` streams each line as an info diagnostic of its resource). */
    | { kind: "host-output"; urn: string; name: string; line: string }
    /** A warning or error diagnostic. `urn` is absent for messages not tied to a resource. */
    | { kind: "diagnostic"; severity: "warning" | "error"; urn?: string; name?: string; message: string }
    /** The operation ended: `result` ("succeeded", "failed"; empty from CLIs that do not report it) and counts per op. */
    | { kind: "summary"; result: string; changes: Record<string, number> };

/** Receives progress events. */
export type DeploymentListener = (event: DeploymentEvent) => void;

/** The resource name is the URN's last `::` segment. */
export function resourceName(urn: string): string {
    return urn.slice(urn.lastIndexOf("::") + 2);
}

/** Replaces every secret value (and each line of a multi-line one, and its base64 form) with "[secret]". */
export class SecretMasker {
    private readonly needles: string[];

    /** `secretValues`: the plain values to hide. */
    constructor(secretValues: readonly string[]) {
        const needles = new Set<string>();
        for (const value of secretValues) {
            for (const candidate of [value, Buffer.from(value).toString("base64"), ...value.split("\n")]) {
                // Very short fragments (a PEM's "-----END" line is long; single characters are not) would mask noise.
                if (candidate.trim().length >= 4) needles.add(candidate.trim());
            }
        }
        // Longest first, so a value is masked whole before any of its lines.
        this.needles = [...needles].sort((a, b) => b.length - a.length);
    }

    /** `text` with every secret replaced by "[secret]". */
    mask(text: string): string {
        return this.needles.reduce((acc, needle) => acc.split(needle).join("[secret]"), text);
    }
}

/** A resource that failed, with the error messages the engine reported for it. */
export interface ResourceFailure {
    urn: string;
    /** Resource type token, e.g. "command:remote:Command". */
    type: string;
    /** The URN's last segment, e.g. "masters-2-install". */
    name: string;
    /** The engine's error messages for it, secrets masked. */
    messages: string[];
}

/**
 * Maps engine events to `DeploymentEvent`s and remembers what failed, so a failed operation can name the resource
 * and its message.
 */
export class EventTranslator {
    readonly failures = new Map<string, ResourceFailure>();
    /** Error diagnostics not tied to a resource (program errors, config validation). */
    readonly generalErrors: string[] = [];
    /**
     * Engine event sequence numbers already handled. With CLI 3.205 and older the Automation API tails an event log
     * file (@pulumi/pulumi automation/stack.js readLines, @logdna/tail-file), and the last poll that `quit()` starts
     * can run beside a poll still reading: both stream from the same offset, so lines arrive twice.
     */
    private readonly handled = new Set<number>();

    constructor(
        private readonly masker: SecretMasker,
        private readonly listener?: DeploymentListener,
    ) {}

    private failure(urn: string, type = ""): ResourceFailure {
        const known = this.failures.get(urn) ?? { urn, type, name: resourceName(urn), messages: [] };
        if (type) known.type = type;
        this.failures.set(urn, known);
        return known;
    }

    private emit(event: DeploymentEvent): void {
        this.listener?.(event);
    }

    readonly onEngineEvent = (event: EngineEvent): void => {
        if (typeof event.sequence === "number") {
            if (this.handled.has(event.sequence)) return;
            this.handled.add(event.sequence);
        }
        const step = event.resourcePreEvent ?? event.resOutputsEvent ?? event.resOpFailedEvent;
        if (step) {
            const { urn, type, op } = step.metadata;
            const base = { urn, type, name: resourceName(urn), op: String(op) };
            if (event.resourcePreEvent) this.emit({ kind: "resource-started", ...base });
            else if (event.resOutputsEvent) this.emit({ kind: "resource-done", ...base });
            else {
                this.failure(urn, type);
                this.emit({ kind: "resource-failed", ...base });
            }
            return;
        }
        const diag = event.diagnosticEvent;
        if (diag) {
            const message = this.masker.mask(diag.message.replace(/\n+$/, ""));
            const urn = diag.urn || undefined;
            if (diag.severity === "error") {
                if (urn) this.failure(urn).messages.push(message.replace(/^error: /, ""));
                else this.generalErrors.push(message.replace(/^error: /, ""));
                this.emit({ kind: "diagnostic", severity: "error", urn, name: urn && resourceName(urn), message });
            } else if (diag.severity === "warning") {
                this.emit({ kind: "diagnostic", severity: "warning", urn, name: urn && resourceName(urn), message });
            } else if (diag.severity.startsWith("info") && urn) {
                for (const line of message.split("\n")) {
                    this.emit({ kind: "host-output", urn, name: resourceName(urn), line });
                }
            }
            return;
        }
        if (event.summaryEvent) {
            const changes = Object.fromEntries(Object.entries(event.summaryEvent.resourceChanges ?? {}).map(([k, v]) => [k, Number(v)]));
            this.emit({ kind: "summary", result: String((event.summaryEvent as { result?: string }).result ?? ""), changes });
        }
    };
}

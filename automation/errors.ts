/** Errors a caller can tell apart. Config problems are `ConfigError` (components/config), as for a stack file. */
import { ResourceFailure, SecretMasker } from "./events";

/** The CLI operations this module runs. */
export type Operation = "preview" | "up" | "refresh" | "destroy";

/**
 * A preview, up, refresh or destroy that failed. The message names each failed resource and the engine's message
 * for it (secrets masked); `failures` has them as data.
 */
export class DeploymentError extends Error {
    /** @internal Built by `OpenviduHaStack` from the events it saw and the CLI's error (`cause`). */
    constructor(
        /** The operation that failed. */
        readonly operation: Operation,
        /** The stack it ran on. */
        readonly stackName: string,
        /** Each failed resource with the engine's messages. */
        readonly failures: readonly ResourceFailure[],
        /** Errors not tied to a resource (the program threw, config the CLI refused). */
        readonly generalErrors: readonly string[],
        cause: unknown,
        masker: SecretMasker,
    ) {
        super(DeploymentError.describe(operation, stackName, failures, generalErrors, cause, masker), { cause });
        this.name = "DeploymentError";
    }

    private static describe(
        operation: Operation,
        stackName: string,
        failures: readonly ResourceFailure[],
        generalErrors: readonly string[],
        cause: unknown,
        masker: SecretMasker,
    ): string {
        const lines = [...failures.map((f) => `${f.name} (${f.type || "resource"}): ${f.messages.join("\n    ") || "failed"}`), ...generalErrors];
        if (lines.length === 0) {
            // No engine event said why (the CLI failed before the engine started): the CLI's own message.
            const text = cause instanceof Error ? cause.message : String(cause);
            lines.push(masker.mask(text.trim()));
        }
        return `pulumi ${operation} of stack '${stackName}' failed:\n  ${lines.join("\n  ")}`;
    }
}

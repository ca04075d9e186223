/**
 * A test double of the `pulumi` executable (pulumi-double.js), installed the way the Automation API finds a CLI:
 * `<root>/bin/pulumi`, handed over with `PulumiCommand.get({ root })`. Each double gets its own state and its own
 * project directory (a copy of Pulumi.yaml), so the stack files it writes never touch the repository.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { PulumiCommand } from "@pulumi/pulumi/automation";

const DOUBLE = path.join(__dirname, "pulumi-double.js");
const REPO = path.join(__dirname, "..", "..", "..");

export interface DoubleScenario {
    /** What `pulumi version` prints. Default 3.260.0 (events over gRPC); 3.205.0 or older: an event log file. */
    version?: string;
    /** Operations that fail at a resource: when the stack's plain config has the `when` values. */
    failures?: { stack?: string; operation?: string; when?: Record<string, string>; resource: string; message: string }[];
    /** The first install step prints the stack's license in its output, as a careless installer would. */
    leakyInstaller?: boolean;
}

/** One recorded CLI invocation. */
export interface RecordedCall {
    argv: string[];
    env: Record<string, string>;
    cwd: string;
    /** What the CLI read from stdin (only commands that read it). */
    stdin?: string;
    exitCode: number;
}

export class PulumiDouble {
    private constructor(
        readonly root: string,
        readonly stateDir: string,
        readonly projectDir: string,
    ) {}

    static create(scenario: DoubleScenario = {}): PulumiDouble {
        const root = fs.mkdtempSync(path.join(os.tmpdir(), "openvidu-ha-pulumi-double-"));
        const stateDir = path.join(root, "state");
        const projectDir = path.join(root, "project");
        for (const dir of [path.join(root, "bin"), stateDir, projectDir]) fs.mkdirSync(dir);
        fs.copyFileSync(path.join(REPO, "Pulumi.yaml"), path.join(projectDir, "Pulumi.yaml"));
        fs.writeFileSync(path.join(stateDir, "scenario.json"), JSON.stringify(scenario));
        const wrapper = `#!/bin/sh\nPULUMI_DOUBLE_STATE='${stateDir}' exec '${process.execPath}' '${DOUBLE}' "$@"\n`;
        fs.writeFileSync(path.join(root, "bin", "pulumi"), wrapper, { mode: 0o755 });
        return new PulumiDouble(root, stateDir, projectDir);
    }

    /** The CLI as the Automation API takes it. */
    command(): Promise<PulumiCommand> {
        return PulumiCommand.get({ root: this.root });
    }

    /** Every invocation so far, oldest first. */
    calls(): RecordedCall[] {
        const file = path.join(this.stateDir, "calls.jsonl");
        if (!fs.existsSync(file)) return [];
        return fs
            .readFileSync(file, "utf8")
            .split("\n")
            .filter(Boolean)
            .map((line) => JSON.parse(line) as RecordedCall);
    }

    /** Invocations after the first `skip`, as the argument lists. */
    commands(skip = 0): string[][] {
        return this.calls()
            .slice(skip)
            .map((c) => c.argv);
    }

    /** The stack settings file the double wrote (Pulumi.<stack>.yaml). */
    stackFile(stack: string): string {
        return fs.readFileSync(path.join(this.projectDir, `Pulumi.${stack}.yaml`), "utf8");
    }

    remove(): void {
        fs.rmSync(this.root, { recursive: true, force: true });
    }
}

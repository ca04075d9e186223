/**
 * Commands the Automation API cannot run without putting secrets on the command line: they run the workspace's own
 * CLI binary with the environment `PulumiCommand.run` would give it, with input on stdin.
 *
 * Why: the Automation API's `setConfig`/`setAllConfig` put every value in the argument list
 * (`sdk/nodejs/automation/localWorkspace.ts`: `args.push(key, ..., "--", value.value)` and
 * `args.push(secretArg, \`${key}=${value.value}\`)`), where any user of the machine can read it (`ps`, /proc).
 * `pulumi config set --secret <key>` without a value reads the value from stdin when stdin is not a terminal
 * (`pkg/cmd/pulumi/config/config.go`, `configSetCmd.Run`: `case !term.IsTerminal(int(stdin.Fd())):
 * io.ReadAll(stdin)`) and removes exactly one trailing "\n" (`cmdutil.RemoveTrailingNewline`): sending the value
 * plus "\n" stores any value exactly, a PEM's final newline included, with every CLI since 2020 (`--raw` needs a
 * CLI from June 2026).
 */
import { spawn } from "child_process";
import * as path from "path";
import { LocalWorkspace } from "@pulumi/pulumi/automation";

/** The environment `PulumiCommand.run` gives the CLI (`automation/cmd.ts` `run`, `localWorkspace.ts` `runPulumiCmd`). */
export function cliEnvironment(workspace: LocalWorkspace): NodeJS.ProcessEnv {
    const env: NodeJS.ProcessEnv = { ...process.env };
    if (workspace.pulumiHome) env.PULUMI_HOME = workspace.pulumiHome;
    Object.assign(env, workspace.envVars);
    const command = workspace.pulumiCommand.command;
    if (path.isAbsolute(command)) {
        // As PulumiCommand.run: the CLI's own directory first on PATH, so its bundled plugins are found.
        env.PATH = `${path.dirname(command)}${path.delimiter}${workspace.envVars.PATH ?? process.env.PATH ?? ""}`;
    }
    env.PULUMI_AUTOMATION_API = "true";
    return env;
}

/** Runs the workspace's CLI with `args` (plus `--non-interactive`), `stdin` as its input; resolves to its stdout. */
export function runCli(workspace: LocalWorkspace, args: string[], stdin = ""): Promise<string> {
    const fullArgs = [...args, "--non-interactive"];
    return new Promise((resolve, reject) => {
        const child = spawn(workspace.pulumiCommand.command, fullArgs, {
            cwd: workspace.workDir,
            env: cliEnvironment(workspace),
            stdio: ["pipe", "pipe", "pipe"],
        });
        let stdout = "";
        let stderr = "";
        child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
        child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
        child.on("error", reject);
        child.on("close", (code) => {
            if (code === 0) resolve(stdout);
            else reject(new Error(`pulumi ${fullArgs.join(" ")} failed (exit ${code}): ${stderr.trim()}`));
        });
        child.stdin.end(stdin);
    });
}

/** Sets one secret config value of `stack`; the value travels on stdin. */
export async function setSecretConfig(workspace: LocalWorkspace, stack: string, key: string, value: string): Promise<void> {
    await runCli(workspace, ["config", "set", "--secret", key, "--stack", stack], `${value}\n`);
}

/** Full keys of the stack's config, without revealing secrets (`pulumi config --json` blinds them). */
export async function configKeys(workspace: LocalWorkspace, stack: string): Promise<string[]> {
    const stdout = await runCli(workspace, ["config", "--json", "--stack", stack]);
    return Object.keys(JSON.parse(stdout || "{}") as Record<string, unknown>);
}

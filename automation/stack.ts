/**
 * One stack of this project, driven through the Automation API (LocalWorkspace on the project directory).
 */
import * as path from "path";
import { ConfigMap, LocalWorkspace, LocalWorkspaceOptions, PulumiCommand, Stack } from "@pulumi/pulumi/automation";
import { CONFIG_KEYS, ConfigKey } from "../components/config/keys";
import { configKeys, setSecretConfig } from "./cli";
import { checkConfig, CheckedConfig, OpenviduHaConfig, PROJECT_NAME } from "./config";
import { DeploymentError, Operation } from "./errors";
import { DeploymentListener, EventTranslator, SecretMasker } from "./events";
import { ClusterOutputs, toClusterOutputs } from "./outputs";
import { OfflinePlan, planOffline } from "./plan";

/** The project directory this module belongs to (where Pulumi.yaml is). */
export const PROJECT_DIR = path.join(__dirname, "..");

/** Where and how to run the Pulumi CLI. */
export interface WorkspaceOptions {
    /** The project directory. Default: this package's directory. */
    workDir?: string;
    /** The CLI to run. Default: `pulumi` from PATH (`PulumiCommand.get()`); a test double via `PulumiCommand.get({ root })`. */
    pulumiCommand?: PulumiCommand;
    /**
     * Environment for every CLI command, on top of this process's: the backend (`PULUMI_BACKEND_URL`, e.g.
     * `s3://bucket` or `file://~`), the passphrase (`PULUMI_CONFIG_PASSPHRASE` or `PULUMI_CONFIG_PASSPHRASE_FILE`),
     * `PULUMI_ACCESS_TOKEN`, cloud credentials.
     */
    envVars?: Record<string, string>;
    /** Secrets provider for stacks this creates (`passphrase`, `awskms://...`, ...). Default: the backend's. */
    secretsProvider?: string;
    /** PULUMI_HOME for the CLI. Default: the CLI's (~/.pulumi). */
    pulumiHome?: string;
}

/** Options of `OpenviduHaStack.open`. */
export interface OpenStackOptions extends WorkspaceOptions {
    /** Stack name (`dev`, `org/openvidu-ha/prod`). */
    stackName: string;
    /** `createOrSelect` (default), `select` (fails if missing) or `create` (fails if it exists). */
    mode?: "createOrSelect" | "select" | "create";
    /** Config to set on the stack. It is checked before the first CLI command runs. */
    config?: OpenviduHaConfig;
}

/** Options of an operation. */
export interface OperationOptions {
    /** Progress: resources started/done/failed, host step output lines (secrets masked), warnings, errors. */
    onEvent?: DeploymentListener;
    /** Update message recorded in the stack's history. */
    message?: string;
    /** Cancels the operation (the CLI gets SIGINT). */
    signal?: AbortSignal;
}

/** What an operation changed: counts per engine operation (`create`, `update`, `delete`, `same`, ...). */
export interface OperationResult {
    changes: Record<string, number>;
}

/** What `up` returns: the changes and the stack's outputs. */
export interface UpResult extends OperationResult {
    outputs: ClusterOutputs;
}

/** A stack of the openvidu-ha project. */
export class OpenviduHaStack {
    private masker = new SecretMasker([]);
    private secretsKnown = false;

    private constructor(
        /** The Automation API stack, for anything this class does not cover. */
        readonly stack: Stack,
        /** The workspace the stack runs in. */
        readonly workspace: LocalWorkspace,
    ) {}

    /** The stack's name. */
    get name(): string {
        return this.stack.name;
    }

    /**
     * Creates or selects a stack. With `config`, the config is checked first (a `ConfigError` naming every problem
     * is thrown before any CLI command runs), then set as the stack's whole config.
     */
    static async open(options: OpenStackOptions): Promise<OpenviduHaStack> {
        const checked = options.config ? checkConfig(options.config, { ...process.env, ...options.envVars }) : undefined;
        const workspaceOptions: LocalWorkspaceOptions = {
            workDir: options.workDir ?? PROJECT_DIR,
            ...(options.pulumiCommand ? { pulumiCommand: options.pulumiCommand } : {}),
            ...(options.envVars ? { envVars: options.envVars } : {}),
            ...(options.secretsProvider ? { secretsProvider: options.secretsProvider } : {}),
            ...(options.pulumiHome ? { pulumiHome: options.pulumiHome } : {}),
        };
        const workspace = await LocalWorkspace.create(workspaceOptions);
        const mode = options.mode ?? "createOrSelect";
        const stack =
            mode === "create"
                ? await Stack.create(options.stackName, workspace)
                : mode === "select"
                  ? await Stack.select(options.stackName, workspace)
                  : await Stack.createOrSelect(options.stackName, workspace);
        const opened = new OpenviduHaStack(stack, workspace);
        if (checked) await opened.writeConfig(checked);
        return opened;
    }

    /**
     * Sets the stack's whole config from one object: checked like a stack file first (`ConfigError` naming every
     * problem, before any CLI command), then keys the object does not have are removed, plain values set with
     * `pulumi config set-all --path`, and each secret with `pulumi config set --secret`, its value on stdin.
     */
    async setConfig(config: OpenviduHaConfig): Promise<void> {
        await this.writeConfig(checkConfig(config, { ...process.env, ...this.workspace.envVars }));
    }

    private async writeConfig(checked: CheckedConfig): Promise<void> {
        const wanted = new Map(checked.entries.map((e) => [e.key, e]));
        // Lists are written item by item, so an existing list is removed first (a shorter list leaves no tail).
        const stale = (await configKeys(this.workspace, this.name)).filter(
            (key) => !key.startsWith("pulumi:") && (!wanted.has(key) || wanted.get(key)!.pathEntries !== undefined),
        );
        if (stale.length > 0) {
            await this.stack.removeAllConfig(stale);
        }
        const plain: ConfigMap = {};
        for (const entry of checked.entries.filter((e) => !e.secret)) {
            for (const { path: key, value } of entry.pathEntries ?? [{ path: entry.key, value: entry.value }]) {
                plain[key] = { value, secret: false };
            }
        }
        if (Object.keys(plain).length > 0) {
            await this.stack.setAllConfig(plain, true);
        }
        for (const entry of checked.entries.filter((e) => e.secret)) {
            await setSecretConfig(this.workspace, this.name, entry.key, entry.value);
        }
        this.masker = new SecretMasker(checked.secretValues);
        this.secretsKnown = true;
    }

    /**
     * The stack's current config as the typed object (secret values revealed: they are read with
     * `pulumi config --show-secrets --json`, on the CLI's stdout). Use it to change one key:
     * `stack.setConfig({ ...(await stack.readConfig()), openviduVersion: "3.8.1" })`.
     */
    async readConfig(): Promise<OpenviduHaConfig> {
        const all = await this.stack.getAllConfig();
        const config: Record<string, unknown> = {};
        const secrets: string[] = [];
        for (const [fullKey, { value, secret }] of Object.entries(all)) {
            if (fullKey.startsWith("pulumi:")) continue;
            if (secret) secrets.push(value);
            const projectKey = fullKey.startsWith(`${PROJECT_NAME}:`) ? fullKey.slice(PROJECT_NAME.length + 1) : undefined;
            const spec = projectKey && projectKey in CONFIG_KEYS ? CONFIG_KEYS[projectKey as ConfigKey] : undefined;
            config[projectKey ?? fullKey] =
                spec?.type === "integer"
                    ? Number(value)
                    : spec?.type === "boolean"
                      ? value === "true"
                      : spec?.type === "stringArray" || spec?.type === "objectArray"
                        ? (JSON.parse(value) as unknown)
                        : value;
        }
        this.masker = new SecretMasker(secrets);
        this.secretsKnown = true;
        return config as unknown as OpenviduHaConfig;
    }

    /** Shows what `up` would change (`pulumi preview`). */
    async preview(options: OperationOptions = {}): Promise<OperationResult> {
        return this.run("preview", options, async (onEvent) => {
            const result = await this.stack.preview({ onEvent, message: options.message, signal: options.signal });
            return { changes: numbers(result.changeSummary) };
        });
    }

    /** Deploys (`pulumi up --yes --skip-preview`) and returns the changes and typed outputs. */
    async up(options: OperationOptions = {}): Promise<UpResult> {
        return this.run("up", options, async (onEvent) => {
            const result = await this.stack.up({ onEvent, message: options.message, signal: options.signal });
            return { changes: numbers(result.summary?.resourceChanges), outputs: toClusterOutputs(result.outputs) };
        });
    }

    /** Reads the real state of every resource into the stack (`pulumi refresh --yes --skip-preview`). */
    async refresh(options: OperationOptions = {}): Promise<OperationResult> {
        return this.run("refresh", options, async (onEvent) => {
            const result = await this.stack.refresh({ onEvent, message: options.message, signal: options.signal });
            return { changes: numbers(result.summary?.resourceChanges) };
        });
    }

    /** Deletes every resource of the stack (`pulumi destroy --yes --skip-preview`); kept data stays (see README). */
    async destroy(options: OperationOptions = {}): Promise<OperationResult> {
        return this.run("destroy", options, async (onEvent) => {
            const result = await this.stack.destroy({ onEvent, message: options.message, signal: options.signal });
            return { changes: numbers(result.summary?.resourceChanges) };
        });
    }

    /** The outputs of the last `up`, typed; secret outputs (credentials) are `Secret`s. */
    async outputs(): Promise<ClusterOutputs> {
        return toClusterOutputs(await this.stack.outputs());
    }

    /**
     * The offline plan of `config` (default: the stack's current config): the real program under the SDK's mock
     * runtime, as `npm run plan` prints it, with no CLI and no cloud. Secrets print as "[secret]".
     */
    async plan(config?: OpenviduHaConfig): Promise<OfflinePlan> {
        return planOffline(config ?? (await this.readConfig()), this.name);
    }

    private async run<T>(operation: Operation, options: OperationOptions, body: (onEvent: EventTranslator["onEngineEvent"]) => Promise<T>): Promise<T> {
        if (!this.secretsKnown) {
            // Masking needs the secret values; a stack opened without config reads them once.
            await this.readConfig();
        }
        const translator = new EventTranslator(this.masker, options.onEvent);
        try {
            return await body(translator.onEngineEvent);
        } catch (err) {
            throw new DeploymentError(operation, this.name, [...translator.failures.values()], translator.generalErrors, err, this.masker);
        }
    }
}

function numbers(changes: Record<string, number> | undefined): Record<string, number> {
    return Object.fromEntries(Object.entries(changes ?? {}).map(([k, v]) => [k, Number(v)]));
}

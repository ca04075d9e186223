/*
 * Test double of the `pulumi` CLI for the Automation API tests. It records every invocation (arguments, environment,
 * working directory, stdin when it reads it) and answers the commands the Automation API and automation/ run, the
 * way the CLI does. Sources it follows (pulumi/pulumi @ 1b59498):
 *   - exit code 255 and "error: <message>" on stderr for every failure (`cmd/pulumi/main.go` via cmdutil.RunFunc);
 *   - `stack select`: "no stack named '<s>' found" (`pkg/backend/backenderr/backenderr.go` StackNotFoundError),
 *     which the Automation API turns into StackNotFoundError (`sdk/nodejs/automation/errors.ts` notFoundRegex);
 *   - `stack init`: "stack '<s>' already exists" (backenderr StackAlreadyExistsError); the passphrase provider needs
 *     PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE (`pkg/secrets/passphrase/manager.go`);
 *   - passphrase crypto: PBKDF2-SHA256 1,000,000 rounds (fewer when the scenario's kdfRounds says so), AES-256-GCM,
 *     `encryptionsalt` and `secure: v1:...` formats (`pkg/secrets/passphrase/manager.go`,
 *     `sdk/go/common/resource/config/crypt.go`);
 *   - `config set [--path] [--secret|--plaintext] <key> [-- value]`: value from stdin when absent, one trailing "\n"
 *     removed (`pkg/cmd/pulumi/config/config.go` configSetCmd.Run);
 *   - `config set-all [--path] (--plaintext|--secret) k=v ...`: split on the first "=", `--path` keys
 *     `a[0].b`, nested "true"/"false" and integers typed (config.go newConfigSetAllCmd, io.go parseKeyValuePair);
 *   - `config [--show-secrets] --json`: {key: {value?, objectValue?, secret}}, secret values left out unless
 *     --show-secrets (config.go configValueJSON); `config rm-all <keys>`;
 *   - before preview/up/refresh/destroy, keys Pulumi.yaml declares `secret: true` must be `secure:`
 *     ("Stack '<s>' with configuration key '<k>' must be encrypted as it's secret", `pkg/workspace/config.go`);
 *   - `--event-log <file>` gets one JSON engine event per line; from CLI 3.206 the Automation API passes
 *     `tcp://127.0.0.1:<port>` and the events go to its Events gRPC service, each event one EventRequest
 *     (`pkg/backend/display/display.go` startEventLogger); the stream ends with a cancelEvent;
 *   - `@pulumi/command` streams each output line of a step as an ephemeral info diagnostic of its resource
 *     (pulumi-command v1.2.1 `provider/pkg/provider/util/util.go` LogOutput: InfoStatus);
 *   - `stack output --json [--show-secrets]`: secret outputs as "[secret]" unless --show-secrets
 *     (`pkg/cmd/pulumi/stack/stack_output.go`, display.MassageSecrets); `stack history --json`.
 * Where the state lives: the double's state directory (stacks per backend URL, calls.jsonl, scenario.json).
 *
 * How it runs: `bin/pulumi` is a bash client (test/support/pulumi-double/client.sh) that hands its working directory,
 * arguments and environment to this module in the test process over a loopback socket, sends its stdin when a
 * command reads it, and prints what comes back and exits with its code. So each CLI invocation is still a process
 * of its own that gets its arguments, environment and stdin as the real CLI would, without the ~0.1 s of CPU a Node
 * process takes to start (the automation tests make about 100 invocations). Invocations are answered one at a time.
 */
"use strict";
const crypto = require("crypto");
const fs = require("fs");
const path = require("path");
const YAML = require("yaml");

const read = (file, fallback) => (fs.existsSync(file) ? JSON.parse(fs.readFileSync(file, "utf8")) : fallback);
const write = (file, value) => fs.writeFileSync(file, JSON.stringify(value, null, 2));

/** The invocation being answered: {state, scenario, env, cwd, stdin(), out(text), record}. */
let call;

class CliError extends Error {}
const fail = (message) => {
    throw new CliError(message);
};

function parseArgs(argv) {
    const flags = {};
    const positional = [];
    const pairs = [];
    let afterDashes = false;
    for (let i = 0; i < argv.length; i++) {
        const a = argv[i];
        if (afterDashes) positional.push(a);
        else if (a === "--") afterDashes = true;
        else if (a === "--plaintext" || a === "--secret") {
            // set-all takes key=value after each; config set uses them as booleans.
            if (argv[i + 1] !== undefined && /^[^-].*=/.test(argv[i + 1]) && positional[0] === "config" && positional[1] === "set-all") {
                pairs.push({ secret: a === "--secret", pair: argv[++i] });
            } else flags[a.slice(2)] = true;
        } else if (
            ["--stack", "--event-log", "--secrets-provider", "--exec-kind", "--message", "--page-size", "--page", "--client", "--exec-agent"].includes(a)
        ) {
            flags[a.slice(2)] = argv[++i];
        } else if (a.startsWith("--")) flags[a.slice(2)] = true;
        else positional.push(a);
    }
    return { flags, positional, pairs };
}

// ---- passphrase secrets (pkg/secrets/passphrase/manager.go) ----
function passphrase() {
    if (call.env.PULUMI_CONFIG_PASSPHRASE !== undefined) return call.env.PULUMI_CONFIG_PASSPHRASE;
    if (call.env.PULUMI_CONFIG_PASSPHRASE_FILE) return fs.readFileSync(path.resolve(call.cwd, call.env.PULUMI_CONFIG_PASSPHRASE_FILE), "utf8").trim();
    return fail(
        'constructing secrets manager of type "passphrase": passphrase must be set with PULUMI_CONFIG_PASSPHRASE or PULUMI_CONFIG_PASSPHRASE_FILE environment variables',
    );
}
/**
 * The stack key. Derived keys are cached in the double's state (test speed only: a million PBKDF2 rounds per
 * command on a busy 2-core machine); the result is the CLI's key, so files stay readable by the real algorithm.
 */
function keyFrom(salt) {
    const phrase = passphrase();
    // The CLI's rounds unless the scenario asks for fewer (index.ts DoubleScenario.kdfRounds).
    const rounds = call.scenario.kdfRounds ?? 1000000;
    const cacheFile = path.join(call.state, "kdf-cache.json");
    const cache = read(cacheFile, {});
    const id = crypto
        .createHash("sha256")
        .update(`${phrase}\0${salt.toString("base64")}\0${rounds}`)
        .digest("hex");
    if (!cache[id]) {
        cache[id] = crypto.pbkdf2Sync(phrase, salt, rounds, 32, "sha256").toString("base64");
        write(cacheFile, cache);
    }
    return Buffer.from(cache[id], "base64");
}
function encryptWith(key, plaintext) {
    const nonce = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv("aes-256-gcm", key, nonce);
    const ct = Buffer.concat([cipher.update(plaintext, "utf8"), cipher.final(), cipher.getAuthTag()]);
    return `v1:${nonce.toString("base64")}:${ct.toString("base64")}`;
}
function decryptWith(key, value) {
    const [, nonce, data] = value.split(":");
    const buf = Buffer.from(data, "base64");
    const decipher = crypto.createDecipheriv("aes-256-gcm", key, Buffer.from(nonce, "base64"));
    decipher.setAuthTag(buf.subarray(buf.length - 16));
    return Buffer.concat([decipher.update(buf.subarray(0, buf.length - 16)), decipher.final()]).toString("utf8");
}
function stackKey(settings) {
    const salt = Buffer.from(settings.encryptionsalt.split(":")[1], "base64");
    const key = keyFrom(salt);
    try {
        decryptWith(key, settings.encryptionsalt.split(":").slice(2).join(":"));
    } catch {
        fail(
            "incorrect passphrase, please set PULUMI_CONFIG_PASSPHRASE to the correct passphrase or set PULUMI_CONFIG_PASSPHRASE_FILE to a file containing the passphrase",
        );
    }
    return key;
}

// ---- stacks (per backend) and stack files (Pulumi.<stack>.yaml in the working directory) ----
function backend() {
    const url = call.env.PULUMI_BACKEND_URL;
    if (!url) fail("PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions");
    return url;
}
const stacksFile = () => path.join(call.state, "stacks.json");
const allStacks = () => read(stacksFile(), {});
function getStack(name) {
    const stack = allStacks()[`${backend()}#${name}`];
    if (!stack) fail(`no stack named '${name}' found`);
    return stack;
}
function saveStack(name, stack) {
    const all = allStacks();
    all[`${backend()}#${name}`] = stack;
    write(stacksFile(), all);
}
const settingsFile = (name) => path.join(call.cwd, `Pulumi.${name.split("/").pop()}.yaml`);
const readSettings = (name) => (fs.existsSync(settingsFile(name)) ? YAML.parse(fs.readFileSync(settingsFile(name), "utf8")) || {} : {});
const writeSettings = (name, settings) => fs.writeFileSync(settingsFile(name), YAML.stringify(settings));
const project = () => YAML.parse(fs.readFileSync(path.join(call.cwd, "Pulumi.yaml"), "utf8"));
const fullKey = (key) => (key.includes(":") ? key : `${project().name}:${key}`);

/** `a[0].b` -> ["a", 0, "b"] (the top segment keeps its namespace). */
function pathSegments(key) {
    const top = key.match(/^[^[.]+/)[0];
    const rest = [...key.slice(top.length).matchAll(/\[(\d+)\]|\.([^[.]+)/g)].map((m) => (m[1] !== undefined ? Number(m[1]) : m[2]));
    return [top, ...rest];
}
function setValue(config, key, value, usePath) {
    if (!usePath) {
        config[fullKey(key)] = value;
        return;
    }
    const [top, ...rest] = pathSegments(key);
    if (rest.length === 0) {
        config[fullKey(top)] = value;
        return;
    }
    // Nested values: "true"/"false" become booleans and integers numbers (config.go, newConfigSetCmd Long).
    const typed =
        typeof value === "string" && /^(true|false)$/.test(value)
            ? value === "true"
            : typeof value === "string" && /^-?\d+$/.test(value)
              ? Number(value)
              : value;
    let node = (config[fullKey(top)] ??= typeof rest[0] === "number" ? [] : {});
    rest.forEach((seg, i) => {
        if (i === rest.length - 1) node[seg] = typed;
        else node = node[seg] ??= typeof rest[i + 1] === "number" ? [] : {};
    });
}

async function readStdin() {
    const value = await call.stdin();
    call.record.stdin = value;
    return value.endsWith("\n") ? value.slice(0, -1) : value;
}

// ---- engine events ----
const event = (body) => ({ sequence: call.sequence++, timestamp: Math.floor(Date.now() / 1000), ...body });

async function sendEvents(target, events) {
    if (!target) return;
    if (target.startsWith("tcp://")) {
        const grpc = require("@grpc/grpc-js");
        const { EventsClient } = require("@pulumi/pulumi/proto/events_grpc_pb");
        const { EventRequest } = require("@pulumi/pulumi/proto/events_pb");
        const client = new EventsClient(target.slice("tcp://".length), grpc.credentials.createInsecure());
        await new Promise((resolve, reject) => {
            const call = client.streamEvents((err) => (err ? reject(err) : resolve()));
            for (const e of events) {
                const request = new EventRequest();
                request.setEvent(JSON.stringify(e));
                call.write(request);
            }
            call.end();
        });
        client.close();
        return;
    }
    fs.writeFileSync(target, events.map((e) => JSON.stringify(e) + "\n").join(""));
}

function checkSecretConfig(name, settings) {
    const proj = project();
    for (const [key, schema] of Object.entries(proj.config || {})) {
        const value = (settings.config || {})[`${proj.name}:${key}`];
        if (schema && schema.secret === true && value !== undefined && !(typeof value === "object" && value !== null && "secure" in value)) {
            fail(`validating stack config: Stack '${name}' with configuration key '${key}' must be encrypted as it's secret`);
        }
    }
}

function plainConfig(settings, key) {
    const v = (settings.config || {})[fullKey(key)];
    return v;
}

async function operation(kind, name, flags) {
    const stack = getStack(name);
    const settings = readSettings(name);
    checkSecretConfig(name, settings);
    const proj = project().name;
    const urnOf = (type, res) => `urn:pulumi:${name}::${proj}::${type}::${res}`;
    const stackUrn = urnOf("pulumi:pulumi:Stack", `${proj}-${name}`);
    const steps = [1, 2, 3, 4].map((i) => urnOf("openvidu-ha:onprem:MasterNodePool$command:remote:Command", `masters-${i}-install`));
    const op = kind === "destroy" ? "delete" : kind === "refresh" ? "refresh" : stack.outputs ? "same" : "create";
    const failure = (call.scenario.failures || []).find(
        (f) =>
            (!f.stack || f.stack === name) &&
            (!f.operation || f.operation === kind) &&
            Object.entries(f.when || {}).every(([k, v]) => plainConfig(settings, k) === v),
    );
    const events = [event({ preludeEvent: { config: {} } })];
    const meta = (urn, type) => ({ op, urn, type, provider: "", old: null, new: null, detailedDiff: null });
    const changes = {};
    let failed = false;
    for (const urn of [stackUrn, ...steps]) {
        const type = urn.split("::")[2].split("$").pop();
        events.push(event({ resourcePreEvent: { metadata: meta(urn, type), planning: kind === "preview" } }));
        if (failure && urn.endsWith(`::${failure.resource}`)) {
            events.push(event({ diagnosticEvent: { urn, prefix: "error: ", message: `${failure.message}\n`, color: "never", severity: "error" } }));
            events.push(event({ resOpFailedEvent: { metadata: meta(urn, type), status: 1, steps: 0 } }));
            failed = true;
            continue;
        }
        if (kind === "up" && urn === steps[0] && call.scenario.leakyInstaller) {
            // A step whose output repeats a secret (an installer echoing its license): the caller must mask it.
            const key = stackKey(settings);
            const license = decryptWith(key, settings.config[`${proj}:license`].secure);
            for (const line of [`installing OpenVidu ${plainConfig(settings, "openviduVersion")}`, `using license ${license}`]) {
                events.push(event({ diagnosticEvent: { urn, message: `${line}\n`, color: "never", severity: "info", ephemeral: true } }));
            }
        }
        events.push(event({ resOutputsEvent: { metadata: meta(urn, type), planning: kind === "preview" } }));
        changes[op] = (changes[op] || 0) + 1;
    }
    events.push(
        event({
            summaryEvent: {
                maybeCorrupt: false,
                durationSeconds: 1,
                resourceChanges: changes,
                PolicyPacks: {},
                isPreview: kind === "preview",
                result: failed ? "failed" : "succeeded",
            },
        }),
    );
    events.push(event({ cancelEvent: {} }));
    await sendEvents(flags["event-log"], events);
    if (kind !== "preview") {
        stack.history = [
            {
                version: (stack.history || []).length + 1,
                kind: kind === "up" ? "update" : kind,
                message: flags.message || "",
                result: failed ? "failed" : "succeeded",
                resourceChanges: changes,
                startTime: "2026-11-25T00:00:00Z",
                endTime: "2026-11-25T00:00:01Z",
                environment: {},
                config: {},
            },
            ...(stack.history || []),
        ];
    }
    if (!failed && kind === "up") {
        const domain = plainConfig(settings, "domain");
        stack.outputs = {
            target: plainConfig(settings, "target"),
            urls: { openvidu: `https://${domain}/` },
            credentials: { dashboardAdminPassword: `generated-${name}-password` },
        };
        stack.secretOutputs = ["credentials"];
        stack.deployedVersion = plainConfig(settings, "openviduVersion");
    }
    if (!failed && kind === "destroy") {
        delete stack.outputs;
    }
    saveStack(name, stack);
    if (failed) fail(`update failed`);
    call.out(
        `${kind === "preview" ? "Previewing" : "Updating"} (${name}):\n\nResources:\n    ${Object.entries(changes)
            .map(([k, v]) => `${v} ${k}`)
            .join(", ")}\n`,
    );
}

async function main(argv) {
    const { flags, positional, pairs } = parseArgs(argv);
    const [cmd, sub] = positional;
    const stackName = flags.stack;
    if (cmd === "version") {
        call.out(`v${call.scenario.version || "3.260.0"}\n`);
        return;
    }
    if (cmd === "stack" && sub === "select") {
        getStack(stackName);
        return;
    }
    if (cmd === "stack" && sub === "init") {
        const name = positional[2];
        if (allStacks()[`${backend()}#${name}`]) fail(`stack '${name}' already exists`);
        const provider = flags["secrets-provider"] || "passphrase";
        const settings = readSettings(name);
        if (provider === "passphrase" && !settings.encryptionsalt) {
            const salt = crypto.randomBytes(8);
            const key = keyFrom(salt);
            settings.encryptionsalt = `v1:${salt.toString("base64")}:${encryptWith(key, "pulumi")}`;
            writeSettings(name, settings);
        }
        saveStack(name, { secretsProvider: provider });
        return;
    }
    if (cmd === "stack" && sub === "output") {
        const stack = getStack(stackName);
        const outputs = Object.fromEntries(
            Object.entries(stack.outputs || {}).map(([k, v]) => [k, (stack.secretOutputs || []).includes(k) && !flags["show-secrets"] ? "[secret]" : v]),
        );
        call.out(JSON.stringify(outputs, null, 4) + "\n");
        return;
    }
    if (cmd === "stack" && sub === "history") {
        call.out(JSON.stringify((getStack(stackName).history || []).slice(0, Number(flags["page-size"] || 100)), null, 4) + "\n");
        return;
    }
    if (cmd === "config" && (sub === undefined || sub === "get")) {
        getStack(stackName);
        const settings = readSettings(stackName);
        const secure = Object.values(settings.config || {}).some((v) => typeof v === "object" && v !== null && "secure" in v);
        const key = secure && flags["show-secrets"] ? stackKey(settings) : undefined;
        const out = {};
        for (const [k, v] of Object.entries(settings.config || {})) {
            const isSecret = typeof v === "object" && v !== null && "secure" in v;
            if (isSecret) out[k] = flags["show-secrets"] ? { value: decryptWith(key, v.secure), secret: true } : { secret: true };
            else if (typeof v === "object" && v !== null) out[k] = { value: JSON.stringify(v), objectValue: v, secret: false };
            else out[k] = { value: String(v), secret: false };
        }
        call.out(JSON.stringify(out, null, 4) + "\n");
        return;
    }
    if (cmd === "config" && sub === "rm-all") {
        getStack(stackName);
        const settings = readSettings(stackName);
        for (const k of positional.slice(2)) delete (settings.config || {})[fullKey(k)];
        writeSettings(stackName, settings);
        return;
    }
    if (cmd === "config" && (sub === "set" || sub === "set-all")) {
        getStack(stackName);
        const settings = readSettings(stackName);
        settings.config ??= {};
        const entries =
            sub === "set"
                ? [{ key: positional[2], value: positional[3] !== undefined ? positional[3] : await readStdin(), secret: !!flags.secret }]
                : pairs.map(({ pair, secret }) => ({ key: pair.slice(0, pair.indexOf("=")), value: pair.slice(pair.indexOf("=") + 1), secret }));
        const key = entries.some((e) => e.secret) ? stackKey(settings) : undefined;
        for (const e of entries) setValue(settings.config, e.key, e.secret ? { secure: encryptWith(key, e.value) } : e.value, !!flags.path);
        writeSettings(stackName, settings);
        return;
    }
    if (["preview", "up", "refresh", "destroy"].includes(cmd)) {
        await operation(cmd, stackName, flags);
        return;
    }
    fail(`unknown command ${positional.join(" ")} (pulumi double)`);
}

/**
 * Answers one invocation as the CLI process would: `out` and `err` get its stdout and stderr, `stdin()` reads its
 * stdin to the end; resolves to the exit code. The call is recorded in the state's calls.jsonl.
 */
async function invoke(state, { argv, env, cwd, stdin, out, err }) {
    call = { state, scenario: read(path.join(state, "scenario.json"), {}), env, cwd, stdin, out, sequence: 0, record: { argv, env: { ...env }, cwd } };
    const code = await main(argv).then(
        () => 0,
        (error) => {
            err(`error: ${error instanceof CliError ? error.message : error.stack}\n`);
            return 255;
        },
    );
    call.record.exitCode = code;
    fs.appendFileSync(path.join(state, "calls.jsonl"), JSON.stringify(call.record) + "\n");
    return code;
}

let queue = Promise.resolve();
/** One invocation at a time (the state files are read, changed and written whole). */
exports.invoke = (state, request) => {
    const result = queue.then(() => invoke(state, request));
    queue = result.catch(() => undefined);
    return result;
};

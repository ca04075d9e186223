// Measures how long the Pulumi Node.js language host takes to load this program, registering ts-node exactly as
// @pulumi/pulumi's cmd/run/run.ts does (tsconfig.json's compilerOptions over its defaults; transpileOnly from
// PULUMI_NODEJS_TRANSPILE_ONLY, else compilerOptions.noCheck; ts-node reads tsconfig.json's "ts-node" section, which
// asks for swc), then requiring index.ts and both targets' stacks.
// Plain JavaScript, so nothing is compiled before the clock starts.
//   node tools/measure-load.js [check|transpile-only]     (default: as the language host, from tsconfig.json)
//   transpile-only: TypeScript's own emit instead of swc; check: type-checked (both turn swc off, for comparison).
// Prints one JSON line: {"mode", "transpileOnly", "wallMs", "cpuMs"}.
"use strict";
const path = require("path");

const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const root = path.join(__dirname, "..");
process.chdir(root);

const mode = process.argv[2] ?? "tsconfig";
const tsutils = require("@pulumi/pulumi/tsutils");
const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
const transpileOnly = mode === "check" ? false : mode === "transpile-only" ? true : compilerOptions.noCheck;
require("ts-node").register({
    compiler: "typescript",
    transpileOnly,
    ...(mode === "tsconfig" ? {} : { swc: false }),
    project: "tsconfig.json",
    skipProject: false,
    compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
});
require(path.join(root, "index.ts"));
require(path.join(root, "stacks", "onprem.ts"));
require(path.join(root, "stacks", "aws.ts"));

const cpu = process.cpuUsage(cpuStarted);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
console.log(JSON.stringify({ mode, transpileOnly: transpileOnly === true, wallMs: Math.round(wallMs), cpuMs: Math.round((cpu.user + cpu.system) / 1000) }));

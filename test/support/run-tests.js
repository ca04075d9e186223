#!/usr/bin/env node
/*
 * `npm test`: makes sure shellcheck is installed (tools/ensure-shellcheck.sh; the tests run it), then runs the type
 * check (`npm run typecheck`: tsgo, a few seconds of CPU) and mocha (.mocharc.json) at the same time, so the type
 * check adds little to the suite's wall time. mocha's output streams as it comes; the type check's is printed after
 * it. Exits non-zero when either fails. Arguments go to mocha (`npm test -- --grep 'offline plan'`).
 * Plain JavaScript so that it starts without ts-node.
 */
"use strict";
const { spawn, spawnSync } = require("child_process");
const path = require("path");

const ROOT = path.join(__dirname, "..", "..");
const started = Date.now();
const seconds = () => `${((Date.now() - started) / 1000).toFixed(1)} s`;

const shellcheck = spawnSync("sh", [path.join(ROOT, "tools", "ensure-shellcheck.sh")], { cwd: ROOT, stdio: "inherit" });
if (shellcheck.status !== 0) process.exit(shellcheck.status ?? 1);

/** Resolves to the exit code; a child killed by a signal counts as a failure. */
const exitOf = (child) => new Promise((resolve) => child.on("close", (code, signal) => resolve(signal ? 1 : code)));

const tsc = spawn("npm", ["run", "-s", "typecheck"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
let tscOutput = "";
tsc.stdout.on("data", (chunk) => (tscOutput += chunk));
tsc.stderr.on("data", (chunk) => (tscOutput += chunk));
let tscTime = "";
const typeCheck = exitOf(tsc).then((code) => {
    tscTime = seconds();
    return code;
});

const mocha = spawn(process.execPath, [require.resolve("mocha/bin/mocha.js"), ...process.argv.slice(2)], { cwd: ROOT, stdio: "inherit" });

Promise.all([typeCheck, exitOf(mocha)]).then(([tscCode, mochaCode]) => {
    if (tscCode === 0) process.stdout.write(`type check (npm run typecheck, beside the tests): no errors, done after ${tscTime}\n`);
    else process.stdout.write(`\ntype check (npm run typecheck) FAILED after ${tscTime}:\n${tscOutput}\n`);
    process.stdout.write(`npm test: ${tscCode === 0 && mochaCode === 0 ? "passed" : "FAILED"} in ${seconds()}\n`);
    process.exit(tscCode === 0 && mochaCode === 0 ? 0 : 1);
});

// One load measurement in a fresh process (tools/bench/main.ts runs it):
//   node tools/bench/load-child.js program <onprem|aws> <modules.json>   registers ts-node like the language host,
//        requires what a run of that target loads (index.ts; for aws also stacks/aws.ts, which index.ts imports when
//        the stack's target is aws), writes the node_modules files that loaded to <modules.json>
//   node tools/bench/load-child.js sdk <onprem|aws> <modules.json>       same registration, requires only those files
// Prints one JSON line {"wallMs", "cpuMs"}. Plain JavaScript, so nothing is compiled before the clock starts.
"use strict";
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const path = require("path");
const fs = require("fs");

const [mode, target, modulesFile] = process.argv.slice(2);
const PROGRAM_FILES = { onprem: ["index.ts"], aws: ["index.ts", path.join("stacks", "aws.ts")] };
if (!PROGRAM_FILES[target]) {
    throw new Error(`unknown target ${target} (onprem or aws)`);
}
const root = require("./register-ts")();
if (mode === "program") {
    for (const file of PROGRAM_FILES[target]) {
        require(path.join(root, file));
    }
} else if (mode === "sdk") {
    for (const file of JSON.parse(fs.readFileSync(modulesFile, "utf8"))) {
        require(file);
    }
} else {
    throw new Error(`unknown mode ${mode}`);
}
const cpu = process.cpuUsage(cpuStarted);
const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
if (mode === "program") {
    // Only the SDK packages and their dependencies: the registration loads ts-node, typescript and swc in both modes.
    const loaded = Object.keys(require.cache).filter(
        (f) => f.includes(`${path.sep}node_modules${path.sep}`) && !/node_modules\/(ts-node|typescript|@cspotcode|source-map-support|@swc)\//.test(f),
    );
    fs.writeFileSync(modulesFile, JSON.stringify(loaded));
}
console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));

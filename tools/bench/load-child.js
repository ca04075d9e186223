// One load measurement in a fresh process (tools/bench/main.ts runs it):
//   node tools/bench/load-child.js program <modules.json>   registers ts-node like the language host, requires
//        index.ts and both targets' stacks, writes the node_modules files that loaded to <modules.json>
//   node tools/bench/load-child.js sdk <modules.json>       same registration, requires only those files
// Prints one JSON line {"wallMs", "cpuMs"}. Plain JavaScript, so nothing is compiled before the clock starts.
"use strict";
const started = process.hrtime.bigint();
const cpuStarted = process.cpuUsage();
const path = require("path");
const fs = require("fs");

const [mode, modulesFile] = process.argv.slice(2);
const root = require("./register-ts")();
if (mode === "program") {
    require(path.join(root, "index.ts"));
    require(path.join(root, "stacks", "onprem.ts"));
    require(path.join(root, "stacks", "aws.ts"));
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
    // Only the SDK packages and their dependencies: ts-node/typescript are loaded by the registration in both modes.
    const loaded = Object.keys(require.cache).filter(
        (f) => f.includes(`${path.sep}node_modules${path.sep}`) && !/node_modules\/(ts-node|typescript|@cspotcode|source-map-support)\//.test(f),
    );
    fs.writeFileSync(modulesFile, JSON.stringify(loaded));
}
console.log(JSON.stringify({ wallMs, cpuMs: (cpu.user + cpu.system) / 1000 }));

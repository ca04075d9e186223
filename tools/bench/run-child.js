// One program-time measurement in a fresh process (tools/bench/main.ts runs it), under ts-node registered like the
// language host (so source-map-support formats the stack traces the SDK captures, as in a real preview):
//   node tools/bench/run-child.js program <onprem:N|aws> <resources.json>   the real program; records its resources
//   node tools/bench/run-child.js floor <onprem:N|aws> <resources.json>     the same resources, flat (scenario.ts)
// Prints one JSON line {"runMs", "cpuMs", "maxRssMb", "resources"}; load time is not counted (load-child.js).
"use strict";
require("./register-ts")();
const { runScenario } = require("./scenario.ts");
const [mode, scenario, resourcesFile] = process.argv.slice(2);
runScenario(mode, scenario, resourcesFile).then(
    (result) => console.log(JSON.stringify(result)),
    (err) => {
        console.error(err);
        process.exit(1);
    },
);

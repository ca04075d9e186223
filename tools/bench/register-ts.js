// Registers ts-node the way the Pulumi Node.js language host does (@pulumi/pulumi cmd/run/run.ts, the non-ESM
// branch: tsn.register({ compiler, transpileOnly, project, skipProject, compilerOptions })): the project's
// tsconfig.json compilerOptions over run.ts's defaults; transpileOnly from PULUMI_NODEJS_TRANSPILE_ONLY, else
// compilerOptions.noCheck. ts-node itself reads tsconfig.json's "ts-node" section under those options
// (ts-node configuration.js readConfig), so its "swc": true applies here as under the host. ts-node installs
// source-map-support with it.
"use strict";
const path = require("path");

module.exports = function registerLikeLanguageHost() {
    const root = path.join(__dirname, "..", "..");
    process.chdir(root);
    const tsutils = require("@pulumi/pulumi/tsutils");
    const compilerOptions = tsutils.loadTypeScriptCompilerOptions("tsconfig.json");
    const env = process.env.PULUMI_NODEJS_TRANSPILE_ONLY;
    const transpileOnly = env ? env === "true" : compilerOptions.noCheck;
    require("ts-node").register({
        compiler: "typescript",
        transpileOnly,
        project: "tsconfig.json",
        skipProject: false,
        compilerOptions: { target: "ES2020", module: "nodenext", moduleResolution: "nodenext", sourceMap: "true", ...compilerOptions },
    });
    return root;
};

// ESLint flat config: typescript-eslint's recommended type-checked rules on every TypeScript file, ESLint's
// recommended rules on the JavaScript files, and eslint-config-prettier last so formatting is Prettier's alone
// (`npm run lint` runs both). Every rule switched off or narrowed below says why.
import js from "@eslint/js";
import prettier from "eslint-config-prettier";
import tseslint from "typescript-eslint";

/** Node's CommonJS globals, for the few plain JavaScript files (test doubles run directly by node). */
const nodeGlobals = {
    require: "readonly",
    module: "writable",
    process: "readonly",
    Buffer: "readonly",
    __dirname: "readonly",
    console: "readonly",
};

/** `any` and its unsafe uses allowed: for code whose inputs are untyped by nature (the two places below say why). */
const untypedJsonAllowed = {
    "@typescript-eslint/no-explicit-any": "off",
    "@typescript-eslint/no-unsafe-assignment": "off",
    "@typescript-eslint/no-unsafe-member-access": "off",
    "@typescript-eslint/no-unsafe-call": "off",
    "@typescript-eslint/no-unsafe-argument": "off",
    "@typescript-eslint/no-unsafe-return": "off",
};

export default tseslint.config(
    { ignores: ["node_modules/", "bin/", ".stryker-tmp/", "reports/"] },
    js.configs.recommended,
    {
        files: ["**/*.ts"],
        extends: [tseslint.configs.recommendedTypeChecked],
        languageOptions: {
            parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
        },
        rules: {
            // Allowed require() calls: the program entry (index.ts, `export =`), loaded lazily so the SDK runtime
            // (mocks, settings) is set up before the program's modules load; and SDK internals that its typings
            // leave out (@internal: runtime/config isConfigSecret, runtime/state getStore, tsutils).
            "@typescript-eslint/no-require-imports": ["error", { allow: ["/index$", "^@pulumi/pulumi/(runtime/config|runtime/state|tsutils)$"] }],
            // `const { secret, ...rest } = obj` is how an object is copied without some keys: the left-out names are
            // unused on purpose.
            "@typescript-eslint/no-unused-vars": ["error", { ignoreRestSiblings: true }],
            // V8's CallSite objects print the frame with their own toString, which @types/node's interface leaves out.
            "@typescript-eslint/no-base-to-string": ["error", { ignoredTypeNames: ["Error", "RegExp", "URL", "URLSearchParams", "CallSite"] }],
        },
    },
    {
        // The offline runtime implements the SDK's resource monitor protocol: its requests are protobuf messages
        // and mock inputs that @pulumi/pulumi types as `any` (its own MockMonitor does the same), so member access
        // on them is untyped by nature. What it hands on to the rest of the code is typed.
        files: ["tools/offline-runtime/recording-monitor.ts", "tools/offline-runtime/mock-state.ts", "tools/offline-runtime/aws-mocks.ts"],
        rules: untypedJsonAllowed,
    },
    {
        // Tests inspect what the program registered: resource inputs and outputs are recorded as untyped JSON
        // (`inputsOf` returns Record<string, any> on purpose) and the assertions are the type check. Source code
        // keeps these rules.
        files: ["test/**/*.ts"],
        rules: untypedJsonAllowed,
    },
    {
        files: ["**/*.js"],
        languageOptions: { sourceType: "commonjs", globals: nodeGlobals },
    },
    prettier,
);

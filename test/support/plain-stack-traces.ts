/**
 * Offline runs in tests with cheap stack traces. The SDK captures a stack trace for every resource and promise;
 * ts-node's source-map formatting of those traces is most of a run's time (about 470 ms against 130 ms per run).
 * Traces captured during a run keep V8's own formatting (transpiled positions); the resources and outputs are the
 * same. The promise traces (runtime/debuggable.js: kept only for its leak report) are captured without frames
 * (Error.stackTraceLimit 0), which halves a run's CPU again; resources' source positions keep theirs
 * (Resource.callsites sets an unlimited depth itself). An error thrown during a run then has its message but no
 * frames: OPENVIDU_HA_TEST_STACK_TRACES=1 keeps them.
 */

let active = 0;
let saved: { prepare: typeof Error.prepareStackTrace | undefined; depth: number } | undefined;

/** Runs `fn` with plain traces; runs may overlap (Promise.all): the last one to end puts the settings back. */
export async function withPlainStackTraces<T>(fn: () => Promise<T>): Promise<T> {
    const errorClass = Error as { prepareStackTrace?: typeof Error.prepareStackTrace };
    if (active++ === 0) {
        saved = { prepare: errorClass.prepareStackTrace, depth: Error.stackTraceLimit };
        errorClass.prepareStackTrace = undefined;
        if (process.env.OPENVIDU_HA_TEST_STACK_TRACES !== "1") {
            Error.stackTraceLimit = 0;
        }
    }
    try {
        return await fn();
    } finally {
        if (--active === 0 && saved) {
            Error.stackTraceLimit = saved.depth;
            errorClass.prepareStackTrace = saved.prepare;
            saved = undefined;
        }
    }
}

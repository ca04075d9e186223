/**
 * Source maps for the program's own stack frames only.
 *
 * The SDK captures a stack trace for every resource (`Resource.callsites`, unlimited depth) and for every promise it
 * creates (`debuggablePromise`, runtime/debuggable.js), and reads `.stack` at once. Under the language host, ts-node's
 * source-map-support formats those traces and maps every frame, including the SDK's own and Node's: that mapping is
 * about half of a large plan's CPU time. Frames in node_modules (the SDK ships compiled JavaScript; its TypeScript
 * sources are not installed) and Node's internal frames are left as V8 prints them; the program's frames stay mapped
 * to its TypeScript lines, so resource source positions and the program's lines in error stacks do not change.
 *
 * The SDK's own traces (a bare `new Error()`) repeat: every media node's resources are registered along the same
 * code path, so a 500-node plan formats the same few hundred traces millions of times and keeps each copy alive with
 * its promise. Those traces are formatted once per distinct frame list and the same string is returned after that:
 * the text is what the formatter gives for these frames, whose V8 text (file, line, column, function, eval origin)
 * is the key. Any other error (a name, a message, a subclass) is formatted every time.
 */

const UNMAPPED_FILE = /[\\/]node_modules[\\/]|^node:/;
const INSTALLED = Symbol.for("openvidu-ha.mapOnlyProgramFrames");

type PrepareStackTrace = (error: Error, frames: NodeJS.CallSite[]) => unknown;

/** A call site that source-map-support passes through as it is (it skips native frames), printed as V8 prints it. */
class UnmappedFrame {
    constructor(private readonly frame: NodeJS.CallSite) {}
    isNative(): boolean {
        return true;
    }
    toString(): string {
        return this.frame.toString();
    }
}

let callSitePrototype: object | undefined;

/** Every other CallSite method answers as the real frame does, for formatters that ask more than isNative. */
function delegateCallSiteMethods(frame: NodeJS.CallSite): void {
    if (callSitePrototype) {
        return;
    }
    callSitePrototype = Object.getPrototypeOf(frame) as object;
    for (const name of Object.getOwnPropertyNames(callSitePrototype)) {
        if (name !== "constructor" && name !== "isNative" && name !== "toString") {
            Object.defineProperty(UnmappedFrame.prototype, name, {
                value(this: { frame: Record<string, () => unknown> }) {
                    return this.frame[name]();
                },
            });
        }
    }
}

/** Bounds the formatted traces kept (a plan has a few hundred distinct ones). */
const MAX_FORMATTED_TRACES = 10_000;

/** `new Error()` as the SDK captures traces: its formatted text depends on the frames only ("Error" + frames). */
function isBareError(error: Error): boolean {
    return Object.getPrototypeOf(error) === Error.prototype && !Object.hasOwn(error, "name") && error.message === "";
}

function isUnmapped(frame: NodeJS.CallSite): boolean {
    const file = frame.getFileName();
    return file !== undefined && file !== null && UNMAPPED_FILE.test(file);
}

/**
 * Wraps the installed stack formatter (source-map-support under ts-node) so it maps only the program's frames.
 * Does nothing when no formatter is installed (plain Node prints unmapped positions anyway) or when already done.
 */
export function mapOnlyProgramFrames(): void {
    const errorClass = Error as { prepareStackTrace?: PrepareStackTrace };
    const mapAll = errorClass.prepareStackTrace;
    if (mapAll === undefined || (mapAll as unknown as Record<symbol, boolean>)[INSTALLED]) {
        return;
    }
    const mapFrames = (error: Error, frames: NodeJS.CallSite[]) => {
        if (frames.length > 0) {
            delegateCallSiteMethods(frames[0]);
        }
        return mapAll(
            error,
            frames.map((f) => (isUnmapped(f) ? (new UnmappedFrame(f) as unknown as NodeJS.CallSite) : f)),
        );
    };
    const formatted = new Map<string, unknown>();
    const mapProgramFrames = (error: Error, frames: NodeJS.CallSite[]) => {
        if (!isBareError(error)) {
            return mapFrames(error, frames);
        }
        const key = frames.join("\n");
        let text = formatted.get(key);
        if (text === undefined) {
            if (formatted.size >= MAX_FORMATTED_TRACES) {
                formatted.clear();
            }
            text = mapFrames(error, frames);
            formatted.set(key, text);
        }
        return text;
    };
    Object.defineProperty(mapProgramFrames, INSTALLED, { value: true });
    errorClass.prepareStackTrace = mapProgramFrames;
}

// Test-host harness for the on-prem host scripts: see test/hosts/README.md.
export { startTestHosts } from "./test-hosts";
export type { TestHosts } from "./test-hosts";
export { TestHost } from "./test-host";
export type { TestHostSpec, HostExecOptions, HostConnection } from "./test-host";
export { startInstallerDoubleServer, installerDoubleScript } from "./installer-double-server";
export type { InstallerDoubleServer, RecordedRequest } from "./installer-double-server";
export { runRemote, runRemoteCommand, dial, DialError, CommandFailedError, goQuote, RemoteCommandError, setenvWarning } from "./remote-runner";
export type { RemoteConnection, CommandSpec, Operation, RemoteResult, PreviousOutputs } from "./remote-runner";
export { sampleProcesses, isInstallerDouble } from "./process-sampler";
export type { ProcessSamples, SampledProcess } from "./process-sampler";
export { cleanupLeftovers, findLeftovers, HARNESS_ROOT, uptimeTicks } from "./run-context";
export type { ExecResult } from "./sh";

/** Quotes `s` for a POSIX shell command line. */
export const shq = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * Offline plan: runs the real program under the SDK's mock runtime, with no Pulumi CLI and no cloud, and prints
 * what it would create.
 *
 *   npm run plan -- --stack dev                 reads Pulumi.dev.yaml
 *   npm run plan -- --config-file <file>        reads any stack settings file
 *   options: --json (one JSON object on stdout), --diagram (Mermaid, tools/plan/diagram.ts), --show-secrets
 *
 * Stack config the Pulumi CLI would refuse (tools/offline-runtime/cli-config.ts), a wrong passphrase, or config the
 * program rejects: the errors on stderr, nothing on stdout, exit 1.
 */
import { runPlanCommand } from "./plan/cli";

// The command itself is tools/plan/cli.ts (tests run it in-process too); this prints its result and exits.
void runPlanCommand(process.argv.slice(2)).then(({ code, stdout, stderr }) => {
    process.stderr.write(stderr);
    process.stdout.write(stdout, () => process.exit(code));
});

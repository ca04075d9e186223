// npm run lab -- up [--media N] [--spare N] | status | deploy | down   (README "Set-up: try it in a local lab")
import { deploy } from "./deploy";
import { down } from "./down";
import { LabError } from "./errors";
import { status } from "./status";
import { up } from "./up";

const USAGE = "usage: sudo npm run lab -- up [--media N] [--spare N]   |   npm run lab -- status   |   npm run lab -- deploy   |   sudo npm run lab -- down";

async function main(args: string[]): Promise<number> {
    const [command, ...rest] = args;
    switch (command) {
        case "up": {
            const counts: Record<string, number> = { "--media": 2, "--spare": 1 };
            for (let i = 0; i < rest.length; i += 2) {
                if (!(rest[i] in counts) || rest[i + 1] === undefined) throw new LabError(USAGE);
                counts[rest[i]] = Number(rest[i + 1]);
            }
            await up(counts["--media"], counts["--spare"]);
            return 0;
        }
        case "status":
            return (await status()) ? 0 : 1;
        case "deploy":
            return (await deploy()) ? 0 : 1;
        case "down":
            await down();
            return 0;
        default:
            throw new LabError(USAGE);
    }
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        if (e instanceof LabError || (e instanceof Error && /ConfigError|CliConfigError|IncorrectPassphraseError/.test(e.constructor.name))) {
            console.error(`lab: ${e.message}`);
        } else {
            console.error(e);
        }
        process.exit(e instanceof LabError ? 2 : 1);
    },
);

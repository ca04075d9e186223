/**
 * Runs validateConfig on a test config (the same shape runProgram takes) and returns its problems, so a test can
 * assert the exact messages of one rule.
 */
import { ConfigError, validateConfig, ValidatedConfig } from "../../components/config/validate";

/** Project keys as the CLI passes them (strings, lists as JSON); undefined values and `provider:` keys left out. */
export function rawConfig(config: Record<string, unknown>): Record<string, string> {
    return Object.fromEntries(
        Object.entries(config)
            .filter(([k, v]) => v !== undefined && !k.includes(":"))
            .map(([k, v]) => [k, typeof v === "string" ? v : JSON.stringify(v)]),
    );
}

/** Validates like loadConfig does: the Cloudflare token counts as given when `cloudflare:apiToken` is in the config; the region is `aws:region`. */
export function validate(config: Record<string, unknown>): ValidatedConfig {
    return validateConfig(rawConfig(config), {
        hasCloudflareToken: config["cloudflare:apiToken"] !== undefined,
        awsRegion: config["aws:region"] as string | undefined,
    });
}

/** Every problem validation reports, [] when the config is valid. */
export function problemsOf(config: Record<string, unknown>): string[] {
    try {
        validate(config);
        return [];
    } catch (err) {
        if (err instanceof ConfigError) {
            return [...err.problems];
        }
        throw err;
    }
}

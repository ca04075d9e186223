/** AWS target: being built (issue 3). Until then a stack with target aws fails before registering anything. */
import { AwsSettings, LoadedConfig } from "../components/config/settings";

export function deployAws(config: LoadedConfig<AwsSettings>): never {
    throw new Error(`target aws is not available in this version (stack domain ${config.settings.domain}); use target onprem`);
}

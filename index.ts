/**
 * openvidu-ha: OpenVidu PRO High Availability on AWS or on-premises hosts. This file only wires: it loads and
 * validates the stack config (every problem reported before any resource exists) and runs the selected target.
 */
import { loadConfig } from "./components/config/load";
import { mapOnlyProgramFrames } from "./components/stack-traces";
import { AwsSettings, LoadedConfig, OnpremSettings } from "./components/config/settings";
import { deployOnprem } from "./stacks/onprem";

// Before any resource: the SDK's per-resource stack traces are formatted with source maps (components/stack-traces.ts).
mapOnlyProgramFrames();

export = async () => {
    const config = loadConfig();
    if (config.settings.target === "aws") {
        const { deployAws } = await import("./stacks/aws");
        return deployAws(config as LoadedConfig<AwsSettings>);
    }
    return deployOnprem(config as LoadedConfig<OnpremSettings>);
};

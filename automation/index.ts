/**
 * openvidu-ha from other tooling: create or select a stack of this project, set its whole config from one typed
 * object (checked like a stack file), run preview/up/refresh/destroy with progress events, read typed outputs, and
 * plan offline. Import it as `openvidu-ha/automation`.
 *
 * @example
 * const stack = await OpenviduHaStack.open({ stackName: "acme", config, envVars: { PULUMI_BACKEND_URL: "s3://state" } });
 * const { outputs } = await stack.up({ onEvent: (e) => console.log(e) });
 * console.log(outputs.urls.openvidu, outputs.credentials.reveal().dashboardAdminPassword);
 *
 * @packageDocumentation
 */
export { ConfigError } from "../components/config/validate";
export { PulumiCommand } from "@pulumi/pulumi/automation";
export { checkConfig, PROJECT_NAME, SECRET_PROVIDER_KEYS } from "./config";
export type {
    AwsStackConfig,
    CheckedConfig,
    CommonStackConfig,
    ConfigEntry,
    ConfigKeysMatchContract,
    HostInput,
    OnpremStackConfig,
    OpenviduHaConfig,
} from "./config";
export { DeploymentError } from "./errors";
export type { Operation } from "./errors";
export { SecretMasker } from "./events";
export type { DeploymentEvent, DeploymentListener, ResourceFailure, ResourceOperation } from "./events";
export { Secret } from "./outputs";
export type { AwsClusterOutputs, ClusterOutputs, CommonClusterOutputs, NodeInfo, OnpremClusterOutputs } from "./outputs";
export { planOffline } from "./plan";
export type { OfflinePlan } from "./plan";
export { OpenviduHaStack, PROJECT_DIR } from "./stack";
export type { OpenStackOptions, OperationOptions, OperationResult, UpResult, WorkspaceOptions } from "./stack";

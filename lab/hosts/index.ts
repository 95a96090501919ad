export { startLabHosts, stopLabHosts, labStatus, stopHost, startHost, changeHostKey, labSshTarget, type LabOptions, type LabHostStatus } from "./hosts";
export { ensureLabStateDir } from "./state-dir";
export { defaultLabHostSpecs, labHostSpecSchema, type LabHostSpec } from "./spec";
export { readEstate, type LabEstate, type LabHostState } from "./estate-file";

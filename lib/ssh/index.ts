export { exec, defaultPool, type ExecOptions, type ExecOutput, type ExecResult } from "./exec";
export { SshPool, type PoolOptions } from "./pool";
export { probeHostKey, type ProbedHostKey, type ProbeResult } from "./probe";
export { quoteArg, quoteArgv, UnsafeArgumentError } from "./quote";
export { sha256Fingerprint, fingerprintOfPublicKeyLine, isSha256Fingerprint } from "./fingerprint";
export { sshErrors, type SshError, type SshErrorKind } from "./errors";
export { sshTargetSchema, sshCredentialSchema, type SshTarget, type SshCredential } from "./target";

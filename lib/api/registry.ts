import { deleteCluster } from "@/lib/inventory/clusters/delete-cluster";
import { createCluster } from "@/lib/inventory/clusters/create-cluster";
import { updateCluster } from "@/lib/inventory/clusters/update-cluster";
import { createCredential, deleteCredential, updateCredential } from "@/lib/inventory/credentials/credential-actions";
import { createGroup, deleteGroup } from "@/lib/inventory/groups/group-actions";
import { createHost, deleteHost, updateHost } from "@/lib/inventory/hosts/host-actions";
import { applyImport, previewImport } from "@/lib/inventory/import/import-actions";
import { probeHostKeyAction, testHostConnection, trustHostKey } from "@/lib/inventory/hosts/host-key-actions";
import { createNode, deleteNode, updateNode } from "@/lib/inventory/nodes/node-actions";
import { cancelRun } from "@/lib/runs/actions/cancel-run";
import { confirmStep } from "@/lib/runs/actions/confirm-step";
import { decideRun } from "@/lib/runs/actions/decide-run";
import { previewRun } from "@/lib/runs/actions/preview-run";
import { startRun } from "@/lib/runs/actions/start-run";
import { refreshClusterStatus } from "@/lib/status/refresh-action";
import { generateProsyncConfigAction, validateProsyncConfigAction } from "@/lib/tools/prosync-config";
import { validateTipsAction } from "@/lib/tools/tibero-tips";
import { readClusterTipsAction } from "@/lib/tools/tibero-tips-read";
import { createUser, resetPassword, updateUser } from "@/lib/users/user-actions";

/** Every mutating action Keel has; the role suite calls each one as every role. */
export const ACTIONS = {
  createCluster,
  updateCluster,
  deleteCluster,
  refreshClusterStatus,
  previewImport,
  applyImport,
  createGroup,
  deleteGroup,
  createNode,
  updateNode,
  deleteNode,
  createHost,
  updateHost,
  deleteHost,
  probeHostKeyAction,
  trustHostKey,
  testHostConnection,
  createCredential,
  updateCredential,
  deleteCredential,
  createUser,
  updateUser,
  resetPassword,
  previewRun,
  startRun,
  confirmStep,
  cancelRun,
  decideRun,
  validateTipsAction,
  readClusterTipsAction,
  generateProsyncConfigAction,
  validateProsyncConfigAction,
} as const;

-- CreateEnum
CREATE TYPE "RunState" AS ENUM ('RUNNING', 'WAITING', 'INTERRUPTED', 'SUCCEEDED', 'FAILED', 'CANCELLED', 'ABORTED');

-- CreateEnum
CREATE TYPE "RunStepState" AS ENUM ('PENDING', 'RUNNING', 'WAITING', 'SUCCEEDED', 'FAILED', 'INTERRUPTED', 'CANCELLED', 'MARKED_DONE', 'SKIPPED');

-- CreateTable
CREATE TABLE "run" (
    "id" UUID NOT NULL,
    "clusterId" UUID,
    "clusterName" TEXT NOT NULL,
    "procedureId" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "mutating" BOOLEAN NOT NULL,
    "plan" JSONB NOT NULL,
    "planDigest" TEXT NOT NULL,
    "state" "RunState" NOT NULL DEFAULT 'RUNNING',
    "stateReason" TEXT NOT NULL DEFAULT '',
    "nextStep" INTEGER NOT NULL DEFAULT 0,
    "startedById" TEXT NOT NULL,
    "startedByEmail" TEXT NOT NULL,
    "startedByRole" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,
    "finishedAt" TIMESTAMPTZ(3),
    "cancelRequestedAt" TIMESTAMPTZ(3),
    "cancelRequestedBy" TEXT,
    "workerId" TEXT,

    CONSTRAINT "run_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_step" (
    "id" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "index" INTEGER NOT NULL,
    "key" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "hostName" TEXT NOT NULL DEFAULT '',
    "nodeName" TEXT NOT NULL DEFAULT '',
    "argv" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "state" "RunStepState" NOT NULL DEFAULT 'PENDING',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "startedAt" TIMESTAMPTZ(3),
    "finishedAt" TIMESTAMPTZ(3),
    "exitCode" INTEGER,
    "durationMs" INTEGER,
    "stdout" TEXT NOT NULL DEFAULT '',
    "stderr" TEXT NOT NULL DEFAULT '',
    "message" TEXT NOT NULL DEFAULT '',
    "decidedById" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMPTZ(3),
    "decision" TEXT,

    CONSTRAINT "run_step_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "run_output" (
    "id" BIGSERIAL NOT NULL,
    "runId" UUID NOT NULL,
    "stepIndex" INTEGER NOT NULL,
    "attempt" INTEGER NOT NULL,
    "stream" TEXT NOT NULL,
    "text" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "run_output_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "cluster_lease" (
    "clusterId" UUID NOT NULL,
    "runId" UUID NOT NULL,
    "holderId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "acquiredAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "cluster_lease_pkey" PRIMARY KEY ("clusterId")
);

-- CreateTable
CREATE TABLE "run_worker" (
    "id" TEXT NOT NULL,
    "pid" INTEGER NOT NULL,
    "hostname" TEXT NOT NULL,
    "queueIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "startedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "heartbeatAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "stoppedAt" TIMESTAMPTZ(3),

    CONSTRAINT "run_worker_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "run_clusterId_createdAt_idx" ON "run"("clusterId", "createdAt");

-- CreateIndex
CREATE INDEX "run_state_idx" ON "run"("state");

-- CreateIndex
CREATE INDEX "run_createdAt_idx" ON "run"("createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "run_step_runId_index_key" ON "run_step"("runId", "index");

-- CreateIndex
CREATE INDEX "run_output_runId_id_idx" ON "run_output"("runId", "id");

-- CreateIndex
CREATE UNIQUE INDEX "cluster_lease_runId_key" ON "cluster_lease"("runId");

-- AddForeignKey
ALTER TABLE "run" ADD CONSTRAINT "run_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "cluster"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_step" ADD CONSTRAINT "run_step_runId_fkey" FOREIGN KEY ("runId") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "run_output" ADD CONSTRAINT "run_output_runId_fkey" FOREIGN KEY ("runId") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster_lease" ADD CONSTRAINT "cluster_lease_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "cluster_lease" ADD CONSTRAINT "cluster_lease_runId_fkey" FOREIGN KEY ("runId") REFERENCES "run"("id") ON DELETE CASCADE ON UPDATE CASCADE;

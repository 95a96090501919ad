-- CreateTable
CREATE TABLE "status_sample" (
    "id" BIGSERIAL NOT NULL,
    "clusterId" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "health" TEXT NOT NULL,
    "reason" TEXT NOT NULL,
    "observation" JSONB NOT NULL,
    "durationMs" INTEGER NOT NULL,

    CONSTRAINT "status_sample_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "status_sample_clusterId_at_idx" ON "status_sample"("clusterId", "at");

-- AddForeignKey
ALTER TABLE "status_sample" ADD CONSTRAINT "status_sample_clusterId_fkey" FOREIGN KEY ("clusterId") REFERENCES "cluster"("id") ON DELETE CASCADE ON UPDATE CASCADE;

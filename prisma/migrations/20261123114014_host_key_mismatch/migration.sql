-- AlterTable
ALTER TABLE "host" ADD COLUMN     "hostKeyMismatchAt" TIMESTAMP(3),
ADD COLUMN     "hostKeyMismatchFingerprint" TEXT;

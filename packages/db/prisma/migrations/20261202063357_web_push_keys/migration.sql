-- AlterTable
ALTER TABLE "notification_settings" ADD COLUMN     "vapid_private_key" TEXT,
ADD COLUMN     "vapid_public_key" TEXT;


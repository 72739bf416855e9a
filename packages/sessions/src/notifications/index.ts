// The notification delivery engine's reads and writes (the reaper's notifications worker).
export {
  FOLLOW_UP_WINDOW_DAYS,
  LOST_AFTER_SECONDS,
  NOTIFY_DEFAULT_SETTLE_SECONDS,
  readNotifySettings,
  recordDueWaits,
  recordIdleWaits,
  recordResolvedWaits,
  touchLostDeliveries,
  type DueOptions,
  type NotifySettings,
} from "./due-deliveries";
export {
  claimDelivery,
  recordDelivered,
  recordFailure,
  recordUnsendable,
  type Claim,
  type ClaimedDelivery,
} from "./deliveries";
export { ensureVapidKeys, type VapidKeys } from "./vapid-keys";

// Notifications' pure half (docs/notifications.md): what a delivery says and how each channel type
// wants it; the reaper's notifications worker finds, sends and records them.
export { inQuietHours, type QuietHours } from "./quiet-hours";
export { redactSecrets } from "./redact";
export { type NotificationInput, notificationPayload, sessionLink } from "./message";
export { type ChannelTarget, deliveryRequest, type OutgoingRequest, webPushBody } from "./bodies";

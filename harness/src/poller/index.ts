export { EventsCursor, EVENTS_PAGE, isEventsResponse, type EventsResponse } from './events-cursor.js';
export { getJson, type GetResult } from './http-get.js';
export { LeaderView, type LeaderTerm, type LeaderViewOptions, type SettledLeaderWait } from './leader-view.js';
export { toPollEntry } from './poll-entry.js';
export { Poller, createPoller, type PollerClock, type PollerEntry, type PollerOptions } from './poller.js';
export type { PollerStats } from './poller-stats.js';

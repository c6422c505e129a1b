// The live feed behind `GET /api/v1/events` (spec §6 "Live"): one watcher thread asks the
// workspace cache's DataVersion() a few times a second (it reads SQLite's WAL index: next to
// free), and when the database changed — a write by this server, another server or the CLI —
// reads the history rows recorded since it last looked, once, and hands each subscriber the
// Server-Sent Events that name what changed. Subscribers are OutStreams the HTTP server drains:
// bounded, so a slow one is dropped rather than buffered; their number is bounded too.
// Wake() is the seam for a push from the database (PostgreSQL LISTEN/NOTIFY): it makes the
// watcher look at once instead of at its next tick; the version check stays what guarantees it.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "core/history.h"
#include "core/mutex.h"
#include "server/http.h"
#include "server/workspace_cache.h"
#include "store/store.h"

namespace cascade {

struct EventHubOptions {
  std::chrono::milliseconds poll{200};        // how often DataVersion() is asked
  std::chrono::milliseconds heartbeat{15000}; // a ": ping" comment keeps proxies from closing
  int max_streams = 64;                       // more subscribers: refused
  size_t queue = 64;                          // messages a subscriber may fall behind
  size_t max_entities = 100;                  // more changed entities at once: one "workspace"
};

// The events for history `rows` (oldest first) at workspace `version`: one per changed entity,
// `{"kind":…,"id":…,"version":…}` in order of first change, the last carrying `id: <last seq>`;
// a single {"kind":"workspace",…} when there are more than `max_entities` or a row names no
// entity (a large import's summary). "" when rows is empty.
std::string EventsFor(const std::vector<HistoryEntry>& rows, uint64_t version,
                      size_t max_entities);

class EventHub {
 public:
  // `cache` must outlive the hub; `store` is the watcher's own connection.
  EventHub(WorkspaceCache& cache, std::unique_ptr<Store> store, EventHubOptions options = {});
  ~EventHub();  // stops the watcher and ends every stream
  EventHub(const EventHub&) = delete;
  EventHub& operator=(const EventHub&) = delete;

  // A new subscriber's stream, its greeting queued (the reconnection delay and the last history
  // seq as the event id); null when max_streams are open. A `last_event_id` older than what the
  // hub has seen (a client reconnecting after it missed changes) gets a {"kind":"workspace"}
  // event at once.
  std::shared_ptr<OutStream> Subscribe(std::optional<int64_t> last_event_id) EXCLUDES(mu_);
  // Makes the watcher look now rather than at its next tick (after a write, or a NOTIFY).
  void Wake() EXCLUDES(mu_);
  int open_streams() EXCLUDES(mu_);
  const EventHubOptions& options() const { return options_; }

 private:
  void Run() EXCLUDES(mu_);
  // Reads history after last_seq_ when the version moved; sends to every subscriber.
  void Look() EXCLUDES(mu_);
  void Broadcast(const std::string& bytes) EXCLUDES(mu_);

  WorkspaceCache& cache_;
  std::unique_ptr<Store> store_;
  EventHubOptions options_;
  Mutex mu_;
  CondVar cv_;
  bool stop_ GUARDED_BY(mu_) = false;
  bool woken_ GUARDED_BY(mu_) = false;
  // Written by the watcher thread only (Look), read by Subscribe too.
  bool baseline_ GUARDED_BY(mu_) = false;  // last_seq_ has been read once
  int64_t last_seq_ GUARDED_BY(mu_) = 0;   // the newest history row subscribers were told about
  uint64_t last_version_ GUARDED_BY(mu_) = 0;
  std::vector<std::shared_ptr<OutStream>> subs_ GUARDED_BY(mu_);
  std::thread thread_;
};

}  // namespace cascade

#include "server/events.h"

#include <cstdio>
#include <utility>

#include <nlohmann/json.hpp>

namespace cascade {
namespace {

// History is read in pages of this many rows until caught up.
constexpr size_t kPage = 1000;

std::string DataLine(const nlohmann::json& event) {
  return "data: " + event.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
}

}  // namespace

std::string EventsFor(const std::vector<HistoryEntry>& rows, uint64_t version,
                      size_t max_entities) {
  if (rows.empty()) return "";
  std::vector<std::pair<std::string, std::string>> changed;  // (kind, id), first change first
  bool whole = false;
  for (const HistoryEntry& h : rows) {
    if (h.entity.empty()) {
      whole = true;
      break;
    }
    bool seen = false;
    for (const auto& [kind, id] : changed) seen = seen || (kind == h.kind && id == h.entity);
    if (seen) continue;
    if (changed.size() >= max_entities) {
      whole = true;
      break;
    }
    changed.emplace_back(h.kind, h.entity);
  }
  const std::string id_line = "id: " + std::to_string(rows.back().seq) + "\n";
  if (whole) {
    return id_line + DataLine({{"kind", "workspace"}, {"version", version}}) + "\n";
  }
  std::string out;
  for (size_t i = 0; i < changed.size(); ++i) {
    if (i + 1 == changed.size()) out += id_line;
    out += DataLine({{"kind", changed[i].first}, {"id", changed[i].second}, {"version", version}});
    out += "\n";
  }
  return out;
}

EventHub::EventHub(WorkspaceCache& cache, std::unique_ptr<Store> store, EventHubOptions options)
    : cache_(cache), store_(std::move(store)), options_(options) {
  thread_ = std::thread([this] { Run(); });
}

EventHub::~EventHub() {
  {
    MutexLock lock(mu_);
    stop_ = true;
  }
  cv_.NotifyAll();
  thread_.join();
  MutexLock lock(mu_);
  for (auto& s : subs_) s->Close();
}

std::shared_ptr<OutStream> EventHub::Subscribe(std::optional<int64_t> last_event_id) {
  MutexLock lock(mu_);
  std::erase_if(subs_, [](const std::shared_ptr<OutStream>& s) { return s->closed(); });
  if (static_cast<int>(subs_.size()) >= options_.max_streams) return nullptr;
  auto stream = std::make_shared<OutStream>(options_.queue);
  // An event with an id and no data sets the client's last event id without an event.
  std::string greeting = "retry: 1000\n";
  if (baseline_) greeting += "id: " + std::to_string(last_seq_) + "\n";
  greeting += "\n";
  if (baseline_ && last_event_id && *last_event_id < last_seq_) {
    greeting += DataLine({{"kind", "workspace"}, {"version", last_version_}}) + "\n";
  }
  stream->Push(std::move(greeting));
  subs_.push_back(stream);
  return stream;
}

void EventHub::Wake() {
  {
    MutexLock lock(mu_);
    woken_ = true;
  }
  cv_.NotifyAll();
}

int EventHub::open_streams() {
  MutexLock lock(mu_);
  std::erase_if(subs_, [](const std::shared_ptr<OutStream>& s) { return s->closed(); });
  return static_cast<int>(subs_.size());
}

void EventHub::Broadcast(const std::string& bytes) {
  MutexLock lock(mu_);
  // A subscriber that is gone, or full (too slow), is dropped; Push closed the full one.
  std::erase_if(subs_, [&bytes](const std::shared_ptr<OutStream>& s) { return !s->Push(bytes); });
}

void EventHub::Look() {
  // Only this thread writes them, but under the lock, for Subscribe(): read under it too.
  bool baseline = false;
  int64_t after = 0;
  uint64_t last_version = 0;
  {
    MutexLock lock(mu_);
    baseline = baseline_;
    after = last_seq_;
    last_version = last_version_;
  }
  const uint64_t version = cache_.DataVersion();
  // 0: the cache cannot tell (not a SQLite file): history is asked every time.
  if (baseline && version != 0 && version == last_version) return;
  std::vector<HistoryEntry> rows;
  while (true) {
    auto page = store_->HistorySince(after, kPage);
    if (!page) {
      std::fprintf(stderr, "cascade serve: the event stream cannot read history: %s\n",
                   page.error().ToString().c_str());
      return;  // tried again at the next tick
    }
    if (page->empty()) break;
    after = page->back().seq;
    const bool more = page->size() == kPage;
    if (baseline) {
      // Beyond max_entities distinct ones it is one "workspace" event anyway: keep what decides it.
      if (rows.size() <= options_.max_entities * 4) {
        rows.insert(rows.end(), page->begin(), page->end());
      } else {
        rows.back() = page->back();
        rows.back().entity.clear();  // marks "many": EventsFor sends one workspace event
      }
    }
    if (!more) break;
  }
  std::string bytes;
  if (baseline) bytes = EventsFor(rows, version, options_.max_entities);
  {
    MutexLock lock(mu_);
    last_seq_ = after;
    last_version_ = version;
    baseline_ = true;
  }
  if (!bytes.empty()) Broadcast(bytes);
}

void EventHub::Run() {
  Look();  // the baseline, at once: what subscribers are told they have seen
  auto next_ping = std::chrono::steady_clock::now() + options_.heartbeat;
  while (true) {
    {
      MutexLock lock(mu_);
      const auto deadline = std::chrono::steady_clock::now() + options_.poll;
      while (!stop_ && !woken_ && cv_.WaitUntil(mu_, deadline)) {
      }
      if (stop_) return;
      woken_ = false;
    }
    Look();
    if (std::chrono::steady_clock::now() >= next_ping) {
      next_ping = std::chrono::steady_clock::now() + options_.heartbeat;
      Broadcast(": ping\n\n");
    }
  }
}

}  // namespace cascade

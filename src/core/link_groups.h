// LinkGroups: integers grouped by owner (a goal's KPIs, its children, the goals supporting it), in
// chunks of 1,024 owners shared copy-on-write between copies. The server's goal links after a
// create are the links before plus an item or two: copying these copies a plain pointer a chunk and
// a shared one per 64 (SharedChunks), and the create clones the chunks of the owners that gained an
// item (with their group of pointers), where one flat array of groups was copied or grouped again
// whole (at 1,000,000 goals 80% of a KPI POST's time).
#pragma once

#include <algorithm>
#include <cstddef>
#include <memory>
#include <span>
#include <vector>

#include "core/shared_chunks.h"

namespace cascade {

class LinkGroups {
 public:
  static constexpr size_t kShift = 10;
  static constexpr size_t kChunk = size_t{1} << kShift;  // owners a chunk

  LinkGroups() = default;
  // The groups of `owners` owners from `each(link)`, which calls link(owner, item) for every item
  // (owner in [0, owners)), each owner's items in the order they are to keep. Twice: to count, to
  // place.
  template <typename Each>
  static LinkGroups Build(size_t owners, const Each& each) {
    LinkGroups g;
    g.owners_ = owners;
    std::vector<int> at(owners, 0);  // items of each owner, then where its next one goes
    each([&at](size_t owner, int) { ++at[owner]; });
    for (size_t c = 0; c * kChunk < owners; ++c) {
      auto chunk = std::make_shared<Chunk>();
      const size_t first = c * kChunk, n = std::min(kChunk, owners - first);
      chunk->begin.resize(n + 1, 0);
      for (size_t o = 0; o < n; ++o) {
        chunk->begin[o + 1] = chunk->begin[o] + at[first + o];
        at[first + o] = chunk->begin[o];
      }
      chunk->items.resize(static_cast<size_t>(chunk->begin[n]));
      g.Push(std::move(chunk));
    }
    each([&](size_t owner, int item) {
      g.raw_[owner >> kShift]->items[static_cast<size_t>(at[owner]++)] = item;
    });
    return g;
  }
  // Each item i of `owner_of` in the group of owner_of[i] (none when it is negative), in order.
  template <typename OwnerOf>
  static LinkGroups Of(size_t owners, const OwnerOf& owner_of) {
    return Build(owners, [&owner_of](const auto& link) {
      for (size_t i = 0; i < owner_of.size(); ++i) {
        if (const int o = owner_of[i]; o >= 0) link(static_cast<size_t>(o), static_cast<int>(i));
      }
    });
  }

  size_t owners() const { return owners_; }
  std::span<const int> operator[](size_t owner) const {
    const Chunk& c = *raw_[owner >> kShift];
    const size_t o = owner & (kChunk - 1);
    return {c.items.data() + c.begin[o], c.items.data() + c.begin[o + 1]};
  }

  // Adds owners with empty groups up to `owners` (never fewer).
  void Grow(size_t owners) {
    for (size_t o = owners_; o < owners;) {
      if ((o & (kChunk - 1)) == 0) {
        auto chunk = std::make_shared<Chunk>();
        chunk->begin.push_back(0);
        Push(std::move(chunk));
      }
      Chunk& c = Writable(o >> kShift);
      const size_t add = std::min(owners - o, kChunk - (o & (kChunk - 1)));
      c.begin.resize(c.begin.size() + add, c.begin.back());
      o += add;
    }
    owners_ = std::max(owners_, owners);
  }

  // Takes out the owners at `removed` (ascending), those after moving up, and puts `map(i)` for
  // each item i (dropped when negative). The chunks before the first removed owner's stay shared
  // unless one of their items maps to another value; those from it on are built again. With
  // `touched`, the owners whose items may map to another value: only their chunks are looked at
  // (instead of every item before the first removed owner).
  template <typename Map>
  void Remove(std::span<const int> removed, const Map& map,
              const std::vector<int>* touched = nullptr) {
    const size_t first = removed.empty() ? owners_ : static_cast<size_t>(removed[0]);
    const size_t c0 = first >> kShift;
    const auto mapped = [&map](const Chunk& from, size_t o, std::vector<int>& to) {
      for (int i = from.begin[o]; i < from.begin[o + 1]; ++i) {
        if (const int m = map(from.items[static_cast<size_t>(i)]); m >= 0) to.push_back(m);
      }
    };
    std::vector<size_t> look;  // the chunks before c0 to look at, ascending
    if (touched == nullptr) {
      for (size_t c = 0; c < c0; ++c) look.push_back(c);
    } else {
      for (const int o : *touched) {
        if (o >= 0 && (static_cast<size_t>(o) >> kShift) < c0) look.push_back(size_t(o) >> kShift);
      }
      std::sort(look.begin(), look.end());
      look.erase(std::unique(look.begin(), look.end()), look.end());
    }
    for (const size_t c : look) {
      const Chunk& chunk = *raw_[c];
      if (std::all_of(chunk.items.begin(), chunk.items.end(), [&](int i) { return map(i) == i; })) {
        continue;
      }
      auto copy = std::make_shared<Chunk>();
      copy->begin.push_back(0);
      for (size_t o = 0; o + 1 < chunk.begin.size(); ++o) {
        mapped(chunk, o, copy->items);
        copy->begin.push_back(static_cast<int>(copy->items.size()));
      }
      raw_[c] = copy.get();
      owned_.Own(c) = std::move(copy);
    }
    // The owners from chunk c0 on, without those removed: chunk c0 starts at the same owner.
    const size_t from = c0 << kShift;
    LinkGroups tail = Build(owners_ - removed.size() - from, [&](const auto& link) {
      std::vector<int> items;
      size_t r = 0, now = 0;
      for (size_t o = from; o < owners_; ++o) {
        while (r < removed.size() && static_cast<size_t>(removed[r]) < o) ++r;
        if (r < removed.size() && static_cast<size_t>(removed[r]) == o) continue;
        items.clear();
        mapped(*raw_[o >> kShift], o & (kChunk - 1), items);
        for (const int i : items) link(now, i);
        ++now;
      }
    });
    raw_.resize(c0);
    owned_.resize(c0);
    for (size_t c = 0; c < tail.raw_.size(); ++c) Push(tail.owned_[c]);
    owners_ -= removed.size();
  }

  // Adds `item` last in `owner`'s group; its chunk is cloned first when a copy shares it.
  void Append(size_t owner, int item) { InsertAt(owner, item, false); }
  // Puts `item` into `owner`'s group before the first item greater than it (a group kept
  // ascending stays so), cloning its chunk as Append does.
  void InsertOrdered(size_t owner, int item) { InsertAt(owner, item, true); }
  // Takes the first `item` out of `owner`'s group, if it is there (its chunk cloned first).
  void Erase(size_t owner, int item) {
    const std::span<const int> group = (*this)[owner];
    const auto at = std::find(group.begin(), group.end(), item);
    if (at == group.end()) return;
    const auto offset = at - group.begin();
    Chunk& c = Writable(owner >> kShift);
    const size_t o = owner & (kChunk - 1);
    c.items.erase(c.items.begin() + c.begin[o] + offset);
    for (size_t i = o + 1; i < c.begin.size(); ++i) --c.begin[i];
  }

 private:
  struct Chunk {
    std::vector<int> begin;  // the chunk's owners + 1: where each one's items start in `items`
    std::vector<int> items;
  };
  void InsertAt(size_t owner, int item, bool ordered) {
    Chunk& c = Writable(owner >> kShift);
    const size_t o = owner & (kChunk - 1);
    const auto first = c.items.begin() + c.begin[o], last = c.items.begin() + c.begin[o + 1];
    c.items.insert(ordered ? std::upper_bound(first, last, item) : last, item);
    for (size_t i = o + 1; i < c.begin.size(); ++i) ++c.begin[i];
  }
  Chunk& Writable(size_t c) {
    std::shared_ptr<Chunk>& slot = owned_.Own(c);
    if (slot.use_count() != 1) {
      slot = std::make_shared<Chunk>(*slot);
      raw_[c] = slot.get();
    }
    return *slot;
  }
  void Push(std::shared_ptr<Chunk> chunk) {
    raw_.push_back(chunk.get());
    owned_.push_back(std::move(chunk));
  }

  size_t owners_ = 0;
  std::vector<Chunk*> raw_;     // each chunk, for reading (copied as plain pointers)
  SharedChunks<Chunk> owned_;   // who owns them, shared a group at a time between copies
};

}  // namespace cascade

// A flat id → position table over one entity vector, and a batched lookup of many ids in it: the
// roll-up resolves every check-in's KPI with it, the status JSON every KPI's goal. Much faster
// than std::unordered_map for the large workspaces of spec §8 (a lookup of a short id touches one
// slot and nothing else; batches overlap their cache misses).
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstring>
#include <string_view>
#include <type_traits>
#include <vector>

#include "core/big_vector.h"

namespace cascade {
namespace id_table_detail {

inline uint64_t Load8(const char* p) {
  uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}
inline uint64_t Load4(const char* p) {
  uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

}  // namespace id_table_detail

// Equality of two ids, a word at a time and inlined: a call to memcmp per check-in shows in the
// profile.
inline bool SameId(std::string_view a, std::string_view b) {
  const size_t n = a.size();
  if (n != b.size()) return false;
  const char* x = a.data();
  const char* y = b.data();
  if (n >= 8) {
    for (size_t i = 0; i + 8 < n; i += 8) {
      if (id_table_detail::Load8(x + i) != id_table_detail::Load8(y + i)) return false;
    }
    return id_table_detail::Load8(x + n - 8) == id_table_detail::Load8(y + n - 8);
  }
  if (n >= 4)
    return id_table_detail::Load4(x) == id_table_detail::Load4(y) &&
           id_table_detail::Load4(x + n - 4) == id_table_detail::Load4(y + n - 4);
  for (size_t i = 0; i < n; ++i) {
    if (x[i] != y[i]) return false;
  }
  return true;
}

// An id's first 16 bytes as two zero-padded words, its length and a hash of all of it. Ids of up
// to 16 bytes (nearly all) compare as three integers.
struct IdKey {
  uint64_t w0 = 0, w1 = 0;
  uint64_t hash = 0;
  uint32_t len = 0;

  IdKey() = default;
  explicit IdKey(std::string_view s) : len(static_cast<uint32_t>(s.size())) {
    const char* p = s.data();
    const size_t n = s.size();
    if (n >= 16) {
      w0 = id_table_detail::Load8(p);
      w1 = id_table_detail::Load8(p + 8);
    } else if (n > 8) {
      w0 = id_table_detail::Load8(p);
      w1 = id_table_detail::Load8(p + n - 8) >>
           (8 * (16 - n));  // bytes 8…n-1, the overlap shifted out
    } else if (n >= 4) {
      w0 = id_table_detail::Load4(p) | (id_table_detail::Load4(p + n - 4) >> (8 * (8 - n)) << 32);
    } else {
      for (size_t i = 0; i < n; ++i) w0 |= uint64_t{static_cast<unsigned char>(p[i])} << (8 * i);
    }
    uint64_t h = Mix((0x9e3779b97f4a7c15ull * (n + 1)) ^ w0);
    h = Mix(h ^ w1);
    for (size_t i = 16; i < n; i += 8)
      h = Mix(h ^ (i + 8 <= n ? id_table_detail::Load8(p + i) : id_table_detail::Load8(p + n - 8)));
    hash = h ^ (h >> 32);
  }

 private:
  static uint64_t Mix(uint64_t x) {
    x *= 0xbf58476d1ce4e5b9ull;
    return x ^ (x >> 31);
  }
};

// Id → position over one entity vector: open addressing whose slots carry each id's first 16
// bytes, so a lookup of a short id touches one slot and nothing else (1,000,000 check-in lookups
// must stay in the tens of milliseconds). Longer ids are compared in full against the entity.
// The first of duplicate ids wins, as in WorkspaceIndex.
class IdTable {
 public:
  template <typename Items>
  explicit IdTable(const Items& items) {
    // At most 3/4 full, so probes stay short, and any size rather than a power of two: the table
    // is reached at random, and the smaller it is, the more of it the caches hold.
    slots_.assign(std::max<size_t>(16, items.size() + items.size() / 3 + 1), Slot{});
    if (items.size() >= kClusterFrom) {
      BuildClustered(items);
    } else {
      BuildInOrder(items);
    }
  }

  // Position of the id `key` was made from, or -1. `items` is the vector the table was built on.
  template <typename Items>
  int Find(const IdKey& key, std::string_view id, const Items& items) const {
    const Slot probe{key.w0, key.w1, key.len};
    for (size_t at = Home(key); slots_[at].pos >= 0; at = Next(at)) {
      if (Matches(slots_[at], probe, [id] { return id; }, items)) return slots_[at].pos;
    }
    return -1;
  }
  template <typename Items>
  int Find(std::string_view id, const Items& items) const {
    return Find(IdKey(id), id, items);
  }

  // Brings the first slot `key` probes into the cache: lookups of many ids at random positions
  // overlap their memory latency when their slots are prefetched some lookups ahead.
  void Prefetch(const IdKey& key) const { __builtin_prefetch(&slots_[Home(key)]); }

 private:
  struct Slot {
    uint64_t w0 = 0, w1 = 0;
    uint32_t len = 0;
    int32_t pos = -1;  // -1 = empty
  };
  // From this many ids on a table outgrows the caches and the TLB's reach (8 MiB), and each
  // insert at a random slot costs a trip to memory: BuildClustered inserts a region at a time.
  static constexpr size_t kClusterFrom = size_t{1} << 18;

  // Inserts in vector order: keys a block ahead, their slots prefetched, then inserted. The
  // inserts land all over the table; overlapping their cache misses makes it several times faster.
  template <typename Items>
  void BuildInOrder(const Items& items) {
    constexpr size_t kBlock = 32;
    std::array<IdKey, 2 * kBlock> keys;
    const size_t n = items.size();
    auto prepare = [&](size_t block) {
      for (size_t i = block; i < std::min(n, block + kBlock); ++i) {
        keys[i % (2 * kBlock)] = IdKey(items[i].id);
        Prefetch(keys[i % (2 * kBlock)]);
      }
    };
    if (n > 0) prepare(0);
    for (size_t block = 0; block < n; block += kBlock) {
      if (block + kBlock < n) prepare(block + kBlock);
      for (size_t i = block; i < std::min(n, block + kBlock); ++i) {
        const IdKey& key = keys[i % (2 * kBlock)];
        Insert(Slot{key.w0, key.w1, key.len, static_cast<int32_t>(i)}, Home(key), items);
      }
    }
  }

  // The same table, the inserts grouped by the region of the table they land in (a stable
  // counting sort of the slots on their home's top bits): each region is filled while it is in
  // the cache. Duplicates share a home, so the first still wins.
  template <typename Items>
  void BuildClustered(const Items& items) {
    constexpr int kBits = 8;
    constexpr size_t kRegions = size_t{1} << kBits;
    struct Pending {
      Slot slot;
      uint32_t home;
      uint32_t region;
    };
    const size_t n = items.size();
    BigVector<Pending> pending(n);
    std::array<uint32_t, kRegions + 1> begin{};
    for (size_t i = 0; i < n; ++i) {
      const IdKey key(items[i].id);
      const size_t home = Home(key);
      // The top bits of the hash: Home scales the hash to the table, so they name its region.
      const auto region = static_cast<uint32_t>(key.hash >> (64 - kBits));
      pending[i] = Pending{Slot{key.w0, key.w1, key.len, static_cast<int32_t>(i)},
                           static_cast<uint32_t>(home), region};
      ++begin[region + 1];
    }
    for (size_t r = 0; r < kRegions; ++r) begin[r + 1] += begin[r];
    BigVector<Pending> sorted(n);
    for (size_t i = 0; i < n; ++i) sorted[begin[pending[i].region]++] = pending[i];
    for (size_t i = 0; i < n; ++i) Insert(sorted[i].slot, sorted[i].home, items);
  }

  // Puts `slot` at the first free slot from `home` on, unless its id is there already.
  template <typename Items>
  void Insert(const Slot& slot, size_t home, const Items& items) {
    // The id itself is read only to compare ids longer than a slot holds: the inserts come
    // sorted by region, and its item is anywhere in the vector.
    const auto id = [&] { return std::string_view(items[static_cast<size_t>(slot.pos)].id); };
    size_t at = home;
    for (; slots_[at].pos >= 0; at = Next(at)) {
      if (Matches(slots_[at], slot, id, items)) return;
    }
    slots_[at] = slot;
  }

  // Whether slot `s` holds the id id_of() gives, whose first 16 bytes and length `probe` carries.
  template <typename IdOf, typename Items>
  static bool Matches(const Slot& s, const Slot& probe, IdOf id_of, const Items& items) {
    if (s.len != probe.len || s.w0 != probe.w0 || s.w1 != probe.w1) return false;
    return probe.len <= 16 || SameId(items[static_cast<size_t>(s.pos)].id, id_of());
  }

  // The slot a key's probe starts at: the hash scaled to the table's size (Lemire's fast range).
  size_t Home(const IdKey& key) const {
    return static_cast<size_t>((static_cast<unsigned __int128>(key.hash) * slots_.size()) >> 64);
  }
  size_t Next(size_t at) const { return at + 1 == slots_.size() ? 0 : at + 1; }

  BigVector<Slot> slots_;
};

// Looks up id_at(i) for every i in [0, n) in `table` (built on `items`) and calls found(i, pos)
// in order, pos -1 for an unknown id; a `found` that returns bool stops the lookups by returning
// false. The keys of the next block are made and their slots prefetched while the current block
// resolves, so lookups at random places in a large table overlap their cache misses; an id equal
// to the one before reuses its position. With kIdsFollowItems, ids usually name the item after
// the one found last (KPIs listed in their goals' order): that item is compared first.
template <bool kIdsFollowItems = false, typename IdAt, typename Items, typename Found>
void LookupAll(size_t n, IdAt id_at, const IdTable& table, const Items& items, Found found) {
  constexpr size_t kBlock = 32;
  std::array<IdKey, 2 * kBlock> keys;
  std::array<bool, 2 * kBlock> repeats{};
  auto prepare = [&](size_t block) {
    for (size_t i = block; i < std::min(n, block + kBlock); ++i) {
      const size_t at = i % (2 * kBlock);
      const std::string_view id = id_at(i);
      repeats[at] = i > 0 && SameId(id, id_at(i - 1));
      // Where ids follow the items, the key is made only when the guess fails.
      if (repeats[at] || kIdsFollowItems) continue;
      keys[at] = IdKey(id);
      table.Prefetch(keys[at]);
    }
  };
  if (n > 0) prepare(0);
  int last = -1;
  for (size_t block = 0; block < n; block += kBlock) {
    if (block + kBlock < n) prepare(block + kBlock);
    for (size_t i = block; i < std::min(n, block + kBlock); ++i) {
      const size_t at = i % (2 * kBlock);
      if (!repeats[at]) {
        const auto next = static_cast<size_t>(last + 1);
        if (kIdsFollowItems && next < items.size() && SameId(items[next].id, id_at(i))) {
          last = static_cast<int>(next);
        } else {
          last =
              kIdsFollowItems ? table.Find(id_at(i), items) : table.Find(keys[at], id_at(i), items);
        }
      }
      if constexpr (std::is_same_v<decltype(found(i, last)), bool>) {
        if (!found(i, last)) return;
      } else {
        found(i, last);
      }
    }
  }
}

}  // namespace cascade

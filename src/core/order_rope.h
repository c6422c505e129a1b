// OrderRope: the roll-up's depth-first order of goal positions (Rollup::order), in chunks shared
// copy-on-write between copies. A goal created or removed lands in the middle of that order; in
// chunks of a fixed size (CowArray) every chunk after it shifts and is cloned, which at 1,000,000
// goals was a quarter of a goal POST. Here a chunk holds up to kMax positions and splits when
// full, so an insert or erase clones the chunks it lands in alone; each chunk keeps an upper bound
// of its positions, so a removal skips the chunks that hold none it moves.
#pragma once

#include <algorithm>
#include <cstddef>
#include <initializer_list>
#include <iterator>
#include <memory>
#include <span>
#include <vector>

#include "core/big_vector.h"

namespace cascade {

class OrderRope {
 public:
  static constexpr size_t kFill = 1024;  // positions a chunk gets when built or split
  static constexpr size_t kMax = 2048;   // a chunk with more splits in two

  OrderRope() = default;
  explicit OrderRope(const BigVector<int>& all) { Assign(all.begin(), all.end()); }
  OrderRope(std::initializer_list<int> all) { Assign(all.begin(), all.end()); }
  OrderRope& operator=(const BigVector<int>& all) {
    Assign(all.begin(), all.end());
    return *this;
  }
  OrderRope& operator=(std::initializer_list<int> all) {
    Assign(all.begin(), all.end());
    return *this;
  }

  size_t size() const { return starts_.empty() ? 0 : starts_.back(); }
  bool empty() const { return size() == 0; }
  // The position at place `i`: a binary search over the chunks (iterate to read them in order).
  int operator[](size_t i) const {
    const size_t c = ChunkAt(i);
    return chunks_[c]->items[i - starts_[c]];
  }

  // The chunks in order: their positions, the place of the first, and a bound no position in it
  // exceeds (exact when built; an insert raises it, an erase or a lower Set leaves it).
  size_t chunk_count() const { return chunks_.size(); }
  std::span<const int> chunk(size_t c) const { return chunks_[c]->items; }
  size_t chunk_start(size_t c) const { return starts_[c]; }
  int chunk_bound(size_t c) const { return chunks_[c]->bound; }

  // Puts `value` at place `at` (at most size()), those from there on one place later.
  void Insert(size_t at, int value) {
    if (chunks_.empty()) {
      chunks_.push_back(std::make_shared<Chunk>(Chunk{{value}, value}));
      starts_ = {0, 1};
      return;
    }
    const size_t c = at == size() ? chunks_.size() - 1 : ChunkAt(at);
    Chunk& chunk = Writable(c);
    chunk.items.insert(chunk.items.begin() + static_cast<std::ptrdiff_t>(at - starts_[c]), value);
    chunk.bound = std::max(chunk.bound, value);
    if (chunk.items.size() > kMax) {
      auto tail = std::make_shared<Chunk>();
      tail->items.assign(chunk.items.begin() + kFill, chunk.items.end());
      chunk.items.resize(kFill);
      tail->bound = *std::max_element(tail->items.begin(), tail->items.end());
      chunk.bound = *std::max_element(chunk.items.begin(), chunk.items.end());
      chunks_.insert(chunks_.begin() + static_cast<std::ptrdiff_t>(c + 1), std::move(tail));
    }
    Restart(c);
  }

  // Removes the positions at `places` (ascending, each < size()), the others moving up.
  template <typename Places>
  void Erase(const Places& places) {
    if (places.empty()) return;
    size_t first = chunks_.size();
    size_t r = 0;
    // Places are taken chunk by chunk, against the places before any is removed.
    std::vector<std::shared_ptr<Chunk>> kept;
    kept.reserve(chunks_.size());
    for (size_t c = 0; c < chunks_.size(); ++c) {
      const size_t begin = starts_[c], end = starts_[c + 1];
      if (r == places.size() || static_cast<size_t>(places[r]) >= end) {
        kept.push_back(std::move(chunks_[c]));
        continue;
      }
      first = std::min(first, kept.size());
      Chunk& chunk = Writable(c);
      size_t to = 0;
      for (size_t i = begin; i < end; ++i) {
        if (r < places.size() && static_cast<size_t>(places[r]) == i) {
          ++r;
          continue;
        }
        chunk.items[to++] = chunk.items[i - begin];
      }
      chunk.items.resize(to);
      if (!chunk.items.empty()) kept.push_back(std::move(chunks_[c]));
    }
    chunks_ = std::move(kept);
    if (chunks_.empty()) {
      starts_.clear();
      return;
    }
    Restart(std::min(first, chunks_.size() - 1));
  }

  // Sets the position at place `i` (its chunk cloned when another copy shares it).
  void Set(size_t i, int value) {
    const size_t c = ChunkAt(i);
    Chunk& chunk = Writable(c);
    chunk.items[i - starts_[c]] = value;
    chunk.bound = std::max(chunk.bound, value);
  }

  // Reading in order (range-for, reverse iteration, a copy into a vector).
  class const_iterator {
   public:
    using iterator_category = std::bidirectional_iterator_tag;
    using value_type = int;
    using difference_type = std::ptrdiff_t;
    using pointer = const int*;
    using reference = const int&;
    const_iterator() = default;
    const_iterator(const OrderRope* r, size_t c, size_t o) : r_(r), c_(c), o_(o) {}
    reference operator*() const { return r_->chunks_[c_]->items[o_]; }
    pointer operator->() const { return &**this; }
    const_iterator& operator++() {
      if (++o_ == r_->chunks_[c_]->items.size()) {
        ++c_;
        o_ = 0;
      }
      return *this;
    }
    const_iterator operator++(int) {
      const_iterator was = *this;
      ++*this;
      return was;
    }
    const_iterator& operator--() {
      if (o_ == 0) {
        --c_;
        o_ = r_->chunks_[c_]->items.size();
      }
      --o_;
      return *this;
    }
    const_iterator operator--(int) {
      const_iterator was = *this;
      --*this;
      return was;
    }
    bool operator==(const const_iterator& o) const { return c_ == o.c_ && o_ == o.o_; }

   private:
    const OrderRope* r_ = nullptr;
    size_t c_ = 0, o_ = 0;
  };
  // An iterator at place `i` (at most size()).
  const_iterator At(size_t i) const {
    if (i >= size()) return end();
    const size_t c = ChunkAt(i);
    return {this, c, i - starts_[c]};
  }
  const_iterator begin() const { return {this, 0, 0}; }
  const_iterator end() const { return {this, chunks_.size(), 0}; }
  std::reverse_iterator<const_iterator> rbegin() const { return std::reverse_iterator(end()); }
  std::reverse_iterator<const_iterator> rend() const { return std::reverse_iterator(begin()); }

 private:
  struct Chunk {
    std::vector<int> items;
    int bound = -1;  // no position in items is above it
  };

  template <typename It>
  void Assign(It from, It to) {
    chunks_.clear();
    starts_.assign(1, 0);
    while (from != to) {
      auto chunk = std::make_shared<Chunk>();
      for (size_t n = 0; n < kFill && from != to; ++n, ++from) {
        chunk->items.push_back(*from);
        chunk->bound = std::max(chunk->bound, *from);
      }
      starts_.push_back(starts_.back() + chunk->items.size());
      chunks_.push_back(std::move(chunk));
    }
    if (chunks_.empty()) starts_.clear();
  }
  // The chunk holding place `i` (< size()).
  size_t ChunkAt(size_t i) const {
    return static_cast<size_t>(std::upper_bound(starts_.begin(), starts_.end(), i) -
                               starts_.begin()) -
           1;
  }
  // Chunk `c`, cloned first when another copy shares it.
  Chunk& Writable(size_t c) {
    if (chunks_[c].use_count() != 1) chunks_[c] = std::make_shared<Chunk>(*chunks_[c]);
    return *chunks_[c];
  }
  // The places of the chunks from `c` on, after their sizes changed.
  void Restart(size_t c) {
    starts_.resize(chunks_.size() + 1);
    for (size_t k = c; k < chunks_.size(); ++k) starts_[k + 1] = starts_[k] + chunks_[k]->items.size();
  }

  std::vector<std::shared_ptr<Chunk>> chunks_;
  std::vector<size_t> starts_;  // starts_[c]: the place of chunk c's first; the last: size()
};

}  // namespace cascade
